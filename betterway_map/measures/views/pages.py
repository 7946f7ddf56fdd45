"""What each dashboard shows, laid out in sections from the published figures.

Each builder takes the figures one service call returned (already
suppressed) and returns the page's sections; a part the figures do not hold
is left out. The CSV routes build the same sections and serve one table,
so a download holds exactly what the page shows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from betterway_map.measures.views.panels import (
    EQUITY_DIMENSIONS,
    Panel,
    Section,
    breakdown_panel,
    by_kind_panel,
    change_panel,
    differences_panel,
    durations_panel,
    equity_panel,
    marks_by_panel,
    marks_panel,
    rhythm_panel,
    summary_panel,
    trend_panel,
)
from betterway_map.web.tables import Column

__all__ = [
    "DashboardPage",
    "continuity_sections",
    "quality_sections",
    "trend_sections",
    "equity_section",
    "change_sections",
    "organisation_sections",
    "council_sections",
    "dimension_or_default",
]

ENDING_LABELS = {"planned": "Ended as planned", "unplanned": "Ended unplanned"}
CHANGE_LABELS = {"0": "Never changed", "1": "Changed once", "2+": "Changed twice or more"}
TREND_COUNTS = (
    Column("people_in_relationships", "People in a relationship", "count"),
    Column("people_in_contact", "People in contact", "count"),
    Column("matches_started", "Matches started", "count"),
)
TREND_SHARES = (Column("endings_planned_share", "Endings that were planned", "percent"),)


@dataclass(frozen=True)
class DashboardPage:
    """A dashboard: its title, a lead paragraph and its sections."""

    title: str
    lead: str
    sections: tuple[Section, ...]
    computed_on: date | None = None


def _has(figures, name: str):
    value = figures.get(name) if isinstance(figures, Mapping) else getattr(figures, name, None)
    return value


def _section(section_id, heading, intro, panels) -> list[Section]:
    panels = tuple(p for p in panels if isinstance(p, Panel))
    return [Section(section_id, heading, intro, panels)] if panels else []


def quality_sections(quality, prefix: str, by=()) -> list[Section]:
    """The six marks by side, where the sides differ, and the marks of each
    group, organisation or district (``by``: (name, figures by it, heading))."""
    if quality is None:
        return []
    by_side = {"person": _has(quality, "person_side"), "other": _has(quality, "other_side")}
    return _section(
        "quality",
        "Quality of relationships",
        "How the people in each relationship rate it on the six marks of a good relationship, "
        "from 1 (not at all) to 5 (very much), and where the two sides see it differently.",
        [
            marks_panel(
                f"{prefix}-quality-marks",
                {side: figures for side, figures in by_side.items() if figures},
                "The six marks, by who answered",
            ),
            _has(quality, "differences")
            and differences_panel(
                f"{prefix}-quality-differences",
                _has(quality, "differences"),
                "Where the two sides' views differ most",
            ),
            *(
                marks_by_panel(
                    f"{prefix}-quality-by-{name}",
                    marks,
                    f"The six marks, by {heading.lower()}",
                    heading,
                )
                for name, marks, heading in by
                if marks
            ),
        ],
    )


def continuity_sections(continuity, prefix: str, by_kind=None) -> list[Section]:
    """How long relationships last, how they end, the rhythm, changes of
    volunteer or worker, and (``by_kind``) the same for each kind."""
    if continuity is None:
        return []
    return _section(
        "continuity",
        "Continuity",
        "How long relationships last, how they end, whether contacts keep to the rhythm agreed, "
        "and how often a person's volunteer or worker changes.",
        [
            summary_panel(f"{prefix}-continuity", continuity, "Relationships in all"),
            durations_panel(
                f"{prefix}-durations", _has(continuity, "durations"), "How long relationships last"
            ),
            breakdown_panel(
                f"{prefix}-endings",
                _has(continuity, "endings"),
                ENDING_LABELS,
                "How relationships ended",
                "Ending",
            ),
            rhythm_panel(
                f"{prefix}-rhythm", _has(continuity, "rhythm"), "Keeping to the agreed rhythm"
            ),
            breakdown_panel(
                f"{prefix}-changes",
                _has(continuity, "changes"),
                CHANGE_LABELS,
                "How often a person's volunteer or worker changed",
                "Changes",
            ),
            by_kind
            and by_kind_panel(
                f"{prefix}-continuity-by-kind", by_kind, "Continuity by kind of relationship"
            ),
        ],
    )


def _trend_row(row) -> dict:
    month = _has(row, "month")
    keys = [c.key for c in (*TREND_COUNTS, *TREND_SHARES)]
    return {"month": month.strftime("%Y-%m") if hasattr(month, "strftime") else month} | {
        key: _has(row, key) for key in keys
    }


def trend_sections(trends, prefix: str) -> list[Section]:
    if not trends:
        return []
    rows = [_trend_row(row) for row in trends]
    return _section(
        "trends",
        "Trends",
        "The figures month by month. Each month stands on its own: a month with too few "
        "people shows no figure.",
        [
            trend_panel(f"{prefix}-trends", rows, TREND_COUNTS, "People and matches by month"),
            trend_panel(f"{prefix}-trends-endings", rows, TREND_SHARES, "Planned endings by month"),
        ],
    )


def change_sections(change, prefix: str) -> list[Section]:
    if change is None:
        return []
    figures = [*(_has(change, "loneliness") or ()), *(_has(change, "network") or ())]
    weeks = _has(change, "follow_up_weeks")
    return _section(
        "change",
        "Change over time",
        "Loneliness and active ties before and after a relationship began"
        + (f" (the first measure after it, up to {weeks} weeks on)" if weeks else "")
        + ", for the people measured both times. It describes change; it does not show what "
        "caused it.",
        [figures and change_panel(f"{prefix}-change", figures, "Before and after")],
    )


def dimension_or_default(value: str | None) -> str | None:
    """The equity dimension asked for; None when it is not one we offer."""
    names = [name for name, _ in EQUITY_DIMENSIONS]
    if value in (None, ""):
        return names[0]
    return value if value in names else None


def equity_section(equity, dimension: str) -> list[Section]:
    rows = (equity or {}).get(dimension)
    if not rows:
        return []
    label = dict(EQUITY_DIMENSIONS)[dimension]
    return _section(
        "equity",
        "Who is reached",
        "For each group of people: how many of those who asked were matched, how long they "
        "waited, how many have an active tie, and whose loneliness improved, beside the "
        "figure for everyone.",
        [equity_panel(dimension, label, rows)],
    )


def organisation_sections(figures) -> tuple[Section, ...]:
    """An organisation's dashboard: its groups' relationships."""
    prefix = "organisation"
    return tuple(
        quality_sections(
            _has(figures, "quality"),
            prefix,
            [("group", _has(figures, "quality_by_group"), "Group")],
        )
        + continuity_sections(_has(figures, "continuity"), prefix)
        + change_sections(_has(figures, "change"), prefix)
        + trend_sections(_has(figures, "trends"), prefix)
    )


def council_sections(figures, dimension: str) -> tuple[Section, ...]:
    """The area's dashboard, with equity broken down by ``dimension``."""
    prefix = "area"
    return tuple(
        equity_section(_has(figures, "equity"), dimension)
        + quality_sections(
            _has(figures, "quality"),
            prefix,
            [
                ("organisation", _has(figures, "quality_by_organisation"), "Organisation"),
                ("district", _has(figures, "quality_by_district"), "Area (postcode district)"),
            ],
        )
        + continuity_sections(
            _has(figures, "continuity"), prefix, _has(figures, "continuity_by_kind")
        )
        + change_sections(_has(figures, "change"), prefix)
        + trend_sections(_has(figures, "trends"), prefix)
    )


def panels_of(sections) -> list[Panel]:
    return [panel for section in sections for panel in section.panels]
