"""The offline background: postcode outlines and names, served by the application.

When no tile server is configured (``MAP_TILES = "none"``), every map gets
this background instead of a blank page (``base.base_map``). The map's
script asks the application for the background of what it shows
(``BACKGROUND_PATH?bbox=west,south,east,north``, same origin, so the
Content-Security-Policy's ``default-src 'self'`` allows it) and draws it in
panes of its own: outlines under every other layer, names above the
overlays but never catching a click. District names show when zoomed out,
sector names, places and street names when zoomed in, each from the zoom
at which it overlaps no more important name (``label_zooms``, worked out
here on the server: every name carries its ``min_zoom`` and ``max_zoom``,
and a name that never finds room is left out).

``feature_collection`` builds that GeoJSON from plain data; every name in it
has been through ``safe_text.map_text``, because the script gives it to
Leaflet as a label's HTML.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from folium.elements import MacroElement
from folium.template import Template

from betterway_map.domain.geo.outlines import Outline, geojson_lines
from betterway_map.maps.label_zooms import Label, label_zooms
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.zooms import SECTOR_ZOOM

__all__ = [
    "BACKGROUND_PATH",
    "MAX_SPAN_DEG",
    "SNAP_DEG",
    "BBoxError",
    "OfflineBackground",
    "feature_collection",
    "parse_bbox",
]

BACKGROUND_PATH = "/map/background.geojson"
# The largest box served at once, in degrees each way (about 45 by 30 km in
# England): enough for a district council's view; a wider view gets the box
# around its centre.
MAX_SPAN_DEG = 0.4
# Boxes are widened to this grid, so that a panned map asks for few
# distinct boxes and the answers can be cached.
SNAP_DEG = 0.05


class BBoxError(ValueError):
    """A ``bbox`` that cannot be served; the message says what is accepted."""


def parse_bbox(text: str | None) -> tuple[float, float, float, float]:
    """``west,south,east,north`` in degrees (RFC 7946 order), widened to the
    ``SNAP_DEG`` grid.

    >>> parse_bbox("-1.01,52.41,-0.96,52.49")
    (-1.05, 52.4, -0.95, 52.5)
    >>> parse_bbox("a,b")
    Traceback (most recent call last):
    ...
    betterway_map.maps.basemap.BBoxError: bbox is 'a,b': give four numbers west,south,east,north in degrees, e.g. -1.05,52.40,-0.95,52.50
    """
    example = "e.g. -1.05,52.40,-0.95,52.50"
    shown = (text or "")[:60]
    try:
        west, south, east, north = (float(part) for part in (text or "").split(","))
    except ValueError:
        raise BBoxError(
            f"bbox is {shown!r}: give four numbers west,south,east,north in degrees, {example}"
        ) from None
    if not all(math.isfinite(v) for v in (west, south, east, north)) or not (
        -180 <= west < east <= 180 and -90 <= south < north <= 90
    ):
        raise BBoxError(
            f"bbox is {shown!r}: west must be less than east (-180 to 180) and south less"
            f" than north (-90 to 90), {example}"
        )
    if east - west > MAX_SPAN_DEG + 1e-9 or north - south > MAX_SPAN_DEG + 1e-9:
        raise BBoxError(f"bbox is {shown!r}: it may span at most {MAX_SPAN_DEG} degrees each way.")

    def down(v: float) -> float:
        return round(math.floor(round(v / SNAP_DEG, 6)) * SNAP_DEG, 6)

    def up(v: float) -> float:
        return round(math.ceil(round(v / SNAP_DEG, 6)) * SNAP_DEG, 6)

    return down(west), down(south), up(east), up(north)


def _point(kind: str, name: str, lat: float, lon: float) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": kind, "name": map_text(name)},
        "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
    }


def feature_collection(
    outlines: Iterable[Outline],
    streets: Sequence[tuple[str, Sequence[tuple[float, float]]]] = (),
    places: Sequence[tuple[str, str, float, float]] = (),
) -> dict:
    """The background as GeoJSON: outlines (MultiLineString, kind "district"
    or "sector"), their labels (Point, kind "district-label" or
    "sector-label"), streets (LineString, kind "street", with a
    "street-label" at the middle) and places (Point, kind "place" or "town").
    Every label carries the zooms it shows at (``min_zoom``, ``max_zoom``);
    a label with no room at any zoom is left out.

    ``streets`` are (name, [(lat, lon), ...]); ``places`` (kind, name, lat, lon).

    >>> fc = feature_collection([], [("Mill <Lane>", [(52.0, -1.0), (52.0, -0.99)])])
    >>> [f["properties"]["kind"] for f in fc["features"]], fc["features"][1]["properties"]["name"]
    (['street', 'street-label'], 'Mill &lt;Lane&gt;')
    >>> fc["features"][1]["properties"]["min_zoom"], fc["features"][1]["properties"]["max_zoom"]
    (15, 19)
    """
    features, labels = [], []
    for outline in outlines:
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": outline.kind, "name": map_text(outline.name)},
                "geometry": geojson_lines(outline),
            }
        )
        labels.append(Label(f"{outline.kind}-label", outline.name, *outline.label))
    for name, line in streets:
        features.append(
            {
                "type": "Feature",
                "properties": {"kind": "street", "name": map_text(name)},
                "geometry": {
                    "type": "LineString",
                    "coordinates": [[round(lon, 6), round(lat, 6)] for lat, lon in line],
                },
            }
        )
        middle = line[len(line) // 2] if len(line) > 2 else _midpoint(line[0], line[-1])
        labels.append(Label("street-label", name, *middle))
    labels += [Label(kind, name, lat, lon) for kind, name, lat, lon in places]
    for label, zooms in zip(labels, label_zooms(labels), strict=True):
        if zooms is not None:
            feature = _point(*label)
            feature["properties"]["min_zoom"], feature["properties"]["max_zoom"] = zooms
            features.append(feature)
    return {"type": "FeatureCollection", "features": features}


def _midpoint(a: tuple[float, float], b: tuple[float, float]) -> tuple[float, float]:
    return (a[0] + b[0]) / 2, (a[1] + b[1]) / 2


class OfflineBackground(MacroElement):
    """The script that fetches and draws the background of the map's view.

    The URL and numbers are the application's own; the features' names are
    already ``map_text``; nothing here is user data.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var url = {{ this.url|tojson }}, span = {{ this.span }}, snap = {{ this.snap }};
            var sectorZoom = {{ this.sector_zoom }};
            map.createPane("bwBackground").style.zIndex = 250;
            var labels = map.createPane("bwLabels");
            labels.style.zIndex = 450;
            labels.style.pointerEvents = "none";
            var renderer = L.svg({pane: "bwBackground"});
            var layer = L.layerGroup().addTo(map), data = null, asked = "";
            var styles = {
                district: {color: "#505a5f", weight: 2, opacity: 0.9},
                sector: {color: "#6f777b", weight: 1, opacity: 0.8, dashArray: "4 3"},
                street: {color: "#949494", weight: 4, opacity: 0.7, lineCap: "round"}
            };
            // Outlines always; streets from a zoom before sectors. A name
            // shows between the zooms the server gave it (label_zooms).
            function shown(f, zoom) {
                var p = f.properties;
                if (f.geometry.type === "Point") return p.min_zoom <= zoom && zoom <= p.max_zoom;
                return p.kind !== "street" || zoom >= sectorZoom - 1;
            }
            // The names are plain elements in their own pane, placed by this
            // one layer (not markers: they are no target, and the maps'
            // own markers stay the only L.Marker layers).
            var Names = L.Layer.extend({
                initialize: function (points) { this._points = points; },
                onAdd: function (m) {
                    this._els = this._points.map(function (p) {
                        var el = L.DomUtil.create("div", "map-bg-label map-bg-" + p.kind, labels);
                        el.innerHTML = "<span>" + p.name + "</span>";
                        return el;
                    });
                    m.on("zoomend viewreset", this._place, this);
                    this._place();
                },
                onRemove: function (m) {
                    this._els.forEach(function (el) { L.DomUtil.remove(el); });
                    m.off("zoomend viewreset", this._place, this);
                },
                _place: function () {
                    var m = this._map, points = this._points;
                    this._els.forEach(function (el, i) {
                        L.DomUtil.setPosition(el, m.latLngToLayerPoint(points[i].latlng));
                    });
                }
            });
            function draw() {
                layer.clearLayers();
                if (!data) return;
                var zoom = map.getZoom(), names = [];
                L.geoJSON(data, {
                    pane: "bwBackground", renderer: renderer, interactive: false,
                    filter: function (f) {
                        if (f.geometry.type !== "Point") return shown(f, zoom);
                        if (shown(f, zoom)) {
                            var c = f.geometry.coordinates;
                            names.push({kind: f.properties.kind, name: f.properties.name,
                                        latlng: L.latLng(c[1], c[0])});
                        }
                        return false;
                    },
                    style: function (f) { return styles[f.properties.kind] || styles.sector; }
                }).addTo(layer);
                new Names(names).addTo(layer);
            }
            function clamp(low, high, centre) {
                if (high - low <= span) return [low, high];
                return [centre - span / 2, centre + span / 2];
            }
            function load() {
                var b = map.getBounds(), c = map.getCenter();
                var ns = clamp(b.getSouth(), b.getNorth(), c.lat);
                var we = clamp(b.getWest(), b.getEast(), c.lng);
                var box = [
                    Math.floor(we[0] / snap) * snap, Math.floor(ns[0] / snap) * snap,
                    Math.ceil(we[1] / snap) * snap, Math.ceil(ns[1] / snap) * snap
                ];
                if (box[2] - box[0] > span) box[2] = box[0] + span;
                if (box[3] - box[1] > span) box[3] = box[1] + span;
                var query = box.map(function (v) { return v.toFixed(2); }).join(",");
                if (query === asked) { draw(); return; }
                asked = query;
                fetch(url + "?bbox=" + query, {credentials: "same-origin"})
                    .then(function (r) { return r.ok ? r.json() : null; })
                    .then(function (json) { if (json && asked === query) { data = json; draw(); } })
                    .catch(function () {});
            }
            map.on("moveend", load);
            load();
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, url: str = BACKGROUND_PATH):
        super().__init__()
        self._name = "OfflineBackground"
        self.url = url
        self.span = MAX_SPAN_DEG
        self.snap = SNAP_DEG
        self.sector_zoom = SECTOR_ZOOM
