"""The dashboards' panels: published figures (``measures.services``, already
suppressed) laid out as tables, each with a chart drawn from it.

Nothing here computes a figure: a panel copies the figures it is given
into a ``web.tables.Table`` (``None``, withheld, stays ``None``) and draws
the chart from that table, so the chart, the table on the page and the CSV
show the same figures. The one thing said beside a figure is its distance
from the figure for everyone, from two figures both shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from markupsafe import Markup

from betterway_map.domain import vocab
from betterway_map.web.charts import bar_chart, gap_chart, line_chart
from betterway_map.web.tables import Column, Table

__all__ = [
    "Panel",
    "Section",
    "find_table",
    "equity_panel",
    "marks_panel",
    "differences_panel",
    "durations_panel",
    "breakdown_panel",
    "rhythm_panel",
    "change_panel",
    "trend_panel",
    "EQUITY_DIMENSIONS",
]

# The equity dimensions a page offers, in order (domain.measures.equity.DIMENSIONS).
EQUITY_DIMENSIONS = (
    ("age_band", "Age band"),
    ("district", "Area"),
    ("need", "Need"),
    ("language", "Language"),
    ("disability", "Disability"),
    ("online", "Online or not"),
)
ALL = "all"
# The words for the stored values of a dimension's categories.
CATEGORY_LABELS = {
    "age_band": vocab.AGE_BANDS,
    "need": vocab.HELP_KINDS,
    "language": vocab.LANGUAGES,
}
MARK_LABELS = {
    "understanding": "Understanding",
    "collaboration": "Working things out together",
    "commitment": "Commitment",
    "communication": "Communication",
    "empowerment": "Feeling more in control",
    "time_together": "Time together",
}
SIDE_LABELS = {
    "person": "The person",
    "other": "Their volunteer or worker",
    "volunteer": "Volunteers",
    "worker": "Workers",
}
DURATION_LABELS = {
    "all": "All relationships",
    "ongoing": "Still going",
    "ended": "Ended",
    "planned": "Ended as planned",
    "unplanned": "Ended unplanned",
}
MEASURE_LABELS = {
    "ucla_total": "UCLA loneliness score (3 to 9, lower is better)",
    "direct": "How often lonely (lower is better)",
    "djg_total": "De Jong Gierveld score (0 to 6, lower is better)",
    "active_ties": "Active ties (higher is better)",
}
KIND_LABELS = {"match": "Matches", "group": "Groups", "caseload": "Caseloads", "all": "All"}


@dataclass(frozen=True)
class Panel:
    """A table and the charts drawn from it, each with what it shows."""

    table: Table
    charts: tuple[tuple[Markup, str], ...] = ()


def _panel(table: Table, chart: Markup | None, caption: str) -> Panel:
    return Panel(table, ((chart, caption),) if chart is not None else ())


@dataclass(frozen=True)
class Section:
    """A part of a dashboard: a heading, a few words, its panels."""

    id: str
    heading: str
    intro: str
    panels: tuple[Panel, ...]


def find_table(sections: Iterable[Section], name: str) -> Table | None:
    """The table called ``name`` on a page, for its CSV download."""
    for section in sections:
        for panel in section.panels:
            if panel.table.name == name:
                return panel.table
    return None


def _get(figure, name):
    """A figure's field, whether the services give a dataclass or a mapping."""
    return figure.get(name) if isinstance(figure, Mapping) else getattr(figure, name)


# ---------------------------------------------------------------- equity

EQUITY_COLUMNS = (
    Column("category", "Group"),
    Column("people", "People", "count"),
    Column("asked", "Asked for a match", "count"),
    Column("share_matched", "Matched", "percent"),
    Column("median_wait_days", "Median wait for a match (days)", "number"),
    Column("share_active_tie", "With at least one active tie", "percent"),
    Column("measured", "Loneliness measured before and after", "count"),
    Column("share_improved", "Loneliness improved", "percent"),
)
EQUITY_CHARTS = (
    ("share_matched", "Who is matched", "Share of those who asked who were matched"),
    ("median_wait_days", "How long people wait", "Median wait for a match, in days"),
    ("share_active_tie", "Who has an active tie", "Share with at least one active tie"),
    ("share_improved", "Whose loneliness improved", "Share whose loneliness score improved"),
)


