"""Group meetings as recurrence rules.

A group meets weekly, fortnightly or monthly on the nth weekday (first to
fourth, or last), from a start date, between a start and an end time. The
rules are expanded by ``dateutil.rrule`` (RFC 5545), so "the last Friday of the
month" and fortnights counted from the first meeting are computed the way a
calendar program would.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from dateutil import rrule

from betterway_map.domain.dates import clock_time

__all__ = [
    "Schedule",
    "ScheduleError",
    "next_meetings",
    "occurrences",
    "fast_forward",
    "describe",
    "schedule_of",
]

_WEEKDAYS = {
    "mon": rrule.MO,
    "tue": rrule.TU,
    "wed": rrule.WE,
    "thu": rrule.TH,
    "fri": rrule.FR,
    "sat": rrule.SA,
    "sun": rrule.SU,
}
_DAY_NAMES = {
    "mon": "Monday",
    "tue": "Tuesday",
    "wed": "Wednesday",
    "thu": "Thursday",
    "fri": "Friday",
    "sat": "Saturday",
    "sun": "Sunday",
}
_NTH_NAMES = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


class ScheduleError(ValueError):
    """A schedule that cannot be turned into meeting dates."""


@dataclass(frozen=True)
class Schedule:
    """When a group meets.

    ``nth`` is used only by ``monthly`` (1–4, or -1 for the last); ``starts_on``
    anchors the rule (fortnights are counted from it) and ``ends_on``, when
    given, is the last possible date.
    """

    frequency: str
    weekday: str
    start_time: time
    end_time: time
    starts_on: date
    nth: int | None = None
    ends_on: date | None = None

    def __post_init__(self):
        if self.frequency not in ("weekly", "fortnightly", "monthly"):
            raise ScheduleError(
                f"frequency must be weekly, fortnightly or monthly, not {self.frequency!r}."
            )
        if self.weekday not in _WEEKDAYS:
            raise ScheduleError(
                f"weekday must be one of {', '.join(_WEEKDAYS)}, not {self.weekday!r}."
            )
        if self.frequency == "monthly" and self.nth not in _NTH_NAMES:
            raise ScheduleError(
                f"a monthly meeting needs nth of 1, 2, 3, 4 or -1 (last), not {self.nth!r}."
            )
        if self.end_time <= self.start_time:
            raise ScheduleError(
                f"end time {self.end_time:%H:%M} must be after start time {self.start_time:%H:%M}."
            )
        if self.ends_on is not None and self.ends_on < self.starts_on:
            raise ScheduleError(f"end date {self.ends_on} is before start date {self.starts_on}.")

    def _rule(self) -> rrule.rrule:
        weekday = _WEEKDAYS[self.weekday]
        start = datetime.combine(self.starts_on, self.start_time)
        until = datetime.combine(self.ends_on, self.start_time) if self.ends_on else None
        if self.frequency == "monthly":
            return rrule.rrule(
                rrule.MONTHLY, byweekday=weekday(self.nth), dtstart=start, until=until
            )
        interval = 2 if self.frequency == "fortnightly" else 1
        return rrule.rrule(
            rrule.WEEKLY, interval=interval, byweekday=weekday, dtstart=start, until=until
        )


def next_meetings(schedule: Schedule, after: datetime, count: int = 1) -> list[datetime]:
    """The start of the next ``count`` meetings that begin at or after ``after``.

    >>> s = Schedule("monthly", "fri", time(10), time(12), date(2026, 1, 1), nth=-1)
    >>> next_meetings(s, datetime(2026, 11, 26), 2)
    [datetime.datetime(2026, 11, 27, 10, 0), datetime.datetime(2026, 12, 25, 10, 0)]
    """
    rule = schedule._rule()
    found: list[datetime] = []
    current = rule.after(after, inc=True)
    while current is not None and len(found) < count:
        found.append(current)
        current = rule.after(current, inc=False)
    return found


def occurrences(schedule: Schedule) -> Iterator[datetime]:
    """Every meeting of the rule in order, from its first (naive, UK wall-clock).

    >>> from itertools import islice
    >>> s = Schedule("fortnightly", "tue", time(10), time(11), date(2026, 1, 7))
    >>> [moment.day for moment in islice(occurrences(s), 3)]  # weeks counted from Monday 5 January
    [20, 3, 17]
    """
    return iter(schedule._rule())


def fast_forward(schedule: Schedule, today: date) -> Schedule:
    """The same schedule with its first date moved forward by whole periods to
    shortly before ``today``: the meetings from ``today`` on are the same, and
    finding the next one no longer walks every week since the group began.

    >>> s = Schedule("fortnightly", "tue", time(10), time(11), date(2020, 1, 7))
    >>> fast_forward(s, date(2026, 6, 1)).starts_on
    datetime.date(2026, 5, 5)
    """
    first = schedule.starts_on
    if first >= today - timedelta(days=62):
        return schedule
    if schedule.ends_on is not None and schedule.ends_on < today:
        return schedule  # over: nothing to walk towards
    if schedule.frequency == "monthly":  # the first of last month
        return replace(
            schedule, starts_on=(today.replace(day=1) - timedelta(days=1)).replace(day=1)
        )
    period_days = 7 if schedule.frequency == "weekly" else 14
    periods = (today - first).days // period_days - 1
    return replace(schedule, starts_on=first + timedelta(days=period_days * periods))


def describe(schedule: Schedule) -> str:
    """The schedule in plain English.

    >>> describe(Schedule("fortnightly", "tue", time(14), time(15, 30), date(2026, 1, 6)))
    'Every other Tuesday, 2pm to 3:30pm'
    """
    day = _DAY_NAMES[schedule.weekday]
    if schedule.frequency == "weekly":
        when = f"Every {day}"
    elif schedule.frequency == "fortnightly":
        when = f"Every other {day}"
    else:
        when = f"The {_NTH_NAMES[schedule.nth]} {day} of the month"
    return f"{when}, {clock_time(schedule.start_time)} to {clock_time(schedule.end_time)}"


def schedule_of(group) -> Schedule:
    """The recurrence of a group record (or of a dict with the same keys):
    ``frequency``, ``weekday``, ``start_time``, ``end_time``, ``starts_on``,
    ``nth`` (monthly only) and ``ends_on``."""
    get = group.get if isinstance(group, dict) else lambda name: getattr(group, name)
    return Schedule(
        frequency=get("frequency"),
        weekday=get("weekday"),
        start_time=get("start_time"),
        end_time=get("end_time"),
        starts_on=get("starts_on"),
        nth=get("nth") if get("frequency") == "monthly" else None,
        ends_on=get("ends_on"),
    )
