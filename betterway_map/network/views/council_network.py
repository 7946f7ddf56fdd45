"""The network for council viewers: gaps, coverage, the organisation
network and trends, aggregated and suppressed (``network.report``).

Never a row about a person; no figure about fewer than ``MIN_CELL_COUNT``
people; the cells map draws suppressed cells grey with no figures.

The page embeds the map without its data; the map's script fetches the
data from ``map_data``, a URL named by the document's digest with the
page's filters and colouring in its query (``network.council_map``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

import h3
from flask import Blueprint, Response, abort, render_template, url_for
from markupsafe import Markup
from marshmallow import Schema

from betterway_map.domain import vocab
from betterway_map.domain.dates import stored_moment
from betterway_map.domain.network.map_layers import WINDOW_CHOICES, MapFilters
from betterway_map.errors import InvalidInput
from betterway_map.maps.council_layers import MapLayer, cell_anchor
from betterway_map.maps.map_document import is_digest
from betterway_map.network.area_need import gaps_by_indicator, kept_area_need_layer
from betterway_map.network.council_map import (
    COLOUR_BY_DEFAULT,
    council_map,
    council_map_document,
)
from betterway_map.network.map_layers import council_map_data
from betterway_map.network.report_files import (
    LAYER_FILES,
    REPORT_FILES,
    TABLE_FILES,
    report_file,
)
from betterway_map.network.trends import chart
from betterway_map.web.access import private_cache, roles
from betterway_map.web.documents import document_response, plain_error
from betterway_map.web.fields import choice
from betterway_map.web.forms import fields_of, list_args
from betterway_map.web.vendor import map_assets

bp = Blueprint("council_network", __name__, url_prefix="/council/network")


WINDOWS = tuple((str(days), f"Attended in the last {days} days") for days in WINDOW_CHOICES)
COLOUR_BY = (("interest", "Interest"), ("audience", "Audience"))


class MapFilterSchema(Schema):
    """The council map's filters (a GET form; every field optional)."""

    interest = choice("Interest", vocab.INTERESTS)
    audience = choice("Audience", vocab.AUDIENCES)
    window = choice(
        "Time window",
        WINDOWS,
        what="a time window of 30, 90 or 365 days",
        help="Count only groups someone attended in this time.",
    )
    colour_by = choice("Colour groups by", COLOUR_BY)


@dataclass(frozen=True)
class CouncilMapView:
    """What ``council_network/_map.html`` shows."""

    installed: bool
    css_urls: tuple[str, ...] = ()
    js_urls: tuple[str, ...] = ()
    html: Markup = Markup("")
    script: Markup = Markup("")
    layers: tuple[MapLayer, ...] = ()


def _filters() -> tuple[MapFilters, dict, dict | None]:
    """The filters from the query string, the form's values and the errors
    by field (None when the query is good)."""
    try:
        args = list_args(MapFilterSchema())
    except InvalidInput as error:
        return MapFilters(), {}, error.errors
    window = args.get("window")
    filters = MapFilters(
        interest=args.get("interest"),
        audience=args.get("audience"),
        window_days=int(window) if window else None,
    )
    return filters, args, None


def _data_url(args: dict) -> Callable[[str], str]:
    """The map's data URL for a digest: the page's filters and colouring
    in its query, so that any worker can build the document again."""
    query = {key: value for key, value in args.items() if value}
    if query.get("colour_by") == COLOUR_BY_DEFAULT:
        del query["colour_by"]
    return lambda digest: url_for("council_network.map_data", digest=digest, **query)


def _map_view(data: dict, args: dict, area_need: dict | None) -> CouncilMapView | None:
    """The page's map (its data fetched by its script from ``map_data``);
    built once per report and filter set (``network.council_map``)."""
    assets = map_assets()
    if not assets.installed:
        return CouncilMapView(installed=False)
    colour_by = args.get("colour_by") or COLOUR_BY_DEFAULT
    parts = council_map(data, colour_by, area_need, assets.tiles, _data_url(args))
    if parts is None:
        return None
    return CouncilMapView(
        installed=True,
        css_urls=assets.css_urls,
        js_urls=assets.js_urls,
        # Built by maps.council_layers from suppressed, aggregated rows and
        # public places; every string in them passed through map_text.
        html=Markup(parts.html),  # noqa: S704
        script=Markup(parts.script),  # noqa: S704
        layers=parts.layers,
    )


@bp.route("")
@roles("council", "site_admin")
def index():
    filters, args, error = _filters()
    data = council_map_data(filters)
    area_need = kept_area_need_layer()
    query = {key: value for key, value in args.items() if value}
    return render_template(
        "network/council_network/index.html",
        **_page(data, args, error, filters, area_need),
        query=query,
    ), (400 if error else 200)


def _cells_table(report: dict, filtered: bool, kept: dict | None) -> Markup:
    """The table of every shown area: rendered once per stored report when
    ``kept`` is given (it is the same for every viewer)."""
    if kept is not None and "cells_table" in kept:
        return kept["cells_table"]
    table = Markup(  # noqa: S704 (rendered by Jinja with autoescaping on)
        render_template(
            "network/council_network/_map_cells.html",
            report=report,
            filtered=filtered,
            anchor=cell_anchor,
        )
    )
    if kept is not None:
        kept["cells_table"] = table
    return table


def _page(data: dict, args: dict, error, filters: MapFilters, area_need) -> dict:
    report = data["report"]
    return dict(
        report=report,
        figures_as_of=stored_moment(datetime.fromisoformat(report["computed_at"])),
        layers=data["layers"],
        cells_map=_map_view(data, args, area_need),
        cells_table=_cells_table(report, not filters.empty, data["maps"]),
        area_need=gaps_by_indicator(report),
        trends=data["trends"],
        trend_chart=chart(data["trends"]),
        cell_area_km2=h3.average_hexagon_area(
            int(report["settings"]["h3_resolution"]), unit="km^2"
        ),
        filter_fields=fields_of(MapFilterSchema()),
        filter_values=args,
        filter_errors=error,
        filtered=not filters.empty,
        table_files=TABLE_FILES,
        layer_files=LAYER_FILES,
        anchor=cell_anchor,
    )


@bp.route("/files/<name>")
@roles("council", "site_admin")
def report_download(name: str):
    """One of ``flask network report``'s files, as the page's filters have it."""
    if name not in REPORT_FILES:
        abort(404)
    filters, _, error = _filters()
    if error:
        abort(400, description=" ".join(m for ms in error.values() for m in ms))
    text = report_file(name, council_map_data(filters))
    kind = "text/csv" if name.endswith(".csv") else "application/geo+json"
    return Response(
        text.encode("utf-8"),
        mimetype=kind,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/map/<digest>.json")
@roles("council", "site_admin")
@private_cache
def map_data(digest: str):
    """The council map's data for its script: the document the page named
    (``digest``, with its filters and colouring), gzip or identity, kept by
    the browser; 404 in plain words when it is not the current one."""
    filters, args, error = _filters()
    if error:
        return plain_error(" ".join(m for ms in error.values() for m in ms), 400)
    document = None
    if is_digest(digest):
        colour_by = args.get("colour_by") or COLOUR_BY_DEFAULT
        document = council_map_document(
            filters, colour_by, digest, map_assets().tiles, _data_url(args)
        )
    if document is None:
        return plain_error(
            f"No map data {digest[:40]!r} for these filters now: the figures have been"
            " updated since the page was made. Reload the page.",
            404,
        )
    return document_response(document.text, document.gzipped, document.digest)
