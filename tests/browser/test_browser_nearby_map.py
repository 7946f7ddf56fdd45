"""The nearby map in a real headless browser (Debian's chromium, Playwright).

The real application runs in a real HTTP server on 127.0.0.1, against a
temporary SQLite database made by the migrations and filled with known
spaces and groups, some with hostile names, and a fictional gazetteer
postcode. The browser opens the real search page ``/nearby`` and checks that
the map renders, shows the expected markers, the origin and the radius, that
hostile names are shown as literal text and run nothing, that nothing breaks
the Content Security Policy or the console, and that no request leaves
localhost.
"""

from __future__ import annotations

import math
import os
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1"}
NEARBY = "/nearby"

# Two searches far apart: one for hostile names (few results: no clusters),
# one for many results (clusters).
HOSTILE_POSTCODE, HOSTILE_ORIGIN = "ZZ9 9ZZ", (51.60, -0.30)
MANY_POSTCODE, MANY_ORIGIN = "ZZ8 8ZZ", (51.70, -0.30)
HOSTILE_NAMES = [
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{% for x in range(3) %}loop{% endfor %} club",
    "`;window.__pwned='backtick';`",
    "${window.__pwned='dollar'}",
    "</script><script>window.__pwned='script'</script>",
    "<img src=x onerror=\"window.__pwned='img'\">",
    "Quote \" apostrophe ' back\\slash \\` done",
    "Tea & cake {# a comment #}",
]
MANY_CLOSE, MANY_SPREAD = 14, 4  # spaces
MANY_GROUPS = 2  # at spread spaces


def _skip_reason() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed: pip install -r requirements-dev.txt"
    if not CHROMIUM.exists():
        return "No browser: install Debian's chromium (apt-get install -y chromium)"
    if not (Path(__file__).resolve().parents[2] / "node_modules/leaflet/dist/leaflet.js").exists():
        return "The map files are not installed: run `npm ci --no-audit --no-fund`"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def _offset(origin, north_km: float, east_km: float) -> tuple[float, float]:
    lat, lon = origin
    return (
        lat + north_km / 111.2,
        lon + east_km / (111.32 * math.cos(math.radians(lat))),
    )


def _seed(app) -> None:
    from betterway_map.extensions import db
    from betterway_map.geocoding.models import PostcodePoint
    from tests.factories.organisations import make_group, make_organisation, make_space

    with app.app_context():
        for postcode, (lat, lon) in (
            (HOSTILE_POSTCODE, HOSTILE_ORIGIN),
            (MANY_POSTCODE, MANY_ORIGIN),
        ):
            db.session.add(
                PostcodePoint(postcode=postcode, latitude=lat, longitude=lon, fictional=True)
            )
        db.session.commit()
    org = make_organisation(app, name=HOSTILE_NAMES[0])
    # Four spaces 0.8 km from the hostile origin, each with one group.
    for n in range(4):
        bearing = math.radians(90 * n + 45)
        lat, lon = _offset(HOSTILE_ORIGIN, 0.8 * math.cos(bearing), 0.8 * math.sin(bearing))
        space = make_space(
            app,
            org,
            name=HOSTILE_NAMES[n],
            address=HOSTILE_NAMES[n + 4],
            latitude=lat,
            longitude=lon,
        )
        make_group(app, org, space_id=space, name=HOSTILE_NAMES[n + 4])
    # Outside the 2 km radius: never on the map.
    lat, lon = _offset(HOSTILE_ORIGIN, 0, 4.0)
    make_space(app, org, name="Too far away hall", latitude=lat, longitude=lon)
    # Many: a tight cluster half a kilometre east, and a few spread out.
    for n in range(MANY_CLOSE):
        lat, lon = _offset(MANY_ORIGIN, 0.01 * n, 0.5 + 0.01 * n)
        make_space(app, org, name=f"Close hall {n}", latitude=lat, longitude=lon)
    for n in range(MANY_SPREAD):
        bearing = math.radians(90 * n)
        lat, lon = _offset(MANY_ORIGIN, 1.5 * math.cos(bearing), 1.5 * math.sin(bearing))
        space = make_space(app, org, name=f"Spread hall {n}", latitude=lat, longitude=lon)
        if n < MANY_GROUPS:
            make_group(app, org, space_id=space, name=f"Spread group {n}")


