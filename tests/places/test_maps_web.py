"""The maps blueprint (``web.vendor``): vendor files, tile settings; the nearby map partial."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from flask import g, render_template

from betterway_map import ROOT, create_app
from betterway_map.domain.geo.place import Place
from betterway_map.maps.tiles import TileConfigError
from betterway_map.places.views import nearby_map
from config import TestingConfig
from tests.factories.maps import DIST, needs_assets

SSTI = "{{ cycler.__init__.__globals__.os.getcwd() }}"


def other_app(**settings):
    """An application with other map settings (the suite's ``app`` sets the
    instance folder first, so request ``app`` in tests that use this)."""

    class MapConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    for name, value in settings.items():
        setattr(MapConfig, name, value)
    return create_app(MapConfig)


def result(number, kind="group", name="Lunch club", lat=51.501, lon=-0.099):
    return SimpleNamespace(
        kind=kind,
        id=number,
        name=name,
        latitude=lat,
        longitude=lon,
        distance_km=0.3,
        where="Online" if lat is None else "Eastbrook Hall",
        next_meeting=None,
        step_free=None,
        cost_label="Free",
        url=f"/{kind}s/{number}" if kind != "offer" else None,
    )


def a_search(items, radius_km=2.0, label="ZZ1 1AA"):
    return SimpleNamespace(
        origin=Place(51.5, -0.1, label, "postcode", True), radius_km=radius_km, items=items
    )


def render_partial(app, search):
    with app.test_request_context("/nearby"):
        page = render_template("places/_map.html", map_view=nearby_map(search))
        return page, g.get("csp_nonce")


# --- the vendor route ---------------------------------------------------------------


@needs_assets
@pytest.mark.parametrize(
    ("path", "content_type", "source"),
    [
        ("/vendor/leaflet/leaflet.js", "text/javascript", DIST / "leaflet.js"),
        ("/vendor/leaflet/leaflet.css", "text/css", DIST / "leaflet.css"),
        ("/vendor/leaflet/images/marker-icon.png", "image/png", DIST / "images/marker-icon.png"),
        (
            "/vendor/leaflet.markercluster/MarkerCluster.Default.css",
            "text/css",
            ROOT / "node_modules/leaflet.markercluster/dist/MarkerCluster.Default.css",
        ),
    ],
)
def test_vendor_files_are_served_from_the_installed_packages(client, path, content_type, source):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == content_type
    assert response.data == source.read_bytes()
    response.close()


@needs_assets
def test_vendor_files_may_be_cached_for_a_year(client):
    response = client.get("/vendor/leaflet/leaflet.js?v=1.9.4")
    cache = response.cache_control
    assert (cache.public, cache.max_age, cache.immutable) == (True, 31536000, True)
    response.close()


@pytest.mark.parametrize(
    "path",
    [
        "/vendor/leaflet/%2e%2e/package.json",
        "/vendor/leaflet/..%2fpackage.json",
        "/vendor/leaflet/package.json",
        "/vendor/leaflet/.hidden.js",
        "/vendor/leaflet/missing.js",
        "/vendor/leaflet.markercluster/WhereAreTheJavascriptFiles.txt",
        "/vendor/jquery/jquery.js",
        "/vendor/..%2f..%2fconfig.py",
        "/vendor/leaflet/%2fetc%2fpasswd.js",
        "/vendor/leaflet/images%5c..%5c..%5cpackage.js",
    ],
)
def test_only_files_of_the_dist_folders_are_served(client, path):
    # (Werkzeug first merges a doubled slash with a redirect.)
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert response.mimetype == "text/html"


# --- the partial ----------------------------------------------------------------------


def test_no_search_means_no_map(app):
    page, _ = render_partial(app, None)
    assert page.strip() == ""


@needs_assets
def test_partial_links_our_own_assets_and_runs_its_script_with_the_nonce(app):
    page, nonce = render_partial(app, a_search([result(1), result(2, "space", "Hall")]))
    assert nonce and f'<script nonce="{nonce}">' in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    styles = re.findall(r'<link rel="stylesheet" href="([^"]+)"', page)
    assert scripts == [
        "/vendor/leaflet/leaflet.js?v=1.9.4",
        "/vendor/leaflet.markercluster/leaflet.markercluster.js?v=1.5.3",
    ]
    assert styles == [
        "/static/css/map.css",
        "/vendor/leaflet/leaflet.css?v=1.9.4",
        "/vendor/leaflet.markercluster/MarkerCluster.css?v=1.5.3",
        "/vendor/leaflet.markercluster/MarkerCluster.Default.css?v=1.5.3",
    ]
    assert re.search(r'<div class="folium-map" id="map_[0-9a-f]+" ></div>', page)
    # The tests run with MAP_TILES = "none": nothing at all from another site.
    assert not re.search(r"https?://", page)
    # Sizing is in map.css; no inline style anywhere (the CSP would block it).
    assert "style=" not in page and "<style" not in page


@needs_assets
@pytest.mark.parametrize(
    ("items", "summary"),
    [
        ([result(1), result(2)], "The map shows the same 2 places as the list."),
        ([result(1)], "The map shows the same 1 place as the list."),
        (
            [result(1), result(2, "offer", "Shopping help", None, None)],
            "The map shows 1 of the 2 results in the list. Offers of help are never placed",
        ),
        ([], "The map shows where the search was centred and the 2 km around it."),
    ],
)
def test_partial_says_in_words_what_the_map_shows(app, items, summary):
    page, _ = render_partial(app, a_search(items))
    assert summary in page
    assert 'aria-describedby="nearby-map-summary"' in page
    assert len(re.findall(r"<h2\b", page)) == 1


@needs_assets
@pytest.mark.parametrize(
    "name",
    [
        SSTI,
        "{% for x in range(3) %}loop{% endfor %}",
        "`${alert(1)}`",
        "</script><img src=x onerror=alert(1)>",
        "Tea \"and\" 'cake' \\ back",
    ],
)
def test_hostile_names_in_the_partial_execute_nothing(app, name):
    page, _ = render_partial(app, a_search([result(1, name=name), result(2, "space", name)]))
    assert os.getcwd() not in page
    assert "looplooploop" not in page
    assert page.count("</script>") == 3  # the two library tags and our own
    assert "<img" not in page


def test_missing_assets_leave_a_plain_message_a_log_line_and_no_vendor_files(app, tmp_path, caplog):
    with caplog.at_level(logging.WARNING):
        bare = other_app(MAP_ASSETS_DIR=str(tmp_path))
    assert "npm ci --no-audit --no-fund" in caplog.text
    page, _ = render_partial(bare, a_search([result(1)]))
    assert "The map is not installed on this server" in page
    assert "<script" not in page and "/vendor/" not in page
    assert bare.test_client().get("/vendor/leaflet/leaflet.js").status_code == 404


def test_maps_check_command_says_to_run_npm_ci_when_files_are_missing(app, tmp_path):
    result = (
        other_app(MAP_ASSETS_DIR=str(tmp_path)).test_cli_runner().invoke(args=["maps", "check"])
    )
    assert result.exit_code == 1
    assert "npm ci --no-audit --no-fund" in result.output
    assert "leaflet/leaflet.js" in result.output


@needs_assets
def test_maps_check_command_reports_installed_versions(runner):
    result = runner.invoke(args=["maps", "check"])
    assert result.exit_code == 0, result.output
    assert "leaflet 1.9.4, leaflet.markercluster 1.5.3" in result.output
    assert "tiles: none" in result.output


# --- tile settings -----------------------------------------------------------------------


def test_no_tiles_means_no_tile_origin_in_the_csp(client):
    policy = client.get("/").headers["Content-Security-Policy"]
    assert "img-src 'self' data:;" in policy


@pytest.mark.parametrize(
    ("settings", "origin"),
    [
        ({"MAP_TILES": "openstreetmap"}, "https://tile.openstreetmap.org"),
        (
            {
                "MAP_TILES": "https://{s}.tiles.example.org/{z}/{x}/{y}.png",
                "MAP_TILE_ATTRIBUTION": "© Example",
            },
            "https://*.tiles.example.org",
        ),
    ],
)
def test_tile_origin_is_allowed_by_the_csp_only_when_tiles_are_on(app, settings, origin):
    """...and only on a page that draws a map (it asks for a script nonce)."""
    from flask import render_template_string

    from betterway_map.web.access import public

    tiled = other_app(**settings)

    @public
    def map_page():
        return render_template_string('<script nonce="{{ csp_nonce() }}"></script>')

    tiled.add_url_rule("/probe-map", "probe_map", map_page)
    client = tiled.test_client()
    assert (
        f"img-src 'self' data: {origin};"
        in client.get("/probe-map").headers["Content-Security-Policy"]
    )
    assert origin not in client.get("/").headers["Content-Security-Policy"]


@needs_assets
def test_openstreetmap_tiles_are_the_only_outside_url_and_carry_attribution(app):
    page, _ = render_partial(other_app(MAP_TILES="openstreetmap"), a_search([result(1)]))
    assert re.findall(r"https?://[^\s\"'`]+", page) == [
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    ]
    assert "OpenStreetMap contributors" in page


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"MAP_TILES": "satellite"}, "MAP_TILES is 'satellite'"),
        ({"MAP_TILES": "ftp://tiles.example.org/{z}/{x}/{y}.png"}, "use 'openstreetmap', 'none'"),
        (
            {"MAP_TILES": "https://tiles.example.org/{z}/{x}.png", "MAP_TILE_ATTRIBUTION": "X"},
            "needs the placeholders",
        ),
        (
            {
                "MAP_TILES": "https://tiles.example.org/{{z}}/{x}/{y}`.png",
                "MAP_TILE_ATTRIBUTION": "X",
            },
            "is not a tile URL template",
        ),
        (
            {"MAP_TILES": 'https://tiles.example.org/{z}/{x}/{y}.png"><script>'},
            "is not a tile URL template",
        ),
        (
            {"MAP_TILES": "https://tiles.example.org/{z}/{x}/{y}.png"},
            "MAP_TILE_ATTRIBUTION is empty",
        ),
    ],
)
def test_bad_tile_settings_stop_the_app_with_a_clear_message(app, settings, message):
    with pytest.raises(TileConfigError, match=re.escape(message)):
        other_app(**settings)


def test_package_json_pins_exact_versions_and_the_lockfile_agrees():
    import json

    manifest = json.loads(Path(ROOT / "package.json").read_text())
    lock = json.loads(Path(ROOT / "package-lock.json").read_text())
    assert manifest["dependencies"] == {"leaflet": "1.9.4", "leaflet.markercluster": "1.5.3"}
    for name, version in manifest["dependencies"].items():
        assert lock["packages"][f"node_modules/{name}"]["version"] == version
        assert lock["packages"][f"node_modules/{name}"]["integrity"].startswith("sha512-")
