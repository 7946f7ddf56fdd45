"""The folium map every page's map starts from.

No CDN files (the page links the application's own Leaflet from /vendor/),
no scroll-wheel zoom (the page scrolls past the map; the map's own controls
zoom it), a maximum zoom on the map itself (clustering needs one when there
are no tiles), and the configured tiles, if any, with their attribution
through ``map_text``.
"""

from __future__ import annotations

import folium

from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource

__all__ = ["MAX_ZOOM", "base_map"]

MAX_ZOOM = 19


def base_map(
    location: tuple[float, float], zoom_start: int, tiles: TileSource | None
) -> folium.Map:
    """A folium map centred on ``location`` (lat, lon), ready for layers.

    >>> base_map((52.0, -1.0), 13, None).default_js
    []
    """
    fmap = folium.Map(
        location=location,
        tiles=None,
        zoom_start=zoom_start,
        control_scale=True,
        scroll_wheel_zoom=False,
        maxZoom=MAX_ZOOM,
    )
    fmap.default_js = []
    fmap.default_css = []
    if tiles is not None:
        folium.TileLayer(
            tiles=tiles.url_template,
            attr=map_text(tiles.attribution),
            name="tiles",
            max_zoom=min(tiles.max_zoom, MAX_ZOOM),
        ).add_to(fmap)
    return fmap
