"""A calendar's repeating event as a group's schedule, or why it cannot be one.

A repeating event (its ``DTSTART``, ``DTEND`` and ``RRULE``, RFC 5545)
becomes a ``Schedule`` only when the register can say exactly the same
meetings: weekly, fortnightly, or monthly on the first to fourth or last
weekday, at one time of day in UK time, within one day. The rule's parts
are read for what they mean (``FREQ``, ``INTERVAL``, ``BYDAY``,
``BYSETPOS``, ``COUNT``, ``UNTIL``), and the schedule made from them is then
checked against the calendar's own meetings, expanded by ``dateutil.rrule``
in the event's own time zone and turned into UK time: a rule the register
cannot say is refused with the reason (``RuleNotSupported``), never
approximated.

RFC 5545 makes ``DTSTART`` the first meeting even when it is not on its rule
(dateutil leaves such a start out): that meeting is then an extra one
(``ImportedRule.first_off_rule``), and it counts towards ``COUNT``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from itertools import islice

from dateutil.rrule import rrulestr

from betterway_map.domain.clock import UK
from betterway_map.domain.dates import clock_time, long_date
from betterway_map.domain.schedule.recurrence import (
    Schedule,
    ScheduleError,
    describe,
    occurrences,
)

__all__ = ["RuleNotSupported", "ImportedRule", "schedule_from_rule", "rule_parts", "to_uk"]

# How many of a rule's meetings are compared with the schedule made from it:
# in another zone, three years of a weekly group, so that every change of
# the clocks there and here is seen; in UK time (where only the rule's own
# meaning could differ), more than a year of a weekly group, five of a monthly.
CHECKED_MEETINGS = 160
CHECKED_IN_UK_TIME = 60
_UK_ZONES = frozenset({"Europe/London", "GB", "GB-Eire", "Europe/Belfast"})
# A finite rule longer than this is read as far as this (a weekly rule to 2099).
MOST_MEETINGS = 10_000

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_NAMES = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}
_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_NTH_WORDS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_FREQUENCY_WORDS = {
    "SECONDLY": "every second",
    "MINUTELY": "every minute",
    "HOURLY": "every hour",
    "DAILY": "every day",
    "YEARLY": "once a year",
}
# Parts that limit a rule in ways a group's schedule cannot say, and how to say why.
_LIMITS = {
    "BYMONTH": "it meets only in some months (BYMONTH={})",
    "BYMONTHDAY": "it meets on a day of the month by number (BYMONTHDAY={})",
    "BYYEARDAY": "it meets on days of the year by number (BYYEARDAY={})",
    "BYWEEKNO": "it meets only in some weeks of the year (BYWEEKNO={})",
    "BYHOUR": "it meets several times a day (BYHOUR={})",
    "BYMINUTE": "it meets several times an hour (BYMINUTE={})",
    "BYSECOND": "it repeats within a minute (BYSECOND={})",
}
_ABLE = (
    "a group meets weekly, fortnightly, or monthly on the first, second, third, fourth "
    "or last weekday, at one time"
)


class RuleNotSupported(ScheduleError):
    """A rule whose meetings a group's schedule cannot say; the message says why."""


@dataclass(frozen=True)
class ImportedRule:
    """The schedule of a repeating event; ``first_off_rule``: its ``DTSTART``
    (``first``, UK wall-clock) is not on its rule and is a meeting of its own."""

    schedule: Schedule
    first_off_rule: bool
    first: datetime


def to_uk(moment: datetime) -> datetime:
    """A moment as naive UK wall-clock time; a naive (floating) one is taken as UK time.

    >>> from datetime import UTC
    >>> to_uk(datetime(2026, 7, 1, 9, tzinfo=UTC))
    datetime.datetime(2026, 7, 1, 10, 0)
    """
    return moment.astimezone(UK).replace(tzinfo=None) if moment.tzinfo else moment


def rule_parts(rule_text: str) -> dict[str, str]:
    """An RRULE's parts by name (upper case).

    >>> rule_parts("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2")
    {'FREQ': 'MONTHLY', 'BYDAY': 'TU', 'BYSETPOS': '2'}
    """
    parts = {}
    for piece in rule_text.strip().upper().split(";"):
        name, _, value = piece.partition("=")
        if name.strip():
            parts[name.strip()] = value.strip()
    return parts


