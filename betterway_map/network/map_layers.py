"""The council map's data: the area report (filtered when asked) and its
layers, the one source for the map, its tables and every export.

Reads only (at most the report cache's one commit, in ``area_report``).
The unfiltered layers are computed with the report and stored with it
(``network.report.area_bundle``); filtered ones are computed once per
report key and filter set in this process and the last few kept
(``FILTERED_KEPT``), so that the page and then its map's data
(``network.council_map``) compute them once.
Every figure about people comes from the report, which the core's one
disclosure rule (``domain.suppression``) has already decided; the layers
add only public places (groups, spaces, organisations' places) and the
organisation network.
"""

from __future__ import annotations

import weakref
from collections import OrderedDict
from datetime import date

from flask import current_app

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.network.map_layers import MapFilters, map_layers
from betterway_map.domain.network.organisation_network import organisation_network
from betterway_map.extensions import db
from betterway_map.network.loader import request_area, settings
from betterway_map.network.report import area_bundle, area_report
from betterway_map.network.report_store import report_key
from betterway_map.network.trends import trend_rows

__all__ = ["FILTERED_KEPT", "council_map_data"]

# Filter sets kept per process (each a whole report, its layers and its
# maps: not small at a council's scale): the last few a viewer tried.
FILTERED_KEPT = 4
_filtered: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine: OrderedDict


def council_map_data(filters: MapFilters | None = None, today: date | None = None) -> dict:
    """``{"report", "trends", "layers", "maps"}`` for the council map and its
    files; ``maps`` is where the maps built from this report and these
    filters are kept in this process (None when the cache is off).

    The trends are always the unfiltered area's (a month's snapshot is not
    filtered); the cells, gaps, places and coverage follow the filters.
    """
    filters = filters or MapFilters()
    unfiltered, layers, maps = area_bundle(today)
    trends = trend_rows(unfiltered)
    if filters.empty:
        # Computed with the report, stored with it: nothing is loaded here.
        return {"report": unfiltered, "trends": trends, "layers": layers, "maps": maps}
    config = settings()
    caching = current_app.config.get("NETWORK_CACHE_ENABLED", True)
    kept = _filtered.setdefault(db.engine, OrderedDict())
    # The register as it is now (a filtered report is computed from it).
    key = (report_key(today or today_in_uk(), config), filters) if caching else None
    if key in kept:
        kept.move_to_end(key)
        report, layers, maps = kept[key]
        return {"report": report, "trends": trends, "layers": layers, "maps": maps}
    report = area_report(today, filters=filters)
    area = request_area(today)
    network = organisation_network(area, window_days=config.window_days, seed=42)
    layers = map_layers(area, filters, config.walking_m, report["organisations"], network.graph)
    maps: dict | None = None
    if key is not None:
        maps = {}
        kept[key] = (report, layers, maps)
        while len(kept) > FILTERED_KEPT:
            kept.popitem(last=False)
    return {"report": report, "trends": trends, "layers": layers, "maps": maps}
