"""A worker withdraws a proposal (with a reason; the volunteer is told); the
run page links each proposal to its match for a reader who may open it."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.errors import Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.matching.models import Match
from betterway_map.matching.permissions import match_roles, openable
from betterway_map.matching.services import journey, runs
from tests.conftest import csrf_token, login, make_user
from tests.factories.accounts import clear_outbox, email_of, messages_to
from tests.factories.match_journey import ACCEPT, as_user, make_world
from tests.factories.matching import make_request, make_volunteer

WITHDRAW = {"note": "Vera is away for a month."}


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    clear_outbox(app)
    yield
    clear_outbox(app)


def _state(app, match_id):
    with app.app_context():
        match = db.session.get(Match, match_id)
        return match.status, [(e.step, e.note) for e in match.events]


def _subjects(app, user_id):
    with app.app_context():
        return list(
            db.session.scalars(select(Message.subject).where(Message.recipient_id == user_id))
        )


def test_a_worker_withdraws_a_proposal_and_the_volunteer_is_told_not_why(app):
    world = make_world(app)
    as_user(app, world.person_worker, journey.withdraw, world.match_id, WITHDRAW)
    status, events = _state(app, world.match_id)
    assert status == "withdrawn" and events[-1] == ("withdrawn", WITHDRAW["note"])
    subject = "A proposed match is withdrawn: Vera (LS1) and Iris (LS2)"
    assert _subjects(app, world.volunteer_user) == [subject]
    assert _subjects(app, world.person_user) == []  # never asked, so not told
    [email] = messages_to(app, email_of(app, world.volunteer_user))
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert "away for a month" not in body and "7 Hidden Lane" not in body


def test_once_the_person_was_asked_they_are_told_too(app):
    world = make_world(app)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    as_user(app, world.volunteer_worker, journey.withdraw, world.match_id, WITHDRAW)
    assert _state(app, world.match_id)[0] == "withdrawn"
    assert "A proposed match is withdrawn: Vera (LS1) and Iris (LS2)" in _subjects(
        app, world.person_user
    )


def test_an_agreed_match_may_be_withdrawn_before_approval(app):
    world = make_world(app, "agreed")
    as_user(app, world.person_worker, journey.withdraw, world.match_id, WITHDRAW)
    assert _state(app, world.match_id)[0] == "withdrawn"


@pytest.mark.parametrize("who", ["volunteer_user", "person_user"])
def test_a_party_may_not_withdraw(app, who):
    world = make_world(app)
    with pytest.raises(Forbidden):
        as_user(app, getattr(world, who), journey.withdraw, world.match_id, WITHDRAW)
    assert _state(app, world.match_id) == ("proposed", [("proposed", None)])


@pytest.mark.parametrize("status", ["active", "declined", "withdrawn"])
def test_only_a_proposal_not_yet_approved_is_withdrawn(app, status):
    world = make_world(app, status)
    before = _state(app, world.match_id)
    with pytest.raises(InvalidInput, match="only a proposal not yet approved is withdrawn"):
        as_user(app, world.person_worker, journey.withdraw, world.match_id, WITHDRAW)
    assert _state(app, world.match_id) == before


def test_the_match_page_offers_the_worker_the_step_and_a_reason_is_needed(app):
    world = make_world(app)
    base = f"/matching/matches/{world.match_id}"
    worker = app.test_client()
    login(worker, app, world.person_worker)
    assert "Withdraw this proposal" in worker.get(base).get_data(as_text=True)
    volunteer = app.test_client()
    login(volunteer, app, world.volunteer_user)
    assert "Withdraw this proposal" not in volunteer.get(base).get_data(as_text=True)
    token = csrf_token(worker)
    refused = worker.post(f"{base}/withdraw", data={"note": "", "csrf_token": token})
    assert refused.status_code == 400 and _state(app, world.match_id)[0] == "proposed"
    done = worker.post(f"{base}/withdraw", data={**WITHDRAW, "csrf_token": token})
    assert done.status_code == 302 and done.headers["Location"] == base
    page = html.unescape(worker.get(base).get_data(as_text=True))
    assert "Withdrawn by a worker" in page and "Vera is away for a month." in page


def test_the_api_withdraws_and_refuses_without_a_reason(app):
    world = make_world(app)
    client = app.test_client()
    login(client, app, world.person_worker)
    url = f"/api/v1/matching/matches/{world.match_id}/withdraw"
    headers = {"X-CSRFToken": csrf_token(client)}
    assert client.post(url, json={}, headers=headers).status_code == 422
    response = client.post(url, json=WITHDRAW, headers=headers)
    assert response.status_code == 200 and response.get_json()["status"] == "withdrawn"
    assert client.post(url, json=WITHDRAW, headers=headers).status_code == 422


def test_openable_agrees_with_the_roles_of_each_reader(app):
    world = make_world(app)
    other = make_world(app)
    stranger = make_user(app, "worker")
    ids = [world.match_id, other.match_id]
    with app.app_context():
        readers = [
            getattr(w, name)
            for w in (world, other)
            for name in ("volunteer_user", "person_user", "volunteer_worker", "person_worker")
        ]
        for user_id in (*readers, stranger):
            user = db.session.get(User, user_id)
            expected = {i for i in ids if match_roles(user, db.session.get(Match, i))}
            assert openable(user, ids) == expected


def test_the_run_page_links_a_proposal_only_for_a_reader_who_may_open_it(app):
    runner, other = make_user(app, "worker"), make_user(app, "worker")
    make_volunteer(app, other)
    make_request(app, runner)
    with app.test_request_context():
        run_id = runs.run_matching(db.session.get(User, runner), [])
    with app.app_context():
        match_id = db.session.scalar(select(Match.id))
    link = f'href="/matching/matches/{match_id}"'
    pages = {}
    for user_id in (runner, make_user(app, "worker")):
        client = app.test_client()
        login(client, app, user_id)
        pages[user_id] = client.get(f"/matching/runs/{run_id}").get_data(as_text=True)
    assert link in pages[runner]
    [outsider] = [page for user_id, page in pages.items() if user_id != runner]
    assert link not in outsider and "Iris (LS2) with Vera (LS1)" in outsider
