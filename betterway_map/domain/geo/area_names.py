"""Names for H3 cells that people recognise: the postcode sectors they cover.

A cell is named by the sector most of the postcodes inside it belong to
("ZZ8 7"), or by two sectors when the second holds at least
``SECOND_SECTOR_SHARE`` of them ("ZZ8 7 / ZZ8 8"); a cell with no postcode
inside it by the sector of the nearest postcode. When several cells get the
same name, each gets the compass word of its centre seen from the centre of
the sector's postcodes ("ZZ8 7 north", "ZZ8 7 centre"), and cells that
still share a name are numbered from north to south ("ZZ8 7 north 2").
With no postcodes at all the cells are "Area 1", "Area 2", ... from north
to south. A raw cell id is never a name.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

import h3

from betterway_map.domain.geo.outlines import PostcodePoint, postcode_sector

__all__ = ["COMPASS", "SECOND_SECTOR_SHARE", "compass_word", "name_cells"]

COMPASS = (
    "north",
    "north-east",
    "east",
    "south-east",
    "south",
    "south-west",
    "west",
    "north-west",
)
# A second sector is named when it holds at least this share of a cell's postcodes.
SECOND_SECTOR_SHARE = 0.25
KM_PER_DEGREE_LAT = 111.32


def _offset_km(origin: tuple[float, float], point: tuple[float, float]) -> tuple[float, float]:
    north = (point[0] - origin[0]) * KM_PER_DEGREE_LAT
    east = (point[1] - origin[1]) * KM_PER_DEGREE_LAT * math.cos(math.radians(origin[0]))
    return north, east


def compass_word(
    origin: tuple[float, float], point: tuple[float, float], centre_km: float = 0.25
) -> str:
    """Where ``point`` lies seen from ``origin``: one of eight compass words,
    or "centre" within ``centre_km``.

    >>> compass_word((52.0, -1.0), (52.01, -1.0)), compass_word((52.0, -1.0), (51.99, -0.98))
    ('north', 'south-east')
    >>> compass_word((52.0, -1.0), (52.001, -1.0))
    'centre'
    """
    north, east = _offset_km(origin, point)
    if math.hypot(north, east) < centre_km:
        return "centre"
    bearing = math.degrees(math.atan2(east, north)) % 360
    return COMPASS[round(bearing / 45) % 8]


def _base_name(counts: Counter) -> str:
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    total = sum(counts.values())
    names = [ranked[0][0]]
    if len(ranked) > 1 and ranked[1][1] >= SECOND_SECTOR_SHARE * total:
        names.append(ranked[1][0])
    return " / ".join(names)


def _north_to_south(cells: Iterable[str]) -> list[str]:
    def key(cell: str):
        lat, lon = h3.cell_to_latlng(cell)
        return (-lat, lon, cell)

    return sorted(cells, key=key)


def _number_repeats(names: dict[str, str]) -> dict[str, str]:
    groups: dict[str, list[str]] = {}
    for cell, name in names.items():
        groups.setdefault(name, []).append(cell)
    result = dict(names)
    for name, cells in groups.items():
        if len(cells) > 1:
            for number, cell in enumerate(_north_to_south(cells), 1):
                result[cell] = f"{name} {number}"
    return result


def name_cells(cells: Sequence[str], points: Iterable[PostcodePoint]) -> dict[str, str]:
    """A unique, readable name for each H3 cell in ``cells``.

    ``points`` are (postcode, lat, lon) of the postcodes around the cells
    (the more of each sector the better: a sector's centre is the mean of
    its points here).

    Two cells of sector ZZ8 7, one north of the sector's centre and one
    south of it, and a cell in ZZ8 8:

    >>> a, b, c = (h3.latlng_to_cell(lat, -1.0, 9) for lat in (52.006, 51.994, 52.03))
    >>> pts = [("ZZ8 7AA", 52.006, -1.0), ("ZZ8 7AB", 51.994, -1.0), ("ZZ8 8AA", 52.03, -1.0)]
    >>> names = name_cells([a, b, c], pts)
    >>> names[a], names[b], names[c]
    ('ZZ8 7 north', 'ZZ8 7 south', 'ZZ8 8')
    >>> sorted(name_cells([a, c], []).values())
    ['Area 1', 'Area 2']
    """
    cells = list(dict.fromkeys(cells))
    for cell in cells:
        if not h3.is_valid_cell(cell):
            raise ValueError(f"{cell!r} is not an H3 cell id.")
    points = list(points)
    if not points:
        return {cell: f"Area {n}" for n, cell in enumerate(_north_to_south(cells), 1)}
    resolutions = {h3.get_resolution(cell) for cell in cells}
    inside: dict[str, Counter] = {}
    sector_sum: dict[str, list[float]] = {}
    for postcode, lat, lon in points:
        sector = postcode_sector(postcode)
        total = sector_sum.setdefault(sector, [0.0, 0.0, 0])
        total[0], total[1], total[2] = total[0] + lat, total[1] + lon, total[2] + 1
        for resolution in resolutions:
            here = h3.latlng_to_cell(lat, lon, resolution)
            inside.setdefault(here, Counter())[sector] += 1
    centres = {s: (t[0] / t[2], t[1] / t[2]) for s, t in sector_sum.items()}

    base: dict[str, str] = {}
    for cell in cells:
        counts = inside.get(cell)
        if counts:
            base[cell] = _base_name(counts)
        else:
            lat, lon = h3.cell_to_latlng(cell)
            nearest = min(points, key=lambda p: ((p[1] - lat) ** 2 + (p[2] - lon) ** 2, p[0]))
            base[cell] = postcode_sector(nearest[0])
    repeated = {name for name, n in Counter(base.values()).items() if n > 1}
    names = {}
    for cell, name in base.items():
        if name in repeated:
            centre = centres[name.split(" / ")[0]]
            edge_km = h3.average_hexagon_edge_length(h3.get_resolution(cell), unit="km")
            name = f"{name} {compass_word(centre, h3.cell_to_latlng(cell), edge_km)}"
        names[cell] = name
    return _number_repeats(names)
