"""Running matching: proposals stored with reasons, active matches kept and
counted against capacity, the same proposals twice, bad input refused."""

from __future__ import annotations

from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.matching.models import Match, MatchEvent, MatchingRun, MatchingWeight
from betterway_map.matching.services import journey, runs
from betterway_map.people.models import Assignment
from tests.conftest import csrf_token, make_user, without_tokens
from tests.factories.accounts import clear_outbox, email_of, messages_to
from tests.factories.matching import make_match, make_request, make_volunteer


def _run(app, worker, area=()):
    with app.app_context():
        return runs.run_matching(db.session.get(User, worker), list(area))


def _proposals(app, run_id):
    with app.app_context():
        rows = db.session.execute(
            select(Match.request_id, Match.volunteer_id, Match.reasons)
            .where(Match.run_id == run_id)
            .order_by(Match.request_id)
        ).all()
        return [tuple(row[:2]) for row in rows], [row[2] for row in rows]


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_run_proposes_the_volunteer_with_reasons_and_audits(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker, interests=["gardening"], languages=["en", "pl"])
    request_id = make_request(app, worker, interests=["gardening"], languages=["pl"])
    run_id = _run(app, worker)
    pairs, reasons = _proposals(app, run_id)
    assert pairs == [(request_id, volunteer)]
    assert reasons[0][:4] == [
        "by phone: no travel",
        "both enjoy gardening and nature",
        "both speak Polish",
        "both free on Tuesday afternoons",
    ]
    assert _count(app, MatchEvent, MatchEvent.step == "proposed") == 1
    assert _count(app, AuditEvent, AuditEvent.subject_type == "matching_run") == 1


def test_an_active_match_is_kept_and_holds_the_volunteers_place(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker, capacity=1)
    first = make_request(app, worker)
    active = make_match(app, first, volunteer, status="active")
    make_request(app, worker)
    run_id = _run(app, worker)
    assert _proposals(app, run_id)[0] == []
    with app.app_context():
        assert db.session.get(Match, active).status == "active"
        run = db.session.get(MatchingRun, run_id)
        assert run.offer_count == 0 and run.request_count == 1


def _withdraw_all(app, worker, run_id):
    with app.app_context():
        ids = list(db.session.scalars(select(Match.id).where(Match.run_id == run_id)))
    for match_id in ids:
        with app.app_context():
            journey.withdraw(db.session.get(User, worker), match_id, {"note": "Run again."})


def test_the_same_input_gives_the_same_proposals(app):
    worker = make_user(app, "worker")
    for first_name in ("Vera", "Vic", "Val"):
        make_volunteer(app, worker, person={"first_name": first_name}, capacity=2)
    for _ in range(4):
        make_request(app, worker)
    one = _run(app, worker)
    _withdraw_all(app, worker, one)
    two = _run(app, worker)
    assert len(_proposals(app, one)[0]) == 4
    assert _proposals(app, one)[0] == _proposals(app, two)[0]
    with app.app_context():
        statuses = set(db.session.scalars(select(Match.status).where(Match.run_id == one)))
    assert statuses == {"withdrawn"}
    assert _count(app, MatchEvent, MatchEvent.step == "withdrawn") == 4


def test_a_run_never_takes_back_a_proposal_already_sent(app):
    worker = make_user(app, "worker")
    make_volunteer(app, worker, capacity=1)
    make_volunteer(app, worker, person={"first_name": "Vic"}, capacity=1)
    make_request(app, worker)
    one = _run(app, worker)
    [(request_id, volunteer)] = _proposals(app, one)[0]
    make_request(app, worker, person={"first_name": "Olga"})
    two = _run(app, worker)
    [(second_request, second_volunteer)] = _proposals(app, two)[0]
    assert second_request != request_id and second_volunteer != volunteer
    with app.app_context():
        assert set(db.session.scalars(select(Match.status))) == {"proposed"}
        run = db.session.get(MatchingRun, two)
        # The first request is left out, and its volunteer's place is taken.
        assert run.request_count == 1 and run.offer_count == 1
    assert _count(app, MatchEvent, MatchEvent.step == "superseded") == 0


