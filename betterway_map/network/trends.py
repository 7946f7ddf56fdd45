"""Trends: one snapshot of the area figures a month, and the chart of them.

``take_snapshot`` stores this month's figures from the area report (totals
over shown cells only, and coverage as published, so nothing suppressed is
kept); taking it again in the same month replaces that month's row. Run
``flask network snapshot`` once a month (e.g. cron ``0 6 1 * *``).

One month against the next is itself a figure: ``trend_rows`` publishes
each series of counts about people through ``suppression.safe_series``,
today's figure (``live``, already on the page) first and then the months
newest first, so that no two shown values of a series are 1 to
``MIN_CELL_COUNT - 1`` apart; the people not reached (coverage's
denominator minus its numerator) are such a series too, and a coverage
share goes with its counts. Rows
stored under an older rule are checked the same way when read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from flask import current_app
from sqlalchemy import select

from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.domain.suppression import MIN_CELL_COUNT, safe_series, share_shown
from betterway_map.extensions import db
from betterway_map.network.loader import load_area, settings
from betterway_map.network.models import NetworkSnapshot
from betterway_map.network.report import area_report, build_report

__all__ = [
    "TREND_SERIES",
    "PEOPLE_SERIES",
    "take_snapshot",
    "take_snapshots",
    "snapshots",
    "trend_rows",
    "Chart",
    "chart",
]

# (key, label) of the figures drawn on the trends chart.
TREND_SERIES = (
    ("at_risk_in_shown_cells", "People at risk (in cells shown)"),
    ("coverage_percent", "Coverage of people at risk (%)"),
)


# The series of a snapshot that count people (cells, groups and
# organisations are not people).
PEOPLE_SERIES = (
    "people_in_shown_cells",
    "at_risk_in_shown_cells",
    "coverage_numerator",
    "coverage_denominator",
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
    return _save(area_report(today, fresh=True), today)


def take_snapshots(
    days: Iterable[date], progress: Callable[[date], None] | None = None
) -> list[NetworkSnapshot]:
    """Store the figures of each of ``days``' months as they stood on that
    day, from one load of the register (each day's report is computed from
    the same records, the activity window measured from that day, as
    ``take_snapshot`` would on it); one commit per month, oldest first, and
    ``progress(day)`` after each."""
    config = settings()
    area = load_area()
    taken = []
    for day in sorted(days):
        taken.append(_save(build_report(replace(area, today=day), config), day))
        if progress is not None:
            progress(day)
    return taken


def _save(report: dict, today: date) -> NetworkSnapshot:
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


def _live_figures(report: dict) -> dict:
    totals, overall = report["totals"], report["coverage"]["overall"]
    return {
        "people_in_shown_cells": totals["people_in_shown_cells"],
        "at_risk_in_shown_cells": totals["at_risk_in_shown_cells"],
        "coverage_numerator": overall["numerator"],
        "coverage_denominator": overall["denominator"],
    }


def _not_reached(figures: dict) -> int | None:
    """At-risk people not reached, when both counts are shown.

    >>> _not_reached({"coverage_numerator": 20, "coverage_denominator": 26}), _not_reached(
    ...     {"coverage_numerator": None, "coverage_denominator": 26})
    (6, None)
    """
    num, den = figures["coverage_numerator"], figures["coverage_denominator"]
    return None if num is None or den is None else den - num


def _publish(rows: list[dict], live: dict | None, min_count: int) -> None:
    """Withhold, in place, whatever one month against another would give away."""
    for row in rows:  # a row stored under an older rule: its own share first
        num, den = row["coverage_numerator"], row["coverage_denominator"]
        if num is None or den is None or not share_shown(num, den, min_count):
            row["coverage_numerator"] = row["coverage_denominator"] = None
    newest_first = list(reversed(rows))
    for key in PEOPLE_SERIES:
        values = [row[key] for row in newest_first]
        if live is not None:
            values = [live[key], *values]
        kept = safe_series(values, min_count)[1 if live is not None else 0 :]
        for row, value in zip(newest_first, kept, strict=True):
            row[key] = value
    # The people not reached (denominator minus numerator) are a series too:
    # 25 one month and 26 the next gives one person away even when neither
    # count does. A month whose not-reached would do so loses its coverage.
    sources = ([live] if live is not None else []) + newest_first
    not_reached = [_not_reached(source) for source in sources]
    kept = safe_series(not_reached, min_count)[1 if live is not None else 0 :]
    for row, value in zip(newest_first, kept, strict=True):
        if value is None:
            row["coverage_numerator"] = row["coverage_denominator"] = None
    for row in rows:
        if row["coverage_numerator"] is None or row["coverage_denominator"] is None:
            row["coverage_numerator"] = row["coverage_denominator"] = None
            row["coverage_share"] = None
        row["coverage_percent"] = (
            None if row["coverage_share"] is None else round(100 * row["coverage_share"], 1)
        )


def trend_rows(live: dict | None = None, min_count: int | None = None) -> list[dict]:
    """The snapshots as plain rows for pages, API and CSV, oldest first.

    ``live`` is today's area report when the same answer shows it too (its
    figures join each series first, see the module docstring).
    """
    if min_count is None:
        min_count = int(current_app.config.get("MIN_CELL_COUNT", MIN_CELL_COUNT))
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
                "organisations": s.organisations,
                "organisation_components": s.organisation_components,
                "cross_sector_share": s.cross_sector_share,
            }
        )
    _publish(rows, None if live is None else _live_figures(live), min_count)
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
