"""The one script that draws the council map's layers from their data.

``CouncilLayers(url)`` is a single folium element: the code that fetches
the data (``council_data``'s document, with the layer titles and colours,
served as JSON at ``url``: ``map_document``) and makes the Leaflet layers,
their popups and tooltips, the clustered markers and the one layer control
from it. While it loads the map's element carries ``data-layers="loading"``,
then ``"loaded"``; when the document cannot be had (the network, a report
replaced since the page was made: 404, or a document the script cannot
draw) ``"failed"``, and the page's ``#council-map-status`` says so in words
(a live region), so the map is never silently blank. Popups are put
together when they open, from strings that are already ``map_text`` output
and from numbers, so they are as safe as strings escaped on the server; a
marker's ``title`` is the same text read back as plain text (it is a DOM
property, where character references would show literally).

The JSON is written so that none of the three interpreters a map passes
through (``safe_text``) can read anything in it: every string is
``map_text`` output, ``<`` is written as ``\\u003c`` all the same, and
``check_inert`` refuses a document that holds Jinja's delimiters (it is
fetched, not rendered into the page, but it stays as safe to embed).
"""

from __future__ import annotations

import json

from folium.elements import MacroElement
from folium.template import Template

from betterway_map.maps.declutter import DECLUTTER_JS, declutter_call

__all__ = [
    "COUNCIL_JS",
    "CLUSTER_RADIUS_PX",
    "FAILED",
    "STALE",
    "STATUS_ID",
    "CouncilLayers",
    "check_inert",
    "to_json",
]

# Markers closer than this (pixels) are gathered into a cluster.
CLUSTER_RADIUS_PX = 40
# Jinja's delimiters: folium renders an element's output once more as a template.
_JINJA = ("{{", "{%", "{#")
# The page's live region that says when the layers could not be loaded.
STATUS_ID = "council-map-status"
FAILED = "The map's layers could not be loaded. The table after the map gives every area's figures."
STALE = (
    "The figures have been updated since this page was loaded: reload the page to see them"
    " on the map."
)

