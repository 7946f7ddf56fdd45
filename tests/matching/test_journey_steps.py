"""The journey of a match, step by step, through the services: each step,
each wrong step (refused, nothing written), and who may approve."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import Forbidden, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.schemas.journey import AnswerSchema, EndSchema
from betterway_map.matching.services import journey
from betterway_map.people.models import Assignment, Person, VolunteerProfile
from tests.conftest import make_user
from tests.factories.match_journey import ACCEPT, DECLINE, as_user, make_world
from tests.factories.matching import make_match, make_request

END_PLANNED = {
    "end_kind": "planned",
    "reason": "Iris moved to her daughter's.",
    "ended_well": True,
    "still_wants_support": True,
}


def _match(app, match_id):
    with app.app_context():
        match = db.session.get(Match, match_id)
        request = match.request
        return {
            "status": match.status,
            "volunteer": match.volunteer_response,
            "person": match.person_response,
            "started_on": match.started_on,
            "next_review_on": match.next_review_on,
            "request": request.status,
            "opened_on": request.opened_on,
            "steps": [event.step for event in match.events],
            "end_requested_by": match.end_requested_by,
            "ended_well": match.ended_well,
        }


def _agree(app, world):
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    as_user(app, world.person_user, journey.person_answer, world.match_id, ACCEPT)


def test_the_whole_journey_from_proposal_to_its_end(app):
    world = make_world(app)
    before = today_in_uk()
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    assert _match(app, world.match_id)["status"] == "proposed"
    as_user(app, world.person_user, journey.person_answer, world.match_id, ACCEPT)
    assert _match(app, world.match_id)["status"] == "agreed"
    as_user(app, world.person_worker, journey.approve, world.match_id)
    state = _match(app, world.match_id)
    assert state["status"] == "active" and state["request"] == "matched"
    # Started today (the day after, should midnight pass during the journey).
    started = state["started_on"]
    assert started in {before, today_in_uk()}
    assert state["next_review_on"] == started + timedelta(days=42)
    as_user(app, world.volunteer_worker, journey.review, world.match_id, {"note": "Going well."})
    assert _match(app, world.match_id)["next_review_on"] == started + timedelta(days=42 + 182)
    as_user(app, world.volunteer_user, journey.ask_to_end, world.match_id, {"reason": "Moving."})
    assert _match(app, world.match_id)["end_requested_by"] == "volunteer"
    as_user(app, world.person_worker, journey.end, world.match_id, END_PLANNED)
    state = _match(app, world.match_id)
    assert state["status"] == "ended" and state["ended_well"] is True
    assert state["request"] == "open" and state["opened_on"] in {started, today_in_uk()}
    assert state["steps"] == [
        "proposed",
        "volunteer_accepted",
        "person_accepted",
        "approved",
        "reviewed",
        "end_requested",
        "ended",
    ]
    with app.app_context():
        audited = db.session.scalars(
            select(AuditEvent.action).where(
                AuditEvent.subject_type == "match", AuditEvent.subject_id == world.match_id
            )
        ).all()
    assert audited == state["steps"][1:]


def test_ending_without_further_support_closes_the_request(app):
    world = make_world(app, "active")
    as_user(
        app,
        world.person_worker,
        journey.end,
        world.match_id,
        END_PLANNED | {"still_wants_support": False},
    )
    assert _match(app, world.match_id)["request"] == "closed"


def test_a_late_review_sets_the_next_from_today(app):
    world = make_world(app, "active")
    before = today_in_uk()
    with app.app_context():
        db.session.get(Match, world.match_id).next_review_on = before - timedelta(days=30)
        db.session.commit()
    as_user(app, world.person_worker, journey.review, world.match_id, {"note": "Late, but fine."})
    half_a_year = timedelta(days=182)
    # From today (the day after, should midnight pass meanwhile).
    assert _match(app, world.match_id)["next_review_on"] in {
        before + half_a_year,
        today_in_uk() + half_a_year,
    }


@pytest.mark.parametrize("who", ["volunteer", "person"])
def test_a_decline_ends_the_proposal_and_the_request_stays_open(app, who):
    world = make_world(app)
    if who == "volunteer":
        as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, DECLINE)
    else:
        as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
        as_user(app, world.person_user, journey.person_answer, world.match_id, DECLINE)
    state = _match(app, world.match_id)
    assert state["status"] == "declined" and state[who] == "declined"
    assert state["request"] == "open"
    assert state["steps"][-1] == f"{who}_declined"


def test_declining_needs_a_reason():
    assert AnswerSchema().validate({"answer": "decline"}) == {
        "reason": ["Say why, in a few words, when declining."]
    }
    assert AnswerSchema().validate({"answer": "maybe"})["answer"] == [
        "'maybe' is not an answer: choose one of accept, decline."
    ]


def test_ending_needs_a_kind_a_reason_and_two_answers():
    errors = EndSchema().validate({"end_kind": "sudden"})
    assert errors["end_kind"] == [
        "'sudden' is not a kind of ending: choose one of planned, unplanned."
    ]
    assert set(errors) == {"end_kind", "reason", "ended_well", "still_wants_support"}


WRONG_STEPS = [
    # (status of the match, who, the step, its arguments, the error)
    ("proposed", "person_worker", journey.approve, (), InvalidInput),
    ("proposed", "person_user", journey.person_answer, (ACCEPT,), InvalidInput),
    ("proposed", "person_worker", journey.end, (END_PLANNED,), InvalidInput),
    ("proposed", "person_worker", journey.review, ({"note": "x"},), InvalidInput),
    ("proposed", "volunteer_user", journey.ask_to_end, ({"reason": "x"},), InvalidInput),
    ("agreed", "volunteer_user", journey.approve, (), Forbidden),
    ("agreed", "person_user", journey.approve, (), Forbidden),
    ("agreed", "volunteer_user", journey.volunteer_answer, (ACCEPT,), InvalidInput),
    ("agreed", "person_user", journey.person_answer, (DECLINE,), InvalidInput),
    ("active", "person_worker", journey.approve, (), InvalidInput),
    ("active", "volunteer_user", journey.end, (END_PLANNED,), Forbidden),
    ("active", "person_worker", journey.ask_to_end, ({"reason": "x"},), Forbidden),
    ("active", "volunteer_user", journey.person_answer, (ACCEPT,), Forbidden),
    ("active", "person_user", journey.volunteer_answer, (ACCEPT,), Forbidden),
    ("ended", "person_worker", journey.end, (END_PLANNED,), InvalidInput),
    ("declined", "person_worker", journey.approve, (), InvalidInput),
]


@pytest.mark.parametrize(
    "status, who, step, args, error",
    WRONG_STEPS,
    ids=[f"{s}-{w}-{f.__name__}" for s, w, f, _, _ in WRONG_STEPS],
)
def test_a_wrong_step_is_refused_and_writes_nothing(app, status, who, step, args, error):
    world = make_world(app, status)
    before = _match(app, world.match_id)
    with pytest.raises(error) as raised:
        as_user(app, getattr(world, who), step, world.match_id, *args)
    assert raised.value.message
    assert _match(app, world.match_id) == before


def test_answering_twice_is_refused(app):
    world = make_world(app)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    with pytest.raises(InvalidInput, match="no longer asked for"):
        as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, DECLINE)


def test_asking_to_end_twice_is_refused(app):
    world = make_world(app, "active")
    as_user(app, world.person_user, journey.ask_to_end, world.match_id, {"reason": "Too far."})
    with pytest.raises(InvalidInput, match="asked for already"):
        as_user(app, world.volunteer_user, journey.ask_to_end, world.match_id, {"reason": "x"})


def test_someone_who_has_no_part_in_a_match_is_told_it_does_not_exist(app):
    world = make_world(app, "agreed")
    stranger = make_user(app, "worker")
    with pytest.raises(NotFound):
        as_user(app, stranger, journey.approve, world.match_id)
    with pytest.raises(NotFound):
        as_user(app, stranger, journey.approve, 999_999)


def test_a_worker_who_looks_after_only_the_volunteer_may_approve(app):
    world = make_world(app, "agreed")
    as_user(app, world.volunteer_worker, journey.approve, world.match_id)
    assert _match(app, world.match_id)["status"] == "active"


def test_a_worker_who_is_the_volunteer_never_approves(app):
    """Wanda is the person's worker, and also the volunteer."""
    wanda = make_user(app, "worker", name="Wanda")
    world = make_world(app, "agreed")
    with app.app_context():
        db.session.get(Person, world.volunteer_id).user_id = None
        db.session.flush()
        db.session.get(Person, world.volunteer_id).user_id = wanda
        request = db.session.get(SupportRequest, world.request_id)
        db.session.add(Assignment(person_id=request.person_id, worker_id=wanda))
        db.session.add(Assignment(person_id=world.volunteer_id, worker_id=wanda))
        db.session.commit()
    with pytest.raises(Forbidden):
        as_user(app, wanda, journey.approve, world.match_id)
    with pytest.raises(Forbidden):
        as_user(app, wanda, journey.person_answer, world.match_id, ACCEPT)
    as_user(app, world.person_worker, journey.approve, world.match_id)
    assert _match(app, world.match_id)["status"] == "active"


