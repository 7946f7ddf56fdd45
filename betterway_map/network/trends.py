"""Trends: one snapshot of the area figures a month, and the chart of them.

``take_snapshot`` stores this month's figures from the area report (totals
over shown cells only, and coverage as published, so nothing suppressed is
kept); taking it again in the same month replaces that month's row. Run
``flask network snapshot`` once a month (e.g. cron ``0 6 1 * *``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.extensions import db
from betterway_map.network.models import NetworkSnapshot
from betterway_map.network.report import area_report

__all__ = ["TREND_SERIES", "take_snapshot", "snapshots", "trend_rows", "Chart", "chart"]

# (key, label) of the figures drawn on the trends chart.
TREND_SERIES = (
    ("at_risk_in_shown_cells", "People at risk (in cells shown)"),
    ("coverage_percent", "Coverage of people at risk (%)"),
)


def month_of(day: date) -> date:
    """The first day of ``day``'s month.

    >>> month_of(date(2025, 3, 17))
    datetime.date(2025, 3, 1)
    """
    return day.replace(day=1)


def take_snapshot(today: date | None = None) -> NetworkSnapshot:
    """Store this month's area figures, replacing any taken earlier this month
    (one commit)."""
    today = today or today_in_uk()
    report = area_report(today)
    totals, overall = report["totals"], report["coverage"]["overall"]
    organisations = report["organisations"]
    month = month_of(today)
    try:
        snapshot = db.session.scalar(select(NetworkSnapshot).where(NetworkSnapshot.month == month))
        if snapshot is None:
            snapshot = NetworkSnapshot(month=month)
            db.session.add(snapshot)
        snapshot.cells_shown = totals["cells_shown"]
        snapshot.cells_suppressed = totals["cells_suppressed"]
        snapshot.people_in_shown_cells = totals["people_in_shown_cells"]
        snapshot.at_risk_in_shown_cells = totals["at_risk_in_shown_cells"]
        snapshot.groups_active = totals["groups_active"]
        snapshot.coverage_numerator = overall["numerator"]
        snapshot.coverage_denominator = overall["denominator"]
        snapshot.coverage_share = overall["share"]
        snapshot.organisations = organisations["count"]
        snapshot.organisation_components = len(organisations["components"])
        snapshot.cross_sector_share = organisations["cross_sector_share"]
        snapshot.settings = report["settings"]
        snapshot.taken_at = utcnow()
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return snapshot


def snapshots() -> list[NetworkSnapshot]:
    """Every snapshot, oldest first (read-only)."""
    return list(db.session.scalars(select(NetworkSnapshot).order_by(NetworkSnapshot.month)))


def trend_rows() -> list[dict]:
    """The snapshots as plain rows for pages, API and CSV."""
    rows = []
    for s in snapshots():
        rows.append(
            {
                "month": s.month.strftime("%Y-%m"),
                "cells_shown": s.cells_shown,
                "cells_suppressed": s.cells_suppressed,
                "people_in_shown_cells": s.people_in_shown_cells,
                "at_risk_in_shown_cells": s.at_risk_in_shown_cells,
                "groups_active": s.groups_active,
                "coverage_numerator": s.coverage_numerator,
                "coverage_denominator": s.coverage_denominator,
                "coverage_share": s.coverage_share,
                "coverage_percent": (
                    None if s.coverage_share is None else round(100 * s.coverage_share, 1)
                ),
                "organisations": s.organisations,
                "organisation_components": s.organisation_components,
                "cross_sector_share": s.cross_sector_share,
            }
        )
    return rows


@dataclass(frozen=True)
class Chart:
    """An SVG line chart's geometry, drawn by ``council_network/_chart.html``."""

    width: int
    height: int
    lines: tuple[dict, ...]  # {"key", "label", "points": "x,y x,y", "dots": [(x, y, text)]}
    x_labels: tuple[tuple[float, str], ...]
    description: str


def chart(rows: list[dict], width: int = 640, height: int = 240, pad: int = 40) -> Chart | None:
    """Each series scaled to its own 0–max range (the key says so), months
    evenly spaced; None with fewer than two months.

    >>> c = chart([{"month": "2025-01", "at_risk_in_shown_cells": 10, "coverage_percent": 50.0},
    ...            {"month": "2025-02", "at_risk_in_shown_cells": 5, "coverage_percent": None}])
    >>> c.lines[0]["points"]
    '40.0,40.0 600.0,120.0'
    >>> c.lines[1]["points"]
    '40.0,40.0'
    """
    if len(rows) < 2:
        return None
    step = (width - 2 * pad) / (len(rows) - 1)
    xs = [pad + i * step for i in range(len(rows))]
    lines = []
    descriptions = []
    for key, label in TREND_SERIES:
        values = [row.get(key) for row in rows]
        known = [v for v in values if v is not None]
        top = max(known) if known else 0
        dots = []
        for x, value, row in zip(xs, values, rows, strict=True):
            if value is None:
                continue
            y = height - pad - ((value / top) if top else 0) * (height - 2 * pad)
            dots.append((round(x, 1), round(y, 1), f"{row['month']}: {value:g}"))
        lines.append(
            {
                "key": key,
                "label": label,
                "points": " ".join(f"{x},{y}" for x, y, _ in dots),
                "dots": dots,
            }
        )
        if known:
            first = next(v for v in values if v is not None)
            descriptions.append(f"{label}: from {first:g} to {known[-1]:g}")
    return Chart(
        width=width,
        height=height,
        lines=tuple(lines),
        x_labels=tuple((round(x, 1), row["month"]) for x, row in zip(xs, rows, strict=True)),
        description=(
            f"From {rows[0]['month']} to {rows[-1]['month']}. " + "; ".join(descriptions) + "."
        ),
    )
