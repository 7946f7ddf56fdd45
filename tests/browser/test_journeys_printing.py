"""Printing, as people do it, in headless chromium with axe-core:

* printing a page from the browser (``emulate_media(media="print")``) gives
  its content, not the filter form, the navigation, the map's controls or
  the buttons: on the nearby results, a group's page, the list of groups
  and the council's network page;
* a worker prints their person's summary from the person's page, and a
  resident prints their own from My page: a PDF with their groups and
  their volunteer's first name.
"""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories.browser import serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

WORKER_EMAIL = "wren.worker@example.org"
RESIDENT_EMAIL = "rosa.resident@example.org"
COUNCIL_EMAIL = "colin.council@example.org"


def _seed(app) -> None:
    from datetime import timedelta

    from betterway_map.domain.clock import today_in_uk
    from tests.conftest import make_user
    from tests.factories.matching import make_match, make_request, make_volunteer
    from tests.factories.measures import add_member, make_contact, make_rhythm
    from tests.factories.nearby import add_postcode, point_at, space_at
    from tests.factories.organisations import make_group, make_organisation
    from tests.factories.people import make_assigned_person, make_resident_with_profile

    add_postcode(app)
    organisation = make_organisation(app, name="Eastbrook Friends")
    groups = {}
    for number, name in enumerate(("Lunch Club", "Walking Group", "Choir"), start=1):
        space = space_at(app, organisation, 0.4 * number, 90 * number)
        groups[name] = make_group(app, organisation, space, name=name, contact_phone="01234 500600")
    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wren")
    lat, lon = point_at(0.3, 200)
    maud = make_assigned_person(
        app, worker, first_name="Maud", postcode="ZZ1 9XY", latitude=lat, longitude=lon
    )
    add_member(app, groups["Lunch Club"], maud)
    vera = make_volunteer(app, worker, person={"first_name": "Vera", "last_name": "Vandersteen"})
    match = make_match(
        app,
        make_request(app, worker, person_id=maud),
        vera,
        status="active",
        started_on=today_in_uk() - timedelta(days=30),
    )
    make_rhythm(app, match_id=match, frequency="fortnightly")
    make_contact(app, match_id=match, contacted_on=today_in_uk() - timedelta(days=4))
    resident = make_user(app, "resident", email=RESIDENT_EMAIL, name="Rosa")
    rosa = make_resident_with_profile(
        app, resident, first_name="Rosa", postcode="ZZ1 8AB", latitude=lat, longitude=lon
    )[1]
    add_member(app, groups["Choir"], rosa)
    make_user(app, "council", email=COUNCIL_EMAIL, name="Colin")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _group_id(app, name: str) -> int:
    from betterway_map.extensions import db
    from betterway_map.register.models import Group

    with app.app_context():
        return db.session.scalar(db.select(Group.id).where(Group.name == name))


def _printed(page, hidden: tuple[str, ...], shown: tuple[str, ...]) -> None:
    page.emulate_media(media="print")
    for selector in hidden:
        locator = page.locator(selector)
        assert locator.count() > 0, f"{selector} is not on the page to hide"
        assert not any(locator.nth(n).is_visible() for n in range(locator.count())), selector
    for selector in shown:
        assert page.locator(selector).first.is_visible(), selector
    page.emulate_media(media="screen")


def test_printing_the_nearby_results_gives_the_results(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby?postcode=ZZ1+1AA")
    _printed(page, hidden=(".nearby-form", "nav", "button"), shown=(".nearby-list", "h1"))
    watch.check(page)


def test_printing_a_group_page_gives_the_group_not_the_buttons(site, person):
    base, app = site
    page, watch = person()
    visit(page, f"{base}/groups/{_group_id(app, 'Walking Group')}")
    _printed(page, hidden=("nav", "a.button"), shown=("h1", ".summary-list"))
    assert "Walking Group" in page.inner_text("h1")
    watch.check(page)


def test_printing_the_list_of_groups_leaves_out_its_filters(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/groups/")
    _printed(page, hidden=("form.filters", "nav", "button"), shown=("h1", "main ul, main table"))
    watch.check(page)


def test_printing_the_council_page_leaves_out_the_filters_and_map_controls(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, COUNCIL_EMAIL)
    visit(page, f"{base}/council/network")
    hidden = ["form.map-filters", "nav", "button"]
    if page.locator(".leaflet-container").count():
        page.wait_for_selector(".leaflet-control-container", state="attached")
        hidden.append(".leaflet-control-container")
    _printed(page, hidden=tuple(hidden), shown=("h1", "table"))
    watch.check(page)


def _pdf_text(page, href: str) -> str:
    response = page.context.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert 1 <= len(reader.pages) <= 2
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_a_worker_prints_their_persons_summary(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/")
    page.get_by_role("link", name="Maud").first.click()
    page.wait_for_load_state("load")
    visit(page, page.url)
    link = page.get_by_role("link", name="Print Maud's summary")
    text = _pdf_text(page, base + link.get_attribute("href"))
    assert "Your summary" in text and "Lunch Club" in text and "Vera" in text
    assert "contact every two weeks" in text and "Vandersteen" not in text
    watch.check(page)


def test_a_resident_prints_their_own_summary_from_my_page(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, RESIDENT_EMAIL)
    visit(page, f"{base}/me")
    link = page.get_by_role("link", name="Print your summary")
    text = _pdf_text(page, base + link.get_attribute("href"))
    assert "Your summary" in text and "Choir" in text
    assert "No volunteer is supporting you at the moment" in text
    watch.check(page)
