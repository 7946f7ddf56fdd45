"""The council map in a real headless browser (issue 10): a council viewer
signs in, the layered map renders without console errors or CSP
violations, layers toggle from the layer control, the legend shows beside
the map, the keyboard reaches an area's details, downloads work, nothing
leaves the machine, axe finds nothing, and a screenshot is saved in
``tests/browser/screenshots/`` (git-ignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories.browser import assert_accessible, new_page, serve, sign_in, skip_reason

COUNCIL_EMAIL = "colin.council@example.org"
HOSTILE = "<img src=x onerror=\"window.__pwned='img'\">"
SCREENSHOTS = Path(__file__).parent / "screenshots"

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


def _seed(app) -> None:
    import h3

    from tests.conftest import make_user
    from tests.factories.network import CELL_A, small_area
    from tests.factories.organisations import make_group, make_space

    area = small_area(app)
    church, surgery = area["organisations"]
    lat, lon = h3.cell_to_latlng(CELL_A)
    make_space(app, surgery, name="Surgery rooms", latitude=lat + 0.004, longitude=lon - 0.004)
    hall = make_space(app, church, name=HOSTILE, latitude=lat - 0.002, longitude=lon + 0.002)
    make_group(app, church, hall, name=HOSTILE)
    make_user(app, "council", email=COUNCIL_EMAIL, name="Colin")


@pytest.fixture(scope="module")
def live_server(app):
    with serve(_seed) as (base, _):
        yield base


def test_a_council_viewer_uses_the_layered_map(browser, live_server):
    context, page, watch = new_page(browser, viewport=(1280, 1000))
    try:
        sign_in(page, live_server, COUNCIL_EMAIL)
        response = page.goto(f"{live_server}/council/network", wait_until="load")
        assert response is not None and response.status == 200
        page.wait_for_selector(".leaflet-container .leaflet-map-pane", state="attached")
        # The page carries no layer data: the script fetches it (issue 15).
        page.wait_for_selector(".folium-map[data-layers=loaded]", state="attached")
        assert any("/council/network/map/" in url for url in watch.requests)
        # Every layer's legend is beside the map, as HTML.
        legend = page.locator("#map-legend")
        assert legend.is_visible()
        for title in (
            "People at risk by area",
            "Gaps",
            "Groups and spaces",
            "Organisation network",
        ):
            assert title in legend.inner_text()
        # The layer control lists the layers; unticking one removes its shapes.
        control = page.locator(".leaflet-control-layers")
        assert control.is_visible(), (watch.page_errors, watch.console_errors)
        cells = page.locator("path.map-cell, path.map-cell-withheld")
        assert cells.count() >= 1
        control.get_by_text("People at risk by area").click()
        assert cells.count() == 0
        control.get_by_text("People at risk by area").click()
        assert cells.count() >= 1
        network = page.locator("path.map-tie")
        assert network.count() == 0
        control.get_by_text("Organisation network").click()
        assert network.count() >= 1
        # The hostile name shows as text in a popup and runs nothing.
        page.locator(".leaflet-marker-icon").first.focus()
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup-content")
        popup.first.wait_for()
        # What a person reads: the place, whose it is, its access (the row
        # is decoded from steps, looks and indexes: maps.council_data).
        text = popup.first.inner_text()
        assert "Group of St Anne's Church" in text or "Space of " in text, text
        assert "Step-free access" in text or "Not step-free" in text, text
        page.locator(".leaflet-popup-close-button").focus()
        page.keyboard.press("Enter")
        popup.first.wait_for(state="detached")
        # The keyboard reaches an area's figures: the table after the map.
        row = page.locator("#area-1")
        row.focus()
        assert "6" in row.inner_text()
        assert_accessible(page)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "council_map_layers.png"), full_page=True)
        # A download is the file itself.
        with page.expect_download() as download:
            page.get_by_role("link", name="cells.geojson").click()
        assert download.value.suggested_filename == "cells.geojson"
        assert '"FeatureCollection"' in Path(download.value.path()).read_text("utf-8")
        watch.check(page)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("answer", "said"),
    [("abort", "could not be loaded"), ("404", "reload the page")],
    ids=["network-failure", "stale"],
)
def test_the_map_says_so_when_its_layers_cannot_be_had(browser, live_server, answer, said):
    """No silent blank map: when the data cannot be fetched (the network,
    or a report replaced since the page was made) the page says so in its
    live region, and the table after the map still gives every figure."""
    context, page, watch = new_page(browser, viewport=(1280, 1000))
    try:
        sign_in(page, live_server, COUNCIL_EMAIL)

        def refuse(route):
            if answer == "abort":
                route.abort()
            else:
                route.fulfill(status=404, content_type="text/plain", body="No map data")

        page.route("**/council/network/map/**", refuse)
        response = page.goto(f"{live_server}/council/network", wait_until="load")
        assert response is not None and response.status == 200
        page.wait_for_selector(".folium-map[data-layers=failed]", state="attached")
        status = page.locator("#council-map-status")
        assert status.get_attribute("role") == "status"
        assert said in status.inner_text().lower()
        assert page.locator("path.map-cell").count() == 0
        assert "6" in page.locator("#area-1").inner_text()
        assert_accessible(page)
        assert watch.page_errors == []
    finally:
        context.close()
