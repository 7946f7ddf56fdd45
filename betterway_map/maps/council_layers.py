"""The council map with layers a person switches on and off.

Built from plain data only (``network.map_layers.council_map_data`` and,
when a council loaded one, an area indicator): cells coloured by people at
risk, gap cells outlined, groups and spaces clustered and coloured by
interest or audience (step-free ones drawn as squares with a tick, not told
by colour alone), walking distance around active groups, the organisation
network between organisations' places (line width by strength of tie,
brokers ringed), and the area need by decile. Each layer carries its own
legend, which the page shows as HTML beside the map.

How it is drawn (issue 10's benchmark, ``benchmarks/maps.py``): the layers
travel as one compact JSON document (``council_data``), fetched by one
script (``council_script.CouncilLayers``) from the document's own URL
(issue 15: the page no longer carries it; ``map_document`` makes its bytes
and their gzip once, and ``data_url`` names it by its digest), which makes
the Leaflet layers, their popups and the one layer control in the browser.
folium renders a Jinja template per element, so a map of 10,000 places as
folium objects took tens of seconds and many megabytes; as data it is four
elements.

Withheld cells are never drawn (the report leaves them out, and any handed
over are dropped); a shown cell whose people at risk are withheld is grey
and says "too few people to show", never a figure. Every string in the
data has been through ``safe_text.map_text``, and the script puts only
those strings and numbers into popups, tooltips and layer names; popups
open on click (and on Enter for the markers, which Leaflet makes
focusable); the page's table of cells gives the same figures to keyboard
and screen-reader users.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from betterway_map.maps.base import MAX_ZOOM, base_map, embed_map
from betterway_map.maps.council_data import (
    encode_cells,
    encode_coverage,
    encode_need,
    encode_network,
    encode_places,
)
from betterway_map.maps.council_legend import (
    AT_RISK_COLOURS,
    BROKER_COLOUR,
    CATEGORY_COLOURS,
    COVERAGE_COLOUR,
    DECILE_COLOURS,
    GAP_OUTLINE,
    NETWORK_COLOUR,
    TOO_FEW,
    WITHHELD_COLOUR,
    Key,
    MapLayer,
    legends,
)
from betterway_map.maps.council_script import CLUSTER_RADIUS_PX, CouncilLayers, to_json
from betterway_map.maps.map_document import MapDocument
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource

__all__ = [
    "AT_RISK_COLOURS",
    "CATEGORY_COLOURS",
    "DECILE_COLOURS",
    "TOO_FEW",
    "WITHHELD_COLOUR",
    "CouncilMap",
    "Key",
    "MapLayer",
    "build_council_map",
    "cell_anchor",
]

ANCHOR_PREFIX = "area-"


@dataclass(frozen=True)
class CouncilMap:
    """The rendered map (``html`` and ``script`` to embed), its layers'
    legends, ``document``: the data the script fetches, as served, and
    ``data``: the same document as Python lists (for tests and benchmarks)."""

    element_id: str
    html: str
    script: str
    layers: tuple[MapLayer, ...]
    data: dict
    document: MapDocument


def cell_anchor(index: int) -> str:
    """The id of a shown cell's row in the page's table (no raw cell id).

    >>> cell_anchor(3)
    'area-3'
    """
    return f"{ANCHOR_PREFIX}{index}"


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


def _withheld(cell: dict) -> bool:
    return cell.get("at_risk") is None


def is_gap(cell: dict) -> bool:
    """A shown cell whose people at risk (shown, more than none) have no
    suitable active group within walking distance."""
    return not _withheld(cell) and int(cell["at_risk"]) > 0 and not cell["groups_within_walk"]


def _palette(places: Sequence[dict], colour_by: str) -> dict[str, int]:
    """The first eight interests (or audiences) by how many groups have them,
    each with its colour's index.

    >>> _palette([{"interests": ["music", "social"]}, {"interests": ["social"]}], "interest")
    {'social': 0, 'music': 1}
    """
    counts: dict[str, int] = {}
    field = "interests" if colour_by == "interest" else "audiences"
    for place in places:
        for value in place[field]:
            counts[value] = counts.get(value, 0) + 1
    ranked = sorted(counts, key=lambda v: (-counts[v], v))[: len(CATEGORY_COLOURS)]
    return {value: i for i, value in enumerate(ranked)}


def build_council_map(
    cells: Sequence[dict],
    layers: dict,
    *,
    tiles: TileSource | None = None,
    colour_by: str = "interest",
    labels: dict[str, str] | None = None,
    area_need: dict | None = None,
    data_url: Callable[[str], str],
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
    data_url
        The URL the page's script fetches the document from, given its
        digest (``MapDocument.digest``).
    """
    labels = labels or {}
    rows = [c for c in cells if not c.get("suppressed")]
    places = list(layers.get("places", ()))
    coverage = list(layers.get("walking_coverage", ()))
    nodes = list(layers.get("organisation_nodes", ()))
    links = list(layers.get("organisation_links", ()))
    points = [(float(lat), float(lon)) for c in rows for lat, lon in c["boundary"]]
    points += [(float(p["latitude"]), float(p["longitude"])) for p in places]
    points += [(float(n["latitude"]), float(n["longitude"])) for n in nodes]
    if not points:
        return None
    south, north = min(p[0] for p in points), max(p[0] for p in points)
    west, east = min(p[1] for p in points), max(p[1] for p in points)
    shown = [c for c in rows if not _withheld(c)]
    gaps = [c for c in shown if is_gap(c)]
    palette = _palette([p for p in places if p["kind"] == "group"], colour_by)
    built = legends(
        rows, shown, gaps, coverage, places, links, area_need, palette, colour_by, labels
    )
    top = max((int(c["at_risk"]) for c in shown), default=0)
    low = min((int(c["at_risk"]) for c in shown if int(c["at_risk"]) > 0), default=0)

    def band(cell: dict) -> int | None:
        if _withheld(cell):
            return None
        return _band(int(cell["at_risk"]), low, top, len(AT_RISK_COLOURS))

    data = {
        "titles": {layer.key: map_text(layer.title) for layer in built},
        "style": {
            "at_risk": AT_RISK_COLOURS,
            "withheld": WITHHELD_COLOUR,
            "gap": GAP_OUTLINE,
            "coverage": COVERAGE_COLOUR,
            "network": NETWORK_COLOUR,
            "broker": BROKER_COLOUR,
            "deciles": DECILE_COLOURS,
            "too_few": TOO_FEW,
            "anchor": ANCHOR_PREFIX,
            "cluster_px": CLUSTER_RADIUS_PX,
            "unclustered_zoom": MAX_ZOOM - 2,
        },
        "need": encode_need(area_need),
        "cells": encode_cells(rows, band, is_gap),
        "places": encode_places(places, palette, colour_by, labels),
        "network": encode_network(nodes, links),
    }
    data["coverage"] = encode_coverage(coverage, data["places"]["rows"])
    document = MapDocument.of(to_json(data))
    fmap = base_map(((south + north) / 2, (west + east) / 2), 13, tiles)
    bounds = ((south, west), (north, east))
    CouncilLayers(data_url(document.digest), bounds).add_to(fmap)
    parts = embed_map(fmap, bounds)
    return CouncilMap(parts.element_id, parts.html, parts.script, tuple(built), data, document)
