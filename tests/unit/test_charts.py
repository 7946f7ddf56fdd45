"""The chart helper (``web.charts``) and its tables (``web.tables``): the SVG
is parsed and read back, no browser and no app."""

from __future__ import annotations

import csv
import io

import pytest
from defusedxml.ElementTree import fromstring

from betterway_map.web.charts import bar_chart, gap_chart, line_chart
from betterway_map.web.tables import Column, Table, csv_cell

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & Sons =SUM(A1)'


def _trend(values_a, values_b=None) -> Table:
    months = [f"2025-{m:02d}" for m in range(1, len(values_a) + 1)]
    columns = [Column("month", "Month"), Column("a", "Share matched", "percent")]
    if values_b is not None:
        columns.append(Column("b", "Share with a tie", "percent"))
    rows = [
        {"month": m, "a": a, **({"b": values_b[i]} if values_b is not None else {})}
        for i, (m, a) in enumerate(zip(months, values_a, strict=True))
    ]
    return Table("trend", "Trend by month", tuple(columns), tuple(rows))


def _groups(rows) -> Table:
    return Table(
        "groups",
        "Matched, by group",
        (Column("group", "Group"), Column("share", "Share matched", "percent")),
        tuple({"group": g, "share": s} for g, s in rows),
    )


def _texts(svg) -> list[str]:
    return ["".join(t.itertext()) for t in fromstring(str(svg)).iter(f"{SVG}text")]


def _is_accessible(svg, chart_id: str) -> None:
    root = fromstring(str(svg))
    assert root.get("role") == "img"
    assert root.get("viewBox").startswith("0 0 640 ")
    assert root.get("width") == "100%"
    assert root.get("aria-labelledby") == f"{chart_id}-title {chart_id}-desc"
    assert root.find(f"{SVG}title").get("id") == f"{chart_id}-title"
    assert root.find(f"{SVG}desc").get("id") == f"{chart_id}-desc"
    assert "style" not in str(svg), "the CSP allows no inline style"


def test_a_line_chart_draws_one_line_per_column_labelled_at_its_end():
    svg = line_chart(_trend([0.5, 0.55, 0.6], [0.2, 0.3, 0.4]), "month", ["a", "b"], "Trends")
    _is_accessible(svg, "chart-trend")
    root = fromstring(str(svg))
    lines = root.findall(f"{SVG}polyline")
    assert len(lines) == 2
    # Told apart without colour: the second line is dashed, the first is not.
    assert lines[0].get("stroke-dasharray") is None
    assert lines[1].get("stroke-dasharray")
    texts = _texts(svg)
    assert "Share matched" in texts and "Share with a tie" in texts
    assert {"2025-01", "2025-02", "2025-03"} <= set(texts)
    assert "100%" in texts and "0%" in texts


def test_a_line_chart_scales_shares_to_the_full_height():
    svg = line_chart(_trend([0.0, 1.0]), "month", ["a"], "Trends")
    (line,) = fromstring(str(svg)).findall(f"{SVG}polyline")
    (_, y_low), (_, y_high) = (map(float, p.split(",")) for p in line.get("points").split())
    assert y_low == 244 and y_high == 20  # the bottom and top of the plot


def test_a_withheld_month_breaks_the_line_and_shows_no_figure():
    svg = line_chart(_trend([0.5, None, 0.6, 0.7]), "month", ["a"], "Trends")
    root = fromstring(str(svg))
    (line,) = root.findall(f"{SVG}polyline")
    assert len(line.get("points").split()) == 2  # March to April; January stands alone
    markers = [g.find(f"{SVG}title").text for g in root.iter(f"{SVG}g")]
    assert markers == [
        "Share matched, 2025-01: 50%",
        "Share matched, 2025-03: 60%",
        "Share matched, 2025-04: 70%",
    ]
    assert "1 months withheld" in root.find(f"{SVG}desc").text


def test_a_bar_chart_draws_each_figure_beside_its_bar():
    table = _groups([("Aged 65 to 74", 0.4), ("Aged 75 to 84", 0.25)])
    svg = bar_chart(table, "group", ["share"], "Matched")
    _is_accessible(svg, "chart-groups")
    root = fromstring(str(svg))
    bars = [g.find(f"{SVG}rect") for g in root.iter(f"{SVG}g")]
    assert len(bars) == 2
    widths = [float(b.get("width")) for b in bars]
    assert widths == pytest.approx([508 * 0.4, 508 * 0.25], abs=0.05)
    texts = _texts(svg)
    assert {"Aged 65 to 74", "Aged 75 to 84", "40%", "25%"} <= set(texts)


