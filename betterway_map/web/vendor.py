"""The application's own map files, and what a page needs to draw a map.

* ``/vendor/<package>/<path>`` serves the ``dist`` folders of the npm
  packages in ``package.json`` (installed by ``npm ci``), so that no page
  asks a CDN for anything and maps render with no internet.
* ``map_assets()`` gives a view the files and tiles its map needs (or says
  they are not installed); the view builds its map with ``maps/``.
* ``flask maps check`` says whether the map files are installed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click
from flask import Blueprint, abort, current_app, send_from_directory, url_for

from betterway_map.maps.assets import INSTALL_COMMAND, MAP_CSS, MAP_JS, VendorAssets, is_servable
from betterway_map.maps.tiles import TileSource, tile_source
from betterway_map.web.access import public

__all__ = ["bp", "MapAssets", "map_assets"]

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
class MapAssets:
    """What a page that draws a map links: the files (when installed) and the tiles."""

    installed: bool
    css_urls: tuple[str, ...] = ()
    js_urls: tuple[str, ...] = ()
    tiles: TileSource | None = None


def _project_root(app) -> Path:
    return Path(app.root_path).parent


@bp.record_once
def _configure(state) -> None:
    app = state.app
    folder = app.config.get("MAP_ASSETS_DIR") or _project_root(app) / "node_modules"
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
            _project_root(app),
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


def map_assets() -> MapAssets:
    """The map files and tiles for a page that draws a map."""
    settings = _settings()
    if not settings.assets.installed:
        return MapAssets(installed=False, tiles=settings.tiles)
    return MapAssets(
        installed=True,
        css_urls=_asset_urls(settings.assets, MAP_CSS),
        js_urls=_asset_urls(settings.assets, MAP_JS),
        tiles=settings.tiles,
    )


@bp.cli.command("check")
def check_command() -> None:
    """Say whether the map files (Leaflet, Leaflet.markercluster) are installed."""
    assets = _settings().assets
    missing = assets.missing()
    if missing:
        click.echo(
            f"The map files are not installed: missing {', '.join(missing)} in {assets.root}.\n"
            f"Run `{INSTALL_COMMAND}` in {_project_root(current_app)}; until then pages show lists without maps.",
            err=True,
        )
        raise click.exceptions.Exit(1)
    versions = ", ".join(f"{p} {assets.version(p)}" for p in ("leaflet", "leaflet.markercluster"))
    tiles = _settings().tiles
    click.echo(
        f"Map files installed in {assets.root} ({versions}); tiles: "
        + (tiles.url_template if tiles else "none (plain background)")
    )
