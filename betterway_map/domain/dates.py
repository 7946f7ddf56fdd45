"""Dates and times as people read them, the same everywhere (pages, maps,
emails): "Tuesday 8 December 2026", "2pm", "10:30am".

Stored moments are UTC; ``moment`` shows them in UK time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from betterway_map.domain.clock import UK

__all__ = ["long_date", "clock_time", "moment", "stored_moment"]


def long_date(value: date | datetime | None) -> str:
    """The day in full.

    >>> long_date(date(2026, 12, 8))
    'Tuesday 8 December 2026'
    >>> long_date(None)
    ''
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _in_uk(value).date()
    return f"{value:%A} {value.day} {value:%B %Y}"


def clock_time(value: time | datetime | None) -> str:
    """A time of day the way people say it.

    >>> clock_time(time(14)), clock_time(time(10, 30)), clock_time(time(0, 5)), clock_time(time(12))
    ('2pm', '10:30am', '12:05am', '12pm')
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _in_uk(value).time()
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    return f"{hour}{suffix}" if value.minute == 0 else f"{hour}:{value.minute:02d}{suffix}"


def moment(value: datetime | None) -> str:
    """A day and a time: a meeting (naive, UK time) or a stored moment (UTC).

    >>> moment(datetime(2026, 12, 8, 14, 0))
    'Tuesday 8 December 2026, 2pm'
    """
    if value is None:
        return ""
    return f"{long_date(value)}, {clock_time(value)}"


def stored_moment(value: datetime | None) -> str:
    """A moment the platform stored (UTC; SQLite gives it back without its
    zone), as a day and a time in the UK.

    >>> stored_moment(datetime(2026, 7, 1, 13, 0))
    'Wednesday 1 July 2026, 2pm'
    """
    if value is None:
        return ""
    return moment(value if value.tzinfo else value.replace(tzinfo=UTC))


def _in_uk(value: datetime) -> datetime:
    """Naive datetimes are already UK wall-clock times; aware ones are converted."""
    return value if value.tzinfo is None else value.astimezone(UK)