def test_an_answered_proposal_stays_and_holds_its_place(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    request_id = make_request(app, worker)
    answered = make_match(app, request_id, volunteer, volunteer_response="accepted")
    run_id = _run(app, worker)
    with app.app_context():
        assert db.session.get(Match, answered).status == "proposed"
        run = db.session.get(MatchingRun, run_id)
        assert run.request_count == 0 and run.offer_count == 0


def test_after_a_decline_the_request_is_open_to_the_next_run_without_that_volunteer(app):
    worker = make_user(app, "worker")
    vera = make_volunteer(app, worker)
    vic = make_volunteer(app, worker, person={"first_name": "Vic"})
    request_id = make_request(app, worker)
    declined = make_match(app, request_id, vera, status="declined", volunteer_response="declined")
    assert _proposals(app, _run(app, worker))[0] == [(request_id, vic)]
    with app.app_context():
        assert db.session.get(Match, declined).status == "declined"


def test_a_withdrawn_proposal_frees_the_request_and_the_place(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    request_id = make_request(app, worker)
    one = _run(app, worker)
    assert _proposals(app, _run(app, worker))[0] == []
    _withdraw_all(app, worker, one)
    assert _proposals(app, _run(app, worker))[0] == [(request_id, volunteer)]


def test_each_new_proposal_is_announced_to_its_volunteer_without_an_address(app):
    clear_outbox(app)
    worker = make_user(app, "worker")
    volunteer_user = make_user(app, "resident", name="Vera")
    make_volunteer(
        app,
        worker,
        person={"user_id": volunteer_user, "address": "9 Vale Close", "phone": "0113 496 0999"},
    )
    make_request(app, worker, person={"address": "7 Hidden Lane", "phone": "0113 496 0001"})
    run_id = _run(app, worker)
    with app.app_context():
        match_id = db.session.scalar(select(Match.id).where(Match.run_id == run_id))
        [message] = db.session.scalars(
            select(Message).where(Message.recipient_id == volunteer_user)
        )
        assert message.subject == "A proposed match for Vera (LS1)"
        assert (message.about_type, message.about_id) == ("match", match_id)
        assert "Iris (LS2)" in message.body and "both speak English" in message.body
    [email] = messages_to(app, email_of(app, volunteer_user))
    body = email.get_body(preferencelist=("plain",)).get_content()
    assert email["Subject"] == "A proposed match for Vera (LS1)"
    assert f"/matching/matches/{match_id}" not in body  # no link from a service call alone
    for secret in ("7 Hidden Lane", "0113 496 0001", "LS2 7EY", "9 Vale Close"):
        assert secret not in body
    # The worker who ran it is not told about their own run.
    with app.app_context():
        assert (
            db.session.scalar(
                select(func.count()).select_from(Message).where(Message.recipient_id == worker)
            )
            == 0
        )
    clear_outbox(app)


def test_a_volunteer_without_an_account_is_told_through_their_other_workers(app):
    clear_outbox(app)
    runner, their_worker = make_user(app, "worker"), make_user(app, "worker")
    volunteer = make_volunteer(app, their_worker)
    with app.app_context():
        db.session.add(Assignment(person_id=volunteer, worker_id=runner))
        db.session.commit()
    make_request(app, runner)
    _run(app, runner)
    with app.app_context():
        subjects = list(
            db.session.scalars(select(Message.subject).where(Message.recipient_id == their_worker))
        )
    assert subjects == ["A proposed match for Vera (LS1)"]
    clear_outbox(app)


def test_the_run_page_emails_a_link_to_the_match(app, signed_in):
    clear_outbox(app)
    client, worker = signed_in("worker")
    volunteer_user = make_user(app, "resident", name="Vera")
    make_volunteer(app, worker, person={"user_id": volunteer_user})
    make_request(app, worker)
    client.post("/matching/", data={"area": "", "csrf_token": csrf_token(client)})
    with app.app_context():
        match_id = db.session.scalar(select(Match.id))
    [email] = messages_to(app, email_of(app, volunteer_user))
    assert (
        f"/matching/matches/{match_id}" in email.get_body(preferencelist=("plain",)).get_content()
    )
    clear_outbox(app)


def test_unmatched_requests_say_why_and_volunteers_waiting_are_listed(app):
    worker = make_user(app, "worker")
    make_volunteer(app, worker)
    make_request(app, worker, languages=["gu"])
    run_id = _run(app, worker)
    with app.app_context():
        run = db.session.get(MatchingRun, run_id)
        assert run.unmatched_summary == [{"reason": "no volunteer speaks Gujarati", "count": 1}]
        assert [row["waiting_days"] for row in run.waiting_volunteers] == [10]


def test_a_bad_district_on_the_page_is_named_and_nothing_is_written(app, signed_in):
    client, _ = signed_in("worker")
    response = client.post(
        "/matching/", data={"area": "LS6 nonsense!", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 400
    assert "is not a postcode district" in without_tokens(response.get_data(as_text=True))
    assert _count(app, MatchingRun) == 0


def test_a_bad_district_on_the_api_is_a_422_naming_it(app, signed_in):
    client, _ = signed_in("worker")
    response = client.post(
        "/api/v1/matching/runs",
        json={"area": ["LS6", "12"]},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "'12' is not a postcode district" in response.get_data(as_text=True)
    assert _count(app, MatchingRun) == 0


def test_the_page_shows_reasons_and_the_summary(app, signed_in):
    client, worker = signed_in("worker")
    make_volunteer(app, worker)
    make_request(app, worker, person={"first_name": "Iris"})
    make_request(app, worker, person={"first_name": "Olga"}, languages=["pl"])
    response = client.post("/matching/", data={"area": "", "csrf_token": csrf_token(client)})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Iris (LS2) with Vera (LS1)" in page
    assert "by phone: no travel" in page
    assert "no volunteer speaks Polish" in page


def test_weights_that_are_not_numbers_are_named_and_nothing_is_written(app, signed_in):
    client, _ = signed_in("site_admin")
    token = csrf_token(client)
    response = client.put(
        "/api/v1/matching/weights",
        json={"distance": 2, "interests": "lots"},
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 422
    assert "'lots' is not a weight" in response.get_data(as_text=True)
    page = client.post("/matching/weights", data={"distance": "11", "csrf_token": token})
    assert page.status_code == 400 and "&#39;11&#39; is not a weight" in page.get_data(as_text=True)
    assert _count(app, MatchingWeight) == 0


def test_a_site_admin_sets_a_weight_and_the_next_run_uses_it(app, signed_in):
    client, _ = signed_in("site_admin")
    response = client.put(
        "/api/v1/matching/weights",
        json={"continuity": 5},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 200 and response.get_json()["continuity"] == 5.0
    worker = make_user(app, "worker")
    make_volunteer(app, worker)
    make_request(app, worker)
    with app.app_context():
        run = db.session.get(MatchingRun, _run(app, worker))
        assert run.weights["continuity"] == 5.0


def test_feasibility_of_a_draft_counts_volunteers_and_the_most_limiting_rule(app, signed_in):
    client, worker = signed_in("worker")
    make_volunteer(app, worker, languages=["en"])
    make_volunteer(app, worker, languages=["pl"], person={"first_name": "Pola"})
    person_id = make_request(app, worker)
    with app.app_context():
        from betterway_map.matching.models import SupportRequest

        person_id = db.session.get(SupportRequest, person_id).person_id
    response = client.get(
        f"/api/v1/matching/feasibility?person_id={person_id}&kind=befriending_phone"
        "&languages=pl&availability=tue_pm"
    )
    body = response.get_json()
    assert response.status_code == 200, body
    assert body["fitting"] == 1 and body["most_limiting"]["code"] == "language"
