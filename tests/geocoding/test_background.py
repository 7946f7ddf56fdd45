"""The offline map background route and the cell names service (geocoding.background)."""

from __future__ import annotations

import h3
import pytest

from betterway_map.extensions import db
from betterway_map.geocoding import background as service
from betterway_map.geocoding.models import PostcodePoint

URL = "/map/background.geojson"
BOX = "-1.05,52.40,-0.95,52.50"
# Two sectors of the fictional town's centre, and one real-looking postcode.
POINTS = [
    ("ZZ1 1AA", 52.4512, -0.9876, True),
    ("ZZ1 1AB", 52.4520, -0.9870, True),
    ("ZZ1 1AD", 52.4530, -0.9860, True),
    ("ZZ1 2AA", 52.4600, -0.9876, True),
    ("NN1 1AA", 52.4300, -1.0300, False),
]


@pytest.fixture()
def gazetteer(app_ctx):
    service._cache.clear()
    for postcode, lat, lon, fictional in POINTS:
        db.session.add(
            PostcodePoint(postcode=postcode, latitude=lat, longitude=lon, fictional=fictional)
        )
    db.session.commit()


def _kinds(collection) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for feature in collection["features"]:
        found.setdefault(feature["properties"]["kind"], set()).add(feature["properties"]["name"])
    return found


def test_the_background_holds_outlines_and_names_of_sectors_and_districts(client, gazetteer):
    response = client.get(URL, query_string={"bbox": BOX})
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    kinds = _kinds(response.get_json())
    assert kinds["district"] == kinds["district-label"] == {"ZZ1", "NN1"}
    assert kinds["sector"] == kinds["sector-label"] == {"ZZ1 1", "ZZ1 2", "NN1 1"}


def test_the_demo_town_gets_streets_and_places_only_from_fictional_postcodes(client, gazetteer):
    kinds = _kinds(client.get(URL, query_string={"bbox": BOX}).get_json())
    assert {"Eastbrook"} == kinds["town"]
    assert kinds["place"] == {"Town Centre"}
    assert "High Street" in kinds["street"]
    # ZZ1 1 has three postcodes, enough for a street; ZZ1 2 and NN1 1 have one.
    assert len(kinds["street"]) == 2


def test_a_box_with_no_postcodes_is_empty(client, gazetteer):
    response = client.get(URL, query_string={"bbox": "10.0,50.0,10.1,50.1"})
    assert response.get_json() == {"type": "FeatureCollection", "features": []}


def test_a_reimported_gazetteer_is_not_answered_from_the_cache(client, gazetteer):
    client.get(URL, query_string={"bbox": BOX})
    db.session.add(PostcodePoint(postcode="ZZ1 3AA", latitude=52.44, longitude=-0.99))
    db.session.commit()
    kinds = _kinds(client.get(URL, query_string={"bbox": BOX}).get_json())
    assert "ZZ1 3" in kinds["sector"]


@pytest.mark.parametrize(
    "bbox, says",
    [
        (None, "give four numbers"),
        ("1,2,3", "give four numbers"),
        ("-0.9,52.4,-1.0,52.5", "west must be less than east"),
        ("-2,50,1,53", "at most 0.4 degrees"),
        ("nan,52,1,53", "west must be less than east"),
    ],
)
def test_a_bad_box_is_refused_with_what_is_accepted(client, gazetteer, bbox, says):
    response = client.get(URL, query_string={"bbox": bbox} if bbox else {})
    assert response.status_code == 422
    assert says in response.get_data(as_text=True)


def test_names_are_escaped_for_the_map(client, app_ctx):
    service._cache.clear()
    # No postcode can hold markup, but the town's names pass map_text all the same.
    collection = service.feature_collection([], [("<b>{{ x }}</b>", [(52.0, -1.0), (52.1, -1.0)])])
    assert collection["features"][0]["properties"]["name"] == (
        "&lt;b&gt;&#123;&#123; x &#125;&#125;&lt;/b&gt;"
    )


def test_cell_names_name_council_cells_by_sector(gazetteer):
    centre = h3.latlng_to_cell(52.452, -0.987, 8)
    north = h3.latlng_to_cell(52.4600, -0.9876, 8)
    names = service.cell_names([centre, north, centre])
    assert set(names) == {centre, north}
    assert names[centre].startswith("ZZ1 1")
    assert names[north].startswith("ZZ1 2")
    assert len(set(names.values())) == 2


def test_cell_names_refuse_what_is_not_a_cell(gazetteer):
    with pytest.raises(ValueError, match="not an H3 cell id"):
        service.cell_names(["ZZ1 1"])
    assert service.cell_names([]) == {}
