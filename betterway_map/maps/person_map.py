"""A worker's map of one of their people: their home, walking distance
round it, groups that might suit them, and where their volunteers live,
roughly. Built with folium from plain data, embedded in our own page
(``base.embed_map``), on the application's offline background
(``base.base_map`` with no tiles; the page never passes any: a tile server
asked for the streets round a home would learn where the person lives).

The home is the one person's location on this map, and it is drawn only
for the workers assigned to that person (the service decides who; the page
is never cached). A volunteer is drawn as an area, an H3 cell's outline,
never a point; offers of help are not drawn at all (the nearby search
never places a helper), only listed beside the map. Every string reaches
the map through ``safe_text.map_text``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import folium

from betterway_map.maps.base import HtmlPopup, base_map, cluster_group, embed_map
from betterway_map.maps.council_layers import Key, MapLayer
from betterway_map.maps.declutter import Declutter
from betterway_map.maps.nearby_map import CLUSTER_RADIUS_PX, circle_bounds
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource

__all__ = [
    "AREA_COLOUR",
    "HOME_COLOUR",
    "MapGroup",
    "MapArea",
    "PersonMapParts",
    "build_person_map",
]

HOME_COLOUR = "#d4351c"
NEAR_COLOUR = "#00703c"
FAR_COLOUR = "#1d70b8"
WALK_COLOUR = "#505a5f"
AREA_COLOUR = "#4c2c92"


@dataclass(frozen=True)
class MapGroup:
    """A group to draw: its number in the page's list, and where it meets."""

    number: int
    name: str
    latitude: float
    longitude: float
    distance_km: float
    within_walk: bool
    when: str = ""
    url: str | None = None


@dataclass(frozen=True)
class MapArea:
    """A volunteer's area: whose (first name), what stage, the outline."""

    first_name: str
    status_label: str
    area_name: str
    boundary: tuple[tuple[float, float], ...]


@dataclass(frozen=True)
class PersonMapParts:
    element_id: str
    html: str
    script: str
    layers: tuple[MapLayer, ...]


def _check(lat: float, lon: float, what: str) -> tuple[float, float]:
    if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
        raise ValueError(f"{what} is at ({lat!r}, {lon!r}): not a place on the globe.")
    return float(lat), float(lon)


def _distance_words(distance_km: float) -> str:
    """How far, as the list says it.

    >>> _distance_words(0.4321), _distance_words(2.25)
    ('430 m', '2.2 km')
    """
    if distance_km < 1:
        return f"{round(distance_km * 1000, -1):.0f} m"
    return f"{distance_km:.1f} km"


def _group_popup(group: MapGroup, walking_m: float) -> str:
    lines = [f"<strong>{map_text(group.number)}. {map_text(group.name)}</strong>"]
    far = "within walking distance" if group.within_walk else f"beyond {walking_m:.0f} m"
    lines.append(f"{_distance_words(group.distance_km)} away ({far})")
    if group.when:
        lines.append(map_text(group.when))
    # Only the site's own pages: never another site, never a javascript: URL.
    if group.url and group.url.startswith("/") and not group.url.startswith("//"):
        lines.append(f'<a href="{map_text(group.url)}">More about {map_text(group.name)}</a>')
    return "<br>".join(lines)


def _group_icon(group: MapGroup) -> folium.DivIcon:
    # Our own class names and a number: the CSP allows no inline style
    # (static/css/network.css draws them).
    look = "map-person-near" if group.within_walk else "map-person-far"
    html = f'<div class="map-place map-place-group {look}">{int(group.number)}</div>'
    return folium.DivIcon(
        html=html, icon_size=(24, 24), icon_anchor=(12, 12), class_name="map-icon"
    )


