"""Running matching: proposals stored with reasons, active matches kept and
counted against capacity, the same proposals twice, bad input refused."""

from __future__ import annotations

from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.extensions import db
from betterway_map.matching.models import Match, MatchEvent, MatchingRun, MatchingWeight
from betterway_map.matching.services import runs
from tests.conftest import csrf_token, make_user, without_tokens
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


def test_running_twice_gives_the_same_proposals_and_supersedes_the_first(app):
    worker = make_user(app, "worker")
    for first_name in ("Vera", "Vic", "Val"):
        make_volunteer(app, worker, person={"first_name": first_name}, capacity=2)
    for _ in range(4):
        make_request(app, worker)
    one = _run(app, worker)
    two = _run(app, worker)
    assert _proposals(app, one)[0] == _proposals(app, two)[0]
    with app.app_context():
        statuses = set(db.session.scalars(select(Match.status).where(Match.run_id == one)))
    assert statuses == {"superseded"}
    assert _count(app, MatchEvent, MatchEvent.step == "superseded") == 4


def test_an_answered_proposal_is_not_superseded(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    request_id = make_request(app, worker)
    answered = make_match(app, request_id, volunteer, volunteer_response="accepted")
    _run(app, worker)
    with app.app_context():
        assert db.session.get(Match, answered).status == "proposed"


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
