"""The network pictures in a real headless browser (issue 10): a council
viewer opens the organisation network from the council page, tabs to an
organisation in the picture and reads the table; a worker opens the network
and the map of one of their people from the person's page. axe-core on
every page, no console errors or CSP violations, nothing leaves the
machine, hostile names stay text, and a screenshot of each picture and map
is saved in ``tests/browser/screenshots/`` (git-ignored) for a person to
look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories.browser import assert_accessible, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

COUNCIL_EMAIL = "cora.council@example.org"
WORKER_EMAIL = "wynn.worker@example.org"
HOSTILE = "<img src=x onerror=\"window.__pwned='img'\">"
SCREENSHOTS = Path(__file__).parent / "screenshots"
SEEDED: dict = {}


def _seed(app) -> None:
    from betterway_map.domain.clock import today_in_uk
    from tests.conftest import make_user
    from tests.factories.network_pictures import person_world
    from tests.factories.organisations import make_group, make_organisation, make_partnership
    from tests.factories.person_records import tie_of

    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wynn")
    make_user(app, "council", email=COUNCIL_EMAIL, name="Cora")
    world = person_world(app, worker)
    tie_of(app, world["ann"], other_label=HOSTILE, kind="friend", contact_frequency="monthly")
    make_group(app, world["organisation"], world["halls"]["far"], name=HOSTILE)
    # A line of organisations, the middle one a broker, one with a hostile name.
    names = ["Ashfield Larder", "Beech Road Surgery", HOSTILE, "Cedar Court Residents"]
    ids = [make_organisation(app, name=name, sector="voluntary") for name in names]
    for first, second in zip(ids, ids[1:], strict=False):
        make_partnership(app, first, second, "referral", last_active_on=today_in_uk())
    SEEDED.update(world)


@pytest.fixture(scope="module")
def site():
    from tests.factories.browser import serve

    with serve(_seed) as (base, app):
        yield base, app


def _follow(page, name: str) -> None:
    page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state("load")
    visit(page, page.url)  # 200, and axe-core on the page


def _focused_label(page) -> str:
    return page.evaluate("document.activeElement.getAttribute('aria-label') || ''")


def test_a_council_viewer_tabs_through_the_organisation_network_and_reads_its_table(site, person):
    base, _ = site
    page, watch = person(viewport=(1280, 1000))
    sign_in(page, base, COUNCIL_EMAIL)
    visit(page, f"{base}/council/network")
    _follow(page, "See the organisation network as a picture")
    assert page.inner_text("h1") == "How organisations work together"
    nodes = page.locator("svg#organisation-network .np-node")
    assert nodes.count() == 5  # four in a line and the Wool Circle
    # Tab from the link before the picture reaches the organisations in the
    # table's order (by name: "<" sorts first), each with its focus ring
    # and its name said as text.
    page.get_by_role("link", name="Back to the network in the area").focus()
    page.keyboard.press("Tab")
    assert _focused_label(page).startswith(f"{HOSTILE} (Voluntary or community)")
    assert page.locator(".np-node:focus .np-focus").first.is_visible()
    page.keyboard.press("Tab")
    assert _focused_label(page).startswith("Ashfield Larder (Voluntary or community)")
    page.keyboard.press("Tab")
    beech = _focused_label(page)
    assert beech.startswith("Beech Road Surgery") and "broker" in beech
    # The table says the same in words, with the hostile name as text.
    rows = page.locator("#table-organisation-network tbody tr")
    assert rows.count() == 5
    assert "Beech Road Surgery" in rows.nth(2).inner_text()
    assert "(broker)" in rows.nth(2).inner_text()
    assert HOSTILE in page.locator("#table-organisation-network").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("figure.np-figure").screenshot(
        path=str(SCREENSHOTS / "organisation_network_picture.png")
    )
    page.screenshot(path=str(SCREENSHOTS / "organisation_network_page.png"), full_page=True)
    for name in ("Download this table as CSV", "Download the picture as SVG"):
        with page.expect_download() as download:
            page.get_by_role("link", name=name).click()
        assert download.value.suggested_filename.startswith("organisation-network.")
    watch.check(page)


def test_at_a_narrow_width_the_picture_keeps_its_size_and_scrolls(site, person):
    # 640 pixels across is a 1280-pixel screen at 200% zoom: the picture
    # keeps its text size and scrolls sideways in its frame.
    base, _ = site
    page, watch = person(viewport=(640, 900))
    sign_in(page, base, COUNCIL_EMAIL)
    visit(page, f"{base}/council/network/organisations")
    frame = page.locator(".np-scroll")
    sizes = frame.evaluate("e => [e.scrollWidth, e.clientWidth]")
    assert sizes[0] > sizes[1]
    label_px = page.locator(".np-label").first.evaluate("e => e.getBoundingClientRect().height")
    assert label_px >= 12
    assert_accessible(page)
    watch.check(page)


def test_a_worker_opens_the_network_and_the_map_of_one_of_their_people(site, person):
    base, _ = site
    page, watch = person(viewport=(1280, 1000))
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/{SEEDED['ann']}")
    _follow(page, "Ann’s network as a picture")
    assert page.inner_text("h1") == "Ann’s network"
    page.get_by_role("link", name="See a map of what is near Ann").focus()
    page.keyboard.press("Tab")
    assert _focused_label(page).startswith("Ann, in the middle")
    page.keyboard.press("Tab")
    assert _focused_label(page)  # the first of her ties, in the table's order
    assert HOSTILE in page.locator("#table-ties").inner_text()
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("figure.np-figure").screenshot(path=str(SCREENSHOTS / "person_network.png"))
    watch.check(page)

    _follow(page, "See a map of what is near Ann")
    page.wait_for_selector(".leaflet-container .leaflet-map-pane", state="attached")
    assert page.locator("path.map-home").count() == 1
    assert page.locator("path.map-volunteer-area").count() == 1
    # Walking Football and the hostile group, 1.4 km away (further than
    # walking), meet in the same hall: their pins are one cluster, which
    # opens from the keyboard (zooming in, then opening out) to show both.
    page.wait_for_selector(".folium-map[data-declutter=done]", state="attached")
    far = page.locator(".map-person-far")
    for _ in range(4):
        if far.count():
            break
        page.locator(".marker-cluster").first.focus()
        page.keyboard.press("Enter")
        page.wait_for_timeout(600)  # the zoom or the opening out is animated
    assert far.count() == 2
    # A group's popup opens from the keyboard, its hostile name as text, and closes again.
    page.locator(".leaflet-marker-icon:not(.marker-cluster)").first.focus()
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup-content")
    popup.first.wait_for()
    assert "km away" in popup.first.inner_text()
    page.locator(".leaflet-popup-close-button").focus()
    page.keyboard.press("Enter")
    popup.first.wait_for(state="detached")
    legend = page.locator("#map-legend").inner_text()
    assert "Where their volunteers live" in legend
    control = page.locator(".leaflet-control-layers")
    control.get_by_text("Where their volunteers live (areas)").click()
    assert page.locator("path.map-volunteer-area").count() == 0
    control.get_by_text("Where their volunteers live (areas)").click()
    assert page.locator("path.map-volunteer-area").count() == 1
    assert "Hal" in page.locator("#offers-heading + table").inner_text()
    assert_accessible(page)
    page.screenshot(path=str(SCREENSHOTS / "person_map.png"), full_page=True)
    watch.check(page)
