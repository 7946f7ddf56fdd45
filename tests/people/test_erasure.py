"""Erasure by a worker, a site admin and through the API: who may, a fresh
sign-in, a reason from the list, and nothing removed when refused."""

from __future__ import annotations

import html

from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.extensions import db
from betterway_map.people.models import Person
from tests.conftest import csrf_token, login, make_user
from tests.factories.organisations import token_headers
from tests.factories.people import make_assigned_person, make_resident_with_profile


def _erasure(app) -> AuditEvent | None:
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "erase"))
        if event is not None:
            db.session.expunge(event)
        return event


def _exists(app, person_id: int) -> bool:
    with app.app_context():
        return db.session.get(Person, person_id) is not None


def test_a_worker_erases_one_of_their_people_on_the_confirm_page(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker, first_name="Walter")
    client = app.test_client()
    login(client, app, worker)
    page = client.get(f"/rights/people/{person}/erase").get_data(as_text=True)
    assert "Erase Walter's records" in page and "Why the records are erased" in page
    response = client.post(
        f"/rights/people/{person}/erase",
        data={"reason": "no_longer_needed", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302 and response.headers["Location"] == "/people/"
    assert not _exists(app, person)
    event = _erasure(app)
    assert event.user_id == worker and event.subject_id is None
    assert event.detail.startswith("reason=no_longer_needed by=worker account=none")


def test_a_reason_outside_the_list_is_refused_and_nothing_is_erased(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    client = app.test_client()
    login(client, app, worker)
    response = client.post(
        f"/rights/people/{person}/erase",
        data={"reason": "bored", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 400
    assert "'bored' is not a reason for erasure" in html.unescape(response.get_data(as_text=True))
    api = client.post(
        f"/api/v1/people/{person}/erasure",
        json={"reason": "bored"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert api.status_code == 422
    assert _exists(app, person) and _erasure(app) is None


def test_a_site_admin_erases_a_resident_and_their_account_through_the_api(app):
    admin = make_user(app, "site_admin")
    resident, person = make_resident_with_profile(app, first_name="Rita")
    client = app.test_client()
    login(client, app, admin)
    response = client.post(
        f"/api/v1/people/{person}/erasure",
        json={"reason": "asked"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 200
    assert response.json["erased"] and response.json["account_deleted"]
    with app.app_context():
        assert db.session.get(User, resident) is None
    assert _erasure(app).detail.startswith("reason=asked by=site_admin account=deleted")


def test_a_staff_account_is_kept_when_its_person_record_is_erased(app):
    worker = make_user(app, "worker", "resident")
    _, person = make_resident_with_profile(app, worker)
    client = app.test_client()
    login(client, app, worker)
    response = client.post(
        f"/rights/people/{person}/erase", data={"reason": "asked", "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, worker) is not None
    assert "account=kept" in _erasure(app).detail


def test_nobody_else_may_erase_a_person(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    for role in ("worker", "resident", "council", "org_admin"):
        client = app.test_client()
        login(client, app, make_user(app, role))
        response = client.post(
            f"/rights/people/{person}/erase",
            data={"reason": "asked", "csrf_token": csrf_token(client)},
        )
        assert response.status_code in (403, 404), role
    assert _exists(app, person)


def test_a_token_is_never_a_fresh_sign_in(app):
    admin = make_user(app, "site_admin")
    person = make_assigned_person(app, make_user(app, "worker"))
    response = app.test_client().post(
        f"/api/v1/people/{person}/erasure",
        json={"reason": "asked"},
        headers=token_headers(app, admin),
    )
    assert response.status_code == 401 and "fresh sign-in" in response.json["message"]
    assert _exists(app, person)
