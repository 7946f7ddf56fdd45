"""Journeys walked as people walk them, in headless chromium: sign in as the
role, click and type, check what the person sees, and run axe-core (WCAG 2.2
A and AA) on every page visited.

Each journey is one that broke for a new user on the demo:

* an organisation admin adds a space and leaves latitude and longitude
  empty, as the form invites: the space must be placed from its postcode,
  say so, and be found by nearby search;
* an organisation admin adds someone to a group's list: the agreement is an
  unticked box, and submitting without ticking it records no one;
* anyone searches with two days and offers of help: the next page keeps
  every choice and the same number of results.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.factories.browser import (
    assert_accessible,
    serve,
    sign_in,
    skip_reason,
    visit,
)

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")


ADMIN_EMAIL = "ada.admin@example.org"
RESIDENT_EMAIL = "rita.resident@example.org"
WORKER_EMAIL = "wendy.worker@example.org"
FAR_GROUP = "Hilltop Choir"
NEAR_GROUP = "Knit and Natter"
ORGANISATION = "Riverside Community Trust"
GROUP = "Tuesday Lunch Club"
HALL_POSTCODE, HALL_AT = "ZZ1 1AG", (51.6012, -0.2011)
SEARCH_POSTCODE, SEARCH_AT = "ZZ2 2AB", (51.7000, -0.3000)
HALLS = 8


def _seed(app) -> None:
    from betterway_map.extensions import db
    from betterway_map.geocoding.models import PostcodePoint
    from tests.conftest import make_user
    from tests.factories.nearby import offer_at_point
    from tests.factories.organisations import make_group, make_organisation, make_space

    with app.app_context():
        for postcode, (lat, lon) in ((HALL_POSTCODE, HALL_AT), (SEARCH_POSTCODE, SEARCH_AT)):
            db.session.add(
                PostcodePoint(postcode=postcode, latitude=lat, longitude=lon, fictional=True)
            )
        db.session.commit()
    from tests.factories.people import make_person

    admin = make_user(app, "org_admin", email=ADMIN_EMAIL, name="Ada")
    resident = make_user(app, "resident", email=RESIDENT_EMAIL, name="Rita")
    make_person(app, first_name="Rita", user_id=resident, postcode=HALL_POSTCODE)
    from tests.factories.people import make_assigned_person

    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wendy")
    make_assigned_person(
        app,
        worker,
        first_name="Doris",
        latitude=SEARCH_AT[0],
        longitude=SEARCH_AT[1],
        travel_km=1.0,
    )
    organisation = make_organisation(app, admin, name=ORGANISATION)
    make_group(app, organisation, None, name=GROUP, online=True, online_url="https://example.org/j")
    hall = make_space(
        app,
        organisation,
        name="Knitting Room",
        postcode=HALL_POSTCODE,
        latitude=HALL_AT[0] + 0.002,
        longitude=HALL_AT[1],
    )
    make_group(app, organisation, hall, name=NEAR_GROUP)
    # For the search: eight halls near SEARCH_AT, each with a Monday and a
    # Wednesday group, and eight offers of help nearby: with both days and
    # offers chosen, 16 groups + 8 halls + 8 offers = 32 results, 2 pages.
    lat, lon = SEARCH_AT
    for n in range(HALLS):
        space = make_space(
            app,
            organisation,
            name=f"Search Hall {n}",
            postcode=SEARCH_POSTCODE,
            latitude=lat + 0.001 * (n + 1),
            longitude=lon,
        )
        make_group(app, organisation, space, weekday="mon", name=f"Monday club {n}")
        make_group(app, organisation, space, weekday="wed", name=f"Wednesday club {n}")
        offer_at_point(app, (lat - 0.001 * (n + 1), lon))
    far = make_space(app, organisation, name="Hilltop Hall", latitude=lat + 0.027, longitude=lon)
    make_group(app, organisation, far, name=FAR_GROUP)  # 3 km north


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def test_a_space_left_without_coordinates_is_placed_and_found(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/me")
    page.get_by_role("link", name=ORGANISATION).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_role("link", name="Add a space").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    # Before anything is sent, the form says what will be public.
    assert "Everything on this form is public" in page.inner_text("main")
    page.get_by_label("Name of the space").fill("Riverside Hall")
    page.get_by_label("Address").fill("1 River Lane, Eastbrook")
    page.get_by_label("Postcode").fill(HALL_POSTCODE.lower())
    assert page.get_by_label("Latitude").input_value() == ""  # left empty, as invited
    page.get_by_role("button", name="Add the space").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    main = page.inner_text("main")
    assert "Riverside Hall" in page.inner_text("h1")
    assert "Placed on the map from the postcode ZZ1 1AG" in main
    # A resident looking near that postcode finds it.
    visitor, _ = person()
    visit(visitor, f"{base}/nearby")
    visitor.get_by_label("Postcode").fill(HALL_POSTCODE)
    visitor.get_by_role("button", name="Search").first.click()
    visitor.wait_for_load_state("load")
    assert_accessible(visitor)
    assert visitor.get_by_role("link", name="Riverside Hall").count() == 1
    watch.check(page)


def test_the_agreement_to_share_a_name_starts_unticked_and_is_required(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, ADMIN_EMAIL)
    visit(page, f"{base}/groups/")
    page.get_by_role("link", name=GROUP).click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_role("link", name=f"Who comes to {GROUP}").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    agreement = page.get_by_label(re.compile("agreed to their first name being kept"))
    assert agreement.get_attribute("type") == "checkbox"
    assert not agreement.is_checked()
    page.get_by_role("textbox", name="First name").fill("Winnie")
    page.get_by_label("Verbal").check()
    page.get_by_role("button", name="Add to the list").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "only when they have agreed" in page.inner_text("main")
    assert page.get_by_role("cell", name="Winnie").count() == 0
    page.get_by_role("textbox", name="First name").fill("Winnie")
    page.get_by_label("Verbal").check()
    page.get_by_label(re.compile("agreed to their first name being kept")).check()
    page.get_by_role("button", name="Add to the list").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "Winnie is on the list" in page.inner_text("main")
    watch.check(page, refused_forms=True)


def test_the_next_page_of_a_search_keeps_every_choice(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby")
    page.get_by_label("Postcode").fill(SEARCH_POSTCODE)
    page.get_by_text("More choices").click()  # the other filters are folded away
    page.get_by_label("Offers of help").check()
    page.get_by_label("Monday").check()
    page.get_by_label("Wednesday").check()
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    # The results' heading has the focus, and the choices stay unfolded.
    assert page.evaluate("document.activeElement.id") == "results-title"
    first = page.inner_text("main")
    total = re.search(r"(\d+) results", first).group(1)
    assert total == str(4 * HALLS), first[:500]
    page.get_by_role("link", name="Next page").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    second = page.inner_text("main")
    assert re.search(r"(\d+) results", second).group(1) == total
    assert "page 2 of 2" in second
    for label in ("Monday", "Wednesday", "Offers of help", "Groups"):
        assert page.get_by_label(label).is_checked(), label
    watch.check(page)


def test_the_choice_to_go_survives_signing_in(site, person):
    """A visitor finds a group, is asked to sign in to say they would like to
    go, and after signing in is asked about the same group: one press records it."""
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby?postcode={HALL_POSTCODE.replace(' ', '+')}")
    page.get_by_role("link", name=f"Sign in to say you'd like to go to {NEAR_GROUP}").click()
    page.wait_for_load_state("load")
    assert "/auth/login" in page.url
    assert_accessible(page)
    from tests.conftest import PASSWORD

    page.get_by_label("Email address").fill(RESIDENT_EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert f"Would you like to go to {NEAR_GROUP}?" in page.inner_text("h1")
    page.get_by_role("button", name="Yes, I'd like to go").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "/nearby" in page.url
    main = page.inner_text("main")
    assert f"the organisers of {NEAR_GROUP} can see that you would like to go" in main
    assert "You said you would like to go: the organisers know." in main
    # The group's own page says so too, and offers nothing twice.
    page.get_by_role("link", name=NEAR_GROUP).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_role("link", name="I'd like to go").click()
    page.wait_for_load_state("load")
    assert "You have already said that you would like to go" in page.inner_text("main")
    watch.check(page)


def test_a_pin_dropped_on_the_map_is_where_the_search_starts(site, person):
    """An unknown postcode's message says "drop a pin on the map": there is
    one, it takes a click, and a keyboard way to do the same."""
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby")
    page.get_by_label("Postcode").fill("ZZ9 9ZY")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "drop a pin on the map" in page.inner_text("main")
    pin_map = page.locator("#pin-map")
    pin_map.wait_for(state="visible")  # the choices are unfolded after an error
    box = pin_map.bounding_box()
    pin_map.click(position={"x": box["width"] * 0.6, "y": box["height"] * 0.4})
    lat, lon = (
        page.get_by_label("Latitude").input_value(),
        page.get_by_label("Longitude").input_value(),
    )
    assert lat and lon and page.get_by_label("Postcode").input_value() == ""
    assert f"The search will start from {lat}, {lon}" in page.inner_text("#pin-map-said")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "(the point you gave)" in page.inner_text("main")
    assert page.locator("#results-title").count() == 1
    watch.check(page, refused_forms=True)


def test_the_pin_can_be_placed_with_the_keyboard(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby")
    page.get_by_text("More choices").click()
    page.locator("#pin-map").wait_for(state="visible")
    page.locator("#pin-map").focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.wait_for_timeout(400)  # the map pans smoothly
    page.get_by_role("button", name="Use the middle of the map").focus()
    page.keyboard.press("Enter")
    lat, lon = (
        page.get_by_label("Latitude").input_value(),
        page.get_by_label("Longitude").input_value(),
    )
    assert lat and lon
    start_lon = float(page.locator("#pin-map").get_attribute("data-lon"))
    assert float(lon) > start_lon  # moved east with the arrow keys
    assert_accessible(page)
    watch.check(page)


def test_a_worker_sees_how_far_each_group_is_and_what_is_beyond_reach(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/")
    page.get_by_role("link", name="Doris").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_role("link", name="Groups (Doris)").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    labels = page.locator("#field-group_id label").all_inner_texts()
    assert labels[0].startswith("Monday club 0, 0.1 km away"), labels[:3]
    far = page.locator("#field-group_id .choice", has_text=FAR_GROUP)
    assert "3.0 km away" in far.inner_text()
    assert "Further than Doris can travel (1 km)" in far.inner_text()
    page.get_by_label("Name of the group, or part of it").fill("choir")
    page.get_by_role("button", name="Find groups").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.locator("#field-group_id label").all_inner_texts() == [
        f"{FAR_GROUP}, 3.0 km away (Hilltop Hall)"
    ]
    watch.check(page)


@pytest.mark.parametrize("path", ["/groups/", "/nearby"])
def test_pages_do_not_scroll_sideways_on_a_small_phone(site, person, path):
    """390 px wide, as an older resident's phone: nothing runs off the side."""
    base, app = site
    page, watch = person(viewport=(390, 844))
    visit(page, f"{base}{path}")
    if path == "/groups/":
        page.get_by_role("link", name=NEAR_GROUP).first.click()
        page.wait_for_load_state("load")
        assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"{page.url} is {width} px wide on a 390 px screen"
    watch.check(page)


