"""The network's stored results: monthly snapshots of the area figures, and
the cache of the area report.

Neither holds anything about one person. A snapshot keeps only totals over
cells that were shown (cells with at least ``MIN_CELL_COUNT`` people) and the
coverage figures as they were published; the cache keeps the council's area
report, which is already aggregated and suppressed (see
``network.loader``). Person-level results are never stored.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, String
from sqlalchemy.orm import Mapped, mapped_column

from betterway_map.database import UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db


class NetworkSnapshot(db.Model):
    """The area figures for one month (``month`` is its first day).

    Re-taking a snapshot in the same month replaces that month's row.
    Every count is ``None`` when it was withheld (too few people).
    """

    __tablename__ = "network_snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date, unique=True)
    taken_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    cells_shown: Mapped[int]
    cells_suppressed: Mapped[int]
    # Totals over shown cells only: suppressed cells add nothing.
    people_in_shown_cells: Mapped[int]
    at_risk_in_shown_cells: Mapped[int]
    groups_active: Mapped[int]
    coverage_numerator: Mapped[int | None]
    coverage_denominator: Mapped[int | None]
    coverage_share: Mapped[float | None]
    organisations: Mapped[int]
    organisation_components: Mapped[int]
    cross_sector_share: Mapped[float | None]
    # The settings the figures were computed with (window, walk, resolution...).
    settings: Mapped[dict] = mapped_column(JSON, default=dict)


class NetworkReportCache(db.Model):
    """The last computed area report, keyed by a digest of its inputs.

    One row per ``kind``; a report whose ``input_digest`` differs from the
    digest of the register as it is now is stale and is replaced.
    """

    __tablename__ = "network_report_cache"

    kind: Mapped[str] = mapped_column(String(20), primary_key=True)
    input_digest: Mapped[str] = mapped_column(String(64))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    payload: Mapped[dict] = mapped_column(JSON)
