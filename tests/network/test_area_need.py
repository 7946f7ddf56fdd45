"""Gap cells against area indicators on the council's network page:
counts of cells in the most in-need decile, never of people."""

from __future__ import annotations

import h3

from betterway_map.geocoding.areas import import_indicator
from betterway_map.network.area_need import gaps_by_indicator
from tests.conftest import make_user, without_tokens
from tests.factories.area_indicators import boundaries, values
from tests.factories.network import CELL_A, CELL_C, add_people

DETAILS = {
    "name": "Loneliness index",
    "source": "Test source",
    "licence": "OGL",
    "value_label": None,
    "higher_is_more_need": True,
    "replace": False,
}


def _square_around(cell: str, half: float = 0.002) -> dict:
    lat, lon = h3.cell_to_latlng(cell)
    ring = [
        [lon - half, lat - half],
        [lon + half, lat - half],
        [lon + half, lat + half],
        [lon - half, lat + half],
        [lon - half, lat - half],
    ]
    return {"type": "Polygon", "coordinates": [ring]}


def _indicator(app, cells: dict[str, str], ranked: list[str]) -> None:
    """Squares around ``cells`` (code -> cell); ``ranked`` most in need first."""
    csv = values([(code, len(ranked) - n) for n, code in enumerate(ranked)])
    geojson = boundaries(
        list(cells), geometry={code: _square_around(cell) for code, cell in cells.items()}
    )
    with app.app_context():
        import_indicator(csv, geojson, DETAILS, None, 1_000_000)


def _row(cell: str, at_risk, groups: int) -> dict:
    return {"cell": cell, "at_risk": at_risk, "groups_within_walk": groups}


def test_only_cells_whose_people_at_risk_are_shown_are_counted(app):
    # A and C are gaps in decile-1 areas; but C's at-risk count is withheld,
    # so whether it holds anyone at risk is not known and it is not counted.
    others = [f"E01{n:06d}" for n in range(3, 13)]
    _indicator(app, {"E01000001": CELL_A, "E01000002": CELL_C}, ["E01000001", "E01000002", *others])
    report = {"cells": [_row(CELL_A, 6, 0), _row(CELL_C, None, 0)]}
    with app.app_context():
        (row,) = gaps_by_indicator(report)
    assert row["indicator"]["name"] == "Loneliness index"
    assert (row["gaps"].gap_cells, row["gaps"].in_most_in_need_decile) == (1, 1)


def test_a_cell_with_a_group_within_a_walk_is_not_a_gap(app):
    _indicator(app, {"E01000001": CELL_A}, ["E01000001"])
    with app.app_context():
        (row,) = gaps_by_indicator({"cells": [_row(CELL_A, 6, 1)]})
    assert row["gaps"].gap_cells == 0


def test_nothing_is_shown_without_an_indicator(app):
    with app.app_context():
        assert gaps_by_indicator({"cells": [_row(CELL_A, 6, 0)]}) == []


def test_the_council_page_shows_gap_areas_in_the_most_in_need_decile(app, signed_in):
    worker = make_user(app, "worker")
    add_people(app, worker, CELL_A, 6, "Alpha")
    add_people(app, worker, CELL_C, 5, "Cyd")
    # A's area is the most in need of two; C's is in decile 6.
    _indicator(app, {"E01000001": CELL_A, "E01000002": CELL_C}, ["E01000001", "E01000002"])
    client, _ = signed_in("council")
    page = without_tokens(client.get("/council/network").get_data(as_text=True))
    assert "Gaps and area need" in page
    section = page[page.index('id="area-need"') :]
    section = section[: section.index("</table>")]
    assert "Loneliness index" in section
    cells = [part.split("</td>")[0] for part in section.split("<td>")[1:]]
    assert cells == ["1", "2", "0"]
    assert "These are numbers of areas, not of people" in page


def test_the_council_page_has_no_area_need_section_without_an_indicator(app, signed_in):
    client, _ = signed_in("council")
    assert "Gaps and area need" not in client.get("/council/network").get_data(as_text=True)
