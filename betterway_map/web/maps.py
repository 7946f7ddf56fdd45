"""Maps in our pages: the application's own Leaflet files, and the nearby map.

* ``/vendor/<package>/<path>`` serves the ``dist`` folders of the npm
  packages in ``package.json`` (installed by ``npm ci``), so that no page
  asks a CDN for anything and maps render with no internet.
* The template global ``nearby_map(search)`` gives ``nearby/_map.html`` the
  parts of the map beside the nearby search's list.
* ``flask maps check`` says whether the map files are installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from flask import Blueprint, abort, current_app, send_from_directory, url_for
from markupsafe import Markup

from .. import ROOT
from ..maps.assets import INSTALL_COMMAND, MAP_CSS, MAP_JS, VendorAssets, is_servable
from ..maps.nearby_map import build_nearby_map
from ..maps.tiles import TileSource, tile_source
from .access import public

bp = Blueprint("maps", __name__)

# The files are named by their package's version (?v=...), so a browser may
# keep them for a year; a new version is a new URL.
VENDOR_MAX_AGE_SECONDS = 365 * 24 * 60 * 60
EXTENSION = "betterway_maps"


@dataclass(frozen=True)
class MapSettings:
    assets: VendorAssets
    tiles: TileSource | None


@dataclass(frozen=True)
class MapView:
    """What ``nearby/_map.html`` shows."""

    installed: bool
    css_urls: tuple[str, ...] = ()
    js_urls: tuple[str, ...] = ()
    html: Markup = Markup("")
    script: Markup = Markup("")
    marker_count: int = 0
    result_count: int = 0
    radius_km: float = 0.0

    @property
    def summary(self) -> str:
        """A short text alternative: what the map shows, in words."""
        if self.result_count and self.marker_count == self.result_count:
            noun = "place" if self.marker_count == 1 else "places"
            return f"The map shows the same {self.marker_count} {noun} as the list."
        if not self.result_count:
            return (
                f"The map shows where the search was centred and the {self.radius_km:g} km"
                " around it. Nothing in the list is on it."
            )
        return (
            f"The map shows {self.marker_count} of the {self.result_count} results in the list."
            " Offers of help are never placed on a map, to keep helpers' homes private."
        )


@bp.record_once
def _configure(state) -> None:
    app = state.app
    folder = app.config.get("MAP_ASSETS_DIR") or ROOT / "node_modules"
    tiles = tile_source(app.config.get("MAP_TILES"), app.config.get("MAP_TILE_ATTRIBUTION"))
    settings = MapSettings(assets=VendorAssets(Path(folder)), tiles=tiles)
    app.extensions[EXTENSION] = settings
    if tiles is not None:
        sources = tuple(app.config.get("CSP_IMG_SOURCES", ()))
        if tiles.csp_origin not in sources:
            app.config["CSP_IMG_SOURCES"] = (*sources, tiles.csp_origin)
    missing = settings.assets.missing()
    if missing:
        app.logger.warning(
            "The map files are not installed (missing %s in %s): pages show lists"
            " without maps. Run `%s` in %s to install them.",
            ", ".join(missing),
            settings.assets.root,
            INSTALL_COMMAND,
            ROOT,
        )


def _settings() -> MapSettings:
    return current_app.extensions[EXTENSION]


@bp.route("/vendor/<package>/<path:filename>")
@public
def vendor(package: str, filename: str):
    if not is_servable(package, filename):
        abort(404)
    response = send_from_directory(
        _settings().assets.dist(package), filename, max_age=VENDOR_MAX_AGE_SECONDS
    )
    response.cache_control.public = True
    response.cache_control.immutable = True
    return response


def _asset_urls(assets: VendorAssets, files) -> tuple[str, ...]:
    return tuple(
        url_for("maps.vendor", package=package, filename=path, v=assets.version(package))
        for package, path in files
    )


def _first_number(search) -> int:
    """The list's number of the page's first result (the list is numbered
    across pages)."""
    page, page_size = getattr(search, "page", 1), getattr(search, "page_size", None)
    if isinstance(page, int) and isinstance(page_size, int) and page >= 1:
        return (page - 1) * page_size + 1
    return 1


@bp.app_template_global()
def nearby_map(search) -> MapView | None:
    """The map of a nearby search's current page of results, or None before
    any search was made.

    ``search`` has ``origin`` (a ``services.geocoding.Place``), ``radius_km``
    and ``items`` (see ``maps.nearby_map.build_nearby_map``).
    """
    if search is None:
        return None
    settings = _settings()
    if not settings.assets.installed:
        return MapView(installed=False)
    items = list(search.items)
    origin = search.origin
    parts = build_nearby_map(
        origin.latitude,
        origin.longitude,
        origin.label,
        search.radius_km,
        items,
        tiles=settings.tiles,
        first_number=_first_number(search),
    )
    return MapView(
        installed=True,
        css_urls=_asset_urls(settings.assets, MAP_CSS),
        js_urls=_asset_urls(settings.assets, MAP_JS),
        # Built by maps.nearby_map, where every user-entered string passed
        # through map_text; nothing else in them came from a user.
        html=Markup(parts.html),  # noqa: S704 (escaped by map_text, see above)
        script=Markup(parts.script),  # noqa: S704
        marker_count=parts.marker_count,
        result_count=len(items),
        radius_km=float(search.radius_km),
    )


@bp.cli.command("check")
def check_command() -> None:
    """Say whether the map files (Leaflet, Leaflet.markercluster) are installed."""
    assets = _settings().assets
    missing = assets.missing()
    if missing:
        click.echo(
            f"The map files are not installed: missing {', '.join(missing)} in {assets.root}.\n"
            f"Run `{INSTALL_COMMAND}` in {ROOT}; until then pages show lists without maps.",
            err=True,
        )
        raise click.exceptions.Exit(1)
    versions = ", ".join(f"{p} {assets.version(p)}" for p in ("leaflet", "leaflet.markercluster"))
    tiles = _settings().tiles
    click.echo(
        f"Map files installed in {assets.root} ({versions}); tiles: "
        + (tiles.url_template if tiles else "none (plain background)")
    )
