"""The disclosure attacker's reading of the measures dashboard for the area
(``/measures/council``, with each ``?by=`` breakdown, and every table's CSV
download): each table of figures about people becomes ``Figure``s for
``disclosure_attack.attack``.

Counts are read as published; shares are turned back into the counts they
give away: a whole per cent of a shown denominator gives the numerator back
whenever only one count rounds to it (``count_from_percent``), and its rest
with it. Parts that may overlap (a person with two needs, in a match and a
group, with an ongoing and an ended relationship) are written with ``~``:
the total minus one of them is still a count of people (those not in it),
but the total minus their sum says nothing.

Like the rest of the attacker, it is written from what is published, not
from ``domain.suppression``.
"""

from __future__ import annotations

import csv
import html
import io
import re

from tests.factories.disclosure_attack import AREA, Figure

__all__ = [
    "DIMENSIONS",
    "OVERLAPPING_DIMENSIONS",
    "count_from_percent",
    "tables_on_page",
    "csv_table",
    "from_measures_table",
]

DIMENSIONS = ("age_band", "district", "need", "language", "disability", "online")
# A person can be in several of these categories at once.
OVERLAPPING_DIMENSIONS = frozenset({"need", "language"})
WITHHELD = "withheld"


def count_from_percent(text: str, denominator: int) -> int | None:
    """The one count of ``denominator`` whose share reads ``text`` ("43%"),
    or None when there is none or more than one.

    >>> count_from_percent("43%", 7), count_from_percent("50%", 1000), count_from_percent("x", 4)
    (3, None, None)
    """
    if not re.fullmatch(r"\d+%", text or "") or denominator <= 0:
        return None
    found = [k for k in range(denominator + 1) if f"{100 * k / denominator:.0f}%" == text]
    return found[0] if len(found) == 1 else None


def _count(text: str) -> int | None:
    return int(text) if text and text.isdigit() else None


def tables_on_page(page: str) -> dict[str, list[list[str]]]:
    """Every figure table of a dashboard page: its name (from ``table-<name>``)
    to its rows of cell texts, the heading row first."""
    found = {}
    for name, body in re.findall(r'<table id="table-([a-z0-9-]+)">(.*?)</table>', page, re.S):
        rows = []
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
            cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
            rows.append([html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells])
        found[name] = rows
    return found


def csv_table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def _scope(kind: str, category: str, overlapping: bool) -> str:
    return f"{kind}{'~' if overlapping else ':'}{category}"


def from_measures_table(name: str, rows: list[list[str]], source: str) -> list[Figure]:
    """The figures about people in one table (heading row first)."""
    if len(rows) < 2:
        return []
    out: list[Figure] = []
    heading, body = rows[0], rows[1:]
    records = [dict(zip(heading, row)) for row in body]

    def add(series, scope, value, period="live"):
        if value is not None:
            out.append(Figure(series, scope, period, value, f"{source} {name}"))

    def add_share(series, scope, share_text, denominator, period="live"):
        if denominator is None:
            return
        part = count_from_percent(share_text, denominator)
        if part is not None:
            add(series, scope, part, period)
            add(f"not_{series}", scope, denominator - part, period)

    if name.startswith("equity-"):
        dimension = name.removeprefix("equity-").replace("-", "_")
        for r in records:
            category = r["Group"]
            scope = (
                AREA
                if category == "Everyone"
                else _scope(dimension, category, dimension in OVERLAPPING_DIMENSIONS)
            )
            people, asked = _count(r["People"]), _count(r["Asked for a match"])
            measured = _count(r["Loneliness measured before and after"])
            add("eq_people", scope, people)
            add("eq_asked", scope, asked)
            add("eq_measured", scope, measured)
            add_share("eq_matched", scope, r["Matched"], asked)
            add_share("eq_tie", scope, r["With at least one active tie"], people)
            add_share("eq_improved", scope, r["Loneliness improved"], measured)
    elif name == "area-quality-marks":
        for r in records:
            for column, text in r.items():
                if column.endswith(": answers"):
                    side = column.removesuffix(": answers")
                    add(f"answers:{side}:{r['Mark of a good relationship']}", AREA, _count(text))
    elif name == "area-quality-differences":
        for r in records:
            mark = r["Mark of a good relationship"]
            add(f"rated_both:{mark}", AREA, _count(r["Relationships rated by both"]))
    elif name in ("area-continuity", "area-continuity-by-kind"):
        for r in records:
            kind = r.get("Kind of relationship")
            people, relationships = _count(r["People"]), _count(r["Relationships"])
            add("cont_people", AREA if kind is None else _scope("rkind", kind, True), people)
            scope = AREA if kind is None else _scope("rkind", kind, False)
            add("cont_relationships", scope, relationships)
            add("cont_overdue", scope, _count(r["Behind their rhythm today"]))
    elif name == "area-durations":
        scopes = {
            "All relationships": AREA,
            "Still going": "dur~ongoing",
            "Ended": "dur~ended",
            "Ended as planned": "dur~ended/planned",
            "Ended unplanned": "dur~ended/unplanned",
        }
        for r in records:
            add("dur_people", scopes[r["Relationships"]], _count(r["People"]))
    elif name in ("area-endings", "area-changes"):
        series = "endings" if name == "area-endings" else "changes"
        total = next((_count(r["Number"]) for r in records if r[heading[0]] == "All"), None)
        for r in records:
            scope = AREA if r[heading[0]] == "All" else _scope(series, r[heading[0]], False)
            add(series, scope, _count(r["Number"]))
            if scope != AREA:
                part = count_from_percent(r["Share"], total) if total is not None else None
                add(series, scope, part)
    elif name == "area-rhythm":
        for r in records:
            relationships = _count(r["Relationships"])
            add("rhythm_people", AREA, _count(r["People"]))
            add("rhythm_relationships", AREA, relationships)
            add_share("rhythm_kept", AREA, r["Relationships usually keeping to it"], relationships)
    elif name == "area-change":
        for r in records:
            measure, kind = r["Measure"], r["After starting"]
            scope = AREA if kind == "All" else _scope("ckind", kind, True)
            people = _count(r["People"])
            add(f"change:{measure}", scope, people)
            for column in ("Improved", "The same", "Worse"):
                add_share(f"change_{column}:{measure}", scope, r[column], people)
    elif name == "area-trends":
        for r in records:
            for column, text in r.items():
                if column != "Month":
                    add(f"trend:{column}", AREA, _count(text), period=r["Month"])
    return out
