"""Clusters that never overlap: a target a finger or a pointer can hit.

WCAG 2.2 (2.5.8, target size) asks that no control be covered by another.
Leaflet.markercluster gathers markers within ``maxClusterRadius`` pixels of
a cluster's *first* marker, but draws the cluster at the *middle* of its
markers, so a cluster's icon can land on a single marker or on another
cluster's icon however the radius is chosen (axe-core's ``target-size``
rule finds these on the demo). The library has no option against it, so
this script checks what is drawn, after every re-clustering: when two
icons overlap on the screen at this zoom, that zoom's radius grows a step
(``STEPS_PX``) and the markers are clustered again, until nothing
overlaps (at the last step everything in view is one cluster, which
overlaps nothing). Radii are kept per zoom, so zooming back in finds
markers apart again.

The script holds only numbers written here; it reads no user data.
"""

from __future__ import annotations

from folium.elements import MacroElement
from folium.template import Template

__all__ = ["Declutter", "STEPS_PX"]

# The radii tried at a zoom, smallest first (pixels); the first is the
# cluster group's own ``maxClusterRadius``.
STEPS_PX = (1.0, 1.5, 2.0, 3.0, 4.5, 7.0, 12.0)
# Icons closer than this (pixels) count as touching.
GAP_PX = 1


class Declutter(MacroElement):
    """Re-cluster the parent ``MarkerCluster`` whenever two icons overlap.

    Add it to a folium ``MarkerCluster`` after its markers; ``base_px`` is
    the cluster group's ``maxClusterRadius``, multiplied by ``STEPS_PX``.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (cluster, base, steps, gap) {
            var level = {}, busy = false, map = null;
            cluster.options.maxClusterRadius = function (zoom) {
                return base * steps[level[zoom] || 0];
            };
            function boxes() {
                var icons = map.getPane("markerPane").querySelectorAll(".leaflet-marker-icon");
                return Array.prototype.map.call(icons, function (el) {
                    return el.getBoundingClientRect();
                });
            }
            function overlapping() {
                var b = boxes();
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
                // Mid-animation the icons are between places (the cluster
                // group says "animationend" when they have arrived); opened
                // out ("spiderfied"), the pins are meant to sit round it.
                if (busy || !map || cluster._inZoomAnimation || cluster._spiderfied) return;
                var zoom = Math.round(map.getZoom());
                busy = true;
                while (overlapping() && (level[zoom] || 0) < steps.length - 1) {
                    level[zoom] = (level[zoom] || 0) + 1;
                    var markers = cluster.getLayers();
                    cluster.clearLayers();
                    cluster.addLayers(markers);
                }
                busy = false;
                // Tests (and anyone curious) can wait for this.
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
        })({{ this._parent.get_name() }}, {{ this.base_px }}, {{ this.steps|tojson }}, {{ this.gap_px }});
        {% endmacro %}
        """
    )

    def __init__(self, base_px: int):
        super().__init__()
        self._name = "Declutter"
        self.base_px = int(base_px)
        self.steps = list(STEPS_PX)
        self.gap_px = GAP_PX
