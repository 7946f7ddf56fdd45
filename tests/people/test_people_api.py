"""People through the API: a worker's caseload, registering with consent,
reading and changing a person; the same record-level rules as the pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent
from betterway_map.accounts.services.sessions import issue_api_token
from betterway_map.extensions import db
from betterway_map.people.models import Assignment, Consent, Person
from tests.conftest import csrf_token
from tests.factories.days import FromToday, dated
from tests.factories.people import make_assigned_person, make_resident_with_profile

BODY = {
    "first_name": "Iris",
    "last_name": "Okafor",
    "postcode": "zz2 3bd",
    "interests": ["music"],
    "consent": {"purposes": ["register"], "method": "written", "given_on": "2025-01-06"},
}


def _bearer(app, user_id) -> dict:
    with app.app_context():
        return {"Authorization": f"Bearer {issue_api_token(user_id)}"}


def _session(signed_in, role: str):
    """A signed-in client, its user id, and the CSRF header its writes send."""
    client, user_id = signed_in(role)
    return client, user_id, {"X-CSRFToken": csrf_token(client)}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_worker_registers_a_person_with_consent(app, signed_in):
    client, worker, headers = _session(signed_in, "worker")
    response = client.post("/api/v1/people", json=BODY, headers=headers)
    assert response.status_code == 201
    body = response.get_json()
    assert (body["first_name"], body["postcode"], body["has_account"]) == ("Iris", "ZZ2 3BD", False)
    assert "consent" not in body
    with app.app_context():
        consent = db.session.scalar(select(Consent))
        assert (consent.person_id, consent.method, consent.recorded_by_id) == (
            body["id"],
            "written",
            worker,
        )
        assert db.session.get(Assignment, (body["id"], worker)) is not None


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"consent": None}, ["consent"], "Field may not be null"),
        (
            {"consent": {**BODY["consent"], "purposes": ["matching"]}},
            ["consent", "purposes"],
            "must agree to this",
        ),
        (
            {"consent": {**BODY["consent"], "given_on": FromToday(3)}},
            ["consent", "given_on"],
            "is in the future",
        ),
        (
            {"consent": {**BODY["consent"], "method": "smoke"}},
            ["consent", "method"],
            "'smoke' is not a way of giving consent",
        ),
        ({"postcode": "QQ QQ"}, ["postcode"], "'QQ QQ' is not a UK postcode"),
        ({"travel_km": 1000}, ["travel_km"], "1000.0 km is not accepted"),
        ({"languages": ["klingon"]}, ["languages", "0"], "'klingon' is not a language"),
        ({"what_would_help": "w" * 2001}, ["what_would_help"], "at most 2000 characters"),
    ],
)
def test_a_bad_registration_answers_422_and_writes_nothing(app, signed_in, change, path, message):
    client, _, headers = _session(signed_in, "worker")
    response = client.post("/api/v1/people", json=dated({**BODY, **change}), headers=headers)
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    for key in path:
        errors = errors[key]
    assert any(message in text for text in errors)
    assert [_count(app, m) for m in (Person, Consent, Assignment)] == [0, 0, 0]


def test_a_registration_without_consent_is_refused(app, signed_in):
    client, _, headers = _session(signed_in, "worker")
    body = {key: value for key, value in BODY.items() if key != "consent"}
    response = client.post("/api/v1/people", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["consent"] == [
        "Record the person's consent to be registered."
    ]


def test_a_worker_lists_only_their_people_with_search_and_paging(app, client, user_factory):
    worker, other = user_factory("worker"), user_factory("worker")
    for name in ("Ann", "Anwar", "Bea"):
        make_assigned_person(app, worker, first_name=name)
    make_assigned_person(app, other, first_name="Anita")
    headers = _bearer(app, worker)
    everyone = client.get("/api/v1/people", headers=headers).get_json()
    assert [p["first_name"] for p in everyone["items"]] == ["Ann", "Anwar", "Bea"]
    found = client.get("/api/v1/people?q=an&per_page=1&page=2", headers=headers).get_json()
    assert (found["total"], found["pages"], [p["first_name"] for p in found["items"]]) == (
        2,
        2,
        ["Anwar"],
    )
    assert sorted(found) == ["items", "page", "pages", "per_page", "total"]
    assert (found["page"], found["per_page"]) == (2, 1)


@pytest.mark.parametrize("query", ["page=0", "per_page=500", "page=x", "q=" + "q" * 61])
def test_a_bad_list_query_answers_422(app, client, user_factory, query):
    worker = user_factory("worker")
    response = client.get(f"/api/v1/people?{query}", headers=_bearer(app, worker))
    assert response.status_code == 422
    assert response.get_json()["errors"]["query"]


def test_a_resident_lists_and_reads_only_themself(app, client):
    user_id, person_id = make_resident_with_profile(app, first_name="Ada")
    make_resident_with_profile(app, first_name="Someone")
    headers = _bearer(app, user_id)
    listed = client.get("/api/v1/people", headers=headers).get_json()
    assert [p["id"] for p in listed["items"]] == [person_id]
    assert client.get(f"/api/v1/people/{person_id}", headers=headers).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view")) is None


def test_a_worker_reading_a_person_is_audited(app, client, user_factory):
    worker = user_factory("worker")
    person_id = make_assigned_person(app, worker, address="2 Mill Lane")
    response = client.get(f"/api/v1/people/{person_id}", headers=_bearer(app, worker))
    assert response.get_json()["address"] == "2 Mill Lane"
    assert "latitude" not in response.get_json()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "view"))
        assert (event.user_id, event.subject_id) == (worker, person_id)


@pytest.mark.parametrize("role", ["worker", "resident"])
@pytest.mark.parametrize(("method", "body"), [("GET", None), ("PATCH", {"first_name": "X"})])
def test_someone_elses_person_is_not_found(app, signed_in, user_factory, role, method, body):
    client, _, headers = _session(signed_in, role)
    person_id = make_assigned_person(app, user_factory("worker"), first_name="Secret")
    for target in (person_id, person_id + 999):
        response = client.open(
            f"/api/v1/people/{target}", method=method, json=body, headers=headers
        )
        assert response.status_code == 404
        assert "Secret" not in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Person, person_id).first_name == "Secret"


def test_patch_changes_only_the_fields_sent_and_is_audited(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris", phone="0123 456789")
    response = client.patch(
        f"/api/v1/people/{person_id}",
        json={"age_band": "85+"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 200
    assert (response.get_json()["age_band"], response.get_json()["phone"]) == ("85+", "0123 456789")
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "update"))
        assert (event.subject_id, event.detail) == (person_id, "fields=age_band")


def test_a_bad_patch_answers_422_per_field_and_changes_nothing(app, signed_in):
    client, worker, headers = _session(signed_in, "worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
    response = client.patch(
        f"/api/v1/people/{person_id}",
        json={"first_name": "", "lives_alone": "perhaps"},
        headers=headers,
    )
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert errors["first_name"] == ["Enter the first name."]
    assert "'perhaps' is not an answer" in errors["lives_alone"][0]
    with app.app_context():
        assert db.session.get(Person, person_id).first_name == "Iris"


def test_a_session_write_without_the_csrf_token_is_refused(app, signed_in):
    client, _ = signed_in("worker")
    response = client.post("/api/v1/people", json=BODY)
    assert response.status_code == 400
    assert _count(app, Person) == 0


def test_a_worker_registers_a_person_with_a_bearer_token(app, client, user_factory):
    worker = user_factory("worker")
    response = client.post("/api/v1/people", json=BODY, headers=_bearer(app, worker))
    assert response.status_code == 201
    with app.app_context():
        assert db.session.get(Assignment, (response.get_json()["id"], worker)) is not None


def test_the_people_api_is_described_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/people",
        "/api/v1/people/{person_id}",
        "/api/v1/profile",
        "/api/v1/people/{person_id}/consents",
        "/api/v1/people/{person_id}/consents/{consent_id}/withdraw",
    ):
        assert path in paths
