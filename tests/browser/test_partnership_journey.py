"""A partnership walked by both organisations, in headless chromium, with
axe-core (WCAG 2.2 A and AA) on every page visited.

Issue 12, item 8: a partnership one organisation recorded appeared at once
on the other's public page, and the partner was picked from a list of every
organisation. Here the admin of Riverside finds Hillside by typing part of
its name, is told before sending that it becomes public only once Hillside
confirms, and it stays off both public pages until Hillside's admin
confirms it on their own page.
"""

from __future__ import annotations

import re

import pytest

from tests.factories.browser import (
    assert_accessible,
    serve,
    sign_in,
    skip_reason,
    visit,
)

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

RECORDER_EMAIL = "ada.riverside@example.org"
PARTNER_EMAIL = "bea.hillside@example.org"
RECORDER = "Riverside Community Trust"
PARTNER = "Hillside Surgery"
# Others whose names the search must tell apart from the partner.
OTHERS = ("Hillside Allotment Society", "Hillsborough Faith Hall", "Lakeside Library")


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.organisations import make_organisation

    recorder_admin = make_user(app, "org_admin", email=RECORDER_EMAIL, name="Ada")
    partner_admin = make_user(app, "org_admin", email=PARTNER_EMAIL, name="Bea")
    make_organisation(app, recorder_admin, name=RECORDER)
    make_organisation(app, partner_admin, name=PARTNER, sector="health")
    for name in OTHERS:
        make_organisation(app, name=name)


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        with app.app_context():
            from sqlalchemy import select

            from betterway_map.extensions import db
            from betterway_map.register.models import Organisation

            ids = dict(db.session.execute(select(Organisation.name, Organisation.id)).all())
        yield base, ids


def _loaded(page) -> None:
    page.wait_for_load_state("load")
    assert_accessible(page)


def works_with(page, base: str, organisation_id: int) -> str:
    """The "Works with" part of an organisation's public page, as read."""
    visit(page, f"{base}/organisations/{organisation_id}")
    return page.locator("h2:has-text('Works with') + *").inner_text()


def test_a_partnership_is_public_only_once_the_partner_confirms_it(site, person):
    base, ids = site
    # The recorder finds the partner by part of its name and chooses it.
    page, watch = person()
    sign_in(page, base, RECORDER_EMAIL)
    page.get_by_role("link", name=RECORDER).first.click()
    _loaded(page)
    page.get_by_role("link", name="Record a partnership").click()
    _loaded(page)
    assert page.locator("input[type=radio]").count() == 0  # nothing listed before a search
    page.get_by_label("Name of the organisation, or part of it").fill("hillside")
    page.get_by_role("button", name="Find organisations").click()
    _loaded(page)
    choices = page.locator("#field-partner_id label").all_inner_texts()
    assert choices == ["Hillside Allotment Society (voluntary or community)", f"{PARTNER} (health)"]
    assert not any(re.search(r"\d", label) for label in choices)  # no internal numbers
    notice = page.locator(".public-notice").first.inner_text()
    assert "public only once the other organisation confirms it" in notice
    page.get_by_label(PARTNER).check()
    page.get_by_label("Kind of partnership").select_option(label="Joint work")
    page.get_by_role("button", name="Record the partnership").click()
    _loaded(page)
    main = page.inner_text("main")
    assert f"is waiting for {PARTNER} to confirm it" in main
    assert f"Waiting for {PARTNER} to confirm" in main
    watch.check(page)

    # Until the partner confirms, neither public page shows it.
    visitor, visitor_watch = person()
    assert RECORDER not in works_with(visitor, base, ids[PARTNER])
    assert PARTNER not in works_with(visitor, base, ids[RECORDER])

    # The partner's admin is told on their page, and confirms.
    partner, partner_watch = person()
    sign_in(partner, base, PARTNER_EMAIL)
    assert "1 partnership to confirm or decline" in partner.inner_text("main")
    partner.get_by_role("link", name=PARTNER).first.click()
    _loaded(partner)
    assert f"{RECORDER} says you work together" in partner.inner_text("main")
    partner.get_by_role("button", name=f"Confirm the partnership with {RECORDER}").click()
    _loaded(partner)
    assert "Confirmed:" in partner.inner_text("main")
    partner_watch.check(partner)

    # Now both public pages show it.
    assert RECORDER in works_with(visitor, base, ids[PARTNER])
    assert PARTNER in works_with(visitor, base, ids[RECORDER])
    visitor_watch.check(visitor)


def test_the_partner_search_says_when_nothing_matches(site, person):
    base, ids = site
    page, watch = person()
    sign_in(page, base, RECORDER_EMAIL)
    visit(page, f"{base}/organisations/{ids[RECORDER]}/partnerships/new")
    page.get_by_label("Name of the organisation, or part of it").fill("zebra")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the search is sent from the keyboard
    _loaded(page)
    assert "No other organisation’s name has “zebra” in it" in page.inner_text("main")
    assert page.get_by_role("button", name="Record the partnership").count() == 0
    watch.check(page)