COUNCIL_JS = """
function bwCouncilLayers(map, data) {
    var style = data.style, titles = data.titles, overlays = {};
    function plain(html) {
        var box = document.createElement("textarea");
        box.innerHTML = html;
        return box.value;
    }
    function ring(coded) {
        // The first corner in degrees, then steps in 1e-5 degrees (council_data._ring).
        var lat = coded[0] * 1e5, lon = coded[1] * 1e5, points = [[coded[0], coded[1]]];
        for (var i = 2; i < coded.length; i += 2) {
            lat += coded[i];
            lon += coded[i + 1];
            points.push([lat / 1e5, lon / 1e5]);
        }
        return points;
    }
    function add(key, layer, show) {
        overlays[titles[key]] = layer;
        if (show) layer.addTo(map);
    }
    function points(rows) {
        // The first row's point in degrees, then steps in 1e-5 degrees
        // (council_data._steps): made degrees again, in place.
        var lat = 0, lon = 0;
        rows.forEach(function (p, i) {
            if (i === 0) {
                lat = Math.round(p[0] * 1e5);
                lon = Math.round(p[1] * 1e5);
            } else {
                lat += p[0];
                lon += p[1];
            }
            p[0] = lat / 1e5;
            p[1] = lon / 1e5;
        });
    }
    function placeRows(P) {
        // Each row as [lat, lon, kind, step-free, colour, org, name,
        // interests, audiences]: its look (kind, step-free, colour) is
        // listed once in P.looks, and lists left off its end are empty
        // (council_data.encode_places).
        P.rows = P.rows.map(function (p) {
            var look = P.looks[p[2]];
            return [p[0], p[1], look[0], look[1], look[2], p[3], p[4], p[5] || [], p[6] || []];
        });
    }
    function sums(steps) {
        var at = 0;
        return steps.map(function (step) { at += step; return at; });
    }
    if (data.need) {
        var need = L.layerGroup();
        data.need.areas.forEach(function (area) {
            var text = "<strong>" + area[0] + "</strong><br>" + data.need.name + ": decile " +
                area[1] + " (1 is the most need)";
            area[2].forEach(function (polygon) {
                L.polygon(polygon.map(ring), {
                    color: "#505a5f", weight: 1, fill: true, fillOpacity: 0.45,
                    fillColor: style.deciles[area[1] - 1], className: "map-need"
                }).bindPopup(text, {maxWidth: 300}).addTo(need);
            });
        });
        add("need", need, true);
    }
    var cells = L.layerGroup(), gaps = L.layerGroup();
    data.cells.forEach(function (c, i) {
        var withheld = c[2] === null, points = ring(c[8]);
        L.polygon(points, {
            color: "#0b0c0c", weight: 1, fill: true,
            fillColor: withheld ? style.withheld : style.at_risk[c[6]],
            fillOpacity: withheld ? 0.5 : 0.7,
            className: withheld ? "map-cell-withheld" : "map-cell"
        }).bindPopup(function () {
            var lines = ["<strong>" + c[0] + "</strong>"];
            if (withheld) {
                lines.push("People at risk: " + style.too_few);
            } else {
                lines.push("People at risk: " + c[2] + " of " + c[1]);
                lines.push("Gap score: " + c[3].toFixed(2));
            }
            lines.push("People registered: " + c[1]);
            lines.push("Suitable active groups within walking distance: " + c[4] +
                " (" + c[5] + " step-free)");
            lines.push('<a href="#' + style.anchor + (i + 1) + '">This area in the table</a>');
            return lines.join("<br>");
        }, {maxWidth: 320}).bindTooltip(c[0], {sticky: true}).addTo(cells);
        if (c[7]) {
            L.polygon(points, {
                color: style.gap, weight: 4, dashArray: "6 4", fill: false,
                interactive: false, className: "map-gap"
            }).addTo(gaps);
        }
    });
    add("cells", cells, true);
    add("gaps", gaps, true);
    var coverage = L.layerGroup(), C = data.coverage;
    function circle(lat, lon) {
        L.circle([lat, lon], {
            radius: C.radius_m, color: style.coverage, weight: 1, fill: true,
            fillOpacity: 0.12, interactive: false, className: "map-coverage"
        }).addTo(coverage);
    }
    placeRows(data.places);
    points(data.places.rows);
    sums(C.at).forEach(function (i) {
        circle(data.places.rows[i][0], data.places.rows[i][1]);
    });
    C.points.forEach(function (c) { circle(c[0], c[1]); });
    add("coverage", coverage, false);
    var P = data.places, markers = [];
    // No cluster animation: a cluster fading in or out overlaps its
    // neighbours for a moment (axe's target-size caught it), and motion
    // helps no one read the map.
    var places = L.markerClusterGroup({
        maxClusterRadius: style.cluster_px, disableClusteringAtZoom: style.unclustered_zoom,
        animate: false, animateAddingMarkers: false
    });
    function words(indexes) {
        return indexes.map(function (k) { return P.labels[k]; }).join(", ");
    }
    P.rows.forEach(function (p) {
        var space = p[2] === 1, colour = space ? "map-colour-space" :
            p[4] < 0 ? "map-colour-other" : "map-colour-" + p[4];
        var shape = p[3] ? "map-place-step-free" : space ? "map-place-space" : "map-place-group";
        var icon = L.divIcon({
            html: '<div class="map-place ' + shape + " " + colour + '">' +
                (p[3] ? "&#10003;" : "") + "</div>",
            className: "map-icon", iconSize: [24, 24], iconAnchor: [12, 12]
        });
        markers.push(L.marker([p[0], p[1]], {icon: icon, title: plain(p[6])}).bindPopup(
            function () {
                var lines = ["<strong>" + p[6] + "</strong>",
                    (space ? "Space" : "Group") + " of " + P.orgs[p[5]]];
                if (p[7].length) lines.push("Interests: " + words(p[7]));
                if (p[8].length) lines.push("For: " + words(p[8]));
                lines.push(p[3] ? "Step-free access" : "Not step-free");
                return lines.join("<br>");
            }, {maxWidth: 300}));
    });
    places.addLayers(markers);
    add("places", places, true);
    var N = data.network, network = L.layerGroup(), links = [], a0 = 0, b0 = 0;
    for (var t = 0; t < N.links.length; t += 4) {
        // Four numbers a tie; a and b as steps from the tie before's.
        a0 += N.links[t];
        b0 += N.links[t + 1];
        links.push([a0, b0, N.links[t + 2], N.links[t + 3]]);
    }
    links.forEach(function (link) {
        var a = N.nodes[link[0]], b = N.nodes[link[1]];
        L.polyline([[a[0], a[1]], [b[0], b[1]]], {
            color: style.network, weight: N.widths[link[2]], opacity: 0.6, className: "map-tie"
        }).bindPopup(a[3] + " and " + b[3] + ": " + link[2] + " link(s) (" +
            N.kinds[link[3]] + ")").addTo(network);
    });
    N.nodes.forEach(function (n) {
        var broker = n[2] === 1;
        L.circleMarker([n[0], n[1]], {
            radius: broker ? 10 : 6, color: broker ? style.broker : style.network,
            weight: broker ? 4 : 1, fill: true, fillColor: "#ffffff", fillOpacity: 1,
            className: broker ? "map-broker" : "map-organisation"
        }).bindPopup("<strong>" + n[3] + "</strong><br>" + N.sectors[n[4]] +
            (broker ? "<br>Broker: links organisations that are otherwise apart" : "")
        ).addTo(network);
    });
    add("network", network, false);
    L.control.layers(null, overlays, {collapsed: false, position: "topright"}).addTo(map);
    return places;
}
function bwCouncilMap(map, url, messages, drawn) {
    var box = map.getContainer(), status = document.getElementById(messages.status);
    box.setAttribute("data-layers", "loading");
    fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) {
            if (response.status === 404) throw new Error("stale");
            if (!response.ok) throw new Error("failed");
            return response.json();
        })
        .then(function (data) {
            drawn(bwCouncilLayers(map, data));
            box.setAttribute("data-layers", "loaded");
        })
        .catch(function (error) {
            box.setAttribute("data-layers", "failed");
            if (status) status.textContent = error.message === "stale" ? messages.stale : messages.failed;
        });
}
"""


