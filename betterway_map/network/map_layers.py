"""The council map's data: the area report (filtered when asked) and its
layers, the one source for the map, its tables and every export.

Reads only (at most the report cache's one commit, in ``area_report``).
The unfiltered layers are computed with the report and stored with it
(``network.report.area_bundle``); filtered ones are computed afresh.
Every figure about people comes from the report, which the core's one
disclosure rule (``domain.suppression``) has already decided; the layers
add only public places (groups, spaces, organisations' places) and the
organisation network.
"""

from __future__ import annotations

from datetime import date

from betterway_map.domain.network.map_layers import MapFilters, map_layers
from betterway_map.domain.network.organisation_network import organisation_network
from betterway_map.network.loader import request_area, settings
from betterway_map.network.report import area_bundle, area_report
from betterway_map.network.trends import trend_rows

__all__ = ["council_map_data"]


def council_map_data(filters: MapFilters | None = None, today: date | None = None) -> dict:
    """``{"report", "trends", "layers", "maps"}`` for the council map and its
    files; ``maps`` is where the maps built from the unfiltered report are
    kept (None when filtered: built afresh).

    The trends are always the unfiltered area's (a month's snapshot is not
    filtered); the cells, gaps, places and coverage follow the filters.
    """
    filters = filters or MapFilters()
    unfiltered, layers, maps = area_bundle(today)
    trends = trend_rows(unfiltered)
    if filters.empty:
        # Computed with the report, stored with it: nothing is loaded here.
        return {"report": unfiltered, "trends": trends, "layers": layers, "maps": maps}
    report = area_report(today, filters=filters)
    config = settings()
    area = request_area(today)
    network = organisation_network(area, window_days=config.window_days, seed=42)
    layers = map_layers(area, filters, config.walking_m, report["organisations"], network.graph)
    return {"report": report, "trends": trends, "layers": layers, "maps": None}