def test_series_of_a_bar_chart_have_their_own_pattern_and_a_key():
    table = Table(
        "marks",
        "Marks",
        (
            Column("mark", "Mark"),
            Column("p", "Person", "number"),
            Column("v", "Volunteer", "number"),
        ),
        ({"mark": "Understanding", "p": 4.2, "v": 3.8},),
    )
    svg = bar_chart(table, "mark", ["p", "v"], "Marks")
    root = fromstring(str(svg))
    patterns = root.findall(f"{SVG}defs/{SVG}pattern")
    assert [p.get("id") for p in patterns] == ["chart-marks-fill-0", "chart-marks-fill-1"]
    fills = {g.find(f"{SVG}rect").get("fill") for g in root.iter(f"{SVG}g")}
    assert fills == {"url(#chart-marks-fill-0)", "url(#chart-marks-fill-1)"}
    assert {"Person", "Volunteer", "4.2", "3.8"} <= set(_texts(svg))


def test_a_withheld_bar_says_withheld_and_draws_nothing():
    svg = bar_chart(
        _groups([("Aged 65 to 74", 0.4), ("Aged 85 and over", None)]), "group", ["share"], "M"
    )
    root = fromstring(str(svg))
    assert len(list(root.iter(f"{SVG}g"))) == 1
    assert "withheld" in _texts(svg)
    assert "Aged 85 and over: withheld" in root.find(f"{SVG}desc").text


def test_a_gap_chart_marks_everyone_and_says_each_gap():
    table = _groups([("Not online", 0.3), ("Online", 0.7)])
    svg = gap_chart(table, "group", "share", 0.62, "Who is matched")
    _is_accessible(svg, "chart-groups")
    root = fromstring(str(svg))
    (overall,) = [line for line in root.iter(f"{SVG}line") if line.get("class") == "overall"]
    assert overall.get("stroke-dasharray")
    assert float(overall.get("x1")) == pytest.approx(12 + 0.62 * 398, abs=0.05)
    texts = _texts(svg)
    assert "Everyone: 62%" in texts
    assert "30% (32 points below everyone)" in texts
    assert "70% (8 points above everyone)" in texts


def test_a_gap_chart_with_the_overall_withheld_draws_no_line():
    svg = gap_chart(_groups([("Online", 0.7)]), "group", "share", None, "Who is matched")
    root = fromstring(str(svg))
    assert not [line for line in root.iter(f"{SVG}line") if line.get("class") == "overall"]
    assert "70%" in _texts(svg)


@pytest.mark.parametrize("draw", ["line", "bar", "gap"])
def test_every_label_typed_by_a_user_is_escaped(draw):
    table = _groups([(HOSTILE, 0.5)])
    svg = {
        "line": lambda: line_chart(table, "group", ["share"], HOSTILE),
        "bar": lambda: bar_chart(table, "group", ["share"], HOSTILE),
        "gap": lambda: gap_chart(table, "group", "share", 0.5, HOSTILE),
    }[draw]()
    assert "<script>" not in str(svg)
    root = fromstring(str(svg))  # parses: nothing broke out of its element
    assert root.find(f"{SVG}title").text == HOSTILE
    assert not list(root.iter(f"{SVG}script"))
    # The label is in the chart (cut to fit) and whole in the description.
    assert any(text.startswith('<script>alert("x")') for text in _texts(svg)) or draw == "line"
    assert HOSTILE in root.find(f"{SVG}desc").text


def test_a_long_label_is_cut_in_the_chart_and_whole_in_the_description():
    name = "The Very Long Named Community Association of the Upper and Lower Valley"
    svg = bar_chart(_groups([(name, 0.5)]), "group", ["share"], "M")
    assert name not in _texts(svg)
    assert any(text.endswith("…") for text in _texts(svg))
    assert name in fromstring(str(svg)).find(f"{SVG}desc").text


def test_a_chart_draws_figures_of_one_kind_only():
    table = Table(
        "mixed", "Mixed", (Column("g", "G"), Column("n", "N", "count"), Column("s", "S", "percent"))
    )
    with pytest.raises(ValueError, match="one kind"):
        bar_chart(table, "g", ["n", "s"], "x")
    with pytest.raises(KeyError, match="no column 'z'"):
        bar_chart(table, "g", ["z"], "x")


def test_the_csv_holds_the_cells_the_table_shows():
    table = _groups([("Online", 0.7), ("Not online", None), ("=cmd|' /C calc'!A0", 0.5)])
    rows = list(csv.reader(io.StringIO(table.csv_text())))
    assert rows[0] == ["Group", "Share matched"]
    assert rows[1:3] == [["Online", "70%"], ["Not online", "withheld"]]
    # A cell a spreadsheet would run is neutralised; the page shows it as typed.
    assert rows[3] == ["'=cmd|' /C calc'!A0", "50%"]
    assert table.body()[2][0] == "=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("@SUM(1)", "'@SUM(1)"), ("+1+1", "'+1+1"), ("\tx", "'\tx"), ("-12", "-12"), ("-5%", "-5%")],
)
def test_csv_cells_that_would_run_as_formulas_are_neutralised(text, expected):
    assert csv_cell(text) == expected


@pytest.mark.parametrize("name", ["Trend", "a b", "", "x" * 64, "1st"])
def test_a_table_name_is_a_safe_id(name):
    with pytest.raises(ValueError, match="lower case"):
        Table(name, "c", (Column("a", "A"),))
