"""The council map's layers, filters and downloads (issue 10).

Tiny maps from plain data whose answer is explained; the filters on the
small area (tests/factories/network.py: cell A has six people, all at risk,
one active "social" group 100 m away; cells B and C are withheld); the
downloads equal ``flask network report``'s files byte for byte; GeoJSON is
RFC 7946; hostile names stay inert.
"""

from __future__ import annotations

import json

import h3
import pytest

from betterway_map.maps.council_data import points
from betterway_map.maps.council_layers import TOO_FEW
from betterway_map.maps.council_layers import build_council_map as build
from betterway_map.network.report_files import REPORT_FILES
from tests.factories.network import CELL_A, CELL_B, CELL_C, small_area

HOSTILE = "<img src=x onerror=alert(1)>"


def build_council_map(cells, layers, **options):
    """The map as the page builds it, its data at a URL named by its digest."""
    return build(cells, layers, data_url=lambda digest: f"/data/{digest}.json", **options)


def _cell(cell_id: str, at_risk, groups: int, name: str = "ZZ1 2") -> dict:
    return {
        "cell": cell_id,
        "name": name,
        "boundary": [list(p) for p in h3.cell_to_boundary(cell_id)],
        "suppressed": False,
        "people": 10,
        "at_risk": at_risk,
        "gap_score": None if at_risk is None else at_risk / (1 + groups),
        "groups_within_walk": groups,
        "accessible_groups_within_walk": 0,
        "spaces_within_walk": 0,
        "accessible_spaces_within_walk": 0,
    }


def _place(name: str, lat: float, lon: float, step_free: bool, interest: str) -> dict:
    return {
        "kind": "group",
        "id": 1,
        "name": name,
        "organisation": "Org",
        "latitude": lat,
        "longitude": lon,
        "step_free": step_free,
        "interests": [interest],
        "audiences": ["everyone"],
    }


def _layers(places=(), nodes=(), links=()) -> dict:
    return {
        "places": list(places),
        "walking_coverage": [
            {
                "group": 1,
                "name": p["name"],
                "latitude": p["latitude"],
                "longitude": p["longitude"],
                "radius_m": 800.0,
            }
            for p in places
        ],
        "organisation_nodes": list(nodes),
        "organisation_links": list(links),
    }


def test_a_tiny_map_draws_each_layer_with_its_legend():
    # Two shown cells: A with 6 at risk and no group (a gap), B withheld
    # (grey, "too few people to show"); one step-free group; two
    # organisations, one a broker, tied by three links.
    lat, lon = h3.cell_to_latlng(CELL_A)
    cells = [_cell(CELL_A, 6, 0, "Alpha sector"), _cell(CELL_B, None, 1, "Beta sector")]
    place = _place("Lunch", lat, lon, True, "cooking")
    nodes = [
        {
            "id": 1,
            "name": "Church",
            "sector_label": "Faith",
            "latitude": lat,
            "longitude": lon,
            "broker": True,
            "betweenness": 0.5,
        },
        {
            "id": 2,
            "name": "Surgery",
            "sector_label": "Health",
            "latitude": lat + 0.01,
            "longitude": lon,
            "broker": False,
            "betweenness": 0.0,
        },
    ]
    links = [
        {
            "source": 1,
            "target": 2,
            "source_name": "Church",
            "target_name": "Surgery",
            "weight": 3,
            "kinds": ["referral", "shared_space"],
        }
    ]
    built = build_council_map(cells, _layers([place], nodes, links), labels={"cooking": "Cooking"})
    assert built is not None
    by_key = {layer.key: layer for layer in built.layers}
    assert list(by_key) == ["cells", "gaps", "coverage", "places", "network"]
    assert by_key["cells"].count == 2 and by_key["gaps"].count == 1
    assert by_key["network"].count == 1 and by_key["places"].count == 1
    assert any(TOO_FEW in key.label for key in by_key["cells"].legend)
    assert any("Cooking" in key.label for key in by_key["places"].legend)
    script, data = built.script, built.data
    # The page carries the code and the data's URL, not the data (issue 15).
    assert f'"/data/{built.document.digest}.json"' in script and "Alpha sector" not in script
    assert json.loads(built.document.text) == json.loads(json.dumps(data))
    # One layer control, and the script draws each kind of shape from the data.
    assert script.count("L.control.layers(") == 1 and "L.markerClusterGroup(" in script
    for css in ("map-cell-withheld", "map-gap", "map-broker", "map-place-step-free"):
        assert css in script
    # The withheld cell says so and carries no at-risk figure; A is a gap.
    [alpha, beta] = data["cells"]
    assert alpha[:3] == ["Alpha sector", 10, 6] and alpha[7] == 1
    assert beta[0] == "Beta sector" and beta[2:4] == [None, None] and beta[6] is None
    assert data["style"]["too_few"] == TOO_FEW and "People at risk: " in script
    # The step-free group, and the walking distance round it.
    # (A marker's look, [kind, step-free, colour], is listed once.)
    [lunch] = data["places"]["rows"]
    assert data["places"]["looks"][lunch[2]][:2] == [0, 1] and lunch[4] == "Lunch"
    assert data["coverage"] == {"radius_m": 800, "at": [0], "points": []}
    # Line width by strength of tie: three links -> 2 + 2 * 3 (a tie is four
    # numbers: Church, then Surgery as a step from it, links, kinds).
    assert data["network"]["links"] == [0, 1, 3, 0]
    assert data["network"]["widths"][3] == 8
    assert data["network"]["kinds"] == ["referral, shared space"]
    assert [node[2] for node in data["network"]["nodes"]] == [1, 0]  # the broker
    assert [data["network"]["sectors"][node[4]] for node in data["network"]["nodes"]] == [
        "Faith",
        "Health",
    ]
    # Raw cell ids are never a label.
    assert CELL_A not in script and CELL_B not in script