def equity_panel(dimension: str, label: str, rows: Sequence) -> Panel:
    """The figures by one dimension (``rows``: each category, then ``"all"``):
    one gap chart per outcome, then the table of them all."""
    overall = next((r for r in rows if _get(r, "category") == ALL), None)
    parts = [r for r in rows if _get(r, "category") != ALL]
    labels = dict(CATEGORY_LABELS.get(dimension, ()))
    table_rows = [
        {c.key: _get(r, c.key) for c in EQUITY_COLUMNS}
        | {"category": labels.get(_get(r, "category"), _get(r, "category"))}
        for r in parts
    ]
    if overall is not None:
        table_rows.append(
            {c.key: _get(overall, c.key) for c in EQUITY_COLUMNS} | {"category": "Everyone"}
        )
    name = f"equity-{dimension.replace('_', '-')}"
    table = Table(name, f"Outcomes by {label.lower()}", EQUITY_COLUMNS, tuple(table_rows))
    charts = []
    chart_rows = tuple(table_rows[: len(parts)])
    for key, title, caption in EQUITY_CHARTS:
        # One chart per outcome, each with its own ids; the table is shown once.
        chart_table = Table(
            f"{name}-{key.replace('_', '-')}", table.caption, EQUITY_COLUMNS, chart_rows
        )
        everyone = None if overall is None else _get(overall, key)
        chart = gap_chart(chart_table, "category", key, everyone, f"{title}, by {label.lower()}")
        charts.append((chart, f"{caption}, by {label.lower()}. The dashed line is everyone."))
    return Panel(table, tuple(charts) if parts else ())


# ---------------------------------------------------------------- quality


def marks_panel(name: str, by_side: Mapping[str, Sequence], title: str) -> Panel:
    """The six marks' means (1 to 5), one column per side that rated them,
    with the answers each rests on."""
    columns = [Column("mark", "Mark of a good relationship")]
    means = []
    for side in by_side:
        label = SIDE_LABELS.get(side, side.capitalize())
        columns.append(Column(f"{side}_mean", f"{label}: mean (1 to 5)", "number"))
        columns.append(Column(f"{side}_answers", f"{label}: answers", "count"))
        means.append(f"{side}_mean")
    rows: dict[str, dict] = {}
    for side, figures in by_side.items():
        for figure in figures:
            mark = _get(figure, "mark")
            row = rows.setdefault(mark, {"mark": MARK_LABELS.get(mark, mark)})
            row[f"{side}_mean"] = _get(figure, "mean")
            row[f"{side}_answers"] = _get(figure, "answers")
    table = Table(name, title, tuple(columns), tuple(rows.values()))
    chart = bar_chart(table, "mark", means[:4], title) if means and rows else None
    return _panel(
        table, chart, "The mean of every answer to each mark, from 1 (not at all) to 5 (very much)."
    )


def differences_panel(name: str, figures: Sequence, title: str) -> Panel:
    """Where the volunteer's or worker's view and the person's differ most."""
    columns = (
        Column("mark", "Mark of a good relationship"),
        Column("mean_gap", "Mean distance between the two views (0 to 4)", "number"),
        Column("mean_difference", "Volunteer or worker minus the person, on average", "number"),
        Column("relationships", "Relationships rated by both", "count"),
    )
    rows = [
        {c.key: _get(f, c.key) for c in columns}
        | {"mark": MARK_LABELS.get(_get(f, "mark"), _get(f, "mark"))}
        for f in figures
    ]
    table = Table(name, title, columns, tuple(rows))
    chart = bar_chart(table, "mark", ["mean_gap"], title) if rows else None
    return _panel(table, chart, "The longer the bar, the further apart the two views of that mark.")


def marks_by_panel(name: str, by: Mapping[str, Sequence], title: str, heading: str) -> Panel:
    """The six marks' means for each group, organisation or district (a
    table: six lines to a row would be no easier to read as a chart)."""
    columns = [Column("name", heading)]
    columns += [Column(mark, f"{label} (mean)", "number") for mark, label in MARK_LABELS.items()]
    rows = []
    for key, figures in by.items():
        row = {"name": key}
        for figure in figures:
            row[_get(figure, "mark")] = _get(figure, "mean")
        rows.append(row)
    return Panel(Table(name, title, tuple(columns), tuple(rows)))


# ---------------------------------------------------------------- continuity

CONTINUITY_COLUMNS = (
    Column("people", "People", "count"),
    Column("relationships", "Relationships", "count"),
    Column("median_days", "Median length (days)", "number"),
    Column("planned_share", "Endings that were planned", "percent"),
    Column("gaps_kept", "Gaps within the agreed rhythm", "percent"),
    Column("same_median", "Median share of contacts with the same volunteer or worker", "percent"),
    Column("overdue", "Behind their rhythm today", "count"),
)


def _continuity_row(figures) -> dict:
    endings = _get(figures, "endings")
    same = _get(figures, "same_counterpart")
    return {
        "people": _get(figures, "people"),
        "relationships": _get(figures, "relationships"),
        "median_days": _get(_get(figures, "durations").get("all"), "median")
        if _get(figures, "durations").get("all") is not None
        else None,
        "planned_share": _get(endings, "shares").get("planned"),
        "gaps_kept": _get(_get(figures, "rhythm"), "gaps_kept"),
        "same_median": _get(same, "median"),
        "overdue": _get(figures, "overdue"),
    }


def summary_panel(name: str, figures, title: str) -> Panel:
    """The continuity figures in one row."""
    columns = (Column("what", "Relationships"), *CONTINUITY_COLUMNS)
    return Panel(Table(name, title, columns, ({"what": "All"} | _continuity_row(figures),)))


