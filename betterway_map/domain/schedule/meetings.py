"""A group's meetings as they will really happen: its rule and its changes.

The rule (``recurrence.Schedule``) says when a group usually meets;
``Changes`` says what is different this time: a meeting of the rule
cancelled (RFC 5545: an ``EXDATE``), a meeting of the rule moved to another
day, time or place (an overriding event with a ``RECURRENCE-ID``), and extra
meetings that are not on the rule (an ``RDATE``, a one-off). ``meetings``
gives what will happen, in order; the group's page, the API, nearby search,
printed sheets and calendar feeds all read a group's meetings through it,
so they agree.

A cancellation or a move is about one date of the rule. One whose date is
not a meeting of the rule (the rule was edited after it was recorded) is
left out everywhere (``applicable``), so that a feed never carries an
``EXDATE`` or a ``RECURRENCE-ID`` that matches no meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from betterway_map.domain.schedule.recurrence import Schedule, fast_forward, occurrences

__all__ = [
    "Cancellation",
    "Move",
    "Extra",
    "Changes",
    "Meeting",
    "NO_CHANGES",
    "is_meeting_day",
    "applicable",
    "meetings",
    "changes_of",
]

_WEEKDAY_NUMBERS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}


@dataclass(frozen=True)
class Cancellation:
    """The meeting of the rule on ``occurs_on`` will not happen."""

    occurs_on: date
    reason: str | None = None


@dataclass(frozen=True)
class Move:
    """The meeting of the rule on ``occurs_on`` happens at ``starts_at`` to
    ``ends_at`` instead (naive, UK wall-clock), at ``space_id`` (None: the
    group's own place) or at ``place`` (words, when it is none of the spaces)."""

    occurs_on: date
    starts_at: datetime
    ends_at: datetime
    space_id: int | None = None
    place: str | None = None
    reason: str | None = None


@dataclass(frozen=True)
class Extra:
    """A meeting that is not on the rule (a one-off; ``id``: its record's)."""

    starts_at: datetime
    ends_at: datetime
    title: str | None = None
    space_id: int | None = None
    place: str | None = None
    id: int | None = None


@dataclass(frozen=True)
class Changes:
    cancelled: tuple[Cancellation, ...] = ()
    moved: tuple[Move, ...] = ()
    extra: tuple[Extra, ...] = ()


NO_CHANGES = Changes()


@dataclass(frozen=True)
class Meeting:
    """One meeting that will happen. ``kind`` is "regular" (as the rule
    says), "moved" (``moved_from`` is the rule's date; ``reason``, the
    public's, why) or "extra"."""

    starts_at: datetime
    ends_at: datetime
    kind: str = "regular"
    moved_from: date | None = None
    space_id: int | None = None
    place: str | None = None
    title: str | None = None
    reason: str | None = None


def is_meeting_day(schedule: Schedule, day: date) -> bool:
    """Whether the rule has a meeting on ``day``, worked out without walking
    the rule from its first date.

    Fortnights are counted in weeks that start on Monday, from the week of
    ``starts_on``, as RFC 5545 (and ``dateutil``) count them.

    >>> from datetime import time
    >>> s = Schedule("fortnightly", "tue", time(10), time(11), date(2026, 1, 7))
    >>> is_meeting_day(s, date(2026, 1, 13)), is_meeting_day(s, date(2026, 1, 20))
    (False, True)
    >>> last_friday = Schedule("monthly", "fri", time(10), time(11), date(2026, 1, 1), nth=-1)
    >>> is_meeting_day(last_friday, date(2026, 1, 30)), is_meeting_day(last_friday, date(2026, 1, 23))
    (True, False)
    """
    if day < schedule.starts_on or (schedule.ends_on is not None and day > schedule.ends_on):
        return False
    if day.weekday() != _WEEKDAY_NUMBERS[schedule.weekday]:
        return False
    if schedule.frequency == "weekly":
        return True
    if schedule.frequency == "fortnightly":
        first_monday = schedule.starts_on - timedelta(days=schedule.starts_on.weekday())
        return (day - first_monday).days // 7 % 2 == 0
    if schedule.nth == -1:
        return (day + timedelta(days=7)).month != day.month
    return (day.day - 1) // 7 + 1 == schedule.nth


def applicable(schedule: Schedule, changes: Changes) -> Changes:
    """The changes that are about meetings of the rule (the extras all are).

    >>> from datetime import time
    >>> s = Schedule("weekly", "tue", time(10), time(11), date(2026, 1, 6))
    >>> applicable(s, Changes(cancelled=(Cancellation(date(2026, 1, 13)),
    ...                                  Cancellation(date(2026, 1, 14))))).cancelled
    (Cancellation(occurs_on=datetime.date(2026, 1, 13), reason=None),)
    """
    return Changes(
        cancelled=tuple(c for c in changes.cancelled if is_meeting_day(schedule, c.occurs_on)),
        moved=tuple(m for m in changes.moved if is_meeting_day(schedule, m.occurs_on)),
        extra=changes.extra,
    )


def meetings(
    schedule: Schedule, changes: Changes, after: datetime, count: int = 1
) -> list[Meeting]:
    """The next ``count`` meetings that start at or after ``after`` (naive,
    UK wall-clock): the rule's, without those cancelled or moved, with the
    moved ones at their new times and the extra ones, in order.

    >>> from datetime import time
    >>> s = Schedule("weekly", "tue", time(10), time(12), date(2026, 1, 6))
    >>> changes = Changes(
    ...     cancelled=(Cancellation(date(2026, 1, 13), "Hall closed"),),
    ...     moved=(Move(date(2026, 1, 20), datetime(2026, 1, 22, 14), datetime(2026, 1, 22, 16)),),
    ... )
    >>> [(m.starts_at.day, m.kind) for m in meetings(s, changes, datetime(2026, 1, 7), 3)]
    [(22, 'moved'), (27, 'regular'), (3, 'regular')]
    """
    if count <= 0:
        return []
    changes = applicable(schedule, changes)
    skipped = {c.occurs_on for c in changes.cancelled} | {m.occurs_on for m in changes.moved}
    found: list[Meeting] = []
    length = _length(schedule)
    for start in occurrences(fast_forward(schedule, after.date())):
        if len(found) >= count:
            break
        if start >= after and start.date() not in skipped:
            found.append(Meeting(start, start + length))
    found.extend(
        Meeting(
            move.starts_at,
            move.ends_at,
            "moved",
            moved_from=move.occurs_on,
            space_id=move.space_id,
            place=move.place,
            reason=move.reason,
        )
        for move in changes.moved
        if move.starts_at >= after
    )
    found.extend(
        Meeting(
            extra.starts_at,
            extra.ends_at,
            "extra",
            space_id=extra.space_id,
            place=extra.place,
            title=extra.title,
        )
        for extra in changes.extra
        if extra.starts_at >= after
    )
    found.sort(key=lambda meeting: (meeting.starts_at, meeting.ends_at))
    return found[:count]


def _length(schedule: Schedule) -> timedelta:
    today = date(2000, 1, 1)
    return datetime.combine(today, schedule.end_time) - datetime.combine(today, schedule.start_time)


def changes_of(group) -> Changes:
    """The changes of a group record (read as ``schedule_of`` reads it):
    its ``changes`` (each with ``kind`` "cancelled" or "moved", ``occurs_on``,
    ``reason``, and for a move ``moved_on``, ``start_time``, ``end_time``,
    ``space_id``, ``place``) and its ``one_offs`` (``occurs_on``, ``start_time``,
    ``end_time``, ``title``, ``space_id``, ``place``; no start time: all day)."""
    cancelled, moved = [], []
    for change in group.changes:
        if change.kind == "cancelled":
            cancelled.append(Cancellation(change.occurs_on, change.reason))
        elif change.moved_on and change.start_time and change.end_time:
            moved.append(
                Move(
                    change.occurs_on,
                    datetime.combine(change.moved_on, change.start_time),
                    datetime.combine(change.moved_on, change.end_time),
                    change.space_id,
                    change.place,
                    change.reason,
                )
            )
    extra = []
    for one_off in group.one_offs:
        if one_off.start_time is None or one_off.end_time is None:
            starts = datetime.combine(one_off.occurs_on, time.min)
            ends = starts + timedelta(days=1)
        else:
            starts = datetime.combine(one_off.occurs_on, one_off.start_time)
            ends = datetime.combine(one_off.occurs_on, one_off.end_time)
        extra.append(
            Extra(starts, ends, one_off.title, one_off.space_id, one_off.place, one_off.id)
        )
    key = lambda item: item.occurs_on  # noqa: E731
    return Changes(
        tuple(sorted(cancelled, key=key)),
        tuple(sorted(moved, key=key)),
        tuple(sorted(extra, key=lambda item: item.starts_at)),
    )
