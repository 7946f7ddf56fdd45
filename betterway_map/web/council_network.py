"""The network for council viewers: gaps, coverage, the organisation
network and trends, aggregated and suppressed (``services.network_area``).

Never a row about a person; no figure about fewer than ``MIN_CELL_COUNT``
people; the cells map draws suppressed cells grey with no figures.
"""

from __future__ import annotations

from dataclasses import dataclass

import h3
from flask import Blueprint, current_app, render_template, url_for
from markupsafe import Markup

from ..maps.assets import MAP_CSS, MAP_JS, VendorAssets
from ..maps.cells_map import LegendEntry, build_cells_map
from ..services.network_area import area_report
from ..services.trends import chart, trend_rows
from .access import roles
from .maps import EXTENSION

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


def _urls(assets: VendorAssets, files) -> tuple[str, ...]:
    return tuple(
        url_for("maps.vendor", package=package, filename=path, v=assets.version(package))
        for package, path in files
    )


def _map_view(cells: list[dict]) -> CellsMapView | None:
    map_settings = current_app.extensions[EXTENSION]
    if not map_settings.assets.installed:
        return CellsMapView(installed=False)
    parts = build_cells_map(cells, tiles=map_settings.tiles)
    if parts is None:
        return None
    return CellsMapView(
        installed=True,
        css_urls=_urls(map_settings.assets, MAP_CSS),
        js_urls=_urls(map_settings.assets, MAP_JS),
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
    rows = trend_rows()
    return render_template(
        "council_network/index.html",
        report=report,
        cells_map=_map_view(report["cells"]),
        trends=rows,
        trend_chart=chart(rows),
        cell_area_km2=h3.average_hexagon_area(
            int(report["settings"]["h3_resolution"]), unit="km^2"
        ),
    )