def test_a_worker_answers_for_a_person_without_an_account(app):
    world = make_world(app, person_account=False)
    as_user(app, world.volunteer_user, journey.volunteer_answer, world.match_id, ACCEPT)
    as_user(app, world.person_worker, journey.person_answer, world.match_id, ACCEPT)
    assert _match(app, world.match_id)["status"] == "agreed"


def test_a_worker_answers_for_a_volunteer_only_when_they_have_no_account(app):
    world = make_world(app)
    with pytest.raises(Forbidden):
        as_user(app, world.volunteer_worker, journey.volunteer_answer, world.match_id, ACCEPT)
    offline = make_world(app, volunteer_account=False)
    as_user(app, offline.volunteer_worker, journey.volunteer_answer, offline.match_id, ACCEPT)
    assert _match(app, offline.match_id)["volunteer"] == "accepted"


def test_approval_is_refused_when_the_volunteer_has_no_room_left(app):
    world = make_world(app, "agreed")
    other = make_request(app, world.person_worker, person={"first_name": "Olga"})
    make_match(app, other, world.volunteer_id, status="active")
    with pytest.raises(InvalidInput, match=r"already supports 1 person.*capacity 1"):
        as_user(app, world.person_worker, journey.approve, world.match_id)
    assert _match(app, world.match_id)["status"] == "agreed"