@pytest.fixture(scope="module")
def live_server(app):
    """The application served over HTTP on 127.0.0.1 (a free port), with its
    own temporary SQLite database made by the migrations."""
    from flask_migrate import upgrade
    from werkzeug.serving import make_server

    from betterway_map import create_app
    from config import TestingConfig

    with tempfile.TemporaryDirectory() as folder:

        class BrowserConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/browser.db"
            MAP_TILES = "none"

        previous = os.environ.get("BETTERWAY_INSTANCE")
        os.environ["BETTERWAY_INSTANCE"] = folder
        try:
            server_app = create_app(BrowserConfig)
        finally:
            if previous is not None:
                os.environ["BETTERWAY_INSTANCE"] = previous
        with server_app.app_context():
            upgrade()
        _seed(server_app)
        server = make_server("127.0.0.1", 0, server_app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_port}"
        finally:
            server.shutdown()
            thread.join(timeout=10)
            server.server_close()
            from betterway_map.extensions import db

            with server_app.app_context():
                db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watch:
    """Everything the page did that a test must see: requests, dialogs,
    console errors, uncaught errors and CSP violations."""

    def __init__(self):
        self.requests: list[str] = []
        self.outside: list[str] = []
        self.dialogs: list[str] = []
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []

    def check(self, page) -> None:
        violations = page.evaluate("window.__cspViolations")
        assert self.outside == [], f"requests left localhost: {self.outside}"
        assert self.dialogs == [], f"dialogs fired: {self.dialogs}"
        assert self.page_errors == [], f"uncaught errors: {self.page_errors}"
        assert self.console_errors == [], f"console errors: {self.console_errors}"
        assert violations == [], f"CSP violations: {violations}"
        assert page.evaluate("window.__pwned") is None


def _on_route(watch: Watch):
    def handle(route):
        url = route.request.url
        watch.requests.append(url)
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            watch.outside.append(url)
            route.abort()

    return handle


@pytest.fixture()
def open_page(browser, live_server):
    contexts = []

    def opener(path: str):
        watch = Watch()
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        # Every request, even one a browser might make on its own, is seen
        # here; anything not for localhost is recorded and refused.
        context.route("**/*", _on_route(watch))
        page = context.new_page()
        page.add_init_script(
            "window.__cspViolations = [];"
            "document.addEventListener('securitypolicyviolation',"
            " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
        )

        def on_dialog(dialog):
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on(
            "console",
            lambda message: message.type == "error" and watch.console_errors.append(message.text),
        )
        page.on("pageerror", lambda error: watch.page_errors.append(str(error)))
        response = page.goto(live_server + path, wait_until="load")
        assert response is not None and response.status == 200, response and response.status
        try:
            page.wait_for_selector(
                ".leaflet-container .leaflet-map-pane", state="attached", timeout=10_000
            )
        except Exception as error:
            raise AssertionError(
                f"the map did not render: {watch.page_errors} {watch.console_errors}"
            ) from error
        return page, watch

    yield opener
    for context in contexts:
        context.close()


MARKERS_JS = """
(mapId) => {
  const map = window[mapId];
  const found = new Set();
  map.eachLayer(layer => {
    if (layer instanceof L.MarkerClusterGroup) layer.getLayers().forEach(m => found.add(m));
    else if (layer instanceof L.Marker && !(layer instanceof L.MarkerCluster)) found.add(layer);
  });
  return Array.from(found);
}
"""

TEXTS_JS = (
    """
(mapId) => {
  const markers = ("""
    + MARKERS_JS
    + """)(mapId);
  return markers.map(marker => {
    marker.openPopup();
    const popup = marker.getPopup().getElement().querySelector('.leaflet-popup-content').textContent;
    marker.closePopup();
    marker.openTooltip();
    const tooltip = marker.getTooltip().getElement().textContent.trim();
    marker.closeTooltip();
    return {popup: popup, tooltip: tooltip};
  });
}
"""
)


