"""Area boundaries as GeoJSON polygons: checking them, boxing them, and
finding which one a point falls in.

Plain Python on GeoJSON's own nested lists (RFC 7946: positions are
``[longitude, latitude]``; a Polygon is rings, the first the outline and the
rest holes; a MultiPolygon is several Polygons). Everything here takes and
returns ``(lat, lon)`` except the GeoJSON coordinates themselves.

Point in polygon is the even-odd ray test on longitude and latitude as plane
coordinates, which is exact enough for small areas (an LSOA is a few hundred
metres across) and fast, after a bounding-box test that skips nearly every
area (``locate``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "GeometryError",
    "Area",
    "check_geometry",
    "polygons_of",
    "bbox_of",
    "centroid_of",
    "contains",
    "locate",
]

# Great Britain and Northern Ireland with the islands, generously (degrees).
UK_LAT = (49.0, 61.5)
UK_LON = (-9.0, 2.5)
# British National Grid eastings and northings are metres, up to 700 km and
# 1,300 km: numbers this large are never degrees.
_GRID_METRES = 1000.0

Position = Sequence[float]
Ring = Sequence[Position]
Polygon = Sequence[Ring]


class GeometryError(ValueError):
    """A boundary that is not a usable GeoJSON Polygon or MultiPolygon."""


def _in(value: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _check_position(position, where: str) -> tuple[float, float]:
    if (
        not isinstance(position, list | tuple)
        or len(position) < 2
        or not all(
            isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)
            for x in position[:2]
        )
    ):
        raise GeometryError(
            f"{where}: {str(position)[:40]!r} is not a position [longitude, latitude]"
        )
    lon, lat = float(position[0]), float(position[1])
    if abs(lon) > _GRID_METRES or abs(lat) > _GRID_METRES:
        raise GeometryError(
            f"{where}: ({lon:g}, {lat:g}) is not in degrees: it looks like British National "
            "Grid metres (EPSG:27700). GeoJSON must be longitude and latitude (WGS 84); "
            "convert it first, e.g. ogr2ogr -t_srs EPSG:4326 out.geojson in.geojson"
        )
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise GeometryError(
            f"{where}: ({lon:g}, {lat:g}) is out of range: longitude is -180 to 180, "
            "latitude -90 to 90"
        )
    if _in(lon, UK_LAT) and _in(lat, UK_LON):
        raise GeometryError(
            f"{where}: [{lon:g}, {lat:g}] looks like latitude then longitude for the UK; "
            "GeoJSON positions are [longitude, latitude]"
        )
    return lon, lat


def _check_ring(ring, where: str) -> None:
    if not isinstance(ring, list | tuple) or len(ring) < 4:
        count = len(ring) if isinstance(ring, list | tuple) else 0
        raise GeometryError(
            f"{where}: a ring has {count} position(s); it needs at least 4 "
            "(a triangle and its first point again)"
        )
    points = [_check_position(position, where) for position in ring]
    if points[0] != points[-1]:
        raise GeometryError(
            f"{where}: a ring is not closed: it starts at {list(points[0])} and ends at "
            f"{list(points[-1])}; the last position must repeat the first"
        )


def check_geometry(geometry, where: str = "boundary") -> list[Polygon]:
    """Check a GeoJSON geometry and return its polygons (a MultiPolygon's, or one).

    Raises ``GeometryError`` naming ``where`` (e.g. the feature) and what is wrong.

    Examples
    --------
    >>> square = [[[0, 51], [1, 51], [1, 52], [0, 52], [0, 51]]]
    >>> len(check_geometry({"type": "Polygon", "coordinates": square}))
    1
    >>> check_geometry({"type": "Point", "coordinates": [0, 51]}, "feature 3")
    Traceback (most recent call last):
    ...
    betterway_map.domain.geo.polygons.GeometryError: feature 3: a Point, not a Polygon or MultiPolygon
    >>> check_geometry({"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 52]]]})
    Traceback (most recent call last):
    ...
    betterway_map.domain.geo.polygons.GeometryError: boundary: a ring is not closed: it starts at [0.0, 51.0] and ends at [0.0, 52.0]; the last position must repeat the first
    >>> check_geometry({"type": "Polygon", "coordinates": [[[51, 0], [51, 1], [52, 1], [51, 0]]]})
    Traceback (most recent call last):
    ...
    betterway_map.domain.geo.polygons.GeometryError: boundary: [51, 0] looks like latitude then longitude for the UK; GeoJSON positions are [longitude, latitude]
    """
    if not isinstance(geometry, dict):
        raise GeometryError(f"{where}: has no geometry")
    kind = geometry.get("type")
    coordinates = geometry.get("coordinates")
    if kind == "Polygon":
        polygons = [coordinates]
    elif kind == "MultiPolygon":
        polygons = coordinates if isinstance(coordinates, list) else None
    else:
        raise GeometryError(f"{where}: a {str(kind)[:30]}, not a Polygon or MultiPolygon")
    if not polygons or not all(isinstance(p, list) and p for p in polygons):
        raise GeometryError(f"{where}: a {kind} with no rings")
    for polygon in polygons:
        for ring in polygon:
            _check_ring(ring, where)
    return polygons


def polygons_of(geometry: dict) -> list[Polygon]:
    """The polygons of a geometry already checked (no checks)."""
    return [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]


def bbox_of(polygons: Iterable[Polygon]) -> tuple[float, float, float, float]:
    """``(min_lat, min_lon, max_lat, max_lon)`` of the outlines.

    >>> bbox_of([[[[0, 51], [1, 51], [1, 52], [0, 51]]]])
    (51.0, 0.0, 52.0, 1.0)
    """
    lons = [p[0] for polygon in polygons for p in polygon[0]]
    lats = [p[1] for polygon in polygons for p in polygon[0]]
    return float(min(lats)), float(min(lons)), float(max(lats)), float(max(lons))


def _ring_area_and_centre(ring: Ring) -> tuple[float, float, float]:
    """Signed area (shoelace) and centroid (lon, lat) of a ring, on the plane."""
    area = lon_sum = lat_sum = 0.0
    for (x0, y0), (x1, y1) in zip((p[:2] for p in ring), (p[:2] for p in ring[1:])):
        cross = x0 * y1 - x1 * y0
        area += cross
        lon_sum += (x0 + x1) * cross
        lat_sum += (y0 + y1) * cross
    area /= 2
    if area == 0:
        xs = [p[0] for p in ring]
        ys = [p[1] for p in ring]
        return 0.0, sum(xs) / len(xs), sum(ys) / len(ys)
    return area, lon_sum / (6 * area), lat_sum / (6 * area)


def centroid_of(polygons: Iterable[Polygon]) -> tuple[float, float]:
    """``(lat, lon)`` of the centre of the largest outline (holes ignored).

    >>> centroid_of([[[[0, 50], [2, 50], [2, 52], [0, 52], [0, 50]]]])
    (51.0, 1.0)
    """
    best = max((_ring_area_and_centre(polygon[0]) for polygon in polygons), key=lambda a: abs(a[0]))
    return best[2], best[1]


def _in_ring(lon: float, lat: float, ring: Ring) -> bool:
    inside = False
    previous = ring[-1]
    for point in ring:
        x0, y0 = previous[0], previous[1]
        x1, y1 = point[0], point[1]
        if (y1 > lat) != (y0 > lat) and lon < (x0 - x1) * (lat - y1) / (y0 - y1) + x1:
            inside = not inside
        previous = point
    return inside


def contains(polygons: Iterable[Polygon], lat: float, lon: float) -> bool:
    """Whether ``(lat, lon)`` is inside an outline and outside its holes.

    >>> square = [[[0, 50], [2, 50], [2, 52], [0, 52], [0, 50]]]
    >>> hole = [[0.5, 50.5], [1.5, 50.5], [1.5, 51.5], [0.5, 51.5], [0.5, 50.5]]
    >>> contains([square], 51, 1), contains([square + [hole]], 51, 1), contains([square], 53, 1)
    (True, False, False)
    """
    for polygon in polygons:
        if _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, h) for h in polygon[1:]):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Area:
    """An area to look points up in: its code and its checked polygons."""

    code: str
    bbox: tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon
    polygons: tuple


def locate(points: Iterable[tuple[float, float]], areas: Sequence[Area]) -> list[str | None]:
    """The code of the area each ``(lat, lon)`` falls in, or ``None``.

    A bounding box test first, so that only the few areas whose box holds
    the point are tested ring by ring. Where areas overlap (they should
    not), the first in ``areas`` wins.

    >>> west = Area("W", (50, 0, 51, 1), ([[[0, 50], [1, 50], [1, 51], [0, 51], [0, 50]]],))
    >>> east = Area("E", (50, 1, 51, 2), ([[[1, 50], [2, 50], [2, 51], [1, 51], [1, 50]]],))
    >>> locate([(50.5, 0.5), (50.5, 1.5), (52, 0)], [west, east])
    ['W', 'E', None]
    """
    found = []
    for lat, lon in points:
        code = None
        for area in areas:
            min_lat, min_lon, max_lat, max_lon = area.bbox
            if min_lat <= lat <= max_lat and min_lon <= lon <= max_lon:
                if contains(area.polygons, lat, lon):
                    code = area.code
                    break
        found.append(code)
    return found
