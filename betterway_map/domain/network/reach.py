"""Walking reach: which points lie within a walking distance, exactly, without
measuring every pair.

Points (groups, spaces) are indexed by their H3 cell. A query from a point
in cell ``c`` looks only at the points of the cells near ``c`` (a
``grid_disk`` whose radius is worked out for ``c`` itself, below), sorts
those few into surely within, surely beyond and too close to call with a
cheap spherical distance, and measures the ones too close to call with the
exact geodesic — the same function as ``geopy.distance.geodesic`` — so the
answer is the one a brute-force geopy search gives, pair for pair.

Why the cheap distance can decide: the geodesic distance is between
``GEODESIC_PER_SPHERE_MIN`` and ``GEODESIC_PER_SPHERE_MAX`` times the
great-circle (haversine) distance, 0.9933 to 1.0034 (proved in
``domain.geo.sphere``). Pairs whose bounds straddle the walking distance (a
band about 8 m wide at 800 m) get the exact measure.

Why the disk is big enough (the radius k): an H3 cell's edges are
great-circle arcs, so every point of a cell lies within its radius r (the
farthest vertex from its centre) on the sphere. A path from a point of
``c`` to a point outside ``grid_disk(c, k - 1)`` must touch a cell of the
ring at distance k (cells sharing a boundary point are neighbours). If every
cell x of that ring has ``centre distance(c, x) - r(c) - r(x)`` beyond the
walking distance's spherical upper bound, nothing outside the disk is within
walking distance. k is the first ring for which that holds, found for each
cell from its own neighbours, so it stays right where cells are smaller or
distorted (about k = 3 at resolution 8 for 800 m).

Coordinates are ``(lat, lon)`` in degrees at the edges, radians inside.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable

import h3
import numpy as np

from betterway_map.domain.geo.distance import distance_km
from betterway_map.domain.geo.sphere import (
    ABS_SLACK_M,
    GEODESIC_PER_SPHERE_MAX,
    GEODESIC_PER_SPHERE_MIN,
    REL_SLACK,
    SPHERE_RADIUS_M,
    sphere_m,
    sphere_one_m,
)
from betterway_map.domain.network.defaults import H3_RESOLUTION, WALKING_DISTANCE_M

__all__ = [
    "ReachIndex",
    "GEODESIC_PER_SPHERE_MIN",
    "GEODESIC_PER_SPHERE_MAX",
    "SPHERE_RADIUS_M",
    "check_point",
    "check_resolution",
    "check_settings",
]

# A cell's radius is stretched by this much for rounding in its vertices.
_RADIUS_SLACK = 1e-6
_MAX_RINGS = 60


def check_resolution(resolution: int) -> None:
    """Raise ``ValueError`` naming a bad H3 resolution.

    >>> check_resolution(16)
    Traceback (most recent call last):
    ...
    ValueError: H3 resolution must be a whole number from 0 to 15, not 16
    """
    if isinstance(resolution, bool) or not isinstance(resolution, int) or not 0 <= resolution <= 15:
        raise ValueError(f"H3 resolution must be a whole number from 0 to 15, not {resolution!r}")


def check_settings(resolution: int, walking_m: float) -> None:
    """Raise ``ValueError`` naming a bad H3 resolution or walking distance.

    >>> check_settings(8, 800)
    >>> check_settings(8, -1)
    Traceback (most recent call last):
    ...
    ValueError: walking distance must be a number of metres above 0, not -1
    """
    check_resolution(resolution)
    if (
        isinstance(walking_m, bool)
        or not isinstance(walking_m, int | float)
        or not math.isfinite(walking_m)
        or walking_m <= 0
    ):
        raise ValueError(f"walking distance must be a number of metres above 0, not {walking_m!r}")


def check_point(lat: float, lon: float, what: object) -> None:
    """Raise ``ValueError`` naming ``what`` when (lat, lon) is not on the globe.

    >>> check_point(52.5, -1.5, "group 3")
    >>> check_point(95.0, -1.5, "group 3")
    Traceback (most recent call last):
    ...
    ValueError: group 3 has latitude 95.0 and longitude -1.5; latitude must be -90 to 90 and longitude -180 to 180
    """
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # also False for NaN
        raise ValueError(
            f"{what} has latitude {lat!r} and longitude {lon!r}; "
            "latitude must be -90 to 90 and longitude -180 to 180"
        )


class ReachIndex:
    """Points indexed by H3 cell for exact "within walking distance" queries.

    Parameters
    ----------
    points : iterable of (key, lat, lon)
        The places to find (a group id, a space id...), in degrees.
    resolution : int
        H3 resolution of the index (any gives the same answers; 8 is quick
        for walking distances).
    walking_m : float
        The walking distance in metres; a point exactly this far is within.

    Examples
    --------
    >>> index = ReachIndex([("near", 52.5, -1.5), ("far", 52.52, -1.5)], walking_m=800)
    >>> index.within(52.505, -1.5)
    ['near']
    """

    def __init__(
        self,
        points: Iterable[tuple[Hashable, float, float]],
        *,
        resolution: int = H3_RESOLUTION,
        walking_m: float = WALKING_DISTANCE_M,
    ) -> None:
        check_settings(resolution, walking_m)
        self.resolution = resolution
        self.walking_m = float(walking_m)
        keys, lats, lons, cells = [], [], [], {}
        for position, (key, lat, lon) in enumerate(points):
            check_point(lat, lon, key)
            keys.append(key)
            lats.append(lat)
            lons.append(lon)
            cells.setdefault(h3.latlng_to_cell(lat, lon, resolution), []).append(position)
        self.keys = keys
        self.lats_deg = np.asarray(lats, dtype=float)
        self.lons_deg = np.asarray(lons, dtype=float)
        self._lat = np.radians(self.lats_deg)
        self._lon = np.radians(self.lons_deg)
        self._cos = np.cos(self._lat)
        self._by_cell = {cell: np.asarray(found, dtype=np.intp) for cell, found in cells.items()}
        # Beyond this great-circle distance, no geodesic is within walking distance.
        self._beyond_sphere_m = (
            (self.walking_m + ABS_SLACK_M) / GEODESIC_PER_SPHERE_MIN * (1 + REL_SLACK)
        )
        self._geometry_cache: dict[str, tuple[float, float, float, float]] = {}
        self._candidate_cache: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.keys)

    def _geometry(self, cell: str) -> tuple[float, float, float, float]:
        """The cell's centre (lat, lon, cos lat; radians) and radius in sphere metres."""
        found = self._geometry_cache.get(cell)
        if found is None:
            lat, lon = (math.radians(v) for v in h3.cell_to_latlng(cell))
            cos_lat = math.cos(lat)
            radius_m = 0.0
            for vertex_lat, vertex_lon in h3.cell_to_boundary(cell):
                vlat, vlon = math.radians(vertex_lat), math.radians(vertex_lon)
                radius_m = max(
                    radius_m, sphere_one_m(lat, lon, cos_lat, vlat, vlon, math.cos(vlat))
                )
            found = (lat, lon, cos_lat, radius_m * (1 + _RADIUS_SLACK) + ABS_SLACK_M)
            self._geometry_cache[cell] = found
        return found

    def _ring_is_beyond(self, cell: str, ring: Iterable[str]) -> bool:
        lat, lon, cos_lat, radius_m = self._geometry(cell)
        for other in ring:
            other_lat, other_lon, other_cos, other_radius_m = self._geometry(other)
            gap_m = sphere_one_m(lat, lon, cos_lat, other_lat, other_lon, other_cos)
            if gap_m - radius_m - other_radius_m <= self._beyond_sphere_m:
                return False
        return True

    def search_cells(self, cell: str) -> list[str]:
        """The cells holding every point within walking distance of any point of ``cell``.

        >>> index = ReachIndex([], resolution=8, walking_m=800)
        >>> len(index.search_cells(h3.latlng_to_cell(52.5, -1.5, 8)))
        19
        """
        inside = {cell}
        for k in range(1, _MAX_RINGS + 1):
            disk = set(h3.grid_disk(cell, k))
            ring = disk - inside
            if not ring or self._ring_is_beyond(cell, ring):
                return sorted(inside)
            inside = disk
        raise ValueError(
            f"a walking distance of {self.walking_m} m is too far for H3 resolution "
            f"{self.resolution}; use a coarser resolution"
        )

    def candidates(self, cell: str) -> np.ndarray:
        """Positions (in ``keys``) of the points in ``search_cells(cell)``."""
        found = self._candidate_cache.get(cell)
        if found is None:
            parts = [self._by_cell[c] for c in self.search_cells(cell) if c in self._by_cell]
            found = np.concatenate(parts) if parts else np.empty(0, dtype=np.intp)
            found.sort()
            self._candidate_cache[cell] = found
        return found

    def _bounds(self, lats_deg, lons_deg, positions):
        """(surely within, too close to call) matrices, queries by candidates."""
        lat = np.radians(np.asarray(lats_deg, dtype=float))[:, None]
        lon = np.radians(np.asarray(lons_deg, dtype=float))[:, None]
        great_circle_m = sphere_m(
            lat, lon, np.cos(lat), self._lat[positions], self._lon[positions], self._cos[positions]
        )
        surely_within = (
            great_circle_m * GEODESIC_PER_SPHERE_MAX * (1 + REL_SLACK) + ABS_SLACK_M
            <= self.walking_m
        )
        surely_beyond = great_circle_m > self._beyond_sphere_m
        return surely_within, ~(surely_within | surely_beyond)

    def _exactly_within(self, lat: float, lon: float, position: int) -> bool:
        distance_m = distance_km(lat, lon, self.lats_deg[position], self.lons_deg[position]) * 1000
        return distance_m <= self.walking_m

    def positions_within(self, lat: float, lon: float, cell: str | None = None) -> np.ndarray:
        """Positions (in ``keys``) of the points within walking distance of (lat, lon).

        ``cell`` is the H3 cell holding (lat, lon) at the index's resolution
        (worked out when not given).
        """
        check_point(lat, lon, "the point searched from")
        cell = cell or h3.latlng_to_cell(lat, lon, self.resolution)
        positions = self.candidates(cell)
        surely, unsure = self._bounds([lat], [lon], positions)
        keep = surely[0].copy()
        for column in np.flatnonzero(unsure[0]):
            keep[column] = self._exactly_within(lat, lon, positions[column])
        return positions[keep]

    def within(self, lat: float, lon: float) -> list:
        """The keys of the points within walking distance of (lat, lon), in index order."""
        return [self.keys[p] for p in self.positions_within(lat, lon)]

    def any_within(self, cell: str, lats_deg, lons_deg, allowed: np.ndarray | None = None):
        """For points all in ``cell``: is any allowed point within walking distance?

        Parameters
        ----------
        cell : str
            The H3 cell (at the index's resolution) holding every query point.
        lats_deg, lons_deg : sequences of float
            The query points.
        allowed : numpy bool array over ``keys``, optional
            Only these points count (e.g. the groups suitable for an age band).

        Returns
        -------
        numpy.ndarray of bool, one per query point.
        """
        positions = self.candidates(cell)
        if allowed is not None:
            positions = positions[allowed[positions]]
        count = len(lats_deg)
        if count == 0 or len(positions) == 0:
            return np.zeros(count, dtype=bool)
        surely, unsure = self._bounds(lats_deg, lons_deg, positions)
        answer = surely.any(axis=1)
        for row in np.flatnonzero(~answer & unsure.any(axis=1)):
            lat, lon = float(lats_deg[row]), float(lons_deg[row])
            answer[row] = any(
                self._exactly_within(lat, lon, positions[column])
                for column in np.flatnonzero(unsure[row])
            )
        return answer
