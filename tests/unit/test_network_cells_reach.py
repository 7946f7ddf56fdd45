"""The walking-reach index gives exactly the brute-force geopy answer."""

from __future__ import annotations

import math

import h3
import numpy as np
import pytest
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betterway_map.domain.geo.sphere import (
    GEODESIC_PER_SPHERE_MAX,
    GEODESIC_PER_SPHERE_MIN,
    sphere_m,
)
from betterway_map.domain.network.reach import ReachIndex
from tests.unit.test_network_cells_places import HOME, HOME_CELL, offset


def brute_force(points, lat, lon, walking_m):
    return [
        key for key, p_lat, p_lon in points if geodesic((lat, lon), (p_lat, p_lon)).m <= walking_m
    ]


def _wrap(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


@st.composite
def places(draw):
    """A query point anywhere (but near the poles) and 0-60 points around it,
    at most about 3 km away, some of them right at the walking distance."""
    lat = draw(st.floats(-80, 80))
    lon = draw(st.floats(-180, 180))
    walking_m = draw(st.sampled_from([150.0, 400.0, 800.0, 1500.0]))
    count = draw(st.integers(0, 60))
    points = []
    for key in range(count):
        bearing = draw(st.floats(0, 360))
        if draw(st.booleans()):
            metres = walking_m + draw(st.floats(-0.01, 0.01))  # right at the edge
        else:
            metres = draw(st.floats(0, 3000))
        p_lat, p_lon = offset((lat, lon), metres, bearing)
        points.append((key, p_lat, _wrap(p_lon)))
    return (lat, lon), points, walking_m


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(places(), st.sampled_from([6, 7, 8, 9, 10]))
def test_the_index_finds_exactly_what_brute_force_geopy_finds(case, resolution):
    (lat, lon), points, walking_m = case
    index = ReachIndex(points, resolution=resolution, walking_m=walking_m)
    assert index.within(lat, lon) == brute_force(points, lat, lon, walking_m)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(places(), st.sampled_from([7, 8, 9]))
def test_any_within_agrees_with_brute_force_for_every_query_point_of_a_cell(case, resolution):
    """Query from several homes in the same cell, with half the points allowed."""
    (lat, lon), points, walking_m = case
    cell = h3.latlng_to_cell(lat, lon, resolution)
    homes = [(lat, lon)] + [offset((lat, lon), 40.0 * i, 70.0 * i) for i in range(1, 5)]
    homes = [home for home in homes if h3.latlng_to_cell(*home, resolution) == cell]
    index = ReachIndex(points, resolution=resolution, walking_m=walking_m)
    allowed = np.array([key % 2 == 0 for key, _, _ in points], dtype=bool)
    answer = index.any_within(cell, [h[0] for h in homes], [h[1] for h in homes], allowed)
    allowed_points = [p for p in points if p[0] % 2 == 0]
    expected = [bool(brute_force(allowed_points, *home, walking_m)) for home in homes]
    assert answer.tolist() == expected


def test_search_cells_cover_the_walk_from_every_corner_of_the_cell():
    """From each vertex of the home cell, every point 800 m away in 36
    directions lies in one of the cells searched."""
    index = ReachIndex([], resolution=8, walking_m=800)
    searched = set(index.search_cells(HOME_CELL))
    for corner in h3.cell_to_boundary(HOME_CELL):
        for bearing in range(0, 360, 10):
            assert h3.latlng_to_cell(*offset(corner, 800, bearing), 8) in searched


@pytest.mark.parametrize(("walking_m", "cells"), [(800, 19), (100, 7), (2000, 61)])
def test_search_radius_grows_with_the_walking_distance(walking_m, cells):
    index = ReachIndex([], resolution=8, walking_m=walking_m)
    assert len(index.search_cells(HOME_CELL)) == cells


def test_a_walk_too_long_for_the_resolution_is_refused():
    index = ReachIndex([], resolution=15, walking_m=50_000)
    with pytest.raises(ValueError, match="50000.0 m is too far for H3 resolution 15"):
        index.search_cells(h3.latlng_to_cell(*HOME, 15))


def test_a_coarse_resolution_searches_the_whole_globe_when_it_must():
    index = ReachIndex([("far", -HOME[0], _wrap(HOME[1] + 180))], resolution=0, walking_m=2.1e7)
    assert index.within(*HOME) == ["far"]


@given(
    st.floats(-89, 89),
    st.floats(-180, 180),
    st.floats(-89, 89),
    st.floats(-180, 180),
)
@settings(max_examples=300, deadline=None)
def test_the_sphere_bounds_hold_for_any_pair_of_points(lat1, lon1, lat2, lon2):
    """geodesic / great-circle on the sphere of radius a stays within the bounds."""
    exact_m = geodesic((lat1, lon1), (lat2, lon2)).m
    a, b = np.radians([lat1, lon1]), np.radians([lat2, lon2])
    sphere_m_ = float(sphere_m(a[0], a[1], math.cos(a[0]), b[0], b[1], math.cos(b[0])))
    assert GEODESIC_PER_SPHERE_MIN * sphere_m_ - 1e-6 <= exact_m
    assert exact_m <= GEODESIC_PER_SPHERE_MAX * sphere_m_ + 1e-6


@pytest.mark.parametrize(
    ("point", "message"),
    [
        (("x", 91.0, 0.0), "x has latitude 91.0"),
        (("y", 0.0, -180.5), "y has latitude 0.0 and longitude -180.5"),
        (("z", math.nan, 0.0), "z has latitude nan"),
    ],
)
def test_a_point_off_the_globe_is_refused_by_name(point, message):
    with pytest.raises(ValueError, match=message):
        ReachIndex([point])


def test_a_query_off_the_globe_is_refused():
    with pytest.raises(ValueError, match="the point searched from has latitude 100"):
        ReachIndex([]).within(100, 0)
