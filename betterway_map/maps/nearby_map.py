"""The map beside the nearby search's list: a folium map built from plain data.

The map is returned as parts to embed in our own page (``base.embed_map``),
never as a whole document or an iframe. folium's default CDN assets are
switched off here; the page links the application's own copies
(``maps.assets``).

Every string that came from a user reaches the map through
``safe_text.map_text``; the only other text is fixed wording written here and
numbers formatted here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import folium

from betterway_map.domain.dates import long_date, moment
from betterway_map.maps.base import HtmlPopup, base_map, cluster_group, embed_map
from betterway_map.maps.declutter import Declutter
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource

__all__ = [
    "CLUSTER_RADIUS_PX",
    "KIND_LABELS",
    "MapParts",
    "build_nearby_map",
    "circle_bounds",
    "describe_when",
]

# Markers closer than this on the screen (pixels) are gathered into one
# cluster: a marker is about 25 px wide, and two targets that overlap cannot
# be told apart by a finger or a pointer (WCAG 2.2, 2.5.8 target size).
# Markers further apart stay single, however many there are.
CLUSTER_RADIUS_PX = 30
KIND_LABELS = {"group": "Group", "space": "Space", "offer": "Offer of help"}
# Mean radii of the WGS84 ellipsoid per degree, in km (near enough for framing
# a map; distances themselves are computed geodesically by the search).
KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320

ORIGIN_CLASS = "map-origin"
RADIUS_CLASS = "map-radius"


@dataclass(frozen=True)
class MapParts:
    """What a page embeds: the map's element and its script."""

    element_id: str
    html: str
    script: str
    # Results drawn on the map (offers and unplaced results are not).
    marker_count: int
    clustered: bool


def describe_when(value: date | datetime | None) -> str:
    """A meeting time in plain English, as the pages write it.

    >>> describe_when(datetime(2025, 3, 4, 10, 30))
    'Tuesday 4 March 2025, 10:30am'
    >>> describe_when(date(2025, 3, 4))
    'Tuesday 4 March 2025'
    >>> describe_when(None)
    ''
    """
    if isinstance(value, datetime):
        return moment(value)
    return long_date(value)


def circle_bounds(
    lat: float, lon: float, radius_km: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """South-west and north-east corners of a box around a circle.

    >>> (south, west), (north, east) = circle_bounds(51.5, 0.0, 11.0574)
    >>> round(north - 51.5, 3), round(east / (north - 51.5), 2)
    (0.1, 1.6)
    """
    dlat = radius_km / KM_PER_DEGREE_LAT
    cos_lat = max(math.cos(math.radians(lat)), 0.01)
    dlon = radius_km / (KM_PER_DEGREE_LON_AT_EQUATOR * cos_lat)
    return (lat - dlat, lon - dlon), (lat + dlat, lon + dlon)


def _coordinate(value: Any, low: float, high: float, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"The map's {name} is {value!r}: it must be a number.") from None
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"The map's {name} is {value!r}: it must be from {low} to {high}.")
    return number


def _is_placed(item: Any) -> bool:
    # An offer of help is a volunteer's own offer: their home is never drawn,
    # whatever coordinates a caller might pass.
    return (
        getattr(item, "kind", None) != "offer"
        and getattr(item, "latitude", None) is not None
        and getattr(item, "longitude", None) is not None
    )


def _popup_html(item: Any) -> str:
    name = map_text(item.name)
    lines = [f'<p class="map-popup-name"><strong>{name}</strong></p>']
    what = KIND_LABELS.get(item.kind, "Result")
    distance_km = getattr(item, "distance_km", None)
    if distance_km is not None:
        what += f", {float(distance_km):.1f} km away"
    lines.append(f"<p>{map_text(what)}</p>")
    if getattr(item, "where", None):
        lines.append(f"<p>{map_text(item.where)}</p>")
    when = describe_when(getattr(item, "next_meeting", None))
    if when:
        lines.append(f"<p>Next meeting: {map_text(when)}</p>")
    if getattr(item, "step_free", None):
        lines.append("<p>Step-free access</p>")
    if getattr(item, "cost_label", None):
        lines.append(f"<p>{map_text(item.cost_label)}</p>")
    url = getattr(item, "url", None)
    # Only the site's own pages: never another site, never a javascript: URL.
    if isinstance(url, str) and url.startswith("/") and not url.startswith("//"):
        lines.append(f'<p><a href="{map_text(url)}">More about {name}</a></p>')
    return f'<div class="map-popup">{"".join(lines)}</div>'