def test_the_map_is_a_handful_of_elements_whatever_its_size():
    # folium renders a template per element: the layers are data in one
    # script, not an element per shape (benchmarks/maps.py has the figures).
    lat, lon = h3.cell_to_latlng(CELL_A)
    places = [_place(f"Group {n}", lat + n * 1e-4, lon, False, "music") for n in range(200)]
    built = build_council_map([_cell(CELL_A, 6, 0)], _layers(places))
    assert len(built.data["places"]["rows"]) == 200
    assert built.script.count("var ") < 60 and built.script.count("L.marker(") == 1


def test_places_are_sorted_and_written_as_steps_that_read_back():
    # Three places given north to south, 1e-4 degrees apart: sorted south
    # first, the first in degrees, then steps of 10 (1e-5 degrees each);
    # every circle of walking distance is at its group's row.
    lat, lon = h3.cell_to_latlng(CELL_A)
    given = [_place(f"Group {n}", lat + (2 - n) * 1e-4, lon, False, "music") for n in range(3)]
    data = build_council_map([_cell(CELL_A, 6, 0)], _layers(given)).data
    rows = data["places"]["rows"]
    assert [row[4] for row in rows] == ["Group 2", "Group 1", "Group 0"]
    # One look for the three (groups, not step-free, "music"'s colour).
    assert [row[2] for row in rows] == [0, 0, 0] and data["places"]["looks"] == [[0, 0, 0]]
    assert [row[:2] for row in rows[1:]] == [[10, 0], [10, 0]]
    expected = [(round(p["latitude"], 5), round(p["longitude"], 5)) for p in reversed(given)]
    assert points(rows) == expected
    assert data["coverage"] == {"radius_m": 800, "at": [0, 1, 1], "points": []}


def test_withheld_cells_handed_over_are_never_drawn():
    suppressed = _cell(CELL_C, None, 0) | {"suppressed": True}
    assert build_council_map([suppressed], _layers()) is None


def test_the_area_need_layer_shades_by_decile():
    lat, lon = h3.cell_to_latlng(CELL_A)
    ring = [[lon, lat], [lon + 0.01, lat], [lon + 0.01, lat + 0.01], [lon, lat]]
    need = {
        "name": "Loneliness index",
        "areas": [
            {
                "code": "E01000001",
                "name": "Estate",
                "decile": 1,
                "value": 9.1,
                "geometry": {"type": "Polygon", "coordinates": [ring]},
            }
        ],
    }
    built = build_council_map([_cell(CELL_A, 6, 0)], _layers(), area_need=need)
    assert built.layers[0].key == "need" and built.layers[0].count == 1
    [(name, decile, [[outline]])] = built.data["need"]["areas"]
    assert (name, decile, len(outline)) == ("Estate", 1, 8)  # a corner and three steps
    assert built.data["style"]["deciles"][0] == "#a50026" and "decile " in built.script


