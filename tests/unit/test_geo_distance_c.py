"""The C geodesic (``distances_km``, PROJ through pyproj) against the
reference (``distance_km``, geographiclib as geopy uses it): never farther
apart than ``C_GEODESIC_SPREAD_KM``, and where a search's decision rests on
a difference that small the reference decides."""

from __future__ import annotations

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

from betterway_map.domain.geo.distance import C_GEODESIC_SPREAD_KM, distance_km, distances_km
from betterway_map.domain.geo.nearest import PlaceIndex, nearest_first


@pytest.mark.parametrize("span_deg", [0.001, 0.05, 0.5, 5.0, 60.0])
def test_the_c_geodesic_is_within_the_spread_of_the_reference(span_deg):
    rng = np.random.default_rng(int(span_deg * 1000))
    lat, lon = rng.uniform(-85, 85, 2000), rng.uniform(-180, 180, 2000)
    lat2 = np.clip(lat + rng.uniform(-span_deg, span_deg, 2000), -90, 90)
    lon2 = lon + rng.uniform(-span_deg, span_deg, 2000)
    for a, o, a2, o2 in zip(lat.tolist(), lon.tolist(), lat2.tolist(), lon2.tolist(), strict=True):
        fast = distances_km(a, o, [a2], [o2])[0]
        # The spread leaves a margin of a hundred times (about 3e-12 km seen).
        assert abs(fast - distance_km(a, o, a2, o2)) <= C_GEODESIC_SPREAD_KM / 100


def test_the_c_geodesic_takes_empty_arrays_and_a_point_to_itself():
    assert distances_km(52.0, -1.0, [], []).tolist() == []
    assert distances_km(52.0, -1.0, [52.0], [-1.0]).tolist() == [0.0]


def test_a_place_a_hair_inside_the_radius_is_decided_by_the_reference():
    # Points whose distance the C geodesic and the reference may put either
    # side of a radius equal to the reference's distance: always within.
    origin = (51.4, -2.3)
    for bearing in range(0, 360, 7):
        edge = Geodesic.WGS84.Direct(*origin, bearing, 1234.5678)
        radius_km = geodesic(origin, (edge["lat2"], edge["lon2"])).km
        index = PlaceIndex([edge["lat2"]], [edge["lon2"]])
        near = index.around(*origin, radius_km)
        assert near.positions.tolist() == [0]
        assert near.exact_km.tolist() == [radius_km]  # measured again with the reference
        assert index.around(*origin, np.nextafter(radius_km, 0)).positions.tolist() == []


def test_places_as_far_to_within_rounding_are_ordered_as_the_reference_orders_them():
    # Mirror images across the origin's meridian: the same distance to
    # within rounding, at different points; several places at each point.
    origin = (53.0, -1.5)
    lats, lons = [], []
    for bearing in (30.0, 75.0, 140.0):
        east = Geodesic.WGS84.Direct(*origin, bearing, 800.0)
        west = Geodesic.WGS84.Direct(*origin, -bearing, 800.0)
        for point in (east, west, east):
            lats.append(point["lat2"])
            lons.append(point["lon2"])
    index = PlaceIndex(lats, lons)
    near = index.around(*origin, 2.0)
    places = np.arange(len(lats))
    picked, km = nearest_first(near, places, np.zeros(len(lats), np.int8), places[::-1] + 1, 9)
    reference = [distance_km(*origin, a, o) for a, o in zip(lats, lons, strict=True)]
    expected = sorted(range(len(lats)), key=lambda j: (reference[j], len(lats) - j))
    assert picked.tolist() == expected
    assert km.tolist() == [reference[j] for j in expected]  # settled: the reference's own
    # Places at one point keep one distance.
    assert km[picked.tolist().index(0)] == km[picked.tolist().index(2)]


def test_few_points_one_by_one_give_what_many_at_once_give():
    rng = np.random.default_rng(5)
    lats, lons = 52.45 + rng.uniform(-0.5, 0.5, 40), -0.98 + rng.uniform(-0.5, 0.5, 40)
    many = distances_km(52.45, -0.98, lats, lons)  # above the one-by-one size: one call
    few = np.concatenate([distances_km(52.45, -0.98, lats[i : i + 8], lons[i : i + 8])
                          for i in range(0, 40, 8)])  # fmt: skip
    assert few.tolist() == many.tolist()
