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


def _zoom(page) -> int:
    return page.evaluate("() => window[document.querySelector('.folium-map').id].getZoom()")


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
    # The map opens at the whole town: district names show, one per outward
    # code, and no two names overlap (maps.label_zooms thins them by zoom).
    assert drawn["paths"] > 10
    assert _zoom(page) == 13
    districts = {label for label in drawn["labels"] if label.startswith("ZZ")}
    assert districts >= {f"ZZ{n}" for n in range(1, 10)}
    assert page.evaluate(OVERLAPS_JS) == []
    # Zoomed out, the town is small on the screen: its name shows.
    page.locator(".leaflet-control-zoom-out").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.map-bg-town')].some(e => e.textContent === 'Eastbrook')",
        timeout=15_000,
    )
    assert page.evaluate(OVERLAPS_JS) == []
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function("() => !document.querySelector('.map-bg-town')")
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
    # The search opens at zoom 13, where district names have the room; in
    # closer, sector names ("ZZ1 4"), places and street names take over,
    # never on top of one another (maps.label_zooms).
    assert _zoom(page) == 13 and page.evaluate(OVERLAPS_JS) == []
    page.wait_for_selector(".folium-map[data-declutter=done]", state="attached")
    page.locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(
        "() => [...document.querySelectorAll('.map-bg-sector-label')].length > 0",
        timeout=15_000,
    )
    assert page.locator(".map-bg-district-label").count() == 0
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
