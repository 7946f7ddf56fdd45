"""Data protection rights in headless chromium with axe-core: a resident
sees what they agreed to and erases their own records after signing in; a
worker produces everything held about one of their people, and opens the
retention review."""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

RESIDENT_EMAIL = "rosa.resident@example.org"
WORKER_EMAIL = "wilf.worker@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.people import make_assigned_person, make_resident_with_profile

    rosa = make_user(app, "resident", email=RESIDENT_EMAIL, name="Rosa")
    make_resident_with_profile(app, rosa, first_name="Rosa", postcode="ZZ1 1AA")
    wilf = make_user(app, "worker", email=WORKER_EMAIL, name="Wilf")
    make_assigned_person(app, wilf, first_name="Iris", last_name="Ashdown")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def test_a_resident_erases_their_own_records(site, person):
    base, _ = site
    page, _ = person()
    sign_in(page, base, RESIDENT_EMAIL)
    visit(page, f"{base}/rights/consents")
    assert "Keep your details on the register" in page.inner_text("main")
    visit(page, f"{base}/profile")
    page.get_by_role("link", name="Erase your records").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.inner_text("h1") == "Erase your records"
    page.get_by_label("The person asked for their records to be erased").check()
    page.get_by_role("button", name="Erase my records").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    assert page.inner_text("h1") == "Your records are erased"
    page.goto(f"{base}/profile", wait_until="load")
    assert "/auth/login" in page.url


def test_a_worker_produces_everything_held_about_one_of_their_people(site, person):
    base, _ = site
    page, _ = person()
    sign_in(page, base, WORKER_EMAIL)
    visit(page, f"{base}/people/")
    page.get_by_role("link", name="Iris").first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    page.get_by_role("link", name="Everything held about Iris").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    text = page.inner_text("main")
    assert "Ashdown" in text and "Who looked at or changed your records" in text
    visit(page, f"{base}/rights/retention")
    assert "Records to review" in page.inner_text("h1")