def check_inert(text: str) -> str:
    """``text`` if it holds none of Jinja's delimiters, else ``ValueError``.

    >>> check_inert('[["a",1]]')
    '[["a",1]]'
    >>> check_inert('{"a":"{{ x }}"}')
    Traceback (most recent call last):
    ...
    ValueError: map script holds '{{': data must come through safe_text.map_text
    """
    for delimiter in _JINJA:
        if delimiter in text:
            raise ValueError(
                f"map script holds {delimiter!r}: data must come through safe_text.map_text"
            )
    return text


def to_json(data: dict) -> str:
    """The document as compact JSON for a script element.

    >>> to_json({"name": "a<b", "rows": [[1, 2.5]]})
    '{"name":"a\\\\u003cb","rows":[[1,2.5]]}'
    """
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), allow_nan=False)
    return check_inert(text.replace("<", "\\u003c"))


class CouncilLayers(MacroElement):
    """Every layer of the council map, fetched from ``url`` (the document's
    own URL, the application's) and drawn by ``COUNCIL_JS``; then the map is
    framed to ``bounds`` ((south, west), (north, east)) clear of the layer
    list that came with them (``base.CLEAR_OF_CONTROLS_JS``, which
    ``base.embed_map`` puts in every map's script)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this.code }}
        (function (map) {
            bwCouncilMap(map, {{ this.url }}, {{ this.messages }}, function (places) {
                // The layer list has come with the layers: frame the map
                // clear of it again (maps.base), then declutter the places.
                map.fitBounds({{ this.bounds }}, bwClearOfControls(map, {"animate": false}));
                {{ this.declutter }}
            });
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str, bounds: tuple[tuple[float, float], tuple[float, float]]):
        super().__init__()
        self._name = "CouncilLayers"
        self.code = check_inert(DECLUTTER_JS + COUNCIL_JS)
        self.url = to_json(url)
        self.bounds = to_json([list(corner) for corner in bounds])
        self.messages = to_json({"status": STATUS_ID, "failed": FAILED, "stale": STALE})
        self.declutter = declutter_call("places", CLUSTER_RADIUS_PX)
