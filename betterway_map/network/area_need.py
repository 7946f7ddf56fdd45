"""Beside the council's gap figures: gap cells in each area indicator's most
in-need decile (``domain.network.area_need``). Counts of cells only, never
of people, from the published cells of the area report."""

from __future__ import annotations

import h3

from betterway_map.database import Versioned
from betterway_map.domain.network.area_need import gap_cells, gaps_by_decile
from betterway_map.geocoding.areas import indicator_layer, list_indicators, lookup_areas

__all__ = ["gaps_by_indicator", "area_need_layer", "kept_area_need_layer"]


def gaps_by_indicator(report: dict) -> list[dict]:
    """For each loaded indicator: its name, source and licence, and the
    gap cells in its most in-need decile (``GapsByDecile``). Reads only."""
    indicators = list_indicators()
    if not indicators:
        return []
    gaps = gap_cells(report["cells"], h3.cell_to_latlng)
    rows = []
    for indicator in sorted(indicators, key=lambda row: row["name"]):
        if gaps:
            lats = [gap.centre[0] for gap in gaps]
            lons = [gap.centre[1] for gap in gaps]
            areas, decile_of = lookup_areas(
                indicator["id"], (min(lats), min(lons), max(lats), max(lons))
            )
        else:
            areas, decile_of = [], {}
        rows.append({"indicator": indicator, "gaps": gaps_by_decile(gaps, areas, decile_of)})
    return rows


def area_need_layer() -> dict | None:
    """The "area need" map layer: the newest indicator's areas shaded by
    decile, as ``maps.council_layers.build_council_map`` takes it; None when
    no indicator is loaded. Public geography and area values only."""
    indicators = list_indicators()
    if not indicators:
        return None
    newest = indicators[0]
    return {
        "name": newest["name"],
        "areas": [
            {
                "code": area.code,
                "name": area.name,
                "decile": area.decile,
                "value": area.value,
                "geometry": area.geometry,
            }
            for area in indicator_layer(newest["id"])
        ],
    }


# The tables area_need_layer reads (list_indicators names who imported each).
_KEPT_LAYER = Versioned(
    ("area_indicators", "area_indicator_values", "users"), lambda: area_need_layer()
)


def kept_area_need_layer() -> dict | None:
    """``area_need_layer``, kept in this process until an indicator (or the
    list of who imported them) changes: the same object while unchanged, so
    a map built with it can be kept too."""
    return _KEPT_LAYER.get()
