"""Each step tells whoever must act next: a message in their inbox and an
email through the outbox, never with an address or a phone number. A party
without an account is told through their workers."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.matching.services import journey
from tests.factories.accounts import clear_outbox, email_of, messages_to
from tests.factories.match_journey import (
    ACCEPT,
    DECLINE,
    PERSON_SECRETS,
    VOLUNTEER_SECRETS,
    as_user,
    make_world,
)

SECRETS = tuple(s for s in PERSON_SECRETS + VOLUNTEER_SECRETS if "LS" not in s)


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    clear_outbox(app)
    yield
    clear_outbox(app)


def _inbox(app, user_id) -> list[tuple[str, str, str, int]]:
    with app.app_context():
        rows = db.session.scalars(
            select(Message).where(Message.recipient_id == user_id).order_by(Message.id)
        )
        return [(row.subject, row.body, row.about_type, row.about_id) for row in rows]


def _emails(app, user_id) -> list[str]:
    found = []
    for message in messages_to(app, email_of(app, user_id)):
        body = message.get_body(preferencelist=("plain",)).get_content()
        for secret in SECRETS:
            assert secret not in body and secret not in message["Subject"]
        found.append(message["Subject"])
    return found


def test_a_proposal_is_announced_to_the_volunteer(app):
    world = make_world(app)
    assert as_user(app, world.person_worker, journey.announce_proposals, [world.match_id]) == 1
    [(subject, body, about, about_id)] = _inbox(app, world.volunteer_user)
    assert subject == "A proposed match for Vera (LS1)"
    assert "Iris (LS2)" in body and "both speak English" in body
    assert (about, about_id) == ("match", world.match_id)
    assert _emails(app, world.volunteer_user) == [subject]


def test_the_volunteers_yes_asks_the_person(app):
    world = make_world(app)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    [(subject, body, _, _)] = _inbox(app, world.person_user)
    assert subject == "A volunteer for Iris (LS2): please answer"
    assert _emails(app, world.person_user) == [subject]
    assert _inbox(app, world.person_worker) == []


def test_a_person_without_an_account_is_asked_through_their_worker(app):
    world = make_world(app, person_account=False)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    [(subject, *_)] = _inbox(app, world.person_worker)
    assert subject == "A volunteer for Iris (LS2): please answer"
    assert _emails(app, world.person_worker) == [subject]


def test_both_agreeing_asks_the_workers_to_approve(app):
    world = make_world(app)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    as_user(app, world.person_user, journey.person_answer, world.match_id, ACCEPT)
    for worker in (world.person_worker, world.volunteer_worker):
        [(subject, *_)] = _inbox(app, worker)
        assert subject == "A match to approve: Vera (LS1) and Iris (LS2)"
        assert _emails(app, worker) == [subject]


def test_a_decline_tells_the_workers(app):
    world = make_world(app)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, DECLINE)
    [(subject, body, *_)] = _inbox(app, world.person_worker)
    assert subject == "Vera (LS1) declined a proposed match" and "stays open" in body
    assert _inbox(app, world.person_user) == []


def test_approval_tells_both_and_the_emails_hold_no_address(app):
    world = make_world(app, "agreed")
    as_user(app, world.person_worker, journey.approve, world.match_id)
    for party in (world.volunteer_user, world.person_user):
        [(subject, body, *_)] = _inbox(app, party)
        assert subject == "Your match is approved: Vera (LS1) and Iris (LS2)"
        assert "7 Hidden Lane" not in body and "9 Vale Close" not in body
        assert _emails(app, party) == [subject]
    # The approver is not told of their own step.
    assert _inbox(app, world.person_worker) == []


def test_asking_to_end_tells_the_workers(app):
    world = make_world(app, "active")
    as_user(app, world.person_user, journey.ask_to_end, world.match_id, {"reason": "Too far."})
    for worker in (world.person_worker, world.volunteer_worker):
        [(subject, body, *_)] = _inbox(app, worker)
        assert subject == "Iris (LS2) asks to end a match" and "Too far." in body
        assert _emails(app, worker) == [subject]
    assert _inbox(app, world.volunteer_user) == []


def test_the_end_tells_both(app):
    world = make_world(app, "active")
    data = {
        "end_kind": "unplanned",
        "reason": "Ill.",
        "ended_well": False,
        "still_wants_support": True,
    }
    as_user(app, world.volunteer_worker, journey.end, world.match_id, data)
    for party in (world.volunteer_user, world.person_user):
        [(subject, body, *_)] = _inbox(app, party)
        assert subject == "A match has ended: Vera (LS1) and Iris (LS2)"
        assert "Ill." not in body
