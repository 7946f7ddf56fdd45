"""Issue 8's "done when", on the demo, in headless chromium with axe-core
(WCAG 2.2 A and AA) on every page visited.

The demo worker runs matching and reads the reasons (the run leaves the
proposals already sent alone, so Pat's proposal to Halina stays) and
approves an agreed match. Pat, the demo resident who volunteers, reads her
proposal to Halina, with Halina's first name and area only, and accepts;
Halina accepts; the worker approves; Pat, after typing her password again,
sees Halina's address and phone. Halina reads the groups that might suit
her, with their reasons.

The demo is loaded once for the module (a smaller town than the default, as
the demo tests use), with the test password for its logins.
"""

from __future__ import annotations

import re

import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

DOMAIN = "demo.betterway.example"
WORKER, PAT, HALINA = (f"{who}@{DOMAIN}" for who in ("worker", "resident", "requester"))
SEED, PEOPLE = 42, 600


def _seed(app) -> None:
    from betterway_map.demo.generator import generate
    from betterway_map.demo.load import load
    from tests.conftest import PASSWORD

    area = generate(seed=SEED, people=PEOPLE)
    with app.app_context():
        load(area, password=PASSWORD, fast_hash=True)


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _people(app) -> dict:
    """Pat's proposal to Halina, and what must stay hidden from Pat until approval."""
    from sqlalchemy import select

    from betterway_map.accounts.models import User
    from betterway_map.extensions import db
    from betterway_map.matching.models import Match
    from betterway_map.people.models import Person

    with app.app_context():

        def person(email):
            user_id = db.session.scalar(select(User.id).where(User.email == email))
            return db.session.scalar(select(Person).where(Person.user_id == user_id))

        pat, halina = person(PAT), person(HALINA)
        match = db.session.scalar(
            select(Match).where(Match.volunteer_id == pat.id, Match.status == "proposed")
        )
        assert match is not None and match.request.person_id == halina.id
        return {
            "match_id": match.id,
            "halina": (halina.last_name, halina.address, halina.phone, halina.postcode),
        }


def _status(app, match_id: int) -> str:
    from betterway_map.extensions import db
    from betterway_map.matching.models import Match

    with app.app_context():
        return db.session.get(Match, match_id).status


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("load")
    assert_accessible(page)


def _answer_yes(page) -> None:
    page.get_by_label("Yes, I accept").check()
    _click(page, "button", "Send the answer")
    assert "saved" in page.inner_text(".messages")


def _approve_from_queue(page, base: str, match_id: int | None = None) -> str:
    """From the worker's queue, open an agreed match (``match_id``, or the
    first) and approve it; its address."""
    visit(page, f"{base}/matching/mine")
    section = page.locator("h2:has-text('Agreed matches to approve') + ul.match-lines")
    links = section.get_by_role("link")
    assert links.count() >= 1, page.inner_text("main")
    if match_id is None:
        links.first.click()
    else:
        section.locator(f"a[href$='/matching/matches/{match_id}']").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    url = page.url
    _click(page, "button", "Approve the match")
    assert "approved" in page.inner_text(".messages"), page.inner_text("main")
    assert "Active" in page.inner_text("main")
    return url


def test_on_the_demo_a_worker_matches_and_both_parties_see_what_they_should(site, person):
    from tests.conftest import PASSWORD
    from tests.factories.accounts import make_stale

    base, app = site
    pat_match = _people(app)
    match_id = pat_match["match_id"]
    last_name, address, phone, postcode = pat_match["halina"]
    assert address and phone

    # The worker runs matching for their area and reads the reasons.
    worker, worker_watch = person()
    sign_in(worker, base, WORKER)
    visit(worker, f"{base}/matching/")
    assert worker.get_by_label("Area").input_value()  # their people's districts
    _click(worker, "button", "Run matching")
    assert "/matching/runs/" in worker.url
    main = worker.inner_text("main")
    proposals = worker.locator("ul.proposals > li").all_inner_texts()
    assert proposals and all("Why: " in text for text in proposals)
    assert re.search(r"both speak|both free on|km apart|by phone: no travel", main)
    assert "Whom to recruit" in main and "Volunteers waiting" in main
    # Pat's proposal, sent before, is not taken back.
    assert _status(app, match_id) == "proposed"

    # The worker approves one of the demo's agreed matches.
    _approve_from_queue(worker, base)

    # Pat reads her proposal: Halina's first name and area, nothing more; accepts.
    pat, pat_watch = person()
    sign_in(pat, base, PAT)
    visit(pat, f"{base}/matching/mine")
    pat.locator(f"a[href$='/matching/matches/{match_id}']").first.click()
    pat.wait_for_load_state("load")
    assert_accessible(pat)
    main = pat.inner_text("main")
    district = postcode.split()[0]
    assert "Will you support Halina?" in main and f"Around {district}" in main
    for secret in (address, phone, last_name, postcode):
        assert secret not in pat.content()
    _answer_yes(pat)

    # Halina sees Pat's first name and accepts.
    halina, halina_watch = person()
    sign_in(halina, base, HALINA)
    visit(halina, f"{base}/matching/mine")
    halina.locator(f"a[href$='/matching/matches/{match_id}']").first.click()
    halina.wait_for_load_state("load")
    assert_accessible(halina)
    assert re.search(r"Would you like \w+ as a volunteer\?", halina.inner_text("main"))
    _answer_yes(halina)
    assert _status(app, match_id) == "agreed"

    # The worker approves it.
    _approve_from_queue(worker, base, match_id)
    assert _status(app, match_id) == "active"

    # Pat sees "Show address and phone"; after typing her password again, Halina's.
    visit(pat, f"{base}/matching/matches/{match_id}")
    assert address not in pat.inner_text("main")
    from betterway_map.accounts.models import User
    from betterway_map.extensions import db

    with app.app_context():
        pat_user = db.session.scalar(db.select(User.id).where(User.email == PAT))
    make_stale(app, pat_user)
    _click(pat, "link", "Show address and phone")
    assert "/auth/confirm" in pat.url and address not in pat.content()
    pat.get_by_label("Password").fill(PASSWORD)
    _click(pat, "button", "Continue")
    assert pat.url.endswith(f"/matching/matches/{match_id}/contact")
    main = pat.inner_text("main")
    assert address in main and phone in main

    # Halina reads the groups that might suit her, with reasons.
    visit(halina, f"{base}/me")
    _click(halina, "link", "Groups that might suit me")
    assert halina.inner_text("h1") == "Groups that might suit you"
    suggestions = halina.locator(".suggestion-list > li").all_inner_texts()
    assert suggestions, halina.inner_text("main")
    assert all(re.search(r"\bIt (is|meets|has|welcomes)\b|km|walk", s) for s in suggestions)

    for page, watch in ((worker, worker_watch), (pat, pat_watch), (halina, halina_watch)):
        watch.check(page)
