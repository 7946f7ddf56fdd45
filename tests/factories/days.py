"""Dates in test data, counted from the app's own today when the test runs.

Every "today" of the app is the date in the UK (``today_in_uk``), so a test
dates what it sends and what it expects from ``today_in_uk()`` too, never
from ``date.today()`` (the server's zone, a day behind the UK from 23:00 to
midnight UTC all summer). And it works the date out while it runs, never
when its module is imported: a date made at collection is yesterday's for a
test that runs after midnight.

A parametrize table or a module's form data is built at collection, so it
holds ``FromToday(days)`` instead of a date, and the test sends
``dated(body)``::

    @pytest.mark.parametrize("body", [{"given_on": TOMORROW}])
    def test_a_future_date_is_refused(client, body):
        response = client.post(url, json=dated(body))
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db

__all__ = ["FromToday", "TODAY", "TOMORROW", "dated", "demo_day"]


@dataclass(frozen=True)
class FromToday:
    """The date ``days`` after today in the UK (before it, when negative),
    read by ``dated`` when the test runs."""

    days: int

    def day(self) -> date:
        return today_in_uk() + timedelta(days=self.days)


TODAY = FromToday(0)
TOMORROW = FromToday(1)


def dated(value, *, as_dates: bool = False):
    """``value`` with each ``FromToday`` in it (``value`` itself, or in the
    values of a dict) made an ISO date now, for a form or a JSON body; a
    ``date`` with ``as_dates``, for a factory.

    >>> dated({"method": "verbal", "given_on": "2026-01-05"})
    {'method': 'verbal', 'given_on': '2026-01-05'}
    >>> dated(TODAY) < dated(TOMORROW)  # ISO dates, each worked out as it is read
    True
    """
    if isinstance(value, FromToday):
        return value.day() if as_dates else value.day().isoformat()
    if isinstance(value, dict):
        return {key: dated(item, as_dates=as_dates) for key, item in value.items()}
    return value


def demo_day(app) -> date:
    """The day the demo in the database was generated for (its records are
    dated from it), as ``flask demo`` recorded it in the audit log: the date
    the app was given, whatever the clock says by the time the test asks."""
    with app.app_context():
        detail = db.session.scalar(
            select(AuditEvent.detail)
            .where(AuditEvent.subject_type == "demo_area")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
    found = re.search(r"\btoday=(\d{4}-\d{2}-\d{2})\b", detail or "")
    assert found, f"no demo_area audit event naming its day: {detail!r}"
    return date.fromisoformat(found.group(1))
