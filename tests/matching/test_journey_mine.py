"""'What waits for me': a party's matches and answers to give; a worker's
queue, with the DBS checks of their volunteers that run out within 60 days."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.models import Match
from betterway_map.matching.services.waiting import waiting_for
from betterway_map.people.models import VolunteerProfile
from tests.conftest import login, make_user
from tests.factories.match_journey import make_world
from tests.factories.matching import make_volunteer


def _waiting(app, user_id):
    with app.app_context():
        return waiting_for(db.session.get(User, user_id))


def _ids(lines) -> list[int]:
    return [line.id for line in lines]


def test_a_volunteer_sees_the_proposal_that_needs_their_answer(app):
    world = make_world(app)
    waiting = _waiting(app, world.volunteer_user)
    assert _ids(waiting.needs_answer) == [world.match_id]
    assert waiting.mine[0].waiting_for == "Waiting for Vera, the volunteer, to answer"
    assert not waiting.is_worker
    person = _waiting(app, world.person_user)
    assert _ids(person.mine) == [world.match_id] and person.needs_answer == []


@pytest.mark.parametrize(
    "status, section",
    [("proposed", "proposals"), ("agreed", "to_approve")],
)
def test_a_workers_queue_holds_proposals_and_matches_to_approve(app, status, section):
    world = make_world(app, status)
    for worker in (world.person_worker, world.volunteer_worker):
        waiting = _waiting(app, worker)
        assert _ids(getattr(waiting, section)) == [world.match_id]
    assert _waiting(app, make_user(app, "worker")).to_approve == []


def test_reviews_due_within_a_week_and_requests_to_end_are_in_the_queue(app):
    due = make_world(app, "active")
    later = make_world(app, "active")
    ending = make_world(app, "active")
    with app.app_context():
        db.session.get(Match, due.match_id).next_review_on = today_in_uk() + timedelta(days=7)
        db.session.get(Match, later.match_id).next_review_on = today_in_uk() + timedelta(days=8)
        db.session.get(Match, ending.match_id).end_requested_by = "person"
        db.session.commit()
    assert _ids(_waiting(app, due.person_worker).reviews_due) == [due.match_id]
    assert _waiting(app, later.person_worker).reviews_due == []
    assert _ids(_waiting(app, ending.volunteer_worker).end_requests) == [ending.match_id]


def test_dbs_checks_running_out_within_60_days_are_flagged(app):
    worker = make_user(app, "worker")
    today = today_in_uk()
    soon = make_volunteer(
        app, worker, person={"first_name": "Sal"}, dbs_expires_on=today + timedelta(days=60)
    )
    make_volunteer(
        app, worker, person={"first_name": "Lou"}, dbs_expires_on=today + timedelta(days=61)
    )
    # No expiry recorded: three years after the check.
    old = make_volunteer(
        app,
        worker,
        person={"first_name": "Ola"},
        dbs_checked_on=today - timedelta(days=3 * 366),
        dbs_expires_on=None,
    )
    make_volunteer(app, make_user(app, "worker"), dbs_expires_on=today)  # someone else's
    flags = _waiting(app, worker).dbs_expiring
    assert [(flag.person_id, flag.expired) for flag in flags] == [(old, True), (soon, False)]
    assert today - timedelta(days=5) < flags[0].expires_on < today


def test_the_page_lists_the_queue_and_the_flags(app):
    world = make_world(app, "agreed")
    with app.app_context():
        profile = db.session.get(VolunteerProfile, world.volunteer_id)
        profile.dbs_expires_on = today_in_uk() + timedelta(days=20)
        db.session.commit()
    client = app.test_client()
    login(client, app, world.volunteer_worker)
    page = html.unescape(client.get("/matching/mine").get_data(as_text=True))
    queue = page.split("Agreed matches to approve", 1)[1].split("Proposals waiting", 1)[0]
    assert f"/matching/matches/{world.match_id}" in queue and "Vera and Iris" in queue
    assert "Vera’s DBS check (enhanced check clear) runs out on" in " ".join(page.split())
    for secret in ("Quillfeather", "7 Hidden Lane", "LS2 7EY"):
        assert secret not in page


def test_a_residents_page_shows_what_needs_their_answer(app):
    world = make_world(app)
    client = app.test_client()
    login(client, app, world.volunteer_user)
    page = html.unescape(client.get("/matching/mine").get_data(as_text=True))
    needs = page.split("Waiting for your answer", 1)[1].split("Your own matches", 1)[0]
    assert "Needs your answer" in needs and f"/matching/matches/{world.match_id}" in needs
    assert "Agreed matches to approve" not in page
    assert 'href="/matching/mine"' in client.get("/me").get_data(as_text=True)
