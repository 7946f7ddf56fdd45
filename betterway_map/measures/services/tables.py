"""The figures as tables: a header and rows of plain values, for the CSV
report, the CSV downloads and the table alternatives of the charts.

A withheld figure (None) is an empty cell, never a zero or "<5".
"""

from __future__ import annotations

import csv
from dataclasses import fields
from pathlib import Path

from betterway_map.domain.measures.change import ChangeFigure
from betterway_map.domain.measures.equity import EquityRow
from betterway_map.domain.measures.published import Distribution
from betterway_map.domain.measures.quality import MarkDifference, MarkFigure
from betterway_map.domain.measures.trends import TrendRow
from betterway_map.measures.services.figures import (
    ChangeFigures,
    ContinuityFigures,
    CouncilFigures,
    OrganisationFigures,
)

__all__ = [
    "Table",
    "REPORT_FILES",
    "continuity_rows",
    "council_tables",
    "organisation_tables",
    "write_tables",
]

Table = tuple[tuple[str, ...], list[tuple]]

REPORT_FILES = (
    "continuity.csv",
    "quality.csv",
    "quality_differences.csv",
    "change.csv",
    "equity.csv",
    "trends.csv",
)


def _round(value):
    return round(value, 4) if isinstance(value, float) else value


def continuity_rows(scope: str, c: ContinuityFigures) -> list[tuple]:
    """(scope, figure, value, people) rows of one set of continuity figures."""
    rows = [
        (scope, "people", c.people, c.people),
        (scope, "relationships", c.relationships, c.people),
    ]
    for name, d in c.durations.items():
        for part in ("median", "lower_quartile", "upper_quartile"):
            rows.append((scope, f"duration_days_{name}_{part}", getattr(d, part), d.people))
    for kind in ("planned", "unplanned"):
        rows.append((scope, f"endings_{kind}", c.endings.counts.get(kind), c.endings.total))
        rows.append((scope, f"endings_{kind}_share", c.endings.shares.get(kind), c.endings.total))
    s: Distribution = c.same_counterpart
    rows.append((scope, "same_volunteer_or_worker_share_median", s.median, s.people))
    rows.append((scope, "gaps_within_rhythm_share", c.rhythm.gaps_kept, c.rhythm.people))
    rows.append(
        (scope, "relationships_keeping_rhythm_share", c.rhythm.relationships_kept, c.rhythm.people)
    )
    for band in ("0", "1", "2+"):
        rows.append(
            (
                scope,
                f"people_changed_volunteer_or_worker_{band}",
                c.changes.counts.get(band),
                c.changes.total,
            )
        )
    rows.append((scope, "overdue_now", c.overdue, c.people))
    return [tuple(_round(v) for v in row) for row in rows]


def _marks(scope: str, figures: list[MarkFigure]) -> list[tuple]:
    return [(scope, f.mark, _round(f.mean), f.answers, f.people) for f in figures]


def _dataclass_table(items, cls) -> Table:
    names = tuple(f.name for f in fields(cls))
    return names, [tuple(_round(getattr(item, n)) for n in names) for item in items]


def _change(change: ChangeFigures) -> Table:
    header, rows = _dataclass_table([*change.loneliness, *change.network], ChangeFigure)
    return ("follow_up_weeks", *header), [(change.follow_up_weeks, *row) for row in rows]


def _quality(scopes: dict[str, list[MarkFigure]]) -> Table:
    rows = []
    for scope, figures in scopes.items():
        rows.extend(_marks(scope, figures))
    return ("scope", "mark", "mean", "answers", "people"), rows


def council_tables(figures: CouncilFigures) -> dict[str, Table]:
    """The area's figures as the report's tables, by file name."""
    continuity = [*continuity_rows("all", figures.continuity)]
    for kind, c in figures.continuity_by_kind.items():
        continuity.extend(continuity_rows(kind, c))
    quality_scopes = {
        "area": figures.quality.marks,
        "area, the person's answers": figures.quality.person_side,
        "area, the volunteer's or worker's answers": figures.quality.other_side,
    }
    quality_scopes |= {f"organisation: {k}": v for k, v in figures.quality_by_organisation.items()}
    quality_scopes |= {f"district: {k}": v for k, v in figures.quality_by_district.items()}
    return {
        "continuity.csv": (("scope", "figure", "value", "people"), continuity),
        "quality.csv": _quality(quality_scopes),
        "quality_differences.csv": _dataclass_table(figures.quality.differences, MarkDifference),
        "change.csv": _change(figures.change),
        "equity.csv": _dataclass_table(
            [row for rows in figures.equity.values() for row in rows], EquityRow
        ),
        "trends.csv": _dataclass_table(figures.trends, TrendRow),
    }


def organisation_tables(figures: OrganisationFigures) -> dict[str, Table]:
    """One organisation's figures as tables, by file name."""
    quality_scopes = {
        "organisation": figures.quality.marks,
        "the person's answers": figures.quality.person_side,
        "the volunteer's or worker's answers": figures.quality.other_side,
    } | {f"group: {k}": v for k, v in figures.quality_by_group.items()}
    return {
        "continuity.csv": (
            ("scope", "figure", "value", "people"),
            continuity_rows("organisation", figures.continuity),
        ),
        "quality.csv": _quality(quality_scopes),
        "quality_differences.csv": _dataclass_table(figures.quality.differences, MarkDifference),
        "change.csv": _change(figures.change),
        "trends.csv": _dataclass_table(figures.trends, TrendRow),
    }


def write_tables(tables: dict[str, Table], folder: Path, progress=None) -> list[Path]:
    """Write each table as CSV into ``folder`` (which must exist); None is an empty cell."""
    paths = []
    for name, (header, rows) in tables.items():
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(["" if v is None else v for v in row] for row in rows)
        paths.append(path)
        if progress is not None:
            progress(name)
    return paths
