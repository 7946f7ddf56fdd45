"""The folium map every page's map starts from, and the parts it ends as.

No CDN files (the page links the application's own Leaflet from /vendor/),
no scroll-wheel zoom (the page scrolls past the map; the map's own controls
zoom it), a maximum zoom on the map itself (clustering needs one when there
are no tiles), and the configured tiles, if any, with their attribution
through ``map_text`` -- or, with none configured, the application's own
offline background of postcode outlines and names (``maps.basemap``).

A finished map is framed and rendered to parts by ``embed_map``: the
``html`` and ``script`` of ``m.get_root()`` that our own page template embeds
(folium's "Using folium with flask"), never a whole document or an iframe.
There is no ``header`` part: with folium's CDN assets off it would be empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
from folium.elements import MacroElement
from folium.plugins import MarkerCluster
from folium.template import Template

from betterway_map.maps.basemap import OfflineBackground
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource
from betterway_map.maps.zooms import MAX_ZOOM

__all__ = ["MAX_ZOOM", "EmbeddedMap", "HtmlPopup", "base_map", "cluster_group", "embed_map"]


@dataclass(frozen=True)
class EmbeddedMap:
    """A rendered map: its element's id, its element and its script."""

    element_id: str
    html: str
    script: str


class HtmlPopup(MacroElement):
    """A popup whose content is an HTML string already safe for a map
    (built from ``map_text`` pieces), bound to its parent layer. folium's
    own ``Popup`` builds its content with jQuery and wraps it in a div with
    an inline style; our pages load no jQuery and their CSP allows no
    inline style, so the content goes to Leaflet as a string."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.bindPopup(`{{ this.html }}`, {{ this.options|tojavascript }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, max_width: int = 300):
        super().__init__()
        self._name = "Popup"
        self.html = html
        self.options = {"max_width": max_width}


def cluster_group(radius_px: int) -> MarkerCluster:
    """A cluster group of pins as every folium map here has it: no coverage
    outline on hover, clusters within ``radius_px`` (``maps.declutter`` then
    widens it until no two icons overlap, after each clustering animation).
    The page loads the vendored Leaflet.markercluster files, so folium adds
    none."""
    cluster = MarkerCluster(
        options={"show_coverage_on_hover": False, "max_cluster_radius": radius_px}
    )
    cluster.default_js = []
    cluster.default_css = []
    return cluster


# Frames the map clear of the layer list along its top: it sits over the
# map, and a marker drawn under it is a target partly covered (WCAG 2.2,
# 2.5.8; axe-core's target-size found a cluster under the council map's
# layer list). Maps without a layer list (nearby) are framed as before: the
# zoom buttons are small, and fitting below them too zoomed the nearby map
# out a step where its clusters crowded. The bounds are fitted below it,
# with room for an icon (GAP_PX), unless that would leave less than half
# the map. (The scale and the attribution, small and in the bottom corners,
# are left: fitting above them too zooms the council map out a step, where
# its clusters crowd.)
CLEAR_OF_CONTROLS_JS = """
function bwClearOfControls(map, options) {
    var box = map.getContainer(), top = 0, gap = %d;
    var edge = box.getBoundingClientRect();
    box.querySelectorAll(".leaflet-top .leaflet-control-layers").forEach(function (c) {
        top = Math.max(top, c.getBoundingClientRect().bottom - edge.top);
    });
    if (top + gap <= box.clientHeight / 2) {
        options.paddingTopLeft = [0, top + gap];
    }
    return options;
}
"""
GAP_PX = 24


class _FitBounds(MacroElement):
    """Frame the map to ``bounds`` at once, without folium's animated zoom
    (markers and clusters are then drawn at their final zoom straight away),
    clear of the map's controls (``CLEAR_OF_CONTROLS_JS``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this.code }}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }},
                bwClearOfControls({{ this._parent.get_name() }}, {"animate": false}));
        {% endmacro %}
        """
    )
    code = CLEAR_OF_CONTROLS_JS % GAP_PX

    def __init__(self, bounds: Sequence[tuple[float, float]]):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [list(corner) for corner in bounds]


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
    else:
        OfflineBackground().add_to(fmap)
    return fmap


def embed_map(
    fmap: folium.Map, bounds: tuple[tuple[float, float], tuple[float, float]]
) -> EmbeddedMap:
    """Frame ``fmap`` to ``bounds`` ((south, west), (north, east)) and render
    it to the parts a page embeds.

    >>> parts = embed_map(base_map((52.0, -1.0), 13, None), ((51.9, -1.1), (52.1, -0.9)))
    >>> parts.element_id in parts.html, '.fitBounds([[51.9, -1.1], [52.1, -0.9]]' in parts.script
    (True, True)
    """
    _FitBounds(bounds).add_to(fmap)
    root = fmap.get_root()
    root.render()
    return EmbeddedMap(
        element_id=fmap.get_name(),
        html=root.html.render(),
        script=root.script.render(),
    )
