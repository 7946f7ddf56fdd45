"""Great-circle distances on arrays, and how far the geodesic can be from them.

The exact geodesic (``distance.distance_km``, as geopy measures it) costs
tens of microseconds a pair in pure Python; the great-circle (haversine)
distance on a sphere costs a few nanoseconds a pair on numpy arrays. The
bounds below let the cheap distance decide most questions ("within the
radius?", "nearer than that one?") and leave the exact measure for the few
pairs it cannot decide.

Why the cheap distance can decide (the bounds): on the WGS-84 ellipsoid the
length of any path, in geodetic (lat, lon), is between (1 - e²) and
1 / sqrt(1 - e²) times its length on a sphere of the equatorial radius a in
the same coordinates, because the ellipsoid's radii of curvature lie between
a(1 - e²) and a / sqrt(1 - e²). So the geodesic distance is between
``GEODESIC_PER_SPHERE_MIN`` and ``GEODESIC_PER_SPHERE_MAX`` times the
great-circle (haversine) distance: 0.9933 to 1.0034. ``REL_SLACK`` and
``ABS_SLACK_M`` widen the bounds to cover floating-point rounding.

Angles in radians, distances in metres.
"""

from __future__ import annotations

import math

import numpy as np
from geopy.distance import ELLIPSOIDS

__all__ = [
    "SPHERE_RADIUS_M",
    "GEODESIC_PER_SPHERE_MIN",
    "GEODESIC_PER_SPHERE_MAX",
    "REL_SLACK",
    "ABS_SLACK_M",
    "sphere_m",
    "sphere_one_m",
]

_A_KM, _B_KM, _FLATTENING = ELLIPSOIDS["WGS-84"]
_E2 = _FLATTENING * (2 - _FLATTENING)
SPHERE_RADIUS_M = _A_KM * 1000.0
# Geodesic distance over great-circle distance on the sphere of radius a.
GEODESIC_PER_SPHERE_MIN = 1.0 - _E2
GEODESIC_PER_SPHERE_MAX = 1.0 / math.sqrt(1.0 - _E2)
# Covers floating-point rounding in the bounds (relative, and about 1 mm).
REL_SLACK = 1e-9
ABS_SLACK_M = 1e-3


def sphere_m(lat1, lon1, cos1, lat2, lon2, cos2):
    """Great-circle distance on the sphere of radius a (radians in, metres out), on arrays.

    ``cos1`` and ``cos2`` are the cosines of the latitudes, passed in so that
    they are worked out once per point rather than once per pair.

    >>> lat = np.radians([51.5, 51.6])
    >>> d = sphere_m(lat[0], 0.0, np.cos(lat[0]), lat, np.zeros(2), np.cos(lat))
    >>> [round(float(x), 1) for x in d]
    [0.0, 11131.9]
    """
    h = np.sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * np.sin((lon2 - lon1) / 2) ** 2
    return 2.0 * SPHERE_RADIUS_M * np.arcsin(np.sqrt(np.minimum(h, 1.0)))


def sphere_one_m(lat1, lon1, cos1, lat2, lon2, cos2) -> float:
    """``sphere_m`` for one pair of points, without numpy's overhead."""
    h = math.sin((lat2 - lat1) / 2) ** 2 + cos1 * cos2 * math.sin((lon2 - lon1) / 2) ** 2
    return 2.0 * SPHERE_RADIUS_M * math.asin(math.sqrt(min(h, 1.0)))
