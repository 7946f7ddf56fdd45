"""The offline background in a real browser, on the demo, with NO tiles.

The demo town is served with ``MAP_TILES = "none"`` (as the browser factory
does by default). The council viewer's network map and a resident's nearby
map must each draw the application's own background: sector and district
outlines (SVG paths in the background pane) and names, with the town's
streets and places; nothing may leave the machine, the console stays clean
and axe-core finds nothing. A screenshot of each map is saved under
``tests/browser/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.factories.browser import (
    assert_accessible,
    serve,
    sign_in,
    skip_reason,
)

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

SCREENSHOTS = Path(__file__).parent / "screenshots"
COUNCIL = "council@demo.betterway.example"
SEED, PEOPLE = 42, 600


def _seed(app) -> None:
    from betterway_map.demo.generator import generate
    from betterway_map.demo.load import load
    from tests.conftest import PASSWORD

    with app.app_context():
        load(generate(seed=SEED, people=PEOPLE), password=PASSWORD, fast_hash=True)


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _a_town_centre_postcode(app) -> str:
    from sqlalchemy import select

    from betterway_map.extensions import db
    from betterway_map.geocoding.models import PostcodePoint

    with app.app_context():
        return db.session.scalar(
            select(PostcodePoint.postcode)
            .where(PostcodePoint.postcode.like("ZZ1 %"))
            .order_by(PostcodePoint.postcode)
        )


def _background_drawn(page) -> dict:
    """Wait for the background, then say what it drew."""
    page.wait_for_selector(".leaflet-bwBackground-pane path", state="attached", timeout=10_000)
    page.wait_for_selector(".map-bg-label", state="attached", timeout=10_000)
    return page.evaluate(
        """() => ({
            paths: document.querySelectorAll('.leaflet-bwBackground-pane path').length,
            labels: [...document.querySelectorAll('.map-bg-label')].map(e => e.textContent),
        })"""
    )


OVERLAPS_JS = """() => {
    const boxes = [...document.querySelectorAll('.map-bg-label span')].map(e => [e.textContent, e.getBoundingClientRect()]);
    const found = [];
    boxes.forEach(([a, p], i) => boxes.slice(i + 1).forEach(([b, q]) => {
        if (p.left < q.right && q.left < p.right && p.top < q.bottom && q.top < p.bottom) found.push([a, b]);
    }));
    return found;
}"""


MAP_JS = "window[document.querySelector('.folium-map').id]"


def _zoom_to(page, zoom: int, drawn_js: str) -> None:
    """Zoom the map and wait until the background is drawn for that zoom."""
    page.evaluate(f"(z) => {MAP_JS}.setZoom(z, {{animate: false}})", zoom)
    page.wait_for_function(f"() => {MAP_JS}.getZoom() === {zoom}")
    page.wait_for_function(drawn_js, timeout=15_000)


def _shoot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.locator(".leaflet-container").first.screenshot(path=str(path))
    return path


def test_the_council_network_map_has_the_offline_background(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, COUNCIL)
    response = page.goto(f"{base}/council/network", wait_until="load")
    assert response is not None and response.status == 200
    drawn = _background_drawn(page)
    # The map opens at the whole town (Brookfield Estate on its edge
    # included). At zoom 13 district names show, one per outward code; no
    # two names overlap at any zoom (maps.label_zooms thins them by zoom).
    assert drawn["paths"] > 10
    # The demo's modelled area indicator (fictional) is the "area need"
    # layer, shown by default, with its legend (once the script has
    # fetched the layers: maps.council_script).
    page.wait_for_selector(".folium-map[data-layers=loaded]", state="attached")
    assert page.locator("path.map-need").count() >= 2
    assert "Area need: Eastbrook loneliness index" in page.locator("#map-legend").inner_text()
    _zoom_to(page, 13, "() => document.querySelectorAll('.map-bg-district-label').length >= 9")
    districts = set(page.locator(".map-bg-district-label").all_inner_texts())
    assert districts >= {f"ZZ{n}" for n in range(1, 10)}
    assert page.evaluate(OVERLAPS_JS) == []
    # Zoomed out, the town is small on the screen: its name shows.
    _zoom_to(page, 12, "() => !!document.querySelector('.map-bg-town')")
    assert "Eastbrook" in page.locator(".map-bg-town").all_inner_texts()
    assert page.evaluate(OVERLAPS_JS) == []
    assert any(
        url.endswith(".geojson") or "background.geojson?bbox=" in url for url in watch.requests
    )
    assert_accessible(page)
    assert _shoot(page, "council-network-map").stat().st_size > 10_000
    watch.check(page)


def test_the_nearby_map_shows_sector_names_streets_and_places(site, person):
    base, app = site
    postcode = _a_town_centre_postcode(app)
    page, watch = person()
    response = page.goto(f"{base}/nearby?postcode={postcode}", wait_until="load")
    assert response is not None and response.status == 200
    drawn = _background_drawn(page)
    # Zoomed out to 13, district names have the room; in closer, sector
    # names ("ZZ1 4"), places and street names take over, never on top of
    # one another (maps.label_zooms).
    _zoom_to(page, 13, "() => !!document.querySelector('.map-bg-district-label')")
    assert page.evaluate(OVERLAPS_JS) == []
    _zoom_to(
        page,
        14,
        "() => !document.querySelector('.map-bg-district-label')"
        " && !!document.querySelector('.map-bg-sector-label')",
    )
    assert page.evaluate(OVERLAPS_JS) == []
    drawn = page.evaluate(
        """() => ({
            sectors: [...document.querySelectorAll('.map-bg-sector-label')].map(e => e.textContent),
            streets: document.querySelectorAll('.leaflet-bwBackground-pane path').length,
            places: [...document.querySelectorAll('.map-bg-place')].map(e => e.textContent),
        })"""
    )
    assert drawn["sectors"] and all(re.fullmatch(r"ZZ\d \d", n) for n in drawn["sectors"]), drawn
    assert "Town Centre" in drawn["places"]
    assert drawn["streets"] > 0
    # Clusters on the demo once landed on pins (axe target-size); they are
    # re-clustered until none overlaps (maps.declutter), then checked.
    page.wait_for_selector(".folium-map[data-declutter=done]", state="attached")
    assert_accessible(page)
    assert _shoot(page, "nearby-map").stat().st_size > 10_000
    watch.check(page)
    assert watch.outside == []
