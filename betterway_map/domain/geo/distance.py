"""What is near a point: bounding boxes, geodesic distances and a total order.

A search for offers of help reads only the homes inside a latitude/longitude
box from an index, then measures the exact geodesic distance to those few.
For that to give the same answer as measuring every row, the box must
contain the whole geodesic circle; ``bounding_box`` proves it does with two
bounds on the WGS-84 ellipsoid (see its docstring), taken at the circle's
widest point rather than at its centre, since meridians converge towards the
pole. (Groups and spaces are found by ``nearest.PlaceIndex``.)

Distances are computed exactly as ``geopy.distance.geodesic`` computes them
(geographiclib's ``Inverse`` on geopy's WGS-84 ellipsoid, in kilometres), so
a brute-force geopy search and ours agree to the last bit. ``distances_km``
measures many at once with the same algorithm (Karney's) in C, PROJ's
``geodesic.c`` through pyproj: each of the two is within 15 nanometres of the
true geodesic, so they differ by less than ``C_GEODESIC_SPREAD_KM``; where a
decision rests on a difference that small, the caller measures again with
``distance_km`` (``nearest.py``).

Offers of help are placed at a volunteer's home, which must never be shown:
``coarse_point`` snaps a home to the centre of a grid cell about a kilometre
across and ``approximate_km`` rounds up to the next half kilometre, so what is
shown never pins down the home, however many searches are made.

Coordinates are ``(lat, lon)`` in decimal degrees throughout.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import time

import numpy as np
from geographiclib.geodesic import Geodesic
from geopy.distance import ELLIPSOIDS
from pyproj import Geod

__all__ = [
    "BoundingBox",
    "bounding_box",
    "distance_km",
    "distances_km",
    "C_GEODESIC_SPREAD_KM",
    "sort_key",
    "KIND_ORDER",
    "RADIUS_STEPS_KM",
    "next_radius_km",
    "coarse_point",
    "approximate_km",
    "OFFER_MARGIN_KM",
    "part_of_day",
    "PARTS_OF_DAY",
]

# geopy's WGS-84: semi-major axis (km), semi-minor axis (km), flattening.
EQUATORIAL_RADIUS_KM, _POLAR_RADIUS_KM, FLATTENING = ELLIPSOIDS["WGS-84"]
_ECCENTRICITY_SQUARED = FLATTENING * (2 - FLATTENING)
# The smallest meridional radius of curvature, a(1 - e²), reached at the
# equator: no path of length s changes latitude by more than s / this.
MERIDIAN_RADIUS_MIN_KM = EQUATORIAL_RADIUS_KM * (1 - _ECCENTRICITY_SQUARED)
_GEODESIC = Geodesic(EQUATORIAL_RADIUS_KM, FLATTENING)
_C_GEODESIC = Geod(a=EQUATORIAL_RADIUS_KM, f=FLATTENING)
# The most ``distances_km`` and ``distance_km`` can differ by, with a wide
# margin: each is within 15 nm (1.5e-11 km) of the true distance (Karney,
# "Algorithms for geodesics", 2013); the most seen is 2.7e-12 km
# (tests/unit/test_geo_distance_c.py).
C_GEODESIC_SPREAD_KM = 1e-9
# Up to this many points, one call each is quicker than one call for all
# (about 1.7 µs a point against 18 µs to set up the arrays; the same values).
_ONE_BY_ONE = 16
# Covers floating-point rounding in the box's arithmetic (about 1 mm).
_SLACK_DEG = 1e-8

# The order of kinds when two results are equally far (a group and the space
# it meets at always are).
KIND_ORDER = {"group": 0, "space": 1, "offer": 2}
# The radii a search page offers, and the steps by which "widen the search" grows.
RADIUS_STEPS_KM = (0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0)

# A volunteer's home is snapped to the centre of a cell this many degrees
# across (about 1.1 km north to south, 0.7 km east to west in Britain).
COARSE_CELL_DEG = 0.01
# The farthest a snapped point lies from the home it stands for, rounded up.
OFFER_MARGIN_KM = 1.0
APPROXIMATE_STEP_KM = 0.5

# Starts before noon are morning, before 17:00 afternoon, the rest evening.
PARTS_OF_DAY = (("morning", "Morning"), ("afternoon", "Afternoon"), ("evening", "Evening"))
_NOON, _FIVE_PM = time(12), time(17)


@dataclass(frozen=True)
class BoundingBox:
    """A latitude band and one or two longitude ranges (two when the box
    crosses the antimeridian); every bound is inclusive."""

    south: float
    north: float
    longitudes: tuple[tuple[float, float], ...]

    def contains(self, lat: float, lon: float) -> bool:
        """True when (lat, lon) lies in the box.

        >>> bounding_box(51.5, -0.1, 2).contains(51.51, -0.1)
        True
        """
        return self.south <= lat <= self.north and any(
            west <= lon <= east for west, east in self.longitudes
        )


def bounding_box(lat: float, lon: float, radius_km: float) -> BoundingBox:
    """A box that contains every point within ``radius_km`` (geodesic) of (lat, lon).

    Along any path of length s on the WGS-84 ellipsoid, latitude changes by
    at most s / M_min (M_min = a(1 - e²), the smallest meridional radius of
    curvature) and longitude by at most s / (a cos φ), where a (≤ the prime
    vertical radius N) is the equatorial radius and φ is the path's latitude
    farthest from the equator. The shortest path to any point of the circle
    has length at most ``radius_km`` and stays within the latitude band, so
    taking φ at the band's poleward edge (the circle's widest point, not its
    centre) bounds the longitude of every such point. Near a pole the box
    takes every longitude.

    >>> box = bounding_box(54.0, -2.0, 5.0)
    >>> round(box.north - 54.0, 4), round(box.longitudes[0][1] + 2.0, 4)
    (0.0452, 0.0765)
    >>> bounding_box(10.0, 179.99, 5.0).longitudes[1][0]
    -180.0
    """
    half_height_deg = math.degrees(radius_km / MERIDIAN_RADIUS_MIN_KM) + _SLACK_DEG
    south, north = max(-90.0, lat - half_height_deg), min(90.0, lat + half_height_deg)
    widest_deg = abs(lat) + half_height_deg
    if widest_deg >= 90.0:
        return BoundingBox(south, north, ((-180.0, 180.0),))
    parallel_radius_km = EQUATORIAL_RADIUS_KM * math.cos(math.radians(widest_deg))
    half_width_deg = math.degrees(radius_km / parallel_radius_km) + _SLACK_DEG
    if half_width_deg >= 180.0:
        return BoundingBox(south, north, ((-180.0, 180.0),))
    west, east = lon - half_width_deg, lon + half_width_deg
    if west < -180.0:
        ranges = ((west + 360.0, 180.0), (-180.0, east))
    elif east > 180.0:
        ranges = ((west, 180.0), (-180.0, east - 360.0))
    else:
        ranges = ((west, east),)
    return BoundingBox(south, north, ranges)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The geodesic distance in km, exactly as ``geopy.distance.geodesic(...).km``.

    >>> round(distance_km(51.5, -0.1, 51.5, -0.2), 3)
    6.944
    """
    return _GEODESIC.Inverse(lat1, lon1, lat2, lon2, Geodesic.DISTANCE)["s12"]