def by_kind_panel(name: str, by_kind: Mapping[str, object], title: str) -> Panel:
    """The continuity figures for each kind of relationship, and a chart of
    how many gaps between contacts kept to the rhythm."""
    columns = (Column("kind", "Kind of relationship"), *CONTINUITY_COLUMNS)
    rows = [{"kind": KIND_LABELS.get(k, k)} | _continuity_row(f) for k, f in by_kind.items()]
    table = Table(name, title, columns, tuple(rows))
    chart = bar_chart(table, "kind", ["gaps_kept"], "Gaps within the agreed rhythm, by kind")
    return _panel(table, chart, "The share of gaps between contacts within the agreed rhythm.")


def durations_panel(name: str, durations: Mapping[str, object], title: str) -> Panel:
    """How long relationships last (median and quartiles, in days)."""
    columns = (
        Column("group", "Relationships"),
        Column("people", "People", "count"),
        Column("median", "Median (days)", "number"),
        Column("lower_quartile", "Lower quartile (days)", "number"),
        Column("upper_quartile", "Upper quartile (days)", "number"),
    )
    rows = [
        {"group": DURATION_LABELS.get(group, group)} | {c.key: _get(d, c.key) for c in columns[1:]}
        for group, d in durations.items()
    ]
    table = Table(name, title, columns, tuple(rows))
    chart = bar_chart(table, "group", ["median"], title) if rows else None
    return _panel(table, chart, "The median length of relationships, in days.")


def breakdown_panel(
    name: str, breakdown, labels: Mapping[str, str], title: str, heading: str
) -> Panel:
    """A published breakdown (counts and shares by category, and the total)."""
    counts, shares = _get(breakdown, "counts"), _get(breakdown, "shares")
    columns = (
        Column("category", heading),
        Column("count", "Number", "count"),
        Column("share", "Share", "percent"),
    )
    rows = [
        {"category": labels.get(key, key), "count": counts[key], "share": shares.get(key)}
        for key in counts
    ]
    rows.append(
        {
            "category": "All",
            "count": _get(breakdown, "total"),
            "share": None if _get(breakdown, "total") is None else 1.0,
        }
    )
    table = Table(name, title, columns, tuple(rows))
    chart_table = Table(name, title, columns, tuple(rows[:-1]))
    chart = bar_chart(chart_table, "category", ["share"], title) if rows[:-1] else None
    return _panel(table, chart, f"{title}, as a share of all.")


def rhythm_panel(name: str, rhythm, title: str) -> Panel:
    """How well contacts keep to the agreed rhythm (one row)."""
    columns = (
        Column("what", "Contacts"),
        Column("people", "People", "count"),
        Column("gaps", "Gaps between contacts", "count"),
        Column("gaps_kept", "Gaps within the agreed rhythm", "percent"),
        Column("relationships", "Relationships", "count"),
        Column("relationships_kept", "Relationships usually keeping to it", "percent"),
    )
    row = {"what": "All with an agreed rhythm"} | {c.key: _get(rhythm, c.key) for c in columns[1:]}
    return Panel(Table(name, title, columns, (row,)))


def change_panel(name: str, figures: Sequence, title: str) -> Panel:
    """Loneliness (and active ties) before and after: change, not cause."""
    columns = (
        Column("what", "Measure"),
        Column("kind", "After starting"),
        Column("people", "People", "count"),
        Column("mean_before", "Mean before", "number"),
        Column("mean_after", "Mean after", "number"),
        Column("improved", "Improved", "percent"),
        Column("same", "The same", "percent"),
        Column("worse", "Worse", "percent"),
    )
    rows = [
        {c.key: _get(f, c.key) for c in columns[2:]}
        | {
            "what": MEASURE_LABELS.get(_get(f, "measure"), _get(f, "measure")),
            "kind": KIND_LABELS.get(_get(f, "kind"), _get(f, "kind")),
        }
        for f in figures
    ]
    table = Table(name, title, columns, tuple(rows))
    chart_rows = tuple({"label": f"{r['what']}, {r['kind'].lower()}"} | r for r in rows)
    chart_table = Table(name, title, (Column("label", "Measure"), *columns[2:]), chart_rows)
    chart = bar_chart(chart_table, "label", ["improved", "same", "worse"], title) if rows else None
    return _panel(
        table,
        chart,
        "Of the people measured before and after, the share whose figure improved, stayed the same or got worse. This is change, not proof of cause.",
    )


# ---------------------------------------------------------------- trends


def trend_panel(name: str, rows: Sequence[Mapping], series: Sequence[Column], title: str) -> Panel:
    """Figures month by month (``rows`` oldest first, each with ``month``),
    the ``series`` drawn as lines."""
    columns = (Column("month", "Month"), *series)
    table = Table(name, title, columns, tuple(rows))
    keys = [c.key for c in series if c.kind == series[0].kind][:4]
    chart = line_chart(table, "month", keys, title) if len(rows) >= 2 else None
    return _panel(table, chart, f"{title}, month by month.")