def build_nearby_map(
    origin_lat: float,
    origin_lon: float,
    origin_label: str,
    radius_km: float,
    items: Iterable[Any],
    tiles: TileSource | None = None,
    first_number: int = 1,
) -> MapParts:
    """The map of one page of nearby results.

    Parameters
    ----------
    origin_lat, origin_lon, origin_label
        Where the search was centred and what it was centred on (a postcode).
    radius_km
        The search radius, drawn as a circle that the map is framed to fit.
    items
        The results in list order, each with ``kind``, ``name``, ``latitude``,
        ``longitude``, ``distance_km``, ``where``, ``next_meeting``,
        ``step_free``, ``cost_label`` and ``url``. Offers, and results
        without coordinates, are not drawn.
    tiles
        The tile server, or None for a plain background.
    first_number
        The number of the first item in the (numbered) list, so that a
        marker's text names the same number as the list on later pages.

    Examples
    --------
    >>> from types import SimpleNamespace as Item
    >>> hall = Item(kind="space", name="Tea & {{ cake }}", latitude=51.5,
    ...             longitude=0.01, distance_km=0.7, where="", next_meeting=None,
    ...             step_free=True, cost_label="Free", url="/spaces/1")
    >>> parts = build_nearby_map(51.5, 0.0, "ZZ1 1AA", 2.0, [hall])
    >>> parts.marker_count, parts.clustered, "{{" in parts.script
    (1, False, False)
    """
    lat = _coordinate(origin_lat, -90.0, 90.0, "latitude")
    lon = _coordinate(origin_lon, -180.0, 180.0, "longitude")
    radius = _coordinate(radius_km, 0.0, 20_000.0, "radius in km")
    start = int(first_number)
    placed = [(number, item) for number, item in enumerate(items, start) if _is_placed(item)]

    fmap = base_map((lat, lon), 14, tiles)

    folium.Circle(
        location=(lat, lon),
        radius=radius * 1000.0,
        color="#1d70b8",
        weight=2,
        fill=True,
        fill_opacity=0.06,
        class_name=RADIUS_CLASS,
    ).add_to(fmap)
    origin = folium.CircleMarker(
        location=(lat, lon),
        radius=9,
        color="#0b0c0c",
        weight=3,
        fill_color="#d4351c",
        fill_opacity=1.0,
        class_name=ORIGIN_CLASS,
    )
    origin_text = map_text(f"Search centre: {origin_label}")
    folium.Tooltip(origin_text, sticky=False).add_to(origin)
    origin.add_to(fmap)

    clustered = len(placed) > 1
    layer = fmap
    if clustered:
        cluster = cluster_group(CLUSTER_RADIUS_PX)
        cluster.add_to(fmap)
        layer = cluster
    for number, item in placed:
        kind = KIND_LABELS.get(item.kind, "Result")
        marker = folium.Marker(
            location=(
                _coordinate(item.latitude, -90.0, 90.0, "latitude"),
                _coordinate(item.longitude, -180.0, 180.0, "longitude"),
            ),
            # Fixed words only: alt is set as a DOM property, which would show
            # map_text's character references literally.
            alt=f"{kind}, number {number} in the list",
        )
        folium.Tooltip(map_text(item.name), sticky=False).add_to(marker)
        HtmlPopup(_popup_html(item)).add_to(marker)
        marker.add_to(layer)
    if clustered:
        Declutter(CLUSTER_RADIUS_PX).add_to(cluster)

    parts = embed_map(fmap, circle_bounds(lat, lon, radius))
    return MapParts(
        element_id=parts.element_id,
        html=parts.html,
        script=parts.script,
        marker_count=len(placed),
        clustered=clustered,
    )