def distances_km(lat: float, lon: float, lats, lons) -> np.ndarray:
    """Geodesic distances in km from (lat, lon) to each of ``lats``, ``lons``
    (arrays of degrees), in C: each within ``C_GEODESIC_SPREAD_KM`` of
    ``distance_km``'s, not always equal to the last bit.

    >>> distances_km(51.5, -0.1, [51.5, 51.5], [-0.2, -0.1]).round(3).tolist()
    [6.944, 0.0]
    """
    lats = np.asarray(lats, dtype=float)
    lons = np.asarray(lons, dtype=float)
    if lats.size <= _ONE_BY_ONE:  # pyproj's path for single points: the same C, less to set up
        inverse = _C_GEODESIC.inv
        return np.array(
            [
                inverse(lon, lat, each_lon, each_lat, return_back_azimuth=False)[2]
                for each_lat, each_lon in zip(lats.tolist(), lons.tolist(), strict=True)
            ],
            dtype=float,
        )
    starts = np.full(lats.shape, lat, dtype=float), np.full(lats.shape, lon, dtype=float)
    return _C_GEODESIC.inv(starts[1], starts[0], lons, lats, return_back_azimuth=False)[2]


def sort_key(distance: float, kind: str, record_id: int) -> tuple:
    """Nearest first; equal distances by kind (group, space, offer), then id.

    >>> sorted([(1.0, "space", 2), (1.0, "group", 9), (0.5, "space", 3)],
    ...        key=lambda r: sort_key(*r))
    [(0.5, 'space', 3), (1.0, 'group', 9), (1.0, 'space', 2)]
    """
    return (distance, KIND_ORDER[kind], record_id)


def next_radius_km(radius_km: float) -> float | None:
    """The next step up from ``radius_km``, or None past the largest.

    >>> next_radius_km(2), next_radius_km(3), next_radius_km(50)
    (5.0, 5.0, None)
    """
    return next((step for step in RADIUS_STEPS_KM if step > radius_km), None)


def coarse_point(lat: float, lon: float) -> tuple[float, float]:
    """The centre of the grid cell that holds (lat, lon): a home made vague.

    >>> coarse_point(51.50712, -0.12758)
    (51.505, -0.125)
    """
    cells = (math.floor(lat / COARSE_CELL_DEG), math.floor(lon / COARSE_CELL_DEG))
    return tuple(round((cell + 0.5) * COARSE_CELL_DEG, 6) for cell in cells)


def approximate_km(distance: float) -> float:
    """A distance rounded up to the next half kilometre (never below 0.5).

    >>> approximate_km(0.01), approximate_km(1.0), approximate_km(1.01)
    (0.5, 1.0, 1.5)
    """
    steps = max(1, math.ceil(distance / APPROXIMATE_STEP_KM))
    return steps * APPROXIMATE_STEP_KM


def part_of_day(start: time) -> str:
    """ "morning" (before 12:00), "afternoon" (before 17:00) or "evening".

    >>> part_of_day(time(11, 59)), part_of_day(time(12)), part_of_day(time(17))
    ('morning', 'afternoon', 'evening')
    """
    if start < _NOON:
        return "morning"
    return "afternoon" if start < _FIVE_PM else "evening"
