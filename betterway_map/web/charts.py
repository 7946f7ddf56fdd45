"""Charts drawn on the server as inline SVG, from a ``web.tables.Table``.

* ``line_chart``: figures over time (one row a month), one line a column;
* ``bar_chart``: a distribution, one horizontal bar a row (grouped when
  several columns are drawn);
* ``gap_chart``: one bar a group of people, with the figure for everyone
  marked across them, so the gaps in who is reached show.

What every chart keeps to:

* No script and no file from anywhere: plain SVG in the page, presentation
  attributes only (the Content-Security-Policy allows no inline style).
* Readable without colour: each line has its own dash and marker shape,
  each bar series its own fill pattern, and every line, bar and mark has a
  label of its own beside it.
* Readable at 200% zoom: a ``viewBox`` and ``width="100%"``, so the chart
  shrinks to its column rather than overflowing; ``static/css/charts.css``
  caps it at its drawn width in rem, so larger text makes it larger.
* Accessible: ``role="img"``, a ``<title>`` and a ``<desc>`` named by
  ``aria-labelledby``; the table the chart was drawn from follows it on the
  page (``templates/macros/charts.html``), with its CSV.
* Every text is escaped here (names of organisations and districts are
  typed by users); the result is ``Markup`` for the template.
* A withheld figure (``None``) gets no mark: a gap in a line, the word
  "withheld" in place of a bar; never a small number.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from markupsafe import Markup, escape

from betterway_map.web.tables import WITHHELD, Column, Table

__all__ = ["WIDTH", "line_chart", "bar_chart", "gap_chart"]

WIDTH = 640  # user units; charts.css caps the chart at WIDTH / 16 rem
FONT = 16  # one rem when the chart is drawn at its full width
SMALL = 14
INK = "#0b0c0c"
GRID = "#b1b4b6"
# One look per series: colour, and what tells it apart without colour.
STYLES = (
    {"colour": "#1d70b8", "dash": "", "marker": "circle", "pattern": "solid"},
    {"colour": INK, "dash": "10 5", "marker": "square", "pattern": "hatch"},
    {"colour": "#a8281a", "dash": "3 4", "marker": "triangle", "pattern": "dots"},
    {"colour": "#00703c", "dash": "14 4 3 4", "marker": "diamond", "pattern": "cross"},
)


def _e(text) -> str:
    return str(escape(str(text)))


def _fit(text: str, chars: int) -> str:
    """``text`` cut to ``chars`` characters with an ellipsis (the table has it whole)."""
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _n(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _text(x, y, text, *, size=FONT, anchor="start", weight=None) -> str:
    bold = f' font-weight="{weight}"' if weight else ""
    return (
        f'<text x="{_n(x)}" y="{_n(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}" stroke="#fff" stroke-width="4" paint-order="stroke"{bold}>{_e(text)}</text>'
    )


def _svg(chart_id: str, height: float, title: str, desc: str, body: list[str]) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" id="{_e(chart_id)}" '
        f'viewBox="0 0 {WIDTH} {_n(height)}" width="100%" role="img" focusable="false" '
        f'font-family="system-ui, Arial, sans-serif" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc">'
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>'
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>'
    )
    # Every piece of text in ``body`` went through _e.
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704


def _scale_top(column: Column, values: Sequence[float]) -> float:
    """The top of the value axis: 100% for shares, else a round number
    at or above the highest value.

    >>> _scale_top(Column("n", "N", "count"), [3, 17]), _scale_top(Column("n", "N", "count"), [])
    (20, 1)
    """
    if column.kind == "percent":
        return 1.0
    top = max([v for v in values if v is not None] or [0])
    if top <= 0:
        return 1
    power = 10 ** math.floor(math.log10(top))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= top:
            nice = step * power
            return int(nice) if float(nice).is_integer() else nice
    return top  # pragma: no cover - the loop always returns


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * i / count for i in range(count + 1)]


def _tick_text(column: Column, value: float) -> str:
    if column.kind == "percent":
        return f"{100 * value:.0f}%"
    return _n(value)


def _marker(kind: str, x: float, y: float, colour: str, r: float = 5) -> str:
    if kind == "square":
        return (
            f'<rect x="{_n(x - r)}" y="{_n(y - r)}" width="{_n(2 * r)}" height="{_n(2 * r)}" '
            f'fill="{colour}"/>'
        )
    if kind == "triangle":
        points = f"{_n(x)},{_n(y - r - 1)} {_n(x + r + 1)},{_n(y + r)} {_n(x - r - 1)},{_n(y + r)}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    if kind == "diamond":
        points = f"{_n(x)},{_n(y - r - 1)} {_n(x + r + 1)},{_n(y)} {_n(x)},{_n(y + r + 1)} {_n(x - r - 1)},{_n(y)}"
        return f'<polygon points="{points}" fill="{colour}"/>'
    return f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}" fill="{colour}"/>'


def _patterns(chart_id: str, count: int) -> str:
    """Fill patterns, one per series, for bars told apart without colour."""
    defs = []
    for i, style in enumerate(STYLES[:count]):
        colour, pid = style["colour"], f"{_e(chart_id)}-fill-{i}"
        if style["pattern"] == "hatch":
            inner = f'<rect width="8" height="8" fill="#fff"/><line x1="0" y1="0" x2="0" y2="8" stroke="{colour}" stroke-width="5"/>'
            transform = ' patternTransform="rotate(45)"'
        elif style["pattern"] == "dots":
            inner = f'<rect width="8" height="8" fill="#fff"/><circle cx="4" cy="4" r="2.2" fill="{colour}"/>'
            transform = ""
        elif style["pattern"] == "cross":
            inner = f'<rect width="8" height="8" fill="#fff"/><path d="M0 4H8M4 0V8" stroke="{colour}" stroke-width="2"/>'
            transform = ""
        else:
            inner = f'<rect width="8" height="8" fill="{colour}"/>'
            transform = ""
        defs.append(
            f'<pattern id="{pid}" width="8" height="8" patternUnits="userSpaceOnUse"{transform}>'
            f"{inner}</pattern>"
        )
    return "<defs>" + "".join(defs) + "</defs>"


def _check_columns(table: Table, keys: Sequence[str]) -> list[Column]:
    if not keys or len(keys) > len(STYLES):
        raise ValueError(f"a chart draws 1 to {len(STYLES)} columns, not {len(keys)}")
    columns = [table.column(key) for key in keys]
    kinds = {column.kind for column in columns}
    if "text" in kinds or len(kinds) > 1:
        raise ValueError(f"a chart draws figures of one kind, not {sorted(kinds)}")
    return columns


# ---------------------------------------------------------------- line chart


def line_chart(table: Table, x_key: str, keys: Sequence[str], title: str) -> Markup:
    """Lines over time: one point a row of ``table`` (oldest first), one line
    per column in ``keys``, each labelled at its last point.

    A withheld figure breaks its line; a point with no neighbour shown is
    drawn as its marker alone.
    """
    columns = _check_columns(table, keys)
    x_column = table.column(x_key)
    rows = table.rows
    chart_id = f"chart-{table.name}"
    left, right, top, height = 64.0, WIDTH - 176.0, 20.0, 300.0
    bottom = height - 56
    all_values = [row.get(c.key) for row in rows for c in columns]
    scale = _scale_top(columns[0], all_values)
    n = len(rows)
    step = (right - left) / (n - 1) if n > 1 else 0

    def x_at(i: int) -> float:
        return left + i * step if n > 1 else (left + right) / 2

    def y_at(value: float) -> float:
        return bottom - (value / scale) * (bottom - top)

    body = []
    for tick in _ticks(scale):
        y = y_at(tick)
        body.append(
            f'<line x1="{_n(left)}" y1="{_n(y)}" x2="{_n(right)}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_text(left - 8, y + 5, _tick_text(columns[0], tick), size=SMALL, anchor="end"))
    body.append(
        f'<line x1="{_n(left)}" y1="{_n(bottom)}" x2="{_n(right)}" y2="{_n(bottom)}" stroke="{INK}" stroke-width="2"/>'
    )
    every = max(1, math.ceil(n / 6))
    for i, row in enumerate(rows):
        if (n - 1 - i) % every == 0:
            body.append(
                _text(
                    x_at(i),
                    bottom + 24,
                    _fit(table.text(row, x_column), 10),
                    size=SMALL,
                    anchor="middle",
                )
            )
    ends = []
    summaries = []
    for column, style in zip(columns, STYLES, strict=False):
        colour = style["colour"]
        dash = f' stroke-dasharray="{style["dash"]}"' if style["dash"] else ""
        points = [
            (i, row.get(column.key))
            for i, row in enumerate(rows)
            if row.get(column.key) is not None
        ]
        segment: list[tuple[float, float]] = []
        last_i = None
        for i, value in points + [(None, None)]:
            if i is None or (last_i is not None and i != last_i + 1):
                if len(segment) > 1:
                    coords = " ".join(f"{_n(x)},{_n(y)}" for x, y in segment)
                    body.append(
                        f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="3"{dash}/>'
                    )
                segment = []
            if i is None:
                break
            segment.append((x_at(i), y_at(value)))
            last_i = i
        for i, value in points:
            body.append(
                f"<g>{_marker(style['marker'], x_at(i), y_at(value), colour)}"
                f"<title>{_e(column.heading)}, {_e(table.text(rows[i], x_column))}: "
                f"{_e(column.text(value))}</title></g>"
            )
        withheld = n - len(points)
        if points:
            first_i, first = points[0]
            end_i, end = points[-1]
            ends.append([y_at(end), column, style, x_at(end_i)])
            summaries.append(
                f"{column.heading}: {column.text(first)} in {table.text(rows[first_i], x_column)}, "
                f"{column.text(end)} in {table.text(rows[end_i], x_column)}"
                + (f" ({withheld} months withheld)" if withheld else "")
            )
        else:
            summaries.append(f"{column.heading}: withheld in every month")
    # Direct labels at the right, nudged apart so none overlaps another.
    ends.sort(key=lambda end: end[0])
    for k in range(1, len(ends)):
        ends[k][0] = max(ends[k][0], ends[k - 1][0] + FONT + 4)
    for y, column, style, x_end in ends:
        body.append(
            f'<line x1="{_n(x_end + 6)}" y1="{_n(y)}" x2="{_n(right + 10)}" y2="{_n(y)}" stroke="{GRID}" stroke-width="1"/>'
        )
        body.append(_marker(style["marker"], right + 18, y, style["colour"]))
        body.append(_text(right + 28, y + 5, _fit(column.heading, 18), size=SMALL))
    if n:
        span = f"from {table.text(rows[0], x_column)} to {table.text(rows[-1], x_column)}"
    else:
        span = "no months yet"
    desc = (
        f"Line chart, {span}. "
        + "; ".join(summaries)
        + ". The table after the chart gives every figure."
    )
    return _svg(chart_id, height, title, desc, body)


# ----------------------------------------------------------------- bar charts


def _value_axis(
    column: Column, scale: float, x0: float, x1: float, y0: float, y1: float
) -> list[str]:
    parts = []
    for tick in _ticks(scale):
        x = x0 + (tick / scale) * (x1 - x0)
        parts.append(
            f'<line x1="{_n(x)}" y1="{_n(y0)}" x2="{_n(x)}" y2="{_n(y1)}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(x, y1 + 20, _tick_text(column, tick), size=SMALL, anchor="middle"))
    return parts


def bar_chart(table: Table, label_key: str, keys: Sequence[str], title: str) -> Markup:
    """Horizontal bars, one group a row of ``table`` (its label above the
    bars), one bar per column in ``keys``, each with its figure beside it."""
    columns = _check_columns(table, keys)
    label_column = table.column(label_key)
    chart_id = f"chart-{table.name}"
    x0, x1 = 12.0, WIDTH - 120.0
    scale = _scale_top(columns[0], [row.get(c.key) for row in table.rows for c in columns])
    body = [_patterns(chart_id, len(columns))]
    y = 8.0
    if len(columns) > 1:  # a key: one line per series, swatch then name
        for column, i in zip(columns, range(len(columns)), strict=True):
            body.append(
                f'<rect x="{_n(x0)}" y="{_n(y)}" width="28" height="18" fill="url(#{_e(chart_id)}-fill-{i})" stroke="{INK}"/>'
            )
            body.append(_text(x0 + 36, y + 15, column.heading, size=SMALL))
            y += 24
        y += 6
    grid_top = y
    bar, gap = 20.0, 4.0
    summaries = []
    for row in table.rows:
        label = table.text(row, label_column)
        body.append(_text(x0, y + 16, _fit(label, 60), weight="600"))
        y += 22
        parts = []
        for i, column in enumerate(columns):
            value = row.get(column.key)
            if value is None:
                body.append(
                    _text(
                        x0 + 4,
                        y + 15,
                        f"{column.heading}: {WITHHELD}" if len(columns) > 1 else WITHHELD,
                        size=SMALL,
                    )
                )
            else:
                width = max(2.0, (value / scale) * (x1 - x0))
                body.append(
                    f'<g><rect x="{_n(x0)}" y="{_n(y)}" width="{_n(width)}" height="{_n(bar)}" '
                    f'fill="url(#{_e(chart_id)}-fill-{i})" stroke="{INK}" stroke-width="1"/>'
                    f"<title>{_e(label)}, {_e(column.heading)}: {_e(column.text(value))}</title></g>"
                )
                body.append(
                    _text(x0 + width + 6, y + 15, column.text(value), size=SMALL, weight="600")
                )
            parts.append(
                f"{column.heading} {column.text(value)}" if len(columns) > 1 else column.text(value)
            )
            y += bar + gap
        summaries.append(f"{label}: {', '.join(parts)}")
        y += 10
    body[1:1] = _value_axis(columns[0], scale, x0, x1, grid_top, y)
    body.insert(
        1,
        f'<line x1="{_n(x0)}" y1="{_n(grid_top)}" x2="{_n(x0)}" y2="{_n(y)}" stroke="{INK}" stroke-width="2"/>',
    )
    desc = (
        f"Bar chart of {len(table.rows)} rows. "
        + "; ".join(summaries)
        + ". The table after the chart gives every figure."
    )
    return _svg(chart_id, y + 32, title, desc, body)


def _difference(column: Column, value: float, overall: float, overall_label: str) -> str:
    """How far ``value`` is from the figure for everyone, in words.

    >>> _difference(Column("s", "S", "percent"), 0.48, 0.62, "everyone")
    '14 points below everyone'
    >>> _difference(Column("d", "D", "number"), 30.0, 21.5, "everyone")
    '8.5 above everyone'
    """
    if column.kind == "percent":
        points = round(100 * value) - round(100 * overall)
        amount = f"{abs(points)} point{'' if abs(points) == 1 else 's'}"
        delta = points
    else:
        delta = round(value - overall, 1)
        amount = f"{abs(delta):.1f}" if column.kind == "number" else f"{abs(int(delta))}"
    if delta == 0:
        return f"the same as {overall_label}"
    return f"{amount} {'above' if delta > 0 else 'below'} {overall_label}"


def gap_chart(
    table: Table,
    label_key: str,
    key: str,
    overall: float | None,
    title: str,
    overall_label: str = "everyone",
) -> Markup:
    """One bar a group of people (a row of ``table``), with the figure for
    ``overall_label`` drawn as a dashed line across all of them and each
    bar's distance from it written beside the bar."""
    (column,) = _check_columns(table, [key])
    label_column = table.column(label_key)
    chart_id = f"chart-{table.name}"
    x0, x1 = 12.0, WIDTH - 230.0
    values = [row.get(key) for row in table.rows] + [overall]
    scale = _scale_top(column, values)

    def x_at(value: float) -> float:
        return x0 + (value / scale) * (x1 - x0)

    body = [_patterns(chart_id, 1)]
    y = 30.0
    grid_top = y
    summaries = []
    for row in table.rows:
        label = table.text(row, label_column)
        value = row.get(key)
        body.append(_text(x0, y + 16, _fit(label, 60), weight="600"))
        y += 22
        if value is None:
            body.append(_text(x0 + 4, y + 16, WITHHELD, size=SMALL))
            summaries.append(f"{label}: {WITHHELD}")
        else:
            width = max(2.0, x_at(value) - x0)
            said = column.text(value)
            if overall is not None:
                said += f" ({_difference(column, value, overall, overall_label)})"
            body.append(
                f'<g><rect x="{_n(x0)}" y="{_n(y)}" width="{_n(width)}" height="22" '
                f'fill="url(#{_e(chart_id)}-fill-0)" stroke="{INK}" stroke-width="1"/>'
                f"<title>{_e(label)}: {_e(said)}</title></g>"
            )
            end = max(x0 + width, x_at(overall) if overall is not None else 0)
            body.append(_text(end + 8, y + 16, said, size=SMALL, weight="600"))
            summaries.append(f"{label}: {said}")
        y += 36
    body[1:1] = _value_axis(column, scale, x0, x1, grid_top, y)
    body.insert(
        1,
        f'<line x1="{_n(x0)}" y1="{_n(grid_top)}" x2="{_n(x0)}" y2="{_n(y)}" stroke="{INK}" stroke-width="2"/>',
    )
    if overall is not None:
        x = x_at(overall)
        body.append(
            f'<line class="overall" x1="{_n(x)}" y1="{_n(grid_top - 6)}" x2="{_n(x)}" y2="{_n(y)}" '
            f'stroke="{INK}" stroke-width="3" stroke-dasharray="6 4"/>'
        )
        anchor = "end" if x > WIDTH / 2 else "start"
        body.append(
            _text(
                x,
                18,
                f"{overall_label.capitalize()}: {column.text(overall)}",
                size=SMALL,
                anchor=anchor,
                weight="600",
            )
        )
        lead = f"The dashed line is {overall_label}: {column.text(overall)}. "
    else:
        lead = f"The figure for {overall_label} is withheld. "
    desc = (
        f"Bar chart of {column.heading.lower()} by group. "
        + lead
        + "; ".join(summaries)
        + ". The table after the chart gives every figure."
    )
    return _svg(chart_id, y + 32, title, desc, body)