def _whole(parts: dict, name: str, default: int | None = None) -> int | None:
    if name not in parts:
        return default
    try:
        return int(parts[name])
    except ValueError:
        raise RuleNotSupported(f"its {name} is {parts[name]!r}, not a whole number") from None


def _days(parts: dict) -> list[tuple[int | None, str]]:
    days = []
    for piece in filter(None, parts.get("BYDAY", "").split(",")):
        found = _BYDAY.match(piece.strip())
        if not found:
            raise RuleNotSupported(f"its BYDAY has {piece!r}, which is not a day")
        days.append((int(found.group(1)) if found.group(1) else None, found.group(2)))
    return days


def _plan(parts: dict, start: datetime) -> tuple[str, int | None]:
    """(frequency, nth) from the rule's parts; the day is the first meeting's (in UK time)."""
    frequency = parts.get("FREQ", "")
    if not frequency:
        raise RuleNotSupported("its RRULE has no FREQ, so it does not say how often")
    interval = _whole(parts, "INTERVAL", 1)
    for name, words in _LIMITS.items():
        if name in parts:
            raise RuleNotSupported(words.format(parts[name]))
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleNotSupported("it has both COUNT and UNTIL, which RFC 5545 does not allow")
    days = _days(parts)
    try:
        positions = [int(p) for p in filter(None, parts.get("BYSETPOS", "").split(","))]
    except ValueError:
        raise RuleNotSupported(f"its BYSETPOS {parts['BYSETPOS']!r} is not numbers") from None
    if len({day for _, day in days}) > 1:
        names = " and ".join(_DAY_NAMES[day] for day in dict.fromkeys(d for _, d in days))
        raise RuleNotSupported(
            f"it meets on more than one day ({names}); a group meets on one day of the "
            "week: add a group for each day"
        )
    if len(days) > 1:
        raise RuleNotSupported(
            f"it meets on several days a month (BYDAY={parts['BYDAY']}); a group meets on one "
            "weekday of the month: add a group for each"
        )
    day = days[0][1] if days else None
    if frequency == "DAILY" and not positions and not (days and days[0][0]):
        if day and interval == 1:
            return "weekly", None
        if not day and interval in (7, 14):
            return ("weekly" if interval == 7 else "fortnightly"), None
        return _refuse(f"it repeats every {interval} days" if interval > 1 else "it repeats daily")
    if frequency == "WEEKLY" and not positions and not (days and days[0][0]):
        if interval in (1, 2):
            return ("weekly" if interval == 1 else "fortnightly"), None
        return _refuse(f"it repeats every {interval} weeks")
    if frequency == "MONTHLY":
        if interval != 1:
            return _refuse(f"it repeats every {interval} months")
        if not days:
            return _refuse(f"it meets on day {start.day} of each month")
        nth = days[0][0]
        if nth is None and len(positions) == 1:
            nth = positions[0]
        elif positions:
            return _refuse(f"its BYSETPOS={parts['BYSETPOS']} picks several days a month")
        if nth is None:  # every Tuesday of every month is every Tuesday
            return "weekly", None
        if nth not in (1, 2, 3, 4, -1):
            word = _NTH_WORDS.get(nth, f"number {nth}")
            return _refuse(f"it meets on the {word} {_DAY_NAMES[day]} of the month")
        return "monthly", nth
    if frequency in ("DAILY", "WEEKLY"):
        return _refuse(f"its {frequency} rule picks days by position (BYDAY or BYSETPOS)")
    return _refuse(f"it repeats {_FREQUENCY_WORDS.get(frequency, repr(frequency))}")


def _refuse(why: str):
    raise RuleNotSupported(f"{why}; {_ABLE}")


def _until(value: str, start: datetime) -> datetime:
    """UNTIL as a moment comparable with ``start``: a date is the whole of
    that day, a time without Z is in ``start``'s zone."""
    try:
        if len(value) == 8:
            day = datetime.strptime(value, "%Y%m%d").date()
            return datetime.combine(day, time(23, 59, 59), tzinfo=start.tzinfo)
        if value.endswith("Z"):
            moment = datetime.strptime(value, "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
            return moment if start.tzinfo else to_uk(moment)
        return datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=start.tzinfo)
    except ValueError:
        raise RuleNotSupported(f"its UNTIL {value!r} is not a date or a time") from None