COUNT_JS = "(mapId) => (" + MARKERS_JS + ")(mapId).length"


def _map_id(page) -> str:
    return page.get_attribute(".folium-map", "id")


def test_map_renders_offline_with_origin_radius_and_one_marker_per_result(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    assert page.locator(".leaflet-container").count() == 1
    assert page.locator("img.leaflet-tile").count() == 0  # MAP_TILES = "none"
    assert page.locator("path.map-origin").count() == 1
    assert page.locator("path.map-radius").count() == 1
    assert page.locator(".leaflet-marker-icon").count() == 8  # 4 spaces and their 4 groups
    assert page.locator(".marker-cluster").count() == 0
    assert "The map shows the same 8 places as the list." in page.inner_text(".nearby-map")
    watch.check(page)


def test_hostile_names_show_as_literal_text_and_run_nothing(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    # Clicking a pin opens its popup for real. (A group's pin sits on its
    # space's pin: the click goes to whichever is on top.)
    page.locator(".leaflet-marker-icon").first.click(force=True)
    clicked = page.locator(".leaflet-popup-content").inner_text()
    assert any(name in clicked for name in HOSTILE_NAMES), clicked
    texts = page.evaluate(TEXTS_JS, _map_id(page))
    assert sorted(t["tooltip"] for t in texts) == sorted(HOSTILE_NAMES)
    for text in texts:
        assert text["tooltip"] in text["popup"]
    # A group's popup also names its space and the space's address.
    assert any(HOSTILE_NAMES[0] in t["popup"] and HOSTILE_NAMES[4] in t["popup"] for t in texts), (
        texts
    )
    assert page.locator(".leaflet-popup-content img, .leaflet-popup-content script").count() == 0
    assert os.getcwd() not in page.content()
    assert "looplooploop" not in page.content()
    assert not any(urlsplit(url).path.endswith("/x") for url in watch.requests)
    watch.check(page)


def test_many_results_are_clustered_and_every_one_is_counted(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={MANY_POSTCODE}&radius_km=2&page_size=50")
    expected = MANY_CLOSE + MANY_SPREAD + MANY_GROUPS
    clusters = page.locator(".marker-cluster")
    assert clusters.count() >= 1
    in_clusters = sum(int(text) for text in clusters.all_inner_texts())
    singles = page.locator(".leaflet-marker-icon:not(.marker-cluster)").count()
    assert in_clusters + singles == expected
    # Every result is a marker in Leaflet, inside a cluster or not.
    assert page.evaluate(COUNT_JS, _map_id(page)) == expected
    watch.check(page)


def test_map_files_come_from_this_server(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    assert all(urlsplit(url).hostname == "127.0.0.1" for url in watch.requests)
    vendor = [url for url in watch.requests if "/vendor/" in url]
    assert {urlsplit(url).path for url in vendor} >= {
        "/vendor/leaflet/leaflet.js",
        "/vendor/leaflet/leaflet.css",
        "/vendor/leaflet.markercluster/leaflet.markercluster.js",
    }
    watch.check(page)


INSIDE_MAP_JS = "() => !!document.activeElement.closest('.nearby-map')"


def test_keyboard_focus_moves_through_the_map_and_out_again(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    page.focus(".folium-map")
    page.keyboard.press("Shift+Tab")
    assert not page.evaluate(INSIDE_MAP_JS), "Shift+Tab did not leave the map"
    page.focus(".folium-map")
    # The map, its 8 pins, two zoom buttons and the attribution link, then out.
    for _ in range(8 + 4 + 1):
        page.keyboard.press("Tab")
    assert not page.evaluate(INSIDE_MAP_JS), "Tab did not leave the map"
    watch.check(page)


def test_a_pin_opens_its_popup_from_the_keyboard(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    page.focus(".leaflet-marker-icon >> nth=0")
    tooltip = page.locator(".leaflet-tooltip").last.inner_text()
    assert tooltip.strip() in HOSTILE_NAMES
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup-content").count() == 1
    watch.check(page)
