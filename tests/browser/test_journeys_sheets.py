"""Printed sheets as people reach them, in headless chromium with axe-core:
a visitor searches, follows "Print a sheet" and gets a PDF of the groups;
printing the results page shows the results, not the form or the map; a
worker prints a sheet for one of their people from the person's page."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories.browser import serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

WORKER_EMAIL = "wren.worker@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.nearby import add_postcode, point_at, space_at
    from tests.factories.organisations import make_group, make_organisation
    from tests.factories.people import make_assigned_person

    add_postcode(app)
    organisation = make_organisation(app, name="Eastbrook Friends")
    for number, name in enumerate(("Lunch Club", "Walking Group", "Choir"), start=1):
        space = space_at(app, organisation, 0.4 * number, 90 * number)
        make_group(app, organisation, space, name=name, contact_phone="01234 500600")
    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wren")
    lat, lon = point_at(0.3, 200)
    make_assigned_person(
        app, worker, first_name="Maud", postcode="ZZ1 9XY", latitude=lat, longitude=lon
    )


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _pdf_text(page, href: str) -> str:
    response = page.context.request.get(href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.body()))
    assert len(reader.pages) <= 2
    return "\n".join(p.extract_text() for p in reader.pages)


def test_a_visitor_prints_a_sheet_of_their_search(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby")
    page.get_by_label("Postcode").fill("ZZ1 1AA")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_load_state("load")
    visit(page, page.url)
    link = page.get_by_role("link", name="Print a sheet")
    href = link.get_attribute("href")
    assert href.startswith("/nearby/sheet.pdf?") and "postcode=ZZ1" in href
    text = _pdf_text(page, base + href)
    assert "What's on near you" in text
    assert all(name in text for name in ("Lunch Club", "Walking Group", "Choir"))
    assert "Add these groups to your calendar" in page.inner_text("main")
    watch.check(page)


def test_printing_the_results_page_shows_the_results_not_the_form(site, person):
    base, _ = site
    page, watch = person()
    visit(page, f"{base}/nearby?postcode=ZZ1+1AA")
    page.emulate_media(media="print")
    assert page.locator(".nearby-list").is_visible()
    for hidden in (".nearby-form", ".site-header", ".nearby-map", ".calendar-feed"):
        assert not page.locator(hidden).first.is_visible(), hidden
    watch.check(page)


def test_a_worker_prints_a_sheet_for_their_person(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/")
    page.get_by_role("link", name="Maud").first.click()
    page.wait_for_load_state("load")
    visit(page, page.url)
    href = page.get_by_role("link", name="Print a sheet of what is on near Maud").get_attribute(
        "href"
    )
    text = _pdf_text(page, base + href)
    assert "Lunch Club" in text and "postcode district ZZ1" in text
    assert "9XY" not in text and "Maud" not in text
    watch.check(page)
