"""The one clock: now in UTC for stored times, today where the people live.

Every "today" in the platform is the date in the UK (``today_in_uk``), not
the server's zone; every stored moment is UTC (``utcnow``).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

__all__ = ["UK", "today_in_uk", "utcnow"]

UK = ZoneInfo("Europe/London")


def utcnow() -> datetime:
    """Now, in UTC (passed as a callable so each row gets its own time)."""
    return datetime.now(UTC)


def today_in_uk() -> date:
    """Today's date where the people on the register live (not the server's zone)."""
    return datetime.now(UK).date()
