"""An attacker of the published figures: collect everything a council viewer
can see, and try to work out a count of 1 to ``min_count - 1`` people.

``collect`` reads, as a signed-in council viewer: the /council and
/council/network pages (cards, tables, the map's tooltips), the area API and
the summary API, and the report files (cells.csv, cells.geojson,
coverage.csv, trends.csv) written by ``flask network report``; the monthly
snapshots reach it through the trends in all of these. Each number becomes a
``Figure``: which people it counts (``series``), over which part of the area
(``scope``), when (``period``), and where it was read (``source``). Scores
and shares are turned back into the counts they give away (``gap_score ×
(1 + groups)`` is an at-risk count; ``share × denominator`` a numerator;
``denominator − numerator`` the people not reached; ``people − at_risk``
the people not at risk).

``attack`` then tries, for every count it can reach:

* every published count on its own;
* every pair of counts of the same people where one part of the area holds
  the other (the area and a cell, the area and an age band): their
  difference;
* every pair of counts of the same series and part of the area in two
  periods (one month against another, or today): their difference;
* every total minus the sum of its shown parts (the area minus its cells,
  minus its age bands; the whole of a breakdown minus its kinds).

It knows nothing of the rule it attacks: it is written from what is
published, not from ``domain.suppression``.
"""

from __future__ import annotations

import csv
import html
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

AREA = "area"


@dataclass(frozen=True)
class Figure:
    series: str  # e.g. "people", "at_risk", "not_at_risk", "reached", "offers:shopping"
    scope: str  # "area", "cell:<h3>", "band:<band>", "shown"
    period: str  # "live" or "YYYY-MM"
    value: int
    source: str


@dataclass(frozen=True)
class Finding:
    how: str
    value: int


def _whole(value: float) -> int | None:
    rounded = round(value)
    return rounded if abs(value - rounded) < 1e-6 else None


def contains(outer: str, inner: str) -> bool:
    """Whether the part ``outer`` holds the part ``inner`` (and is not it):
    the area holds every part, the shown cells each cell, and a part
    ``x`` the parts ``x/...`` within it.

    >>> contains("area", "band:85+"), contains("dur~ended", "dur~ended/planned")
    (True, True)
    >>> contains("band:85+", "band:75-84")
    False
    """
    if outer == inner:
        return False
    if outer == AREA:
        return True
    if outer == "shown":
        return inner.startswith("cell:")
    return inner.startswith(outer + "/")


def _kind_of_part(scope: str) -> tuple[tuple[str, ...], str] | None:
    """The totals a part adds up to with its siblings, and the kind of
    part it is; None for a part whose siblings may overlap (``~``: a
    person in two of them), or a total. "cell:x" sums to the area and to
    the shown cells; "band:x" to the area; "a:b/c" to "a:b"."""
    if "~" in scope:
        return None
    if "/" in scope:
        parent = scope.rsplit("/", 1)[0]
        return (parent,), parent + "/"
    if ":" in scope:
        kind = scope.split(":", 1)[0] + ":"
        return ((AREA, "shown") if kind == "cell:" else (AREA,)), kind
    return None


def attack(figures: Iterable[Figure], min_count: int, stats: dict | None = None) -> list[Finding]:
    """Every count of 1 to ``min_count - 1`` people that can be worked out.

    ``stats``, when given, is filled with what was examined: ``figures``
    read (with repeats), ``distinct`` figures, ``pairs`` subtracted and
    ``totals`` less their parts."""
    figures = list(figures)
    found: list[Finding] = []
    small = range(1, min_count)
    unique = sorted(set((f.series, f.scope, f.period, f.value) for f in figures))
    pairs = totals_checked = 0
    for series, scope, period, value in unique:
        if value in small:
            found.append(Finding(f"{series} in {scope} ({period}) is published", value))
    by_series: dict[str, list[tuple]] = defaultdict(list)
    for figure in unique:
        by_series[figure[0]].append(figure)
    for same in by_series.values():
        for a, b in combinations(same, 2):
            same_time_nested = a[2] == b[2] and (contains(a[1], b[1]) or contains(b[1], a[1]))
            across_time = a[1] == b[1] and a[2] != b[2]
            if not (same_time_nested or across_time):
                continue
            pairs += 1
            if abs(a[3] - b[3]) in small:
                found.append(Finding(f"{a} against {b}", abs(a[3] - b[3])))
    # Totals minus the sum of their shown parts, one kind of part at a time.
    by_key: dict[tuple, dict[str, int]] = defaultdict(dict)
    for series, scope, period, value in unique:
        by_key[(series, period)][scope] = value
    for (series, period), scopes in by_key.items():
        parts: dict[tuple, list[int]] = defaultdict(list)
        for scope, value in scopes.items():
            part = _kind_of_part(scope)
            if part is not None:
                parts[part].append(value)
        for (totals, kind), values in parts.items():
            for total in totals:
                if total in scopes:
                    totals_checked += 1
                    rest = scopes[total] - sum(values)
                    if rest in small:
                        found.append(Finding(f"{series} {total} minus its {kind} ({period})", rest))
    if stats is not None:
        stats.update(figures=len(figures), distinct=len(unique), pairs=pairs, totals=totals_checked)
    return found


