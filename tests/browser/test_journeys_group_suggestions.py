"""Group suggestions as people reach them, in headless chromium with
axe-core: a resident goes from their page to the groups that might suit
them and reads the reasons; a worker opens a person's suggestions from the
person's page and the printable sheet."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories.browser import serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

RESIDENT_EMAIL = "ada.resident@example.org"
WORKER_EMAIL = "wren.worker@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.people import make_resident_with_profile
    from tests.factories.suggestions import MAUD, make_world

    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wren")
    make_world(app, worker)
    resident = make_user(app, "resident", email=RESIDENT_EMAIL, name="Ada")
    make_resident_with_profile(app, resident, **(MAUD | {"first_name": "Ada"}))


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _follow(page, name: str) -> None:
    page.get_by_role("link", name=name).first.click()
    page.wait_for_load_state("load")
    visit(page, page.url)  # 200, and axe-core on the page


def test_a_resident_sees_groups_that_might_suit_them_with_reasons(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, RESIDENT_EMAIL)
    visit(page, f"{base}/me")
    _follow(page, "Groups that might suit me")
    assert page.inner_text("h1") == "Groups that might suit you"
    suggestions = page.locator(".suggestion-list > li").all_inner_texts()
    assert "Garden Club" in suggestions[0] and "Choir" in suggestions[1]
    assert "It is about something you enjoy: gardening and nature." in suggestions[0]
    assert "It meets on Thursday afternoons, a time you are free." in suggestions[1]
    # Narrowing: the Choir's church has no hearing loop; the hall has.
    page.get_by_label("a hearing loop").check()
    page.get_by_role("button", name="Show suggestions").click()
    page.wait_for_load_state("load")
    visit(page, page.url)
    narrowed = page.locator(".suggestion-list > li").all_inner_texts()
    assert "Garden Club" in narrowed[0] and not any("Choir" in text for text in narrowed)
    _follow(page, "Garden Club")
    assert "Garden Club" in page.inner_text("h1")
    watch.check(page)


def test_a_worker_opens_a_persons_suggestions_and_prints_them(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/")
    _follow(page, "Maud")
    _follow(page, "Groups that might suit Maud")
    assert "Garden Club" in page.inner_text("main")
    href = page.get_by_role("link", name="Print these suggestions for Maud (PDF)").get_attribute(
        "href"
    )
    response = page.context.request.get(base + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Groups that might suit you" in " ".join(text.split())
    assert "Garden Club" in text and "Maud" not in text
    watch.check(page)
