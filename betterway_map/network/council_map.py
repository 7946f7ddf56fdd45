"""The council map, built once per report and filter set, and the document
its script fetches.

The page (``views.council_network.index``) embeds the map without its data;
the script fetches the data from a URL named by the document's digest
(``views.council_network.map_data``). Both come here: the map is built from
``network.map_layers.council_map_data`` (the stored report, or a filtered
one) and kept with it (``maps``), with the document's bytes and their gzip
made once (``maps.map_document``). The data URL is answered only while the
document it names is the one this register, report and filters give now:
any worker can build it again from the stored report (the encoding is the
same whichever process builds it), and a URL from a page made before the
report changed is told it is stale, never given other figures.

Reads only (``council_map_data``'s at most one commit aside).
"""

from __future__ import annotations

from collections.abc import Callable

from betterway_map.domain import vocab
from betterway_map.domain.network.map_layers import MapFilters
from betterway_map.maps.council_layers import CouncilMap, build_council_map
from betterway_map.maps.map_document import MapDocument
from betterway_map.maps.tiles import TileSource
from betterway_map.network.area_need import kept_area_need_layer
from betterway_map.network.map_layers import council_map_data

__all__ = ["COLOUR_BY_DEFAULT", "council_map", "council_map_document"]

COLOUR_BY_DEFAULT = "interest"


def council_map(
    data: dict,
    colour_by: str,
    area_need: dict | None,
    tiles: TileSource | None,
    data_url: Callable[[str], str],
) -> CouncilMap | None:
    """The map of ``data`` (``council_map_data``'s), kept in its ``maps``
    by colouring, area need layer and tiles when it has them; None when
    there is nothing to draw.

    ``data_url(digest)`` is the URL of the map's document (the view's
    ``url_for``, with the filters and colouring in its query).
    """
    kept = data["maps"]
    key = ("map", colour_by, id(area_need), tiles)
    entry = None if kept is None else kept.get(key)
    if entry is not None and entry[0] is area_need:
        return entry[1]
    labels = vocab.labels(vocab.INTERESTS) | vocab.labels(vocab.AUDIENCES)
    built = build_council_map(
        data["report"]["cells"],
        data["layers"],
        tiles=tiles,
        colour_by=colour_by,
        labels=labels,
        area_need=area_need,
        data_url=data_url,
    )
    if kept is not None:
        # Keeps area_need alive with it, so its id is not another's.
        kept[key] = (area_need, built)
    return built


def council_map_document(
    filters: MapFilters,
    colour_by: str,
    digest: str,
    tiles: TileSource | None,
    data_url: Callable[[str], str],
) -> MapDocument | None:
    """The document whose digest is ``digest``, if it is what the map of
    these filters and colouring holds now; None when it is not (a report
    or an area need layer replaced since, or no such document)."""
    data = council_map_data(filters)
    built = council_map(data, colour_by, kept_area_need_layer(), tiles, data_url)
    if built is None or built.document.digest != digest:
        return None
    return built.document
