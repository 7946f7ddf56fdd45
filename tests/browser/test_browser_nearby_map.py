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
from urllib.parse import urlsplit

import pytest

from tests.factories.browser import (
    AXE_TAGS,
    assert_accessible,
    new_page,
    serve,
    skip_reason,
)

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


pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


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
    """The application with known spaces and groups, some with hostile names."""
    with serve(_seed) as (base, _):
        yield base


@pytest.fixture()
def open_page(browser, live_server):
    contexts = []

    def opener(path: str):
        context, page, watch = new_page(browser)
        contexts.append(context)
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
        # Clusters are checked for overlaps once drawn (maps.declutter).
        page.wait_for_function(SETTLED_JS)
        return page, watch

    yield opener
    for context in contexts:
        context.close()


SETTLED_JS = (
    "() => !document.querySelector('.marker-cluster')"
    " || !!document.querySelector('.folium-map[data-declutter=done]')"
)

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
  // Pins inside a cluster are not in the page yet: read what Leaflet would
  // put there, parsed as the page would parse it (DOMParser runs nothing).
  const text = (content) => {
    const html = typeof content === 'string' ? content : content.outerHTML;
    return new DOMParser().parseFromString(html, 'text/html').body.textContent;
  };
  return markers.map(marker => ({
    popup: text(marker.getPopup().getContent()),
    tooltip: text(marker.getTooltip().getContent()).trim(),
  }));
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
    # 4 spaces and their 4 groups: each group's pin is on its space's pin, so
    # they are gathered in 4 clusters of 2 (pins on top of each other cannot
    # be told apart by a finger or a pointer).
    clusters = page.locator(".marker-cluster")
    assert clusters.count() == 4
    assert sorted(int(text) for text in clusters.all_inner_texts()) == [2, 2, 2, 2]
    assert page.evaluate(COUNT_JS, _map_id(page)) == 8
    assert "The map shows the same 8 places as the list." in page.inner_text(".nearby-map")
    assert_accessible(page)
    watch.check(page)


def _open_a_cluster(page, activate):
    """Activate the first cluster until its pins show (a cluster of pins at
    one point zooms in first, then opens out); the first single pin."""
    pins = page.locator(".leaflet-marker-icon:not(.marker-cluster)")
    for _ in range(4):
        if pins.count():
            break
        activate(page.locator(".marker-cluster").first)
        page.wait_for_timeout(600)  # the zoom or the opening out is animated
    pins.first.wait_for(state="visible")
    return pins.first


def test_hostile_names_show_as_literal_text_and_run_nothing(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    # Clicking a pin opens its popup for real. (A group's pin sits on its
    # space's pin: the cluster of the two opens out first.)
    pin = _open_a_cluster(page, lambda cluster: cluster.click())
    pin.click(force=True)
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
    assert_accessible(page)
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
    # The map, its 4 clusters, two zoom buttons and the attribution link, then out.
    for _ in range(4 + 4 + 1):
        page.keyboard.press("Tab")
    assert not page.evaluate(INSIDE_MAP_JS), "Tab did not leave the map"
    watch.check(page)


def test_a_pin_opens_its_popup_from_the_keyboard(open_page):
    page, watch = open_page(f"{NEARBY}?postcode={HOSTILE_POSTCODE}&radius_km=2")
    # Enter on a cluster zooms in to it, and at the closest zoom opens it out.
    pin = _open_a_cluster(page, lambda cluster: (cluster.focus(), page.keyboard.press("Enter")))
    pin.focus()
    tooltip = page.locator(".leaflet-tooltip").last.inner_text()
    assert tooltip.strip() in HOSTILE_NAMES
    page.keyboard.press("Enter")
    assert page.locator(".leaflet-popup-content").count() == 1
    watch.check(page)


TARGET_SIZE_JS = """
async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, elementRef: true});
  const icons = (outcome) => result[outcome]
    .filter(rule => rule.id === 'target-size')
    .flatMap(rule => rule.nodes)
    .filter(node => node.element.classList.contains('leaflet-marker-icon')).length;
  return {passes: icons('passes'), violations: icons('violations'), incomplete: icons('incomplete')};
}
"""


def test_every_cluster_is_a_target_axe_checks_and_passes(open_page):
    # axe-core ships target-size (WCAG 2.2, 2.5.8) switched off, but a run
    # by tag (wcag22aa, as assert_accessible runs) includes it: here it must
    # have looked at every cluster and every pin, and passed them all.
    page, watch = open_page(f"{NEARBY}?postcode={MANY_POSTCODE}&radius_km=2&page_size=50")
    icons = page.locator(".leaflet-marker-icon").count()
    assert page.locator(".marker-cluster").count() >= 1
    outcome = page.evaluate(TARGET_SIZE_JS, AXE_TAGS)
    assert outcome == {"passes": icons, "violations": 0, "incomplete": 0}
    watch.check(page)
