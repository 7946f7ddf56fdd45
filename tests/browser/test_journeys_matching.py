"""The journey of a match in headless chromium, with axe-core (WCAG 2.2 A and
AA) on every page visited: the volunteer reads a proposal that names the
person by first name and area only and accepts; the resident accepts; a
community worker approves it from their queue; then the match page still
shows no address, and the volunteer, fresh from signing in, clicks "Show
address and phone" and sees the resident's; the resident, whose sign-in has
gone stale, types her password again first and comes back to the volunteer's."""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

VOLUNTEER_EMAIL = "vera.volunteer@example.org"
RESIDENT_EMAIL = "iris.resident@example.org"
WORKER_EMAIL = "wanda.worker@example.org"
ADDRESS, PHONE = "7 Hidden Lane", "0113 496 0001"
MATCH_ID = 1


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.matching import make_match, make_request, make_volunteer

    worker = make_user(app, "worker", email=WORKER_EMAIL, name="Wanda")
    vera = make_user(app, "resident", email=VOLUNTEER_EMAIL, name="Vera")
    iris = make_user(app, "resident", email=RESIDENT_EMAIL, name="Iris")
    volunteer = make_volunteer(app, worker, person={"user_id": vera, "address": "9 Vale Close"})
    request_id = make_request(
        app,
        worker,
        person={"user_id": iris, "last_name": "Quillfeather", "address": ADDRESS, "phone": PHONE},
    )
    assert (
        make_match(app, request_id, volunteer, reasons=["both free on Tuesday afternoons"])
        == MATCH_ID
    )


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def _answer_yes(page) -> None:
    page.get_by_label("Yes, I accept").check()
    _click(page, "button", "Send the answer")
    assert "saved" in page.inner_text(".messages")


def _make_stale(app, email: str) -> None:
    from betterway_map.accounts.models import User
    from betterway_map.extensions import db
    from tests.factories.accounts import make_stale

    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == email))
    make_stale(app, user_id)


def test_a_match_from_proposal_to_approval(site, person):
    from tests.conftest import PASSWORD

    base, app = site
    vera, vera_watch = person()
    sign_in(vera, base, VOLUNTEER_EMAIL)
    visit(vera, f"{base}/me")
    _click(vera, "link", "My matches")
    _click(vera, "link", "Befriending by phone: Vera and Iris")
    main = vera.inner_text("main")
    assert "Will you support Iris?" in main and "Around LS2" in main
    assert "both free on Tuesday afternoons" in main
    for secret in (ADDRESS, PHONE, "Quillfeather", "LS2 7EY"):
        assert secret not in vera.content()
    _answer_yes(vera)

    iris, iris_watch = person()
    sign_in(iris, base, RESIDENT_EMAIL)
    visit(iris, f"{base}/matching/mine")
    _click(iris, "link", "Befriending by phone: Vera and Iris")
    assert "Would you like Vera as a volunteer?" in iris.inner_text("main")
    assert "9 Vale Close" not in iris.content()
    _answer_yes(iris)

    wanda, wanda_watch = person()
    sign_in(wanda, base, WORKER_EMAIL)
    visit(wanda, f"{base}/matching/mine")
    _click(wanda, "link", "Befriending by phone: Vera and Iris")
    _click(wanda, "button", "Approve the match")
    assert "approved" in wanda.inner_text(".messages")

    visit(vera, f"{base}/matching/matches/{MATCH_ID}")
    main = vera.inner_text("main")
    assert "Active" in main and ADDRESS not in main and PHONE not in main
    _click(vera, "link", "Show address and phone")
    assert vera.url.endswith(f"/matching/matches/{MATCH_ID}/contact")
    main = vera.inner_text("main")
    assert ADDRESS in main and PHONE in main and "Quillfeather" not in main

    _make_stale(app, RESIDENT_EMAIL)
    visit(iris, f"{base}/matching/matches/{MATCH_ID}")
    assert "9 Vale Close" not in iris.inner_text("main")
    _click(iris, "link", "Show address and phone")
    assert "/auth/confirm" in iris.url and "9 Vale Close" not in iris.content()
    iris.get_by_label("Password").fill(PASSWORD)
    _click(iris, "button", "Continue")
    assert iris.url.endswith(f"/matching/matches/{MATCH_ID}/contact")
    assert "9 Vale Close" in iris.inner_text("main")
    vera_watch.check(vera)
    iris_watch.check(iris)
    wanda_watch.check(wanda)
