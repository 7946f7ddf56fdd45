"""Recording within a match in headless chromium, with axe-core (WCAG 2.2 A
and AA) on every page visited: a volunteer signs in, opens their active
match, records a contact in a few taps (mode, a quick duration, save), sees
it on the match page, and gives feedback at the six-week review, once
refused for answering nothing."""

from __future__ import annotations

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

VOLUNTEER_EMAIL = "vera.volunteer@example.org"
MATCH_ID = 1


def _seed(app) -> None:
    from tests.conftest import make_user
    from tests.factories.matching import make_match, make_request, make_volunteer

    worker = make_user(app, "worker", name="Wanda")
    vera = make_user(app, "resident", email=VOLUNTEER_EMAIL, name="Vera")
    iris = make_user(app, "resident", name="Iris")
    volunteer = make_volunteer(app, worker, person={"user_id": vera})
    request_id = make_request(app, worker, person={"user_id": iris})
    assert make_match(app, request_id, volunteer, status="active") == MATCH_ID


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def test_a_volunteer_records_a_contact_and_gives_feedback(site, person):
    base, app = site
    vera, watch = person()
    sign_in(vera, base, VOLUNTEER_EMAIL)
    visit(vera, f"{base}/matching/mine")
    _click(vera, "link", "Befriending by phone: Vera and Iris")
    _click(vera, "link", "Record a contact")

    # A few taps: the day is today already; how, how long, save.
    vera.get_by_label("Phone call").check()
    vera.get_by_label("30 minutes").check()
    _click(vera, "button", "Save the contact")
    assert "Saved: a contact" in vera.inner_text(".messages")
    assert "Phone call" in vera.inner_text("table")

    _click(vera, "link", "Back to the match")
    assert "phone call, 30 minutes" in vera.inner_text("main")
    _click(vera, "link", "Give feedback")
    main = vera.inner_text("main")
    assert "I understand what matters to Iris." in main

    _click(vera, "button", "Save the feedback")  # nothing answered
    assert "Answer at least one of the six statements" in vera.inner_text(".error-summary")
    vera.locator("#occasion-1").check()  # the six-week review
    for mark, answer in (("understanding", 4), ("commitment", 5), ("time_together", 3)):
        vera.locator(f"#{mark}-{answer}").check()
    _click(vera, "button", "Save the feedback")
    assert "the feedback is saved" in vera.inner_text(".messages")
    assert "The six-week review" in vera.inner_text("table")

    with app.app_context():
        from betterway_map.extensions import db
        from betterway_map.measures.models import Contact, Feedback

        contact = db.session.scalar(db.select(Contact))
        feedback = db.session.scalar(db.select(Feedback))
        assert (contact.mode, contact.duration_min) == ("phone", 30)
        assert (feedback.side, feedback.occasion, feedback.commitment) == (
            "volunteer",
            "first_review",
            5,
        )
    # The refused form answered 422, which chromium logs as a failed load.
    watch.console_errors = [e for e in watch.console_errors if "status of 422" not in e]
    watch.check(vera)
