"""The network for council viewers: gaps, coverage, the organisation
network and trends, aggregated and suppressed (``network.report``).

Never a row about a person; no figure about fewer than ``MIN_CELL_COUNT``
people; the cells map draws suppressed cells grey with no figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
from flask import Blueprint, render_template
from markupsafe import Markup

from betterway_map.maps.cells_map import LegendEntry, build_cells_map
from betterway_map.network.area_need import gaps_by_indicator
from betterway_map.network.report import area_report
from betterway_map.network.trends import chart, trend_rows
from betterway_map.web.access import roles
from betterway_map.web.vendor import map_assets

bp = Blueprint("council_network", __name__, url_prefix="/council/network")


@dataclass(frozen=True)
class CellsMapView:
    """What ``council_network/_map.html`` shows."""

    installed: bool
    css_urls: tuple[str, ...] = ()
    js_urls: tuple[str, ...] = ()
    html: Markup = Markup("")
    script: Markup = Markup("")
    shown: int = 0
    suppressed: int = 0
    legend: tuple[LegendEntry, ...] = ()


def _map_view(cells: list[dict]) -> CellsMapView | None:
    assets = map_assets()
    if not assets.installed:
        return CellsMapView(installed=False)
    parts = build_cells_map(cells, tiles=assets.tiles)
    if parts is None:
        return None
    return CellsMapView(
        installed=True,
        css_urls=assets.css_urls,
        js_urls=assets.js_urls,
        # Built by maps.cells_map from suppressed, aggregated rows; every
        # string in them passed through map_text.
        html=Markup(parts.html),  # noqa: S704
        script=Markup(parts.script),  # noqa: S704
        shown=parts.shown,
        suppressed=parts.suppressed,
        legend=parts.legend,
    )


@bp.route("")
@roles("council", "site_admin")
def index():
    report = area_report()
    rows = trend_rows(report)
    return render_template(
        "network/council_network/index.html",
        report=report,
        cells_map=_map_view(report["cells"]),
        area_need=gaps_by_indicator(report),
        trends=rows,
        trend_chart=chart(rows),
        cell_area_km2=h3.average_hexagon_area(
            int(report["settings"]["h3_resolution"]), unit="km^2"
        ),
    )
