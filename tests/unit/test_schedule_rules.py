"""Calendar rules as group schedules (``domain.schedule.rules``): what maps,
what is refused and why, DTSTART off its rule (RFC 5545: still the first
meeting, and counted by COUNT), UNTIL and COUNT as the last meeting, and
zones other than the UK's."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from betterway_map.domain.schedule.recurrence import describe
from betterway_map.domain.schedule.rules import RuleNotSupported, schedule_from_rule

UK = ZoneInfo("Europe/London")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def _at(day: date, hour: int, zone=UK, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=zone)


def _map(rule: str, day: date, hour: int = 10, zone=UK, hours: int = 2):
    return schedule_from_rule(rule, _at(day, hour, zone), _at(day, hour + hours, zone))


MAPPED = {
    "weekly": ("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), "Every Tuesday, 10am to 12pm"),
    "weekly, day from DTSTART": ("FREQ=WEEKLY", date(2026, 1, 8), "Every Thursday, 10am to 12pm"),
    "fortnightly": (
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;WKST=SU",
        date(2026, 1, 7),
        "Every other Wednesday, 10am to 12pm",
    ),
    "daily every 7 days": ("FREQ=DAILY;INTERVAL=7", date(2026, 1, 9), "Every Friday, 10am to 12pm"),
    "second Tuesday": (
        "FREQ=MONTHLY;BYDAY=2TU",
        date(2026, 1, 13),
        "The second Tuesday of the month, 10am to 12pm",
    ),
    "BYSETPOS second Tuesday": (
        "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
        date(2026, 1, 13),
        "The second Tuesday of the month, 10am to 12pm",
    ),
    "BYSETPOS last Friday": (
        "FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1",
        date(2026, 1, 30),
        "The last Friday of the month, 10am to 12pm",
    ),
    "every Tuesday of every month": (
        "FREQ=MONTHLY;BYDAY=TU",
        date(2026, 1, 6),
        "Every Tuesday, 10am to 12pm",
    ),
}


@pytest.mark.parametrize("name", MAPPED)
def test_a_rule_the_register_can_say_becomes_its_schedule(name):
    rule, day, words = MAPPED[name]
    found = _map(rule, day)
    assert describe(found.schedule) == words
    assert found.schedule.starts_on == day and not found.first_off_rule


REFUSED = {
    "two days a week": ("FREQ=WEEKLY;BYDAY=MO,TH", "more than one day (Monday and Thursday)"),
    "every three weeks": ("FREQ=WEEKLY;INTERVAL=3;BYDAY=TU", "every 3 weeks"),
    "day of the month": ("FREQ=MONTHLY;BYMONTHDAY=15", "BYMONTHDAY=15"),
    "monthly by date": ("FREQ=MONTHLY", "on day 6 of each month"),
    "first and third": ("FREQ=MONTHLY;BYDAY=1TU,3TU", "several days a month (BYDAY=1TU,3TU)"),
    "last weekday": ("FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "more than one day"),
    "fifth Tuesday": ("FREQ=MONTHLY;BYDAY=5TU", "the fifth Tuesday"),
    "every other month": ("FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU", "every 2 months"),
    "daily": ("FREQ=DAILY", "it repeats daily"),
    "yearly": ("FREQ=YEARLY", "once a year"),
    "term time": ("FREQ=WEEKLY;BYDAY=TU;BYMONTH=1,2,3", "only in some months"),
    "COUNT and UNTIL": ("FREQ=WEEKLY;COUNT=3;UNTIL=20260301T000000Z", "both COUNT and UNTIL"),
    "no FREQ": ("BYDAY=TU", "no FREQ"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_rule_the_register_cannot_say_is_refused_with_the_reason(name):
    rule, reason = REFUSED[name]
    with pytest.raises(RuleNotSupported, match=reason.replace("(", r"\(").replace(")", r"\)")):
        _map(rule, date(2026, 1, 6))


def test_a_dtstart_off_its_rule_is_an_extra_first_meeting():
    """DTSTART on a Wednesday, the rule on Tuesdays: RFC 5545 makes the
    Wednesday the first meeting; the rule's meetings start the next Tuesday."""
    found = _map("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 7))
    assert found.first_off_rule and found.first == datetime(2026, 1, 7, 10)
    assert found.schedule.starts_on == date(2026, 1, 13)


def test_count_counts_an_off_rule_dtstart_as_the_first_meeting():
    """COUNT=4 from a Wednesday: the Wednesday and three Tuesdays."""
    found = _map("FREQ=WEEKLY;BYDAY=TU;COUNT=4", date(2026, 1, 7))
    assert found.first_off_rule
    assert (found.schedule.starts_on, found.schedule.ends_on) == (
        date(2026, 1, 13),
        date(2026, 1, 27),
    )


def test_count_gives_the_last_meeting():
    found = _map("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", date(2026, 1, 30))
    assert found.schedule.ends_on == date(2026, 3, 27)


@pytest.mark.parametrize(
    "until",
    [
        "20260224T100000Z",  # the last meeting's start, in UTC (winter: the same)
        "20260224T235959Z",
        "20260224",  # a date: the whole day
        "20260302T095959Z",  # just before the next meeting
    ],
)
def test_until_gives_the_last_meeting_on_or_before_it(until):
    found = _map(f"FREQ=WEEKLY;BYDAY=TU;UNTIL={until}", date(2026, 1, 6))
    assert found.schedule.ends_on == date(2026, 2, 24)


def test_until_in_summer_time_is_read_in_utc():
    """10am BST is 09:00Z: an UNTIL of 09:30Z takes in that day's meeting,
    08:30Z does not."""
    assert _map(
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260707T093000Z", date(2026, 6, 2)
    ).schedule.ends_on == date(2026, 7, 7)
    assert _map(
        "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260707T083000Z", date(2026, 6, 2)
    ).schedule.ends_on == date(2026, 6, 30)


def test_a_zone_that_changes_its_clocks_with_the_uk_maps_to_uk_time():
    found = _map("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), hour=11, zone=BERLIN)
    assert describe(found.schedule) == "Every Tuesday, 10am to 12pm"


def test_a_zone_that_changes_its_clocks_on_other_dates_is_refused():
    """New York moves its clocks three weeks before the UK: 3pm there is 8pm
    here in winter but 7pm for those weeks."""
    with pytest.raises(RuleNotSupported, match="at 7pm on Tuesday 10 March 2026: the calendar's"):
        _map("FREQ=WEEKLY;BYDAY=TU", date(2026, 1, 6), hour=15, zone=NEW_YORK)


def test_floating_times_are_uk_times():
    found = schedule_from_rule(
        "FREQ=WEEKLY;BYDAY=TU", datetime(2026, 6, 2, 10), datetime(2026, 6, 2, 11)
    )
    assert found.schedule.start_time == time(10)


def test_a_weekly_meeting_in_utc_is_not_at_one_uk_time():
    """10:00Z is 10am in winter here and 11am in summer."""
    with pytest.raises(RuleNotSupported, match="at 11am on Tuesday 31 March 2026"):
        schedule_from_rule(
            "FREQ=WEEKLY;BYDAY=TU",
            datetime(2026, 1, 6, 10, tzinfo=UTC),
            datetime(2026, 1, 6, 11, tzinfo=UTC),
        )


def test_a_single_meeting_in_utc_is_turned_into_uk_time():
    found = schedule_from_rule(
        "FREQ=WEEKLY;BYDAY=TU;COUNT=2",
        datetime(2026, 6, 2, 9, tzinfo=UTC),
        datetime(2026, 6, 2, 10, tzinfo=UTC),
    )
    assert (found.schedule.start_time, found.schedule.end_time) == (time(10), time(11))


def test_a_meeting_over_midnight_is_refused():
    start = _at(date(2026, 1, 9), 22)
    with pytest.raises(RuleNotSupported, match="ends on a later day"):
        schedule_from_rule("FREQ=WEEKLY;BYDAY=FR", start, _at(date(2026, 1, 10), 1))
