"""The council's network page and the area API: aggregates only, suppressed."""

from __future__ import annotations

import json

import pytest

from betterway_map import ROOT
from betterway_map.extensions import db
from betterway_map.network.models import NetworkReportCache
from tests.factories.council_map import drawn_points, fetch_document, near
from tests.factories.network import CELL_A, CELL_B, CELL_C, add_people, small_area
from tests.factories.person_records import tie_of


@pytest.fixture()
def area(app):
    return small_area(app)


def _no_person_anywhere(text: str, area: dict) -> None:
    assert "Alpha" not in text and "Beta" not in text and "Cyd" not in text
    for lat, lon in area["homes"]:
        assert str(lat) not in text and str(lon) not in text


def test_council_page_shows_the_gap_coverage_and_organisations(area, signed_in):
    client, _ = signed_in("council")
    response = client.get("/council/network")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    gaps = page.split('id="gaps"', 1)[1].split("</table>", 1)[0]
    # Cell A, named by its postcode sector: 6 people, all at risk, one group.
    assert '<th scope="row">ZZ1 2</th>' in gaps
    assert "<td>6.00</td>" in gaps or "<td>3.00</td>" in gaps
    assert CELL_B not in gaps
    assert "St Anne&#39;s Church" in page and "Green Lane Surgery" in page
    assert "100%" in page  # cross-sector share: the one link is faith-health
    _no_person_anywhere(page, area)


@pytest.mark.skipif(
    not (ROOT / "node_modules" / "leaflet" / "dist" / "leaflet.js").is_file(),
    reason="Leaflet is not installed: run `npm ci --no-audit --no-fund` first",
)
def test_council_map_draws_suppressed_cells_grey_without_figures(area, signed_in):
    client, _ = signed_in("site_admin")
    page = client.get("/council/network").get_data(as_text=True)
    assert '<span class="figure">1</span> areas with figures' in page
    assert '<span class="figure">2</span> areas <a' in page
    script = page.split("<script nonce=", 1)[1].split("</script>", 1)[0]
    # Issue 13: withheld cells are no longer drawn (a lone grey hexagon
    # circled a home): only cell A, with its figures (the script draws the
    # cells from its data, maps.council_data: [name, people, at risk, ...],
    # which it fetches from the URL the page names: issue 15).
    data = fetch_document(client, page)
    text = json.dumps(data)
    assert [cell[:3] for cell in data["cells"]] == [["ZZ1 2", 6, 6]]
    assert CELL_B not in script + text and CELL_C not in script + text
    _no_person_anywhere(script + text, area)
    # Places are written as steps: no home among the points the map draws.
    drawn = drawn_points(data)
    assert len(drawn) > 7  # cell A's corners, the hall, the group, the organisations
    assert not any(near(home, drawn) for home in area["homes"])


def test_area_api_gives_geojson_cells_without_figures_when_suppressed(area, signed_in):
    client, _ = signed_in("council")
    response = client.get("/api/v1/network/area")
    assert response.status_code == 200
    body = response.get_json()
    features = {f["id"]: f for f in body["cells"]["features"]}
    # Issue 13: withheld cells are left out altogether (no geometry, no id).
    assert set(features) == {CELL_A}
    shown = features[CELL_A]["properties"]
    assert (shown["people"], shown["at_risk"], shown["groups_within_walk"]) == (6, 6, 1)
    ring = features[CELL_A]["geometry"]["coordinates"][0]
    assert ring[0] == ring[-1] and len(ring) == 7
    assert all(-0.2 < lon < 0.0 and 51.4 < lat < 51.6 for lon, lat in ring)  # (lon, lat)
    assert body["coverage"]["overall"] == {
        "label": "All at-risk people",
        "suppressed": False,
        "numerator": 6,
        "denominator": 13,
        "share": 0.4615,
    }
    assert body["organisations"]["cross_sector_share"] == 1.0
    _no_person_anywhere(json.dumps(body), area)


def test_area_report_is_cached_until_the_register_changes(app, area, signed_in):
    client, _ = signed_in("council")
    first = client.get("/api/v1/network/area").get_json()
    with app.app_context():
        digest = db.session.get(NetworkReportCache, "area").input_digest
    assert client.get("/api/v1/network/area").get_json() == first
    # Three more people in cell B: now five, so its figures appear.
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    second = client.get("/api/v1/network/area").get_json()
    b = next(f for f in second["cells"]["features"] if f["id"] == CELL_B)
    assert b["properties"]["people"] == 7
    with app.app_context():
        assert db.session.get(NetworkReportCache, "area").input_digest != digest
        assert db.session.query(NetworkReportCache).count() == 1


def test_a_new_tie_reaches_the_report(app, area, signed_in):
    """Cell A's six are all isolated; a recent tie for one leaves five at risk
    and one not: issue 13, that one is too few, so the count is withheld."""
    from betterway_map.domain.clock import today_in_uk

    client, _ = signed_in("council")
    before = client.get("/api/v1/network/area").get_json()
    tie_of(app, area["a_people"][0], kind="friend", last_contact_on=today_in_uk())
    after = client.get("/api/v1/network/area").get_json()
    at_risk = lambda body: next(  # noqa: E731
        f["properties"]["at_risk"] for f in body["cells"]["features"] if f["id"] == CELL_A
    )
    assert (at_risk(before), at_risk(after)) == (6, None)


def test_the_cache_can_be_switched_off(app, area, signed_in):
    client, _ = signed_in("council")
    app.config["NETWORK_CACHE_ENABLED"] = False
    try:
        assert client.get("/api/v1/network/area").status_code == 200
        with app.app_context():
            assert db.session.query(NetworkReportCache).count() == 0
    finally:
        app.config["NETWORK_CACHE_ENABLED"] = True


def test_worker_api_lists_only_their_own_people(app, area, signed_in):
    from tests.conftest import login
    from tests.factories.person_records import assigned_person

    client = app.test_client()
    login(client, app, area["worker"])
    body = client.get("/api/v1/network/my-people").get_json()
    assert len(body) == 13 and {row["status"] for row in body} == {"isolated"}
    assert body[0]["reasons"][0] == "no ties recorded"
    other, other_id = signed_in("worker")
    assigned_person(app, other_id, first_name="Solo")
    assert [row["name"] for row in other.get("/api/v1/network/my-people").get_json()] == ["Solo"]
