"""ORUK schedules as our recurrence: pure, the reverse of ``mapping.recurrence_fields``.

A group meets on one weekday, weekly, fortnightly or on the nth weekday of
the month, between two times. An ORUK schedule says that with RFC 5545
parts (``freq``, ``interval``, ``byday``) or only with ``byday`` and
``opens_at``/``closes_at`` (a weekly opening time):

============================  ==================================
ORUK                          ours
============================  ==================================
WEEKLY, interval 1, ``TU``    weekly on Tuesday
WEEKLY, interval 2, ``TU``    fortnightly, counted from dtstart
MONTHLY, ``-1FR`` / ``2TU``   monthly, last Friday / second Tuesday
no freq, ``byday`` ``MO``     weekly on Monday
============================  ==================================

Anything else (daily, yearly, several days, every third week, no times)
is an "unknown schedule": ``ScheduleProblem`` says which and why, and the
service is skipped. The first schedule we can hold is used (the service's
own, then those of its service at locations); each other one is noted.

>>> found, notes = group_schedule({"schedules": [{"freq": "monthly", "byday": "-1FR",
...     "opens_at": "10:00:00", "closes_at": "12:00:00", "dtstart": "2026-01-30"}]},
...     date(2026, 1, 1))
>>> found["frequency"], found["weekday"], found["nth"], found["start_time"], found["starts_on"]
('monthly', 'fri', -1, '10:00', '2026-01-30')
"""

from __future__ import annotations

import re
from datetime import date

__all__ = ["ScheduleProblem", "group_schedule", "read_schedule"]

_DAYS = {"MO": "mon", "TU": "tue", "WE": "wed", "TH": "thu", "FR": "fri", "SA": "sat", "SU": "sun"}
_BYDAY = re.compile(r"^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$")


class ScheduleProblem(ValueError):
    """A schedule our groups cannot hold (the message says what and why)."""


def _text(value) -> str:
    if value is None or isinstance(value, bool | dict):
        return ""
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value).strip()


def _clock(value, name: str) -> str:
    text = _text(value)
    if "T" in text:  # a date-time where a time of day belongs
        text = text.split("T", 1)[1]
    found = _CLOCK.match(text)
    if not found or int(found.group(1)) > 23 or int(found.group(2)) > 59:
        if not text:
            raise ScheduleProblem(f"its schedule has no {name}")
        raise ScheduleProblem(f"its schedule's {name} {text!r} is not a time of day like 10:00")
    return f"{int(found.group(1)):02d}:{found.group(2)}"


def _day(value, name: str) -> str | None:
    text = _text(value)[:10]
    if not text:
        return None
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ScheduleProblem(
            f"its schedule's {name} {text!r} is not a date like 2026-03-01"
        ) from None


def _whole(value) -> int | None:
    text = _text(value)
    try:
        return int(float(text)) if text else None
    except ValueError:
        return None


def read_schedule(schedule: dict, today: date) -> dict:
    """One ORUK schedule as our group's schedule fields, or ``ScheduleProblem``."""
    freq = _text(schedule.get("freq")).upper()
    days = [
        part.strip().upper() for part in _text(schedule.get("byday")).split(",") if part.strip()
    ]
    interval = _whole(schedule.get("interval")) or 1
    if not days:
        raise ScheduleProblem(
            "its schedule gives no day of the week (byday)" + (f" for {freq}" if freq else "")
        )
    if len(days) > 1:
        raise ScheduleProblem(
            f"its schedule is on several days ({','.join(days)}): a group here meets on one "
            "day, so give each day its own service or schedule"
        )
    found = _BYDAY.match(days[0])
    if found is None:
        raise ScheduleProblem(f"its schedule's byday {days[0]!r} is not a day like MO or -1FR")
    nth, weekday = (int(found.group(1)) if found.group(1) else None), _DAYS[found.group(2)]
    if freq in ("", "WEEKLY") and nth is None and interval in (1, 2):
        frequency = "weekly" if interval == 1 else "fortnightly"
    elif freq == "MONTHLY" and nth in (1, 2, 3, 4, -1) and interval == 1:
        frequency = "monthly"
    else:
        said = f"freq {freq or 'none'}, interval {interval}, byday {days[0]}"
        raise ScheduleProblem(
            f"its schedule ({said}) is not one we can hold: weekly, every two weeks, or "
            "monthly on the first to fourth or last weekday"
        )
    starts_on = _day(schedule.get("dtstart"), "dtstart") or _day(
        schedule.get("valid_from"), "valid_from"
    )
    ends_on = _day(schedule.get("valid_to"), "valid_to") or _day(schedule.get("until"), "until")
    return {
        "frequency": frequency,
        "weekday": weekday,
        "nth": nth if frequency == "monthly" else None,
        "start_time": _clock(schedule.get("opens_at"), "opening time (opens_at)"),
        "end_time": _clock(schedule.get("closes_at"), "closing time (closes_at)"),
        "starts_on": starts_on or today.isoformat(),
        "ends_on": ends_on,
        "attending": _text(schedule.get("attending_type")),
    }


def _schedules(service: dict) -> list[dict]:
    found = service.get("schedules")
    found = [found] if isinstance(found, dict) else list(found or [])
    for sal in service.get("service_at_locations") or []:
        if isinstance(sal, dict):
            more = sal.get("schedules")
            found += [more] if isinstance(more, dict) else list(more or [])
    return [item for item in found if isinstance(item, dict)]


def group_schedule(service: dict, today: date) -> tuple[dict, list[str]]:
    """The first of a service's schedules that we can hold, and notes about
    the others; ``ScheduleProblem`` (the first one's) when none can be held."""
    schedules = _schedules(service)
    if not schedules:
        raise ScheduleProblem("it has no schedule: a group here needs a day and times")
    problems = []
    for schedule in schedules:
        try:
            found = read_schedule(schedule, today)
        except ScheduleProblem as problem:
            problems.append(str(problem))
            continue
        notes = [f"{len(schedules) - 1} other schedule(s) left out"] if len(schedules) > 1 else []
        return found, notes
    raise ScheduleProblem(problems[0])