# ----- collecting what a council viewer can see -------------------------------


def _add(out: list, series, scope, period, value, source) -> None:
    if value is None or value == "":
        return
    out.append(Figure(series, scope, period, int(value), source))


def _cell_figures(out, props: dict, period: str, source: str) -> None:
    scope = f"cell:{props['cell']}"
    people, at_risk = props.get("people"), props.get("at_risk")
    for key in ("people", "at_risk"):
        value = props.get(key)
        _add(out, key, scope, period, None if value in (None, "") else int(value), source)
    if people not in (None, "") and at_risk not in (None, ""):
        _add(out, "not_at_risk", scope, period, int(people) - int(at_risk), source)
    gap, groups = props.get("gap_score"), props.get("groups_within_walk")
    if gap not in (None, "") and groups not in (None, ""):
        derived = _whole(float(gap) * (1 + int(groups)))
        _add(out, "at_risk", scope, period, derived, source + " (gap score)")


def _share_figures(out, scope, period, numerator, denominator, share, source) -> None:
    if denominator in (None, ""):
        return
    denominator = int(denominator)
    _add(out, "at_risk", scope, period, denominator, source)
    if numerator not in (None, ""):
        _add(out, "reached", scope, period, int(numerator), source)
        _add(out, "not_reached", scope, period, denominator - int(numerator), source)
    if share not in (None, ""):
        derived = _whole(float(share) * denominator)
        if derived is not None:
            _add(out, "reached", scope, period, derived, source + " (share)")


def _totals(out, totals: dict, period: str, source: str) -> None:
    _add(out, "people", "shown", period, totals.get("people_in_shown_cells"), source)
    _add(out, "at_risk", "shown", period, totals.get("at_risk_in_shown_cells"), source)


def _trend(out, row: dict, source: str) -> None:
    period = row["month"]
    _add(out, "people", "shown", period, row.get("people_in_shown_cells"), source)
    _add(out, "at_risk", "shown", period, row.get("at_risk_in_shown_cells"), source)
    _share_figures(
        out,
        AREA,
        period,
        row.get("coverage_numerator"),
        row.get("coverage_denominator"),
        row.get("coverage_share"),
        source,
    )


def from_area_api(body: dict) -> list[Figure]:
    out: list[Figure] = []
    for feature in body["cells"]["features"]:
        _cell_figures(out, feature["properties"], "live", "api cells")
    _totals(out, body["totals"], "live", "api totals")
    people_outside = body["totals"].get("people_outside_shown_cells")
    if people_outside is not None:
        shown = body["totals"]["people_in_shown_cells"]
        _add(out, "people", AREA, "live", shown + people_outside, "api people outside")
    coverage = body["coverage"]
    overall = coverage["overall"]
    _share_figures(
        out,
        AREA,
        "live",
        overall["numerator"],
        overall["denominator"],
        overall["share"],
        "api coverage",
    )
    for band in coverage["by_age_band"]:
        _share_figures(
            out,
            f"band:{band['band']}",
            "live",
            band["numerator"],
            band["denominator"],
            band["share"],
            "api band",
        )
    for row in body["trends"]:
        _trend(out, row, "api trends")
    return out


def from_summary_api(body: dict) -> list[Figure]:
    out: list[Figure] = []
    _add(out, "people", AREA, "live", body["people"]["count"], "api summary")
    for key in ("open_offers", "open_requests"):
        block = body[key]
        _add(out, key, AREA, "live", block["total"]["count"], "api summary")
        for part in block["parts"]:
            _add(out, key, f"kind:{part['key']}", "live", part["count"], "api summary")
    return out