def test_hostile_names_stay_inert_in_popups():
    lat, lon = h3.cell_to_latlng(CELL_A)
    built = build_council_map(
        [_cell(CELL_A, 6, 0, "{{ 7*7 }}")], _layers([_place(HOSTILE, lat, lon, False, "x")])
    )
    # In the data the script fetches, and so in the popups it makes.
    text = built.document.text.decode()
    for served in (text, built.script):
        assert HOSTILE not in served and "<img" not in served and "{{" not in served
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    assert "&#123;&#123; 7*7 &#125;&#125;" in text
    assert built.data["cells"][0][0] == "&#123;&#123; 7*7 &#125;&#125;"


def _read(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_page_shows_the_layers_legend_table_and_downloads(app, signed_in):
    small_area(app)
    client, _ = signed_in("council")
    page = _read(client.get("/council/network"))
    assert 'id="map-legend"' in page and 'id="area-1"' in page
    for name in REPORT_FILES:
        assert f"/council/network/files/{name}" in page
    assert CELL_B not in page and CELL_C not in page


def test_an_interest_filter_changes_provision_not_people(app, signed_in):
    small_area(app)
    client, _ = signed_in("council")
    plain = json.loads(_read(client.get("/council/network/files/cells.geojson")))
    books = json.loads(_read(client.get("/council/network/files/cells.geojson?interest=books")))
    [before], [after] = plain["features"], books["features"]
    assert before["properties"]["groups_within_walk"] == 1
    assert after["properties"]["groups_within_walk"] == 0
    for key in ("people", "at_risk"):
        assert before["properties"][key] == after["properties"][key] == 6
    gaps = json.loads(_read(client.get("/council/network/files/gaps.geojson?interest=books")))
    assert [f["id"] for f in gaps["features"]] == [CELL_A]
    page = _read(client.get("/council/network?interest=books&window=30"))
    assert "Clear the filters" in page


def test_a_bad_filter_is_a_clear_400(app, signed_in):
    small_area(app)
    client, _ = signed_in("council")
    response = client.get("/council/network?window=7")
    assert response.status_code == 400
    assert "30, 90 or 365" in response.get_data(as_text=True)
    assert client.get("/council/network/files/nothing.csv").status_code == 404


def test_the_downloads_are_the_cli_files(app, signed_in, runner, tmp_path):
    area = small_area(app)
    out = tmp_path / "report"
    result = runner.invoke(args=["network", "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    client, _ = signed_in("council")
    everything = ""
    for name in REPORT_FILES:
        response = client.get(f"/council/network/files/{name}")
        assert response.status_code == 200
        assert response.data == (out / name).read_bytes(), name
        assert "attachment" in response.headers["Content-Disposition"]
        everything += response.get_data(as_text=True)
    for lat, lon in area["homes"]:
        assert f"{lat:.3f},{lon:.3f}" not in everything.replace(" ", "")
        assert f"{lon:.3f},{lat:.3f}" not in everything.replace(" ", "")


def _shoelace(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False))


@pytest.mark.parametrize(
    "name",
    [n for n in REPORT_FILES if n.endswith(".geojson")],
)
def test_every_geojson_is_rfc_7946(app, signed_in, name):
    small_area(app)
    client, _ = signed_in("site_admin")
    document = json.loads(_read(client.get(f"/council/network/files/{name}")))
    assert document["type"] == "FeatureCollection" and "crs" not in document
    for feature in document["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            ring = geometry["coordinates"][0]
            assert ring[0] == ring[-1] and _shoelace(ring) > 0
            points = ring
        elif geometry["type"] == "LineString":
            points = geometry["coordinates"]
        else:
            points = [geometry["coordinates"]]
        for lon, lat in points:
            # The small area is near London: lon about -0.1, lat about 51.5.
            assert -1 < lon < 1 and 51 < lat < 52