def schedule_from_rule(rule_text: str, start: datetime, end: datetime) -> ImportedRule:
    """The schedule that gives exactly the meetings of ``rule_text`` from
    ``start`` to ``end`` (the event's ``DTSTART`` and ``DTEND``, aware in the
    event's own zone, or naive for floating times, which are taken as UK time).

    Raises ``RuleNotSupported`` saying why the register cannot say it.

    >>> from zoneinfo import ZoneInfo
    >>> berlin = ZoneInfo("Europe/Berlin")
    >>> found = schedule_from_rule("FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2",
    ...     datetime(2026, 1, 13, 11, tzinfo=berlin), datetime(2026, 1, 13, 12, tzinfo=berlin))
    >>> describe(found.schedule), found.schedule.starts_on
    ('The second Tuesday of the month, 10am to 11am', datetime.date(2026, 1, 13))
    """
    parts = rule_parts(rule_text)
    frequency, nth = _plan(parts, start)
    in_uk = start.tzinfo is None or getattr(start.tzinfo, "key", None) in _UK_ZONES
    if in_uk:  # UK wall-clock time, expanded as such (the same meetings, found faster)
        start, end = to_uk(start), to_uk(end)
    length = end - start
    if length <= timedelta(0):
        raise RuleNotSupported("its DTEND is not after its DTSTART")
    count = _whole(parts, "COUNT")
    until = _until(parts["UNTIL"], start) if "UNTIL" in parts else None
    plain = ";".join(f"{k}={v}" for k, v in parts.items() if k not in ("COUNT", "UNTIL"))
    try:
        rule = rrulestr(plain, dtstart=start)
    except (ValueError, TypeError) as error:
        raise RuleNotSupported(f"its RRULE cannot be read ({error})") from None
    off_rule = rule.after(start, inc=True) != start
    if count is not None:
        rule = rule.replace(count=count - 1 if off_rule else count)
    elif until is not None:
        rule = rule.replace(until=until)
    finite = count is not None or until is not None
    raw = list(
        islice(rule, MOST_MEETINGS if finite else CHECKED_IN_UK_TIME if in_uk else CHECKED_MEETINGS)
    )
    if not raw:
        raise RuleNotSupported("its COUNT or UNTIL leaves it no meetings after its first")
    theirs = [to_uk(moment) for moment in raw]
    first, first_end = theirs[0], to_uk(raw[0] + length)
    if first_end.date() != first.date():
        raise RuleNotSupported("a meeting ends on a later day than it starts")
    schedule = Schedule(
        frequency=frequency,
        weekday=_WEEKDAYS[first.weekday()],
        start_time=first.time(),
        end_time=first_end.time(),
        starts_on=first.date(),
        nth=nth,
        ends_on=theirs[-1].date() if finite else None,
    )
    _check(schedule, theirs, finite=finite)
    return ImportedRule(schedule, off_rule, to_uk(start))


def _check(schedule: Schedule, theirs: list[datetime], *, finite: bool) -> None:
    """Refuse a schedule whose meetings differ from the calendar's, naming the first difference."""
    ours = list(islice(occurrences(schedule), len(theirs) + (1 if finite else 0)))
    for mine, their in zip(ours, theirs, strict=False):
        if mine == their:
            continue
        if mine.date() == their.date():
            raise RuleNotSupported(
                f"in UK time it meets at {clock_time(schedule.start_time)} on some days and at "
                f"{clock_time(their)} on {long_date(their)}: the calendar's time zone does not "
                "change its clocks when the UK does"
            )
        raise RuleNotSupported(
            f"its meeting on {long_date(their)} at {clock_time(their)} (UK time) is not one "
            f"that '{describe(schedule)}' has; {_ABLE}"
        )
    if len(ours) != len(theirs):
        raise RuleNotSupported(f"its meetings cannot be said as '{describe(schedule)}'")
