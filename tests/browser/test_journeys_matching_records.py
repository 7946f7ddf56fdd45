"""Journeys through matching's records, in headless chromium with axe-core
on every page visited:

* a worker signs in, opens a person, asks for support for them, ticking the
  availability grid with the keyboard only, sees how many volunteers would
  fit (a live region the page's script fills in), and reads the saved request;
* a volunteer records their offer to volunteer.
"""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

WORKER_EMAIL = "wanda.worker@example.org"
VOLUNTEER_EMAIL = "vik.volunteer@example.org"
IDS: dict = {}


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.matching import make_volunteer
    from tests.factories.people import (
        make_assigned_person,
        make_consent,
        make_resident_with_profile,
    )

    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wanda")
    iris = make_assigned_person(app, worker, first_name="Iris", languages=["pl"])
    make_consent(app, iris, purpose="matching", recorded_by_id=worker)
    make_volunteer(app, worker, person={"first_name": "Pola"}, languages=["pl"])
    vik = make_user(app, "resident", email=VOLUNTEER_EMAIL, name="Vik")
    IDS.update(iris=iris, vik=make_resident_with_profile(app, vik, first_name="Vik")[1])


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _tick_by_keyboard(page, label: str) -> None:
    box = page.get_by_role("checkbox", name=label, exact=True)
    box.focus()
    page.keyboard.press("Space")
    assert box.is_checked(), label


def test_a_worker_asks_for_support_with_the_availability_grid(site, person):
    from playwright.sync_api import expect

    base, _ = site
    page, watch = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/{IDS['iris']}")
    page.get_by_role("link", name="Ask for support for Iris").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.inner_text("h1") == "Ask for support for Iris"
    page.get_by_label("Kind of support").select_option("befriending_phone")
    live = page.locator("#feasibility-result")
    assert live.get_attribute("aria-live") == "polite"
    grid = page.get_by_role("group", name="When are they free?")
    assert grid.get_by_role("columnheader", name="Afternoon").is_visible()
    assert grid.get_by_role("rowheader", name="Thursday").is_visible()
    _tick_by_keyboard(page, "Tuesday afternoon")
    _tick_by_keyboard(page, "Thursday morning")
    # Tab moves from one box of the grid to the next.
    page.get_by_role("checkbox", name="Thursday morning", exact=True).focus()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "availability-thu_pm"
    assert page.get_by_role("checkbox", name="Polish").is_checked()  # from her record
    # The live region says how many volunteers fit, asked as the form changed.
    expect(live).to_contain_text("1 volunteer fits")
    page.get_by_role("checkbox", name="Polish").uncheck()
    page.get_by_role("checkbox", name="Gujarati").check()
    expect(live).to_contain_text("0 volunteers fit")
    assert "speaks a language the person speaks" in live.inner_text()
    assert_accessible(page)
    page.get_by_role("checkbox", name="Gujarati").uncheck()
    page.get_by_role("checkbox", name="Polish").check()
    page.get_by_role("button", name="Ask for support").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "/matching/requests/" in page.url
    summary = page.inner_text("main")
    assert "Befriending by phone for Iris" in summary
    assert "Tuesday afternoon" in summary and "Thursday morning" in summary
    assert "Waiting for a match" in summary
    watch.check(page)


def test_a_volunteer_records_their_offer(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, VOLUNTEER_EMAIL)
    visit(page, f"{base}/me")
    page.get_by_role("link", name="Offer to volunteer with someone").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.inner_text("h1") == "Your offer to volunteer"
    page.get_by_role("checkbox", name="Shopping").check()
    page.get_by_label("Number of people to support at once").fill("2")
    _tick_by_keyboard(page, "Saturday morning")
    page.get_by_role("button", name="Save the offer").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    text = page.inner_text("main")
    assert "The offer to volunteer is saved" in text
    assert "2 people at once" in text and "Saturday morning" in text
    watch.check(page)


def test_a_refused_offer_says_why_beside_the_field(site, person):
    base, _ = site
    page, watch = person()
    sign_in(page, base, VOLUNTEER_EMAIL)
    visit(page, f"{base}/people/{IDS['vik']}/offer")
    page.get_by_label("Number of people to support at once").fill("-1")
    page.get_by_role("button", name="Save the offer").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert "must be between 1 and 10, not -1" in page.inner_text(".error-summary")
    watch.check(page, refused_forms=True)
