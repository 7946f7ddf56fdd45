"""What a council viewer sees of the demo's story (issue 10), at the size
``flask demo`` makes (3,000 people, seed 42).

``flask demo`` runs once for the module (it loads the area and takes the
monthly snapshots, as it does for anyone); the figures are then read the
way the council's page reads them (``council_map_data``), and the page
itself is fetched once. Brookfield Estate's cells are gaps, shown with
their figures (not withheld) on the map and in the gap table; Old
Eastbrook's organisations are a community (and a component) of their
own; coverage is under 100%, today and in the trends.
"""

from __future__ import annotations

import pytest

from betterway_map.demo.generator import sizes
from betterway_map.demo.generator.need import INDICATOR_NAME
from betterway_map.demo.generator.town import CLUSTER, ESTATE_SECTOR, neighbourhoods
from betterway_map.domain.suppression import MIN_CELL_COUNT
from betterway_map.maps.council_layers import build_council_map
from tests.conftest import login, make_user

pytestmark = pytest.mark.slow

VILLAGE = next(area.name for area in neighbourhoods() if area.outcode == CLUSTER)


@pytest.fixture(scope="module")
def seen(app):
    """The council's figures, map data and page after ``flask demo``."""
    from betterway_map.network.area_need import area_need_layer, gaps_by_indicator
    from betterway_map.network.map_layers import council_map_data

    result = app.test_cli_runner().invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        data = council_map_data()
        need = {"layer": area_need_layer(), "gaps": gaps_by_indicator(data["report"])}
    built = build_council_map(
        data["report"]["cells"], data["layers"], data_url=lambda digest: f"/{digest}.json"
    )
    client = app.test_client()
    roles = client.get("/volunteering/roles.jsonld").get_json(force=True)
    login(client, app, make_user(app, "council"))
    page = client.get("/council/network").get_data(as_text=True)
    return {"data": data, "map": built.data, "page": page, "need": need, "roles": roles}


def _estate(cells: list[dict]) -> list[dict]:
    return [cell for cell in cells if cell["name"].startswith(ESTATE_SECTOR)]


def test_the_estate_cells_are_gaps_shown_with_their_figures(seen):
    report = seen["data"]["report"]
    estate = _estate(report["cells"])
    assert estate, [cell["name"] for cell in report["cells"]]
    gaps = [cell for cell in estate if cell["at_risk"] and not cell["groups_within_walk"]]
    assert gaps
    for cell in gaps:
        # Shown, not withheld: enough people at risk and not at risk to publish.
        assert not cell["suppressed"] and cell["at_risk"] >= MIN_CELL_COUNT
        assert cell["people"] - cell["at_risk"] >= MIN_CELL_COUNT


def test_the_estate_gaps_are_the_worst_in_the_gap_table(seen):
    report = seen["data"]["report"]
    worst = [cell["name"] for cell in report["worst_gaps"]]
    gaps = {
        c["name"] for c in _estate(report["cells"]) if c["at_risk"] and not c["groups_within_walk"]
    }
    assert set(worst[: len(gaps)]) == gaps
    table = seen["page"].split('id="gaps"', 1)[1].split("</table>", 1)[0]
    assert all(f'<th scope="row">{name}</th>' in table for name in gaps)


def test_the_map_outlines_the_estate_gaps(seen):
    # maps.council_data's cells: [name, people, at_risk, gap_score, groups, ..., gap flag, ...]
    outlined = {cell[0] for cell in seen["map"]["cells"] if cell[7] == 1}
    assert outlined >= {
        c["name"]
        for c in _estate(seen["data"]["report"]["cells"])
        if not c["groups_within_walk"] and c["at_risk"]
    }
    assert outlined


def test_st_marks_is_well_served(seen):
    # The most groups within a walk of any cell are St Mark's, and each of
    # its cells has more than the town's middle cell.
    cells = seen["data"]["report"]["cells"]
    counts = sorted(c["groups_within_walk"] for c in cells)
    st_marks = [c["groups_within_walk"] for c in cells if c["name"].startswith("ZZ2 ")]
    assert st_marks and max(st_marks) == counts[-1]
    assert min(st_marks) > counts[len(counts) // 2]


def test_the_village_is_a_community_and_a_component_of_its_own(seen):
    organisations = seen["data"]["report"]["organisations"]
    village = sorted(
        row["name"] for row in organisations["rows"] if row["name"].startswith(VILLAGE + " ")
    )
    assert len(village) == 4
    assert village in [c["names"] for c in organisations["communities"]]
    assert village in [c["names"] for c in organisations["components"]]


def test_coverage_is_under_100_percent_today_and_in_the_trends(seen):
    overall = seen["data"]["report"]["coverage"]["overall"]
    assert not overall["suppressed"] and overall["share"] < 1
    shown = [row["coverage_percent"] for row in seen["data"]["trends"]]
    shown = [value for value in shown if value is not None]
    assert shown and all(value < 100 for value in shown)


def test_the_area_need_layer_has_the_sectors_and_the_estate_is_most_in_need(seen):
    layer = seen["need"]["layer"]
    assert layer is not None and layer["name"] == INDICATOR_NAME
    deciles = {area["code"]: area["decile"] for area in layer["areas"]}
    assert len(deciles) >= 10
    assert deciles[ESTATE_SECTOR] == 1
    for area in layer["areas"]:
        assert area["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_the_gap_figures_beside_the_area_need_are_filled(seen):
    [row] = seen["need"]["gaps"]
    assert row["indicator"]["name"] == INDICATOR_NAME
    gaps = row["gaps"]
    estate_gaps = [
        c
        for c in _estate(seen["data"]["report"]["cells"])
        if c["at_risk"] and not c["groups_within_walk"]
    ]
    # The estate's gap cells lie in the most in-need decile.
    assert gaps.gap_cells >= gaps.in_most_in_need_decile >= len(estate_gaps) > 0
    section = seen["page"].split('id="area-need"', 1)[1].split("</table>", 1)[0]
    assert INDICATOR_NAME in section.replace("&#39;", "'")


def test_the_demo_publishes_its_volunteering_roles(seen):
    organisations = seen["roles"]["@graph"]
    titles = [
        activity["title"] for organisation in organisations for activity in organisation["activity"]
    ]
    assert len(titles) == sizes(3000)["volunteering_roles"]
    for name in ("Litter Pick", "Community Larder Helpers", "Digital Buddies"):
        assert any(name in title for title in titles), (name, titles)
    assert all(organisation["activity"][0]["role"] for organisation in organisations)
