"""The council map with layers a person switches on and off.

Built from plain data only (``network.map_layers.council_map_data`` and,
when a council loaded one, an area indicator): cells coloured by people at
risk, gap cells outlined, groups and spaces clustered and coloured by
interest or audience (step-free ones drawn as squares with a tick, not told
by colour alone), walking distance around active groups, the organisation
network between organisations' places (line width by strength of tie,
brokers ringed), and the area need by decile. Each layer is a folium
``FeatureGroup`` under one ``LayerControl``, and carries its own legend,
which the page shows as HTML beside the map.

Withheld cells are never drawn (the report leaves them out, and any handed
over are dropped); a shown cell whose people at risk are withheld is grey
and says "too few people to show", never a figure. Every string reaches
the map through ``safe_text.map_text``; popups open on click (and on Enter
for the markers, which Leaflet makes focusable); the page's table of cells
gives the same figures to keyboard and screen-reader users.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
from folium.plugins import MarkerCluster

from betterway_map.maps.base import MAX_ZOOM, base_map, embed_map
from betterway_map.maps.base import HtmlPopup as _Popup
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource

__all__ = [
    "AT_RISK_COLOURS",
    "CATEGORY_COLOURS",
    "DECILE_COLOURS",
    "TOO_FEW",
    "CouncilMap",
    "Key",
    "MapLayer",
    "build_council_map",
    "cell_anchor",
]

# ColorBrewer Purples, 5 classes: few people at risk (pale) to many (dark).
AT_RISK_COLOURS = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")
WITHHELD_COLOUR = "#b1b4b6"
GAP_OUTLINE = "#d4351c"
COVERAGE_COLOUR = "#1d70b8"
NETWORK_COLOUR = "#0b0c0c"
BROKER_COLOUR = "#f47738"
SPACE_COLOUR = "#505a5f"
# ColorBrewer Dark2 and Set1 mixed: eight distinguishable category colours.
CATEGORY_COLOURS = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#a6761d",
    "#377eb8",
    "#e41a1c",
)
OTHER_COLOUR = "#666666"
# ColorBrewer RdYlBu reversed, 10 classes: decile 1 (most need) dark red.
DECILE_COLOURS = (
    "#a50026",
    "#d73027",
    "#f46d43",
    "#fdae61",
    "#fee090",
    "#e0f3f8",
    "#abd9e9",
    "#74add1",
    "#4575b4",
    "#313695",
)
TOO_FEW = "too few people to show"


@dataclass(frozen=True)
class Key:
    """One line of a legend: a swatch (``shape``: fill, outline, circle,
    square, line) in ``colour`` and what it means."""

    shape: str
    colour: str
    label: str
    width: int = 2


@dataclass(frozen=True)
class MapLayer:
    key: str
    title: str
    count: int
    legend: tuple[Key, ...]


@dataclass(frozen=True)
class CouncilMap:
    element_id: str
    html: str
    script: str
    layers: tuple[MapLayer, ...]


def cell_anchor(index: int) -> str:
    """The id of a shown cell's row in the page's table (no raw cell id).

    >>> cell_anchor(3)
    'area-3'
    """
    return f"area-{index}"


def _band(value: float, low: float, top: float, bands: int) -> int:
    """Which colour a cell's people at risk get: band 0 for none, then
    ``bands - 1`` equal bands of ``low``..``top`` (``low`` is the smallest
    count shown, so that no band's bounds fall below what may be shown).

    >>> [_band(v, 5, 25, 5) for v in (0, 5, 9.9, 10, 25)]
    [0, 1, 1, 2, 4]
    """
    if value <= 0:
        return 0
    if top <= low:
        return bands - 1
    return 1 + min(int((bands - 1) * (value - low) / (top - low)), bands - 2)


def _band_labels(low: int, top: int, bands: int) -> list[str]:
    """The legend's words for each band: no bound below ``low``, the
    smallest count shown.

    >>> _band_labels(5, 25, 5)
    ['none', '5 to 10', '10 to 15', '15 to 20', '20 to 25']
    >>> _band_labels(7, 7, 5)
    ['none', '7', '7', '7', '7']
    """
    if top <= low:
        return ["none"] + [f"{top}"] * (bands - 1)
    step = (top - low) / (bands - 1)
    return ["none"] + [
        f"{low + step * i:.0f} to {low + step * (i + 1):.0f}" for i in range(bands - 1)
    ]


def _withheld(cell: dict) -> bool:
    return cell.get("at_risk") is None


def _cell_popup(cell: dict, index: int) -> str:
    lines = [f"<strong>{map_text(cell['name'])}</strong>"]
    if _withheld(cell):
        lines.append(f"People at risk: {TOO_FEW}")
    else:
        lines.append(f"People at risk: {int(cell['at_risk'])} of {int(cell['people'])}")
        lines.append(f"Gap score: {float(cell['gap_score']):.2f}")
    lines.append(f"People registered: {int(cell['people'])}")
    lines.append(
        f"Suitable active groups within walking distance: {int(cell['groups_within_walk'] or 0)}"
        f" ({int(cell['accessible_groups_within_walk'] or 0)} step-free)"
    )
    lines.append(f'<a href="#{cell_anchor(index)}">This area in the table</a>')
    return "<br>".join(lines)


def _category(place: dict, colour_by: str, palette: dict[str, int]) -> str:
    """The CSS class of a group's colour (``map-colour-0`` .. ``-7``, or other)."""
    values = place["interests"] if colour_by == "interest" else place["audiences"]
    for value in values:
        if value in palette:
            return f"map-colour-{palette[value]}"
    return "map-colour-other"


def _palette(places: Sequence[dict], colour_by: str) -> dict[str, int]:
    """The first eight interests (or audiences) by how many groups have them,
    each with its colour's index."""
    counts: dict[str, int] = {}
    field = "interests" if colour_by == "interest" else "audiences"
    for place in places:
        for value in place[field]:
            counts[value] = counts.get(value, 0) + 1
    ranked = sorted(counts, key=lambda v: (-counts[v], v))[: len(CATEGORY_COLOURS)]
    return {value: i for i, value in enumerate(ranked)}


def _icon(colour_class: str, kind: str, step_free: bool) -> folium.DivIcon:
    # Constant markup from our own class names (the CSP allows no inline
    # style; static/css/network.css colours and shapes them).
    shape = "map-place-step-free" if step_free else f"map-place-{kind}"
    mark = "&#10003;" if step_free else ""
    html = f'<div class="map-place {shape} {colour_class}">{mark}</div>'
    return folium.DivIcon(html=html, icon_size=(18, 18), icon_anchor=(9, 9), class_name="map-icon")


def _place_popup(place: dict, labels: dict[str, str]) -> str:
    kind = "Group" if place["kind"] == "group" else "Space"
    lines = [
        f"<strong>{map_text(place['name'])}</strong>",
        f"{kind} of {map_text(place['organisation'])}",
    ]
    if place["interests"]:
        names = ", ".join(labels.get(v, v) for v in place["interests"])
        lines.append(f"Interests: {map_text(names)}")
    if place["audiences"]:
        names = ", ".join(labels.get(v, v) for v in place["audiences"])
        lines.append(f"For: {map_text(names)}")
    lines.append("Step-free access" if place["step_free"] else "Not step-free")
    return "<br>".join(lines)


def _geometry_rings(geometry: dict) -> list[list[list[tuple[float, float]]]]:
    """A GeoJSON Polygon or MultiPolygon as polygons of (lat, lon) rings."""
    if geometry.get("type") == "Polygon":
        polygons = [geometry["coordinates"]]
    elif geometry.get("type") == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        return []
    return [[[(float(lat), float(lon)) for lon, lat, *_ in ring] for ring in p] for p in polygons]


def build_council_map(
    cells: Sequence[dict],
    layers: dict,
    *,
    tiles: TileSource | None = None,
    colour_by: str = "interest",
    labels: dict[str, str] | None = None,
    area_need: dict | None = None,
) -> CouncilMap | None:
    """The layered council map, or None when there is nothing to draw.

    Parameters
    ----------
    cells
        The report's shown cells (``cell``, ``name``, ``boundary`` as
        [[lat, lon], ...], figures; ``at_risk`` None when withheld).
    layers
        ``places``, ``walking_coverage``, ``organisation_nodes`` and
        ``organisation_links`` as ``domain.network.map_layers.map_layers``
        gives them.
    colour_by
        ``"interest"`` or ``"audience"``: what the groups' colours mean.
    labels
        Vocabulary code to label (interests and audiences).
    area_need
        ``{"name": ..., "areas": [{"code", "name", "decile", "value",
        "geometry"}]}`` with GeoJSON geometry (lon, lat), or None.
    """
    labels = labels or {}
    rows = [c for c in cells if not c.get("suppressed")]
    places = list(layers.get("places", ()))
    coverage = list(layers.get("walking_coverage", ()))
    nodes = list(layers.get("organisation_nodes", ()))
    links = list(layers.get("organisation_links", ()))
    areas = list((area_need or {}).get("areas", ()))
    points = [(float(lat), float(lon)) for c in rows for lat, lon in c["boundary"]]
    points += [(p["latitude"], p["longitude"]) for p in places]
    points += [(n["latitude"], n["longitude"]) for n in nodes]
    if not points:
        return None
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    fmap = base_map(((south + north) / 2, (west + east) / 2), 13, tiles)
    built: list[MapLayer] = []

    # Area need: below everything else, off until asked for.
    if area_need is not None:
        group = folium.FeatureGroup(name=map_text(f"Area need: {area_need['name']}"), show=True)
        for area in areas:
            colour = DECILE_COLOURS[min(max(int(area["decile"]), 1), 10) - 1]
            text = (
                f"<strong>{map_text(area['name'])}</strong><br>"
                f"{map_text(area_need['name'])}: decile {int(area['decile'])}"
                f" (1 is the most need)"
            )
            for polygon in _geometry_rings(area["geometry"]):
                shape = folium.Polygon(
                    locations=polygon,
                    color="#505a5f",
                    weight=1,
                    fill=True,
                    fill_color=colour,
                    fill_opacity=0.45,
                    class_name="map-need",
                )
                _Popup(text).add_to(shape)
                shape.add_to(group)
        group.add_to(fmap)
        built.append(
            MapLayer(
                "need",
                f"Area need: {area_need['name']}",
                len(areas),
                tuple(
                    Key(
                        "fill",
                        DECILE_COLOURS[d - 1],
                        f"decile {d}"
                        + (" (most need)" if d == 1 else " (least need)" if d == 10 else ""),
                    )
                    for d in range(1, 11)
                ),
            )
        )

    # Cells by people at risk.
    shown = [c for c in rows if not _withheld(c)]
    top = max((int(c["at_risk"]) for c in shown), default=0)
    low = min((int(c["at_risk"]) for c in shown if int(c["at_risk"]) > 0), default=0)
    group = folium.FeatureGroup(name="People at risk by area", show=True)
    for index, cell in enumerate(rows, 1):
        if _withheld(cell):
            colour, opacity, css = WITHHELD_COLOUR, 0.5, "map-cell-withheld"
        else:
            colour = AT_RISK_COLOURS[_band(int(cell["at_risk"]), low, top, len(AT_RISK_COLOURS))]
            opacity, css = 0.7, "map-cell"
        shape = folium.Polygon(
            locations=[(float(lat), float(lon)) for lat, lon in cell["boundary"]],
            color="#0b0c0c",
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=opacity,
            class_name=css,
        )
        _Popup(_cell_popup(cell, index), max_width=320).add_to(shape)
        folium.Tooltip(map_text(cell["name"])).add_to(shape)
        shape.add_to(group)
    group.add_to(fmap)
    bands = len(AT_RISK_COLOURS)
    built.append(
        MapLayer(
            "cells",
            "People at risk by area",
            len(rows),
            tuple(
                Key("fill", colour, f"{words} people at risk")
                for colour, words in zip(
                    AT_RISK_COLOURS, _band_labels(low, top, bands), strict=True
                )
            )
            + (Key("fill", WITHHELD_COLOUR, f"people at risk: {TOO_FEW}"),),
        )
    )

    # Gap cells outlined.
    gaps = [c for c in shown if int(c["at_risk"]) > 0 and not c["groups_within_walk"]]
    group = folium.FeatureGroup(name="Gaps: nothing suitable within walking distance", show=True)
    for cell in gaps:
        folium.Polygon(
            locations=[(float(lat), float(lon)) for lat, lon in cell["boundary"]],
            color=GAP_OUTLINE,
            weight=4,
            dash_array="6 4",
            fill=False,
            interactive=False,
            class_name="map-gap",
        ).add_to(group)
    group.add_to(fmap)
    built.append(
        MapLayer(
            "gaps",
            "Gaps: nothing suitable within walking distance",
            len(gaps),
            (
                Key(
                    "outline",
                    GAP_OUTLINE,
                    "people at risk with no suitable active group within walking distance (thick dashed red outline)",
                    4,
                ),
            ),
        )
    )

    # Walking distance around active groups.
    group = folium.FeatureGroup(name="Walking distance from active groups", show=False)
    for row in coverage:
        folium.Circle(
            location=(row["latitude"], row["longitude"]),
            radius=float(row["radius_m"]),
            color=COVERAGE_COLOUR,
            weight=1,
            fill=True,
            fill_opacity=0.12,
            interactive=False,
            class_name="map-coverage",
        ).add_to(group)
    group.add_to(fmap)
    radius = int(coverage[0]["radius_m"]) if coverage else 0
    built.append(
        MapLayer(
            "coverage",
            "Walking distance from active groups",
            len(coverage),
            (Key("circle", COVERAGE_COLOUR, f"within {radius} m of an active group"),),
        )
    )

    # Groups and spaces, clustered.
    palette = _palette([p for p in places if p["kind"] == "group"], colour_by)
    group = folium.FeatureGroup(name="Groups and spaces", show=True)
    cluster = MarkerCluster(
        options={"maxClusterRadius": 40, "disableClusteringAtZoom": MAX_ZOOM - 2}
    ).add_to(group)
    for place in places:
        colour = (
            "map-colour-space" if place["kind"] == "space" else _category(place, colour_by, palette)
        )
        marker = folium.Marker(
            location=(place["latitude"], place["longitude"]),
            icon=_icon(colour, place["kind"], place["step_free"]),
            title=map_text(place["name"]),
            alt=map_text(place["name"]),
        )
        _Popup(_place_popup(place, labels), max_width=300).add_to(marker)
        marker.add_to(cluster)
    group.add_to(fmap)
    what = "interest" if colour_by == "interest" else "audience"
    built.append(
        MapLayer(
            "places",
            "Groups and spaces",
            len(places),
            tuple(
                Key("circle", CATEGORY_COLOURS[i], f"group: {labels.get(v, v)}")
                for v, i in palette.items()
            )
            + (
                Key("circle", OTHER_COLOUR, f"group: another {what}"),
                Key("diamond", SPACE_COLOUR, "space (a place groups can meet)"),
                Key("square", "#ffffff", "step-free (a square with a tick, any colour)"),
            ),
        )
    )

    # The organisation network.
    where = {n["id"]: (n["latitude"], n["longitude"]) for n in nodes}
    group = folium.FeatureGroup(name="Organisation network", show=False)
    for link in links:
        weight = min(2 + 2 * int(link["weight"]), 12)
        line = folium.PolyLine(
            locations=[where[link["source"]], where[link["target"]]],
            color=NETWORK_COLOUR,
            weight=weight,
            opacity=0.6,
            class_name="map-tie",
        )
        _Popup(
            f"{map_text(link['source_name'])} and {map_text(link['target_name'])}:"
            f" {int(link['weight'])} link(s) ({map_text(', '.join(link['kinds']).replace('_', ' '))})"
        ).add_to(line)
        line.add_to(group)
    for node in nodes:
        circle = folium.CircleMarker(
            location=where[node["id"]],
            radius=10 if node["broker"] else 6,
            color=BROKER_COLOUR if node["broker"] else NETWORK_COLOUR,
            weight=4 if node["broker"] else 1,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1,
            class_name="map-broker" if node["broker"] else "map-organisation",
        )
        text = f"<strong>{map_text(node['name'])}</strong><br>{map_text(node['sector_label'])}"
        if node["broker"]:
            text += "<br>Broker: links organisations that are otherwise apart"
        _Popup(text).add_to(circle)
        circle.add_to(group)
    group.add_to(fmap)
    built.append(
        MapLayer(
            "network",
            "Organisation network",
            len(links),
            (
                Key("line", NETWORK_COLOUR, "one link between two organisations", 4),
                Key("line", NETWORK_COLOUR, "three or more links (wider is stronger)", 8),
                Key("circle", NETWORK_COLOUR, "organisation (at the middle of its spaces)"),
                Key("ring", BROKER_COLOUR, "broker (larger, orange ring)", 4),
            ),
        )
    )

    folium.LayerControl(collapsed=False, position="topright").add_to(fmap)
    parts = embed_map(fmap, ((south, west), (north, east)))
    return CouncilMap(parts.element_id, parts.html, parts.script, tuple(built))
