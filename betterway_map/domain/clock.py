"""The one clock: now in UTC for stored times, today where the people live.

Every "today" in the platform is the date in the UK (``today_in_uk``), not
the server's zone; every stored moment is UTC (``utcnow``). Group schedules
are written in UK wall-clock time without a zone (a group meets "at 10:00"
all year round), so they are compared with ``now_in_uk``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["UK", "now_in_uk", "today_in_uk", "utcnow", "uk_wall_clock"]

UK = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Now, in UTC (passed as a callable so each row gets its own time)."""
    return datetime.now(UTC)


def today_in_uk() -> date:
    """Today's date where the people on the register live (not the server's zone)."""
    return datetime.now(UK).date()


def uk_wall_clock(moment: datetime) -> datetime:
    """``moment`` (aware) as the naive UK wall-clock time that schedules use.

    >>> uk_wall_clock(datetime(2025, 7, 1, 9, 30, tzinfo=UTC))
    datetime.datetime(2025, 7, 1, 10, 30)
    >>> uk_wall_clock(datetime(2025, 1, 1, 9, 30, tzinfo=UTC))
    datetime.datetime(2025, 1, 1, 9, 30)
    """
    return moment.astimezone(UK).replace(tzinfo=None)


def now_in_uk() -> datetime:
    """Now as naive UK wall-clock time, to compare with group meeting times."""
    return uk_wall_clock(datetime.now(UK))
