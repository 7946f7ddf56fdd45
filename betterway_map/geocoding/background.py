"""The offline map background and the names of map cells, from the gazetteer.

Both read only public postcode geography (the ``postcodes`` table), never a
record about a person.

``background(bbox)`` answers the map's request for the outlines and names of
the postcode sectors and districts in a box (``maps.basemap``), plus, for
the demo's fictional town, its streets and place names, which the ``demo``
capability hands over through ``init_app`` (this capability may not import
it). The geometry is cached in this process under the box and a digest of the
gazetteer rows read for it, so a re-imported gazetteer is never answered
from an old cache, and every worker process agrees without sharing memory.

``cell_names(cell_ids)`` names H3 cells by the postcode sectors they cover
(``domain.geo.area_names``), for map tooltips and tables.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable

import h3
from flask import current_app
from sqlalchemy import select

from betterway_map.domain.geo.area_names import name_cells
from betterway_map.domain.geo.outlines import PostcodePoint as Point
from betterway_map.domain.geo.outlines import outlines
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.maps.basemap import feature_collection, parse_bbox

__all__ = ["background", "cell_names", "init_app"]

EXTENSION = "betterway_background"
# Postcodes this far (degrees) outside a box are read too, so that sectors
# cut by its edge are outlined from all their nearby postcodes.
MARGIN_DEG = 0.02
CACHE_SIZE = 64
_cache: OrderedDict[str, dict] = OrderedDict()
_lock = threading.Lock()

# town(points) -> (streets, places): see maps.basemap.feature_collection.
TownFeatures = Callable[[list[Point]], tuple[list, list]]


def init_app(app, town: TownFeatures | None = None) -> None:
    """Remember who draws the fictional town's streets and places (the demo)."""
    app.extensions[EXTENSION] = town


def _points(west: float, south: float, east: float, north: float) -> list[tuple]:
    rows = db.session.execute(
        select(
            PostcodePoint.postcode,
            PostcodePoint.latitude,
            PostcodePoint.longitude,
            PostcodePoint.fictional,
        )
        .where(
            PostcodePoint.latitude.between(south, north),
            PostcodePoint.longitude.between(west, east),
        )
        .order_by(PostcodePoint.postcode)
    )
    return [tuple(row) for row in rows]


def _digest(box, rows: Iterable[tuple]) -> str:
    hasher = hashlib.sha256(repr(box).encode())
    for row in rows:
        hasher.update(repr(row).encode())
    return hasher.hexdigest()


def background(bbox: str | None) -> dict:
    """The background of ``bbox`` ("west,south,east,north") as a GeoJSON
    FeatureCollection; ``maps.basemap.BBoxError`` for a box it cannot serve."""
    west, south, east, north = box = parse_bbox(bbox)
    rows = _points(west - MARGIN_DEG, south - MARGIN_DEG, east + MARGIN_DEG, north + MARGIN_DEG)
    key = _digest(box, rows)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    points = [(postcode, lat, lon) for postcode, lat, lon, _ in rows]
    streets, places = [], []
    town = current_app.extensions.get(EXTENSION)
    fictional = [(postcode, lat, lon) for postcode, lat, lon, made_up in rows if made_up]
    if town is not None and fictional:
        streets, places = town(fictional)
    result = feature_collection(outlines(points), streets, places)
    with _lock:
        _cache[key] = result
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return result


def cell_names(cell_ids: Iterable[str]) -> dict[str, str]:
    """A unique name for each H3 cell id ("ZZ8 7", "ZZ8 7 north",
    "ZZ8 7 / ZZ8 8"), never the id itself; ``ValueError`` for a string that
    is not a cell id. Reads the gazetteer's postcodes in one query over the
    cells' box (widened, so that each sector's centre is found from its
    postcodes around the cells too)."""
    cells = list(dict.fromkeys(cell_ids))
    if not cells:
        return {}
    for cell in cells:
        if not h3.is_valid_cell(cell):
            raise ValueError(f"{cell!r} is not an H3 cell id.")
    corners = [point for cell in cells for point in h3.cell_to_boundary(cell)]
    lats = [lat for lat, _ in corners]
    lons = [lon for _, lon in corners]
    rows = _points(
        min(lons) - MARGIN_DEG,
        min(lats) - MARGIN_DEG,
        max(lons) + MARGIN_DEG,
        max(lats) + MARGIN_DEG,
    )
    return name_cells(cells, [(postcode, lat, lon) for postcode, lat, lon, _ in rows])
