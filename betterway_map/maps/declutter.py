"""Clusters that never overlap: a target a finger or a pointer can hit.

WCAG 2.2 (2.5.8, target size) asks that no control be covered by another.
Leaflet.markercluster gathers markers within ``maxClusterRadius`` pixels of
a cluster's *first* marker, but draws the cluster at the *middle* of its
markers, so a cluster's icon can land on a single marker or on another
cluster's icon however the radius is chosen (axe-core's ``target-size``
rule found these on the demo's nearby map). The library has no option
against it, so this script checks what is drawn after every re-clustering
and pan: when two icons overlap on the screen at this zoom, that zoom's
radius grows a step (``STEPS``) and the markers are clustered again, until
nothing overlaps (at the last step everything in view is one cluster or a
few far apart). Radii are kept per zoom, so zooming back in finds markers
apart again. When it is done the map's element carries
``data-declutter="done"`` (tests wait for it).

The script holds only numbers written here; it reads no user data.
"""

from __future__ import annotations

import json

from folium.elements import MacroElement
from folium.template import Template

__all__ = ["DECLUTTER_JS", "STEPS", "GAP_PX", "Declutter", "declutter_call"]

# The radii tried at a zoom, as multiples of the cluster group's own
# ``maxClusterRadius``, smallest first.
STEPS = (1.0, 1.5, 2.0, 3.0, 4.5, 7.0, 12.0)
# Icons closer than this (pixels) count as touching.
GAP_PX = 1

# One function, the same on every map of a page (declared again, unchanged).
DECLUTTER_JS = """
function bwDeclutter(cluster, base, steps, gap) {
    var level = {}, busy = false, map = null;
    cluster.options.maxClusterRadius = function (zoom) {
        return base * steps[level[zoom] || 0];
    };
    function overlapping() {
        var icons = map.getPane("markerPane").querySelectorAll(".leaflet-marker-icon");
        var b = Array.prototype.map.call(icons, function (el) {
            return el.getBoundingClientRect();
        });
        for (var i = 0; i < b.length; i++) {
            for (var j = i + 1; j < b.length; j++) {
                if (b[i].left < b[j].right + gap && b[j].left < b[i].right + gap &&
                    b[i].top < b[j].bottom + gap && b[j].top < b[i].bottom + gap) {
                    return true;
                }
            }
        }
        return false;
    }
    function check() {
        // Mid-animation the icons are between places (the cluster group
        // says "animationend" when they have arrived); opened out
        // ("spiderfied"), the pins are meant to sit round their cluster.
        if (busy || !map || cluster._inZoomAnimation || cluster._spiderfied) return;
        var zoom = Math.round(map.getZoom());
        var unclustered = cluster.options.disableClusteringAtZoom;
        // Where the group clusters no more, a wider radius changes nothing.
        var limit = unclustered && zoom >= unclustered ? 0 : steps.length - 1;
        busy = true;
        while ((level[zoom] || 0) < limit && overlapping()) {
            level[zoom] = (level[zoom] || 0) + 1;
            var markers = cluster.getLayers();
            cluster.clearLayers();
            cluster.addLayers(markers);
        }
        busy = false;
        map.getContainer().setAttribute("data-declutter", "done");
    }
    function attach(m) {
        map = m;
        // Panning brings icons into view, zooming re-clusters: check both.
        map.on("moveend", check);
        map.on("movestart zoomstart", function () {
            map.getContainer().removeAttribute("data-declutter");
        });
        setTimeout(check, 0);
    }
    cluster.on("animationend", check);
    cluster.on("add", function () { if (!map) attach(cluster._map); });
    if (cluster._map) attach(cluster._map);
}
"""


def declutter_call(cluster_js: str, base_px: int) -> str:
    """The JavaScript that declutters the cluster group ``cluster_js``.

    >>> declutter_call("places", 40)
    'bwDeclutter(places, 40, [1.0, 1.5, 2.0, 3.0, 4.5, 7.0, 12.0], 1);'
    """
    return f"bwDeclutter({cluster_js}, {int(base_px)}, {json.dumps(list(STEPS))}, {GAP_PX});"


class Declutter(MacroElement):
    """Re-cluster the parent folium ``MarkerCluster`` whenever two icons
    overlap; ``base_px`` is the cluster group's ``maxClusterRadius``."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        {{ this.call }}
        {% endmacro %}
        """
    )

    def __init__(self, base_px: int):
        super().__init__()
        self._name = "Declutter"
        self.code = DECLUTTER_JS
        self.base_px = int(base_px)

    def render(self, **kwargs):
        self.call = declutter_call(self._parent.get_name(), self.base_px)
        super().render(**kwargs)