def from_report_files(folder: Path) -> list[Figure]:
    out: list[Figure] = []
    with (folder / "cells.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _cell_figures(out, row, "live", "cells.csv")
    geojson = json.loads((folder / "cells.geojson").read_text(encoding="utf-8"))
    for feature in geojson["features"]:
        _cell_figures(out, feature["properties"], "live", "cells.geojson")
    with (folder / "coverage.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            scope = AREA if row["group"] == "all" else f"band:{row['group']}"
            _share_figures(
                out,
                scope,
                "live",
                row["numerator"],
                row["denominator"],
                row["share"],
                "coverage.csv",
            )
    with (folder / "trends.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            _trend(out, row, "trends.csv")
    return out


_TOOLTIP = re.compile(r"<strong>(?P<name>[^<]*)</strong>(?P<body>(?:<br>[^<`]*)+)", re.IGNORECASE)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def from_network_page(page: str, names: dict[str, str]) -> list[Figure]:
    """The /council/network page: the map's tooltips, the gap table, the
    cards, the coverage table and the trends table. ``names`` maps each
    shown cell's name to its id (from the API)."""
    out: list[Figure] = []
    for match in _TOOLTIP.finditer(html.unescape(page)):
        cell = names.get(match["name"].strip())
        if cell is None:
            continue
        props: dict = {"cell": cell}
        for line in match["body"].split("<br>"):
            numbers = _NUMBER.findall(line)
            if line.startswith("Gap score") and numbers:
                props["gap_score"] = numbers[0]
            elif line.startswith("People at risk") and len(numbers) == 2:
                props["at_risk"], props["people"] = numbers
            elif line.startswith("People registered") and numbers:
                props["people"] = numbers[0]
            elif "active groups" in line.lower() and numbers:
                props["groups_within_walk"] = numbers[0]
        if "gap_score" in props:
            # Shown to two decimals: near enough to give a count back.
            gap = float(props.pop("gap_score"))
            derived = gap * (1 + int(props.get("groups_within_walk", 0)))
            _add(out, "at_risk", f"cell:{cell}", "live", round(derived), "tooltip gap score")
        _cell_figures(out, props, "live", "map tooltip")
    table = re.search(r'id="gaps".*?<tbody>(.*?)</tbody>', page, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", table[1] if table else "", re.S):
        cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        cell = names.get(cells[0])
        if cell is not None:
            groups = _NUMBER.findall(cells[4])[0]
            _cell_figures(
                out,
                {
                    "cell": cell,
                    "at_risk": cells[2],
                    "people": cells[3],
                    "groups_within_walk": groups,
                },
                "live",
                "gap table",
            )
    text = _text(page)
    card = re.search(r"(\d+)\s+people at risk in the areas whose at-risk figure is shown", text)
    if card:
        _add(out, "at_risk", "shown", "live", int(card[1]), "card")
    outside = re.search(r":\s*(\d+) people live there", text)
    cards_people = None
    if outside:
        cards_people = int(outside[1])
    reach = re.search(r"\((\d+) of (\d+)\)", text)
    if reach:
        _share_figures(out, AREA, "live", reach[1], reach[2], None, "coverage card")
    coverage = re.search(r'id="coverage".*?<tbody>(.*?)</tbody>', page, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", coverage[1] if coverage else "", re.S):
        cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if len(cells) == 4 and cells[2].isdigit():
            _share_figures(out, f"label:{cells[0]}", "live", cells[2], cells[3], None, "band table")
    trends = re.search(r'id="trends".*?<tbody>(.*?)</tbody>', page, re.S)
    for row in re.findall(r"<tr>(.*?)</tr>", trends[1] if trends else "", re.S):
        cells = [_text(c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if len(cells) > 2 and cells[2].isdigit():
            _add(out, "at_risk", "shown", cells[0], int(cells[2]), "trends table")
    if cards_people is not None:
        out.append(Figure("people_outside", AREA, "live", cards_people, "card"))
    return out


def from_map_document(document: dict, names: dict[str, str]) -> list[Figure]:
    """The council map's data, which its script fetches (issue 15): each
    cell's row (``maps.council_data``: [name, people, at_risk, gap_score,
    groups, step_free_groups, ...])."""
    out: list[Figure] = []
    for row in document["cells"]:
        cell = names.get(html.unescape(row[0]))
        if cell is None:
            continue
        props = {"cell": cell, "people": row[1], "at_risk": row[2], "groups_within_walk": row[4]}
        props["gap_score"] = row[3]
        _cell_figures(out, props, "live", "map data")
    return out


def from_council_page(page: str) -> list[Figure]:
    """/council: every "Number" cell of the help tables, and the cards."""
    out: list[Figure] = []
    for heading, series in (
        ("Offers of help", "open_offers"),
        ("Requests for help", "open_requests"),
    ):
        block = re.search(rf"<h2>{heading}</h2>(.*?)</table>", page, re.S)
        if not block:
            continue
        for label, value in re.findall(r'<th scope="row">([^<]*)</th><td>(\d+)</td>', block[1]):
            scope = AREA if label == "All" else f"kind:{label}"
            _add(out, series, scope, "live", int(value), "council page")
    people = re.search(r'<span class="figure">(\d+)</span> people registered', page)
    if people:
        _add(out, "people", AREA, "live", int(people[1]), "council page")
    return out


def numbers_about_people(page: str) -> list[int]:
    """Every number a page puts beside words about people (the simple check)."""
    text = _text(page)
    found = re.findall(
        r"(\d+)\s+(?:people|person)\b|[Pp]eople at risk:\s*(\d+)|People registered:\s*(\d+)"
        r"|(\d+) of (\d+)",
        text,
    )
    return [int(n) for group in found for n in group if n]