def build_person_map(
    home: tuple[float, float],
    first_name: str,
    walking_m: float,
    groups: Sequence[MapGroup],
    areas: Sequence[MapArea],
    *,
    tiles: TileSource | None = None,
) -> PersonMapParts:
    """The map of what is near one person.

    Examples
    --------
    >>> parts = build_person_map((52.45, -0.98), "Ann", 800,
    ...     [MapGroup(1, "Tea & {{ cake }}", 52.452, -0.981, 0.3, True)], [])
    >>> [layer.key for layer in parts.layers], "{{" in parts.script
    (['home', 'groups', 'areas'], False)
    """
    lat, lon = _check(*home, "the home")
    name = map_text(first_name)
    fmap = base_map((lat, lon), 15, tiles)
    points = list(circle_bounds(lat, lon, walking_m / 1000))

    layer = folium.FeatureGroup(name=f"Home and walking distance ({walking_m:.0f} m)", show=True)
    folium.Circle(
        location=(lat, lon),
        radius=float(walking_m),
        color=WALK_COLOUR,
        weight=2,
        dash_array="8 6",
        fill=False,
        interactive=False,
        class_name="map-walk",
    ).add_to(layer)
    marker = folium.CircleMarker(
        location=(lat, lon),
        radius=9,
        color="#0b0c0c",
        weight=3,
        fill_color=HOME_COLOUR,
        fill_opacity=1.0,
        class_name="map-home",
    )
    folium.Tooltip(f"{name}’s home", sticky=False).add_to(marker)
    marker.add_to(layer)
    layer.add_to(fmap)

    layer = folium.FeatureGroup(name="Groups that might suit them", show=True)
    pins = layer
    if len(groups) > 1:
        # Pins close together are clustered, and re-clustered until no two
        # overlap (WCAG 2.2 target size), as on the nearby map.
        pins = cluster_group(CLUSTER_RADIUS_PX)
        pins.add_to(layer)
    for group in groups:
        where = _check(group.latitude, group.longitude, f"group {group.number}")
        points.append(where)
        pin = folium.Marker(
            location=where,
            icon=_group_icon(group),
            # Fixed words and a number only: alt is set as a DOM property.
            alt=f"Group number {int(group.number)} in the list",
        )
        folium.Tooltip(map_text(group.name), sticky=False).add_to(pin)
        HtmlPopup(_group_popup(group, walking_m)).add_to(pin)
        pin.add_to(pins)
    if pins is not layer:
        Declutter(CLUSTER_RADIUS_PX).add_to(pins)
    layer.add_to(fmap)

    layer = folium.FeatureGroup(name="Where their volunteers live (areas)", show=True)
    for area in areas:
        outline = [_check(a, b, "a volunteer's area") for a, b in area.boundary]
        points.extend(outline)
        shape = folium.Polygon(
            locations=outline,
            color=AREA_COLOUR,
            weight=3,
            dash_array="10 5",
            fill=True,
            fill_color=AREA_COLOUR,
            fill_opacity=0.12,
            class_name="map-volunteer-area",
        )
        words = (
            f"<strong>{map_text(area.first_name)}</strong> lives in this area"
            f" ({map_text(area.area_name)}), not at any point in it.<br>"
            f"{map_text(area.status_label)}"
        )
        folium.Tooltip(map_text(f"{area.first_name}: lives in this area"), sticky=False).add_to(
            shape
        )
        HtmlPopup(words).add_to(shape)
        shape.add_to(layer)
    layer.add_to(fmap)

    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    south = min(p[0] for p in points)
    north = max(p[0] for p in points)
    west = min(p[1] for p in points)
    east = max(p[1] for p in points)
    parts = embed_map(fmap, ((south, west), (north, east)))
    near = sum(1 for g in groups if g.within_walk)
    return PersonMapParts(
        parts.element_id,
        parts.html,
        parts.script,
        (
            MapLayer(
                "home",
                f"Home and walking distance ({walking_m:.0f} m)",
                1,
                (
                    Key("circle", HOME_COLOUR, f"{first_name}’s home (red dot)"),
                    Key("dashed-ring", WALK_COLOUR, f"{walking_m:.0f} m from home (dashed)"),
                ),
            ),
            MapLayer(
                "groups",
                "Groups that might suit them",
                len(groups),
                (
                    Key("circle", NEAR_COLOUR, f"within walking distance ({near}): filled"),
                    Key("ring", FAR_COLOUR, f"further ({len(groups) - near}): hollow", 3),
                ),
            ),
            MapLayer(
                "areas",
                "Where their volunteers live (areas)",
                len(areas),
                (Key("outline", AREA_COLOUR, "a volunteer lives in this area (dashed)", 3),),
            ),
        ),
    )
