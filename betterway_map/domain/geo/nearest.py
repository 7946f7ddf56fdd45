"""What is within a radius of a point, nearest first, measuring few places exactly.

The answer is the one a brute-force search gives when it measures every
place with ``geopy.distance.geodesic`` (``distance.distance_km``, the same
function), keeps those within the radius (a place exactly on it is within)
and sorts them; but only a few places are measured exactly:

1. ``PlaceIndex.around`` asks a k-d tree (scipy's ``cKDTree``, over the
   places' unit vectors on the sphere of radius a) for the places whose
   great-circle distance could make them within the radius: the geodesic
   is at least ``GEODESIC_PER_SPHERE_MIN`` times the great circle
   (``sphere.py``), so nothing farther than radius / that on the sphere is.
2. For those it bounds each geodesic distance from the great circle (below
   and above, ``sphere.py``): surely within, surely beyond, or too close to
   call, and measures exactly only the last (a band about 1% of the radius
   wide at its edge).
3. ``nearest_first`` picks the first ``count`` of some items placed at those
   places (a group at its space: several items share a place) in the order
   (distance, kind, id) without measuring or sorting the rest. It measures
   places exactly in the order of their lower bounds and stops once the
   next lower bound is beyond the ``count``-th nearest item measured so
   far: every item not measured is then surely farther than ``count``
   items that were. (Before that, places whose lower bound is beyond the
   ``count``-th smallest upper bound are set aside at once.) Only the
   measured items are sorted.

Coordinates are ``(lat, lon)`` in degrees; distances in kilometres.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial import cKDTree

from betterway_map.domain.geo.distance import distance_km
from betterway_map.domain.geo.sphere import (
    ABS_SLACK_M,
    GEODESIC_PER_SPHERE_MAX,
    GEODESIC_PER_SPHERE_MIN,
    REL_SLACK,
    SPHERE_RADIUS_M,
    sphere_m,
)

__all__ = ["PlaceIndex", "Around", "nearest_first", "unit_vectors"]

# The k-d tree's ball is widened by this much (relative) for rounding in
# the unit vectors and in its own Euclidean distances.
_CHORD_SLACK = 1e-9


def unit_vectors(lats_deg, lons_deg) -> np.ndarray:
    """Points on the unit sphere (n × 3) for latitudes and longitudes in degrees.

    >>> unit_vectors([0.0, 90.0], [0.0, 0.0]).round(6).tolist()
    [[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]]
    """
    lat = np.radians(np.asarray(lats_deg, dtype=float))
    lon = np.radians(np.asarray(lons_deg, dtype=float))
    cos_lat = np.cos(lat)
    return np.column_stack((cos_lat * np.cos(lon), cos_lat * np.sin(lon), np.sin(lat)))


@dataclass
class Around:
    """The places within ``radius_km`` of (lat, lon), in index order.

    ``positions`` are the places' positions in the index; ``low_km`` and
    ``high_km`` bound each one's geodesic distance; ``exact_km`` holds the
    distances measured so far (NaN for the others: ``measure`` fills them in).
    """

    lat: float
    lon: float
    radius_km: float
    positions: np.ndarray
    low_km: np.ndarray
    high_km: np.ndarray
    exact_km: np.ndarray
    lats_deg: np.ndarray
    lons_deg: np.ndarray
    # Distances measured, by point: places that share a point (spaces placed
    # at one postcode) are measured once.
    measured: dict = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return len(self.positions)

    def measure(self, which) -> None:
        """Measure exactly the places at ``which`` (indices into ``positions``)
        that are not measured yet."""
        which = np.asarray(which, dtype=np.intp)
        for j in which[np.isnan(self.exact_km[which])].tolist():
            self.measure_one(j)

    def measure_one(self, j: int) -> float:
        """The exact distance to the place at ``j``, measured if need be."""
        found = self.exact_km[j]
        if found != found:  # NaN: not measured yet
            point = (float(self.lats_deg[j]), float(self.lons_deg[j]))
            found = self.measured.get(point)
            if found is None:
                found = self.measured[point] = distance_km(self.lat, self.lon, *point)
            self.exact_km[j] = found
        return float(found)

    def subset(self, keep: np.ndarray) -> Around:
        """The same, for the places ``keep`` (a mask or indices) only."""
        return Around(
            self.lat,
            self.lon,
            self.radius_km,
            self.positions[keep],
            self.low_km[keep],
            self.high_km[keep],
            self.exact_km[keep],
            self.lats_deg[keep],
            self.lons_deg[keep],
            self.measured,
        )


class PlaceIndex:
    """Places for exact radius queries (see the module).

    Examples
    --------
    >>> index = PlaceIndex([52.5, 52.52, 52.6], [-1.5, -1.5, -1.5])
    >>> near = index.around(52.5, -1.5, 2.5)
    >>> near.positions.tolist()
    [0, 1]
    >>> picked, km = nearest_first(near, np.array([1, 0]), np.array([0, 0]), np.array([7, 8]), 1)
    >>> picked.tolist(), round(float(km[0]), 6)
    ([1], 0.0)
    """

    def __init__(self, lats_deg, lons_deg) -> None:
        self.lats_deg = np.asarray(lats_deg, dtype=float)
        self.lons_deg = np.asarray(lons_deg, dtype=float)
        self._lat = np.radians(self.lats_deg)
        self._lon = np.radians(self.lons_deg)
        self._cos = np.cos(self._lat)
        points = unit_vectors(self.lats_deg, self.lons_deg)
        self._tree = cKDTree(points) if len(points) else None

    def __len__(self) -> int:
        return len(self.lats_deg)

    def _candidates(self, lat: float, lon: float, beyond_m: float) -> np.ndarray:
        """Positions of the places within ``beyond_m`` great-circle metres (and a few more)."""
        angle = beyond_m / SPHERE_RADIUS_M
        if self._tree is None:
            return np.empty(0, dtype=np.intp)
        if angle >= math.pi:
            return np.arange(len(self), dtype=np.intp)
        chord = 2.0 * math.sin(angle / 2.0) * (1.0 + _CHORD_SLACK) + _CHORD_SLACK
        found = self._tree.query_ball_point(
            unit_vectors([lat], [lon])[0], chord, return_sorted=False
        )
        found = np.asarray(found, dtype=np.intp)
        found.sort()
        return found

    def around(self, lat: float, lon: float, radius_km: float) -> Around:
        """The places within ``radius_km`` (geodesic) of (lat, lon); exactly
        ``radius_km`` away is within."""
        radius_m = radius_km * 1000.0
        beyond_m = (radius_m + ABS_SLACK_M) / GEODESIC_PER_SPHERE_MIN * (1.0 + REL_SLACK)
        found = self._candidates(lat, lon, beyond_m)
        lat_rad, lon_rad = math.radians(lat), math.radians(lon)
        great_circle_m = sphere_m(
            lat_rad,
            lon_rad,
            math.cos(lat_rad),
            self._lat[found],
            self._lon[found],
            self._cos[found],
        )
        high_m = great_circle_m * GEODESIC_PER_SPHERE_MAX * (1.0 + REL_SLACK) + ABS_SLACK_M
        low_m = great_circle_m * GEODESIC_PER_SPHERE_MIN / (1.0 + REL_SLACK) - ABS_SLACK_M
        surely = high_m <= radius_m
        unsure = ~surely & (low_m <= radius_m)
        # (The bounds' slack of a millimetre covers rounding in kilometres.)
        near = Around(
            lat,
            lon,
            radius_km,
            found,
            low_m / 1000.0,
            high_m / 1000.0,
            np.full(len(found), np.nan),
            self.lats_deg[found],
            self.lons_deg[found],
        )
        near.measure(np.flatnonzero(unsure))
        return near.subset(surely | (unsure & (near.exact_km <= radius_km)))


def nearest_first(around: Around, points, kinds, ids, count: int):
    """The first ``count`` items in the order (distance, kind, id).

    Parameters
    ----------
    around : Around
        Where the items are.
    points, kinds, ids : numpy integer arrays, one entry per item
        The item's place (an index into ``around.positions``), its kind (a
        number: smaller first among equal distances) and its id.
    count : int
        How many to pick.

    Returns
    -------
    (indices of the picked items in order, their exact distances in km)
    """
    points = np.asarray(points, dtype=np.intp)
    if count <= 0 or len(points) == 0:
        return np.empty(0, dtype=np.intp), np.empty(0)
    if count < len(points):
        # At least ``count`` items are no farther than ``bound``.
        bound = np.partition(around.high_km[points], count - 1)[count - 1]
        points_in_reach = points[around.low_km[points] <= bound]
    else:
        points_in_reach = points
    _measure_nearest(around, points_in_reach, count)
    chosen = np.flatnonzero(~np.isnan(around.exact_km[points]))
    exact = around.exact_km[points[chosen]]
    order = np.lexsort((np.asarray(ids)[chosen], np.asarray(kinds)[chosen], exact))[:count]
    return chosen[order], exact[order]


def _measure_nearest(around: Around, points: np.ndarray, count: int) -> None:
    """Measure exactly, nearest lower bound first, the places of ``points``
    (one entry per item) until every place not measured is surely farther
    than the ``count``-th nearest item measured."""
    places, items = np.unique(points, return_counts=True)
    low = around.low_km[places]
    order = np.argsort(low, kind="stable")
    heap: list[tuple[float, int]] = []  # (-distance, items): the nearest ``count`` items
    held = 0
    for place_low, place, place_items in zip(
        low[order].tolist(), places[order].tolist(), items[order].tolist(), strict=True
    ):
        if held >= count and place_low > -heap[0][0]:
            break  # this place and all after it are beyond the count-th nearest
        heapq.heappush(heap, (-around.measure_one(place), place_items))
        held += place_items
        while held - heap[0][1] >= count:
            held -= heapq.heappop(heap)[1]
