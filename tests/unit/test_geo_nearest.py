"""Radius search and "nearest first" over a place index give exactly the
brute-force geopy answer: every place measured with ``geopy.distance.geodesic``,
kept when within the radius, items sorted by (distance, kind, id) — the same
places and the same order, the distances to within a micrometre (places are
measured in C, ``distance.distances_km``, and again with the reference where
a decision is that close)."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.domain.geo.distance import C_GEODESIC_SPREAD_KM
from betterway_map.domain.geo.nearest import SCAN_MAX, PlaceIndex, nearest_first

EDGE_KM = st.floats(min_value=0.0005, max_value=0.005)  # half a metre to five metres


@st.composite
def scenes(draw):
    """An origin (anywhere but the poles; the UK's latitudes most often), a
    radius, places around it (some a few metres either side of the edge or
    on it, some sharing a point, some as far as another to within rounding)
    and items at the places (several at one place)."""
    lat = draw(st.one_of(st.floats(49.9, 60.9), st.floats(-85, 85)))
    lon = draw(st.floats(-180, 180))
    radius_km = draw(st.floats(0.1, 50.0))
    places = []
    for _ in range(draw(st.integers(0, 40))):
        how = draw(
            st.sampled_from(
                [
                    "anywhere",
                    "inside edge",
                    "outside edge",
                    "same as one",
                    "as far as one",
                    "on edge",
                ]
            )
        )
        if how == "same as one" and places:
            places.append(draw(st.sampled_from(places)))
            continue
        if how == "as far as one" and places:  # another point, as far to within rounding
            km = geodesic((lat, lon), draw(st.sampled_from(places))).km
        elif how == "on edge":
            km = radius_km
        elif how in ("anywhere", "as far as one", "same as one"):
            km = draw(st.floats(0, 2.0)) * radius_km
        else:
            km = radius_km + draw(EDGE_KM) * (-1 if how == "inside edge" else 1)
        found = Geodesic.WGS84.Direct(lat, lon, draw(st.floats(0, 360)), km * 1000)
        places.append((found["lat2"], found["lon2"]))
    items = draw(
        st.lists(
            st.tuples(st.integers(0, 200), st.integers(0, 2), st.integers(1, 30)),
            max_size=60,
            unique_by=lambda item: (item[1], item[2]),  # (kind, id) names one item
        )
    )
    return (lat, lon), radius_km, places, items, draw(st.integers(0, 70))


# Both ways of finding the places to bound: every place (a town's few), or a k-d tree's.
WAYS = [SCAN_MAX, 0]
WAY_IDS = ["every place", "k-d tree"]


@settings(max_examples=300, deadline=None)
@given(scene=scenes(), scan_max=st.sampled_from(WAYS))
def test_around_and_nearest_first_equal_a_brute_force_geopy_search(scene, scan_max):
    (lat, lon), radius_km, places, items, count = scene
    index = PlaceIndex([p[0] for p in places], [p[1] for p in places], scan_max)
    near = index.around(lat, lon, radius_km)

    exact = [geodesic((lat, lon), place).km for place in places]
    within = [p for p, km in enumerate(exact) if km <= radius_km]
    assert near.positions.tolist() == within

    # Items at the places within (an item names a place by its rank among them).
    placed = [(at % len(within), kind, i) for at, kind, i in items] if within else []
    expected = sorted((exact[within[at]], kind, i) for at, kind, i in placed)[:count]
    points = np.array([at for at, _, _ in placed], dtype=np.intp)
    kinds = np.array([kind for _, kind, _ in placed], dtype=np.int8)
    ids = np.array([i for _, _, i in placed], dtype=np.int64)
    picked, km = nearest_first(near, points, kinds, ids, count)
    found = [(int(kinds[j]), int(ids[j])) for j in picked.tolist()]
    assert found == [(kind, i) for _, kind, i in expected]  # same items, same order
    assert np.abs(km - [d for d, _, _ in expected]).max(initial=0) <= C_GEODESIC_SPREAD_KM


@pytest.mark.parametrize("scan_max", WAYS, ids=WAY_IDS)
def test_a_place_exactly_on_the_radius_is_within(scan_max):
    edge = Geodesic.WGS84.Direct(52.0, -1.0, 37.0, 1500.0)
    radius_km = geodesic((52.0, -1.0), (edge["lat2"], edge["lon2"])).km
    index = PlaceIndex([edge["lat2"]], [edge["lon2"]], scan_max)
    assert index.around(52.0, -1.0, radius_km).positions.tolist() == [0]
    assert index.around(52.0, -1.0, np.nextafter(radius_km, 0)).positions.tolist() == []


@pytest.mark.parametrize("scan_max", WAYS, ids=WAY_IDS)
def test_places_across_the_antimeridian_are_found(scan_max):
    index = PlaceIndex([0.0, 0.0, 0.0], [179.99, -179.99, 0.0], scan_max)
    assert index.around(0.0, 180.0, 5.0).positions.tolist() == [0, 1]


@pytest.mark.parametrize("scan_max", WAYS, ids=WAY_IDS)
def test_an_empty_index_finds_nothing(scan_max):
    near = PlaceIndex([], [], scan_max).around(52.0, -1.0, 10.0)
    assert len(near) == 0
    assert nearest_first(near, [], [], [], 5)[0].tolist() == []
