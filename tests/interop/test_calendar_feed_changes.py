"""Feeds carry a group's changes, checked by reading them back with the
``icalendar`` parser: an ``EXDATE`` for each cancelled meeting, an
overriding ``VEVENT`` (same ``UID``, a ``RECURRENCE-ID``) for each moved
one, a ``VEVENT`` of its own for each one-off; and the meetings a calendar
program works out from the feed (dateutil's ``rruleset``) are the meetings
the group's page lists (``domain.schedule.meetings``)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr
from icalendar import Calendar

from betterway_map.domain.schedule.meetings import (
    Cancellation,
    Changes,
    Extra,
    Move,
    meetings,
)
from betterway_map.domain.schedule.recurrence import Schedule
from betterway_map.interop.calendars.events import GroupListing, events_for
from betterway_map.interop.calendars.ics import calendar_text

UK = ZoneInfo("Europe/London")
STAMP = datetime(2026, 3, 1, 12, tzinfo=UTC)
TUESDAYS = Schedule("weekly", "tue", time(10), time(12), date(2026, 1, 6))
CHANGES = Changes(
    cancelled=(Cancellation(date(2026, 3, 3), "Hall closed"), Cancellation(date(2026, 4, 7))),
    moved=(
        Move(date(2026, 3, 17), datetime(2026, 3, 19, 14), datetime(2026, 3, 19, 16), space_id=8),
        Move(date(2026, 6, 30), datetime(2026, 6, 30, 18), datetime(2026, 6, 30, 20)),
    ),
    extra=(Extra(datetime(2026, 5, 2, 11), datetime(2026, 5, 2, 15), "Open day", id=41),),
)


def _events(changes: Changes = CHANGES) -> list:
    listing = GroupListing(
        7,
        "Knit and Natter",
        "active",
        TUESDAYS,
        "https://m.example/groups/7",
        space_name="Near Hall",
        changes=changes,
        places={8: "Far Hall, 2 Far Road, ZZ2 2CD"},
    )
    text = calendar_text("Test", "About", events_for(listing, "m.example"), STAMP)
    return list(Calendar.from_ical(text).walk("VEVENT"))


def test_each_cancelled_meeting_is_an_exdate_of_the_recurring_event():
    master = next(e for e in _events() if "RRULE" in e)
    exdates = [moment.dt for moment in master["EXDATE"].dts]
    assert exdates == [datetime(2026, 3, 3, 10, tzinfo=UK), datetime(2026, 4, 7, 10, tzinfo=UK)]
    assert str(master["EXDATE"].params["TZID"]) == "Europe/London"


def test_each_moved_meeting_overrides_its_meeting_by_recurrence_id():
    events = _events()
    master = next(e for e in events if "RRULE" in e)
    overrides = [e for e in events if "RECURRENCE-ID" in e]
    assert {str(e["UID"]) for e in overrides} == {str(master["UID"])}
    assert [
        (e.decoded("recurrence-id"), e.decoded("dtstart"), str(e["LOCATION"])) for e in overrides
    ] == [
        (
            datetime(2026, 3, 17, 10, tzinfo=UK),
            datetime(2026, 3, 19, 14, tzinfo=UK),
            "Far Hall, 2 Far Road, ZZ2 2CD",
        ),
        (datetime(2026, 6, 30, 10, tzinfo=UK), datetime(2026, 6, 30, 18, tzinfo=UK), "Near Hall"),
    ]
    assert all("RRULE" not in e for e in overrides)


def test_a_one_off_is_an_event_of_its_own():
    (one_off,) = [e for e in _events() if str(e["UID"]).startswith("one-off-")]
    assert str(one_off["UID"]) == "one-off-41@m.example"
    assert str(one_off["SUMMARY"]) == "Knit and Natter: Open day"
    assert one_off.decoded("dtstart") == datetime(2026, 5, 2, 11, tzinfo=UK)


def _as_a_calendar_program_reads_it(events) -> list[datetime]:
    """Every meeting start the feed says, worked out from its RRULE, EXDATEs,
    overrides and single events, as naive UK times."""
    master = next(e for e in events if "RRULE" in e)
    start = master.decoded("dtstart")
    rule = rrulestr(master["RRULE"].to_ical().decode(), dtstart=start, forceset=True)
    for moment in master["EXDATE"].dts:
        rule.exdate(moment.dt)
    for override in (e for e in events if "RECURRENCE-ID" in e):
        rule.exdate(override.decoded("recurrence-id"))
    found = [moment for moment in rule.between(start, datetime(2026, 12, 31, tzinfo=UK), inc=True)]
    found += [e.decoded("dtstart") for e in events if "RRULE" not in e]
    return sorted(moment.astimezone(UK).replace(tzinfo=None) for moment in found)


def test_the_feed_and_the_groups_page_list_the_same_meetings():
    from_the_feed = _as_a_calendar_program_reads_it(_events())
    on_the_page = [
        m.starts_at
        for m in meetings(TUESDAYS, CHANGES, datetime(2026, 1, 1), len(from_the_feed) + 5)
        if m.starts_at.year == 2026
    ]
    assert from_the_feed == on_the_page
    assert datetime(2026, 3, 3, 10) not in from_the_feed
    assert datetime(2026, 3, 19, 14) in from_the_feed


def test_a_change_on_a_day_the_rule_has_no_meeting_is_not_in_the_feed():
    stale = Changes(
        cancelled=(Cancellation(date(2026, 3, 4)),),
        moved=(Move(date(2026, 3, 11), datetime(2026, 3, 12, 10), datetime(2026, 3, 12, 12)),),
    )
    (master,) = _events(stale)
    assert "EXDATE" not in master