def test_a_resident_reads_all_their_data_on_a_page_and_keeps_it_as_a_pdf(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, RESIDENT_EMAIL)
    visit(page, f"{base}/me")
    page.get_by_role("link", name="See all your data").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "Everything we hold about you" in page.inner_text("h1")
    assert RESIDENT_EMAIL in page.inner_text("main")
    link = page.get_by_role("link", name="PDF to keep or print")
    response = page.request.get(f"{base}{link.get_attribute('href')}")
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    with page.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == "my-better-way-map-data.pdf"
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Everything we hold about you" in text and RESIDENT_EMAIL in text
    assert_accessible(page)  # still on the page, which is unchanged
    watch.check(page)


def test_a_resident_asks_for_help_and_answers_the_loneliness_question(site, person):
    """The help form says who will see a request before it is sent and after;
    answering "often or always" is met kindly, with what is near."""
    base, _ = site
    page, watch = person()
    sign_in(page, base, RESIDENT_EMAIL)
    visit(page, f"{base}/my/help")
    assert "A request for help is private" in page.inner_text("main")
    page.get_by_label("I would like help").check()
    page.get_by_label("Kind of help").select_option("shopping")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "Only you can see this request" in page.inner_text("main")
    visit(page, f"{base}/my/measures")
    page.get_by_label("Often or always").check()  # leaving the three other questions empty
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    kind = page.get_by_role("note")
    assert "Thank you for telling us" in kind.inner_text()
    assert kind.get_by_role("link", name="See groups and places to meet near you").count() == 1
    watch.check(page)
