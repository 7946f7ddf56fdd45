"""Postcode sector and district outlines, drawn from postcode points alone.

A gazetteer holds one point per postcode unit, not boundaries. The outlines
here are made on the H3 grid: every cell holding postcodes belongs to the
sector with most postcodes in it, and the sectors then grow outwards ring by
ring (``REACH_RINGS`` rings, each unclaimed cell going to the sector most of
its claimed neighbours belong to), so that neighbouring sectors tile the
ground without overlapping and without gaps between close postcodes. A
district is the union of its sectors' cells. Each outline is the boundary of
its cells (``h3.cells_to_h3shape``), with a label point inside it.

Everything is deterministic: ties go to the sector that sorts first.
Coordinates are (lat, lon) throughout; the GeoJSON boundary is the
caller's (``geojson_lines``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import h3

__all__ = [
    "REACH_RINGS",
    "SECTOR_RESOLUTION",
    "Outline",
    "PostcodePoint",
    "geojson_lines",
    "outlines",
    "partition",
    "postcode_district",
    "postcode_sector",
]

# H3 resolution 9: hexagons of about 0.1 km² (edge 174 m), a few streets
# across, so that a sector's outline follows its postcodes closely.
SECTOR_RESOLUTION = 9
# How far (in cells, ~300 m each) a sector reaches past its own postcodes.
REACH_RINGS = 2

PostcodePoint = tuple[str, float, float]  # (postcode, lat, lon)


@dataclass(frozen=True)
class Outline:
    """A sector's or district's outline: its name, its boundary rings
    ((lat, lon) tuples, each ring closed by its first point) and a point
    inside it for its label."""

    kind: str  # "sector" or "district"
    name: str
    rings: tuple[tuple[tuple[float, float], ...], ...]
    label: tuple[float, float]


def postcode_sector(postcode: str) -> str:
    """The sector of a postcode: its outward code and the inward code's digit.

    >>> postcode_sector("ZZ8 7AB"), postcode_sector("zz8  7ab")
    ('ZZ8 7', 'ZZ8 7')
    """
    outward, _, inward = " ".join(postcode.upper().split()).partition(" ")
    return f"{outward} {inward[:1]}".strip()


def postcode_district(postcode: str) -> str:
    """The district (outward code) of a postcode.

    >>> postcode_district("ZZ8 7AB")
    'ZZ8'
    """
    return postcode.upper().split()[0] if postcode.strip() else ""


def _majority(counts: Counter) -> str:
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


def partition(
    points: Iterable[PostcodePoint],
    resolution: int = SECTOR_RESOLUTION,
    rings: int = REACH_RINGS,
) -> dict[str, str]:
    """Which sector each H3 cell near the postcodes belongs to.

    Two postcodes of sector "A 1" in one cell and one of "B 2" in it: the
    cell is A 1's. With no growth (``rings=0``) only that cell is claimed:

    >>> pts = [("A1 1AA", 52.0, -1.0), ("A1 1AB", 52.0, -1.0), ("B2 2AA", 52.0, -1.0)]
    >>> set(partition(pts, rings=0).values())
    {'A1 1'}
    >>> len(partition(pts, rings=1))  # the cell and its six neighbours
    7
    """
    votes: dict[str, Counter] = {}
    for postcode, lat, lon in points:
        cell = h3.latlng_to_cell(lat, lon, resolution)
        votes.setdefault(cell, Counter())[postcode_sector(postcode)] += 1
    owner = {cell: _majority(counts) for cell, counts in votes.items()}
    frontier = sorted(owner)
    for _ in range(rings):
        claims: dict[str, Counter] = {}
        for cell in frontier:
            for neighbour in h3.grid_ring(cell, 1):
                if neighbour not in owner:
                    claims.setdefault(neighbour, Counter())[owner[cell]] += 1
        for cell, counts in claims.items():
            owner[cell] = _majority(counts)
        frontier = sorted(claims)
    return owner


def _rings(cells: Sequence[str]) -> tuple[tuple[tuple[float, float], ...], ...]:
    shape = h3.cells_to_h3shape(list(cells))
    polygons = shape.polys if hasattr(shape, "polys") else [shape]
    rings = []
    for polygon in polygons:
        for ring in (polygon.outer, *polygon.holes):
            points = tuple((round(lat, 6), round(lon, 6)) for lat, lon in ring)
            rings.append((*points, points[0]))
    return tuple(rings)


def _label_point(
    cells: Sequence[str], members: Sequence[tuple[float, float]]
) -> tuple[float, float]:
    """The postcodes' mean when it falls in the area, else the centre of the
    area's cell nearest that mean (an L-shaped area's mean may lie outside)."""
    lat = sum(p[0] for p in members) / len(members)
    lon = sum(p[1] for p in members) / len(members)
    resolution = h3.get_resolution(cells[0])
    if h3.latlng_to_cell(lat, lon, resolution) in set(cells):
        return round(lat, 6), round(lon, 6)
    centres = [h3.cell_to_latlng(cell) for cell in cells]
    best = min(centres, key=lambda c: ((c[0] - lat) ** 2 + (c[1] - lon) ** 2, c))
    return round(best[0], 6), round(best[1], 6)


def outlines(
    points: Iterable[PostcodePoint],
    resolution: int = SECTOR_RESOLUTION,
    rings: int = REACH_RINGS,
) -> list[Outline]:
    """The outlines of the districts, then of the sectors, that hold ``points``.

    Two sectors of one district, 2 km apart: two sector outlines, and one
    district outline made of two separate pieces (two outer rings).

    >>> pts = [("ZZ8 7AA", 52.00, -1.0), ("ZZ8 7AB", 52.001, -1.0), ("ZZ8 8AA", 52.02, -1.0)]
    >>> [(o.kind, o.name, len(o.rings)) for o in outlines(pts)]
    [('district', 'ZZ8', 2), ('sector', 'ZZ8 7', 1), ('sector', 'ZZ8 8', 1)]
    """
    points = list(points)
    owner = partition(points, resolution, rings)
    sector_cells: dict[str, list[str]] = {}
    for cell in sorted(owner):
        sector_cells.setdefault(owner[cell], []).append(cell)
    sector_points: dict[str, list[tuple[float, float]]] = {}
    district_points: dict[str, list[tuple[float, float]]] = {}
    for postcode, lat, lon in points:
        sector_points.setdefault(postcode_sector(postcode), []).append((lat, lon))
        district_points.setdefault(postcode_district(postcode), []).append((lat, lon))
    district_cells: dict[str, list[str]] = {}
    for sector, cells in sector_cells.items():
        district_cells.setdefault(sector.split()[0], []).extend(cells)
    result = [
        Outline("district", name, _rings(cells), _label_point(cells, district_points[name]))
        for name, cells in sorted(district_cells.items())
    ]
    result += [
        Outline("sector", name, _rings(cells), _label_point(cells, sector_points[name]))
        for name, cells in sorted(sector_cells.items())
    ]
    return result


def geojson_lines(outline: Outline) -> dict:
    """An outline's rings as a GeoJSON MultiLineString ((lon, lat) order).

    >>> geojson_lines(Outline("sector", "A1 1", (((52.0, -1.0), (52.1, -1.0)),), (52.0, -1.0)))
    {'type': 'MultiLineString', 'coordinates': [[[-1.0, 52.0], [-1.0, 52.1]]]}
    """
    return {
        "type": "MultiLineString",
        "coordinates": [[[lon, lat] for lat, lon in ring] for ring in outline.rings],
    }