def test_approval_is_refused_when_the_dbs_check_ran_out_since_the_proposal(app):
    world = make_world(app, "agreed", request={"kind": "befriending_visit"})
    with app.app_context():
        profile = db.session.get(VolunteerProfile, world.volunteer_id)
        profile.dbs_expires_on = today_in_uk() + timedelta(days=10)
        db.session.commit()
    with pytest.raises(InvalidInput, match=r"DBS check .*rule 'dbs'"):
        as_user(app, world.person_worker, journey.approve, world.match_id)
    state = _match(app, world.match_id)
    assert state["status"] == "agreed" and state["request"] == "open"


def test_approval_is_refused_when_a_restriction_was_recorded(app):
    world = make_world(app, "agreed")
    from betterway_map.matching.models import VolunteerOffer

    with app.app_context():
        db.session.get(VolunteerOffer, world.volunteer_id).restricted_kinds = ["befriending_phone"]
        db.session.commit()
    with pytest.raises(InvalidInput, match="rule 'safeguarding'"):
        as_user(app, world.person_worker, journey.approve, world.match_id)


def _move_volunteer_in_with_the_person(app, world) -> None:
    """The volunteer now lives at the person's address (written differently)."""
    with app.app_context():
        volunteer = db.session.get(Person, world.volunteer_id)
        volunteer.address, volunteer.postcode = " 7  hidden LANE ", "ls27ey"
        person = db.session.get(SupportRequest, world.request_id).person
        assert (person.address, person.postcode) == ("7 Hidden Lane", "LS2 7EY")
        db.session.commit()


def test_approval_is_refused_when_the_volunteer_lives_with_the_person(app):
    world = make_world(app, "agreed")
    _move_volunteer_in_with_the_person(app, world)
    with pytest.raises(InvalidInput, match="rule 'self'") as refused:
        as_user(app, world.person_worker, journey.approve, world.match_id)
    assert "someone in their household" in refused.value.message
    state = _match(app, world.match_id)
    assert state["status"] == "agreed" and state["request"] == "open"
    assert "approved" not in state["steps"]


def test_the_api_refuses_to_approve_a_volunteer_who_lives_with_the_person(app):
    from tests.conftest import csrf_token, login

    world = make_world(app, "agreed")
    _move_volunteer_in_with_the_person(app, world)
    client = app.test_client()
    login(client, app, world.person_worker)
    response = client.post(
        f"/api/v1/matching/matches/{world.match_id}/approve",
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "rule 'self'" in response.get_json()["message"]
    assert _match(app, world.match_id)["status"] == "agreed"


def test_approval_leaves_other_proposals_for_the_request_behind(app):
    world = make_world(app, "agreed")
    second_volunteer = make_world(app).volunteer_id
    other = make_match(app, world.request_id, second_volunteer, status="proposed")
    as_user(app, world.person_worker, journey.approve, world.match_id)
    state = _match(app, other)
    assert state["status"] == "superseded" and state["steps"][-1] == "superseded"
