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
   With few places (``SCAN_MAX``, a town's) there is no tree: every place
   goes on to step 2, which costs less than asking a tree.
2. For those it bounds each geodesic distance from the great circle (below
   and above, ``sphere.py``): surely within, surely beyond, or too close to
   call, and measures exactly only the last (a band about 1% of the radius
   wide at its edge).
3. ``nearest_first`` picks the first ``count`` of some items placed at those
   places (a group at its space: several items share a place) in the order
   (distance, kind, id) without measuring or sorting the rest: places whose
   lower bound is beyond the ``count``-th smallest upper bound are set
   aside at once (``count`` items are surely nearer), the others are
   measured and only their items sorted.

Places are measured many at once with the same algorithm in C
(``distance.distances_km``), which may differ from ``distance_km`` in the
last bits, never by ``C_GEODESIC_SPREAD_KM`` (a micrometre). So that every
decision is still the brute-force search's, a place whose distance is that
close to the radius, or to another place's distance, is measured again with
``distance_km`` (with every place at the same point, so that places at one
point keep one distance). The order and the set of places are then the
brute-force search's exactly; the distances shown agree with it to within
a micrometre.

Coordinates are ``(lat, lon)`` in degrees; distances in kilometres.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from betterway_map.domain.geo.distance import (
    C_GEODESIC_SPREAD_KM,
    distance_km,
    distances_km,
)
from betterway_map.domain.geo.sphere import (
    ABS_SLACK_M,
    GEODESIC_PER_SPHERE_MAX,
    GEODESIC_PER_SPHERE_MIN,
    REL_SLACK,
    SPHERE_RADIUS_M,
    sphere_m,
)

__all__ = ["PlaceIndex", "Around", "SCAN_MAX", "nearest_first", "unit_vectors"]

# The k-d tree's ball is widened by this much (relative) for rounding in
# the unit vectors and in its own Euclidean distances.
_CHORD_SLACK = 1e-9
# Up to this many places, a search bounds the distance of every one (a few
# microseconds on numpy arrays) rather than asking a k-d tree which to bound.
SCAN_MAX = 512


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

    def __len__(self) -> int:
        return len(self.positions)

    def measure(self, which) -> None:
        """Measure the places at ``which`` (indices into ``positions``) that
        are not measured yet, all at once in C."""
        which = np.asarray(which, dtype=np.intp)
        which = which[np.isnan(self.exact_km[which])]
        if len(which):
            self.exact_km[which] = distances_km(
                self.lat, self.lon, self.lats_deg[which], self.lons_deg[which]
            )

    def settle(self, which) -> None:
        """Measure the places at ``which`` again with the reference
        ``distance_km``, and every place at the same point with them."""
        if not len(which):
            return
        for j in np.unique(np.asarray(which, dtype=np.intp)).tolist():
            lat, lon = float(self.lats_deg[j]), float(self.lons_deg[j])
            same = (self.lats_deg == lat) & (self.lons_deg == lon)
            self.exact_km[same] = distance_km(self.lat, self.lon, lat, lon)

    def settle_ties(self, which) -> None:
        """Settle the measured places at ``which`` whose distance is within
        ``C_GEODESIC_SPREAD_KM`` of another's at a different point, so that
        their order is the reference's."""
        which = np.asarray(which, dtype=np.intp)
        if len(which) < 2:
            return
        order = which[np.argsort(self.exact_km[which], kind="stable")]
        close = np.flatnonzero(np.diff(self.exact_km[order]) <= C_GEODESIC_SPREAD_KM)
        if not len(close):  # no two within the spread: nothing to settle
            return
        apart = (self.lats_deg[order[close]] != self.lats_deg[order[close + 1]]) | (
            self.lons_deg[order[close]] != self.lons_deg[order[close + 1]]
        )
        close = close[apart]
        if len(close):
            self.settle(np.concatenate([order[close], order[close + 1]]))

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

    def __init__(self, lats_deg, lons_deg, scan_max: int = SCAN_MAX) -> None:
        self.lats_deg = np.asarray(lats_deg, dtype=float)
        self.lons_deg = np.asarray(lons_deg, dtype=float)
        self._lat = np.radians(self.lats_deg)
        self._lon = np.radians(self.lons_deg)
        self._cos = np.cos(self._lat)
        # Few places (a town's): every one is bounded at each search, no tree.
        self._scan = len(self.lats_deg) <= scan_max
        points = unit_vectors(self.lats_deg, self.lons_deg)
        self._tree = cKDTree(points) if len(points) and not self._scan else None

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
        lat_rad, lon_rad = math.radians(lat), math.radians(lon)
        cos_lat = math.cos(lat_rad)
        point = (cos_lat * math.cos(lon_rad), cos_lat * math.sin(lon_rad), math.sin(lat_rad))
        found = self._tree.query_ball_point(point, chord, return_sorted=False)
        found = np.asarray(found, dtype=np.intp)
        found.sort()
        return found

    def around(self, lat: float, lon: float, radius_km: float) -> Around:
        """The places within ``radius_km`` (geodesic) of (lat, lon); exactly
        ``radius_km`` away is within."""
        radius_m = radius_km * 1000.0
        beyond_m = (radius_m + ABS_SLACK_M) / GEODESIC_PER_SPHERE_MIN * (1.0 + REL_SLACK)
        lat_rad, lon_rad = math.radians(lat), math.radians(lon)
        cos_lat = math.cos(lat_rad)
        if self._scan:  # every place on the sphere, then those that may be within
            every_m = sphere_m(lat_rad, lon_rad, cos_lat, self._lat, self._lon, self._cos)
            found = np.flatnonzero(every_m <= beyond_m)
            great_circle_m = every_m[found]
        else:
            found = self._candidates(lat, lon, beyond_m)
            great_circle_m = sphere_m(
                lat_rad, lon_rad, cos_lat, self._lat[found], self._lon[found], self._cos[found]
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
        unsure_at = np.flatnonzero(unsure)
        if len(unsure_at):
            near.measure(unsure_at)
            # On the radius to within the C geodesic's spread: the reference decides.
            off = np.abs(near.exact_km[unsure_at] - radius_km)
            near.settle(unsure_at[off <= C_GEODESIC_SPREAD_KM])
            return near.subset(surely | (unsure & (near.exact_km <= radius_km)))
        return near.subset(surely)


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
    reach = np.zeros(len(around), dtype=bool)
    reach[points_in_reach] = True  # (a mask, not np.unique: no sort)
    around.measure(np.flatnonzero(reach))
    around.settle_ties(np.flatnonzero(~np.isnan(around.exact_km)))  # every place measured
    chosen = np.flatnonzero(~np.isnan(around.exact_km[points]))
    exact = around.exact_km[points[chosen]]
    order = np.lexsort((np.asarray(ids)[chosen], np.asarray(kinds)[chosen], exact))[:count]
    return chosen[order], exact[order]
