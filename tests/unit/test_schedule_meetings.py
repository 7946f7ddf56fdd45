"""A group's meetings with its changes (``domain.schedule.meetings``):
cancelled and moved meetings of the rule, extra meetings, and changes whose
date is not (or no longer) a meeting of the rule."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from itertools import islice

import pytest

from betterway_map.domain.schedule.meetings import (
    NO_CHANGES,
    Cancellation,
    Changes,
    Extra,
    Move,
    is_meeting_day,
    meetings,
)
from betterway_map.domain.schedule.recurrence import Schedule, next_meetings, occurrences

TUESDAYS = Schedule("weekly", "tue", time(10), time(12), date(2026, 1, 6))

SCHEDULES = [
    TUESDAYS,
    Schedule("weekly", "sun", time(18), time(19), date(2026, 1, 1), ends_on=date(2026, 9, 1)),
    Schedule("fortnightly", "tue", time(14), time(15), date(2026, 1, 7)),  # a Wednesday
    Schedule("fortnightly", "mon", time(9), time(10), date(2026, 1, 4)),  # a Sunday
    Schedule("monthly", "tue", time(10), time(11), date(2026, 1, 1), nth=2),
    Schedule("monthly", "fri", time(10), time(11), date(2026, 1, 1), nth=-1),
    Schedule("monthly", "thu", time(19), time(21), date(2026, 2, 20), nth=4),
]


@pytest.mark.parametrize("schedule", SCHEDULES, ids=lambda s: f"{s.frequency}-{s.weekday}")
def test_is_meeting_day_agrees_with_the_rule_for_two_years(schedule):
    """Worked out without walking the rule; the rule (dateutil) is the judge."""
    rule_days = {moment.date() for moment in islice(occurrences(schedule), 200)}
    day = date(2025, 12, 1)
    while day < date(2028, 1, 1):
        assert is_meeting_day(schedule, day) == (day in rule_days), day
        day += timedelta(days=1)


def test_with_no_changes_the_meetings_are_the_rules():
    after = datetime(2026, 3, 1)
    found = meetings(TUESDAYS, NO_CHANGES, after, 5)
    assert [m.starts_at for m in found] == next_meetings(TUESDAYS, after, 5)
    assert {m.kind for m in found} == {"regular"}
    assert found[0].ends_at == datetime(2026, 3, 3, 12)


def test_a_cancelled_meeting_is_left_out_and_the_next_takes_its_place():
    changes = Changes(cancelled=(Cancellation(date(2026, 3, 3), "Hall closed"),))
    found = meetings(TUESDAYS, changes, datetime(2026, 3, 1), 2)
    assert [m.starts_at.date() for m in found] == [date(2026, 3, 10), date(2026, 3, 17)]


def test_a_moved_meeting_is_at_its_new_time_in_order_and_says_where_from():
    move = Move(date(2026, 3, 3), datetime(2026, 3, 12, 14), datetime(2026, 3, 12, 15), space_id=9)
    found = meetings(TUESDAYS, Changes(moved=(move,)), datetime(2026, 3, 1), 3)
    assert [(m.starts_at.date(), m.kind) for m in found] == [
        (date(2026, 3, 10), "regular"),
        (date(2026, 3, 12), "moved"),
        (date(2026, 3, 17), "regular"),
    ]
    assert found[1].moved_from == date(2026, 3, 3) and found[1].space_id == 9


def test_a_meeting_moved_from_the_past_into_the_future_is_shown():
    move = Move(date(2026, 2, 24), datetime(2026, 3, 2, 10), datetime(2026, 3, 2, 12))
    found = meetings(TUESDAYS, Changes(moved=(move,)), datetime(2026, 3, 1), 1)
    assert found[0].kind == "moved" and found[0].starts_at == datetime(2026, 3, 2, 10)


def test_extra_meetings_are_added_in_order():
    extra = Extra(datetime(2026, 3, 4, 18), datetime(2026, 3, 4, 20), title="Quiz night")
    found = meetings(TUESDAYS, Changes(extra=(extra,)), datetime(2026, 3, 1), 3)
    assert [m.kind for m in found] == ["regular", "extra", "regular"]
    assert found[1].title == "Quiz night"


def test_past_changes_and_extras_are_not_upcoming():
    changes = Changes(
        moved=(Move(date(2026, 1, 6), datetime(2026, 1, 8, 10), datetime(2026, 1, 8, 12)),),
        extra=(Extra(datetime(2026, 1, 9, 10), datetime(2026, 1, 9, 11)),),
    )
    assert {m.kind for m in meetings(TUESDAYS, changes, datetime(2026, 3, 1), 4)} == {"regular"}


def test_a_change_on_a_day_the_rule_has_no_meeting_is_ignored():
    """Recorded for a Tuesday; the group now meets on Wednesdays."""
    wednesdays = Schedule("weekly", "wed", time(10), time(12), date(2026, 1, 7))
    changes = Changes(
        cancelled=(Cancellation(date(2026, 3, 3)),),
        moved=(Move(date(2026, 3, 10), datetime(2026, 3, 20, 10), datetime(2026, 3, 20, 11)),),
    )
    found = meetings(wednesdays, changes, datetime(2026, 3, 1), 4)
    assert [m.kind for m in found] == ["regular"] * 4


def test_a_rule_that_has_ended_gives_only_its_extras():
    ended = Schedule(
        "weekly", "tue", time(10), time(12), date(2026, 1, 6), ends_on=date(2026, 2, 1)
    )
    extra = Extra(datetime(2026, 6, 1, 10), datetime(2026, 6, 1, 12), title="Reunion")
    found = meetings(ended, Changes(extra=(extra,)), datetime(2026, 3, 1), 3)
    assert [m.title for m in found] == ["Reunion"]


def test_every_meeting_of_an_old_group_can_be_cancelled_and_the_search_still_ends():
    old = Schedule("weekly", "tue", time(10), time(12), date(2015, 1, 6))
    cancelled = tuple(
        Cancellation(moment.date()) for moment in next_meetings(old, datetime(2026, 3, 1), 30)
    )
    found = meetings(old, Changes(cancelled=cancelled), datetime(2026, 3, 1), 2)
    assert found[0].starts_at > datetime(2026, 9, 1)
