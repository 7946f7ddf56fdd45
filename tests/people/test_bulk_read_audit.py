"""Reads of many people at once write one audit event naming them, and a
refused sign-in writes one naming the account (never the address)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.accounts.services.sessions import issue_api_token
from betterway_map.extensions import db
from tests.conftest import csrf_token
from tests.factories.accounts import email_of
from tests.factories.person_records import (
    assigned_person,
    attendance,
    consent,
    group_of,
    own_person,
)


def _events(app, action: str, **where) -> list[AuditEvent]:
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)
        for name, value in where.items():
            query = query.where(getattr(AuditEvent, name) == value)
        return list(db.session.scalars(query))


def _caseload(app, worker: int, size: int) -> list[int]:
    return [assigned_person(app, worker, first_name=f"Person{n}") for n in range(size)]


def test_a_bulk_api_read_of_people_writes_one_event_naming_them(app, client, user_factory):
    worker = user_factory("worker")
    people = _caseload(app, worker, 3)
    with app.app_context():
        token = issue_api_token(worker)
    response = client.get(
        "/api/v1/people?per_page=100", headers={"Authorization": f"Bearer {token}"}
    )
    assert len(response.get_json()["items"]) == 3
    [event] = _events(app, "list", user_id=worker)
    assert (event.subject_type, event.subject_id) == ("person", None)
    assert "n=3" in event.detail
    assert sorted(event.detail.split("ids=")[1].split(",")) == sorted(map(str, people))


def test_the_people_page_writes_one_event_and_keeps_no_search_text(app, signed_in):
    client, worker = signed_in("worker")
    [person] = _caseload(app, worker, 1)
    assert client.get("/people/?q=person").status_code == 200
    [event] = _events(app, "list", user_id=worker)
    assert event.detail.endswith(f"n=1 ids={person}")
    assert "person0" not in event.detail.lower()


def test_a_resident_reading_only_their_own_record_is_not_a_bulk_read(app, signed_in):
    client, user_id = signed_in("resident")
    own_person(app, user_id)
    assert len(client.get("/api/v1/people").get_json()["items"]) == 1
    assert _events(app, "list") == []


@pytest.mark.parametrize("path", ["/groups/{}/attendees", "/api/v1/groups/{}/attendees"])
def test_a_list_of_attendees_names_them_in_its_event(app, signed_in, user_factory, path):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    person = assigned_person(app, user_factory("worker"), first_name="Shown")
    consent(app, person, "share_with_groups")
    attendance(app, person, group_id)
    assert client.get(path.format(group_id)).status_code == 200
    [event] = _events(app, "view", user_id=admin, subject_type="group_attendees")
    assert event.subject_id == group_id
    assert f"n=1 ids={person}" in event.detail


def test_a_site_admins_search_for_people_names_who_was_found(app, signed_in, user_factory):
    client, admin = signed_in("site_admin")
    person = assigned_person(app, user_factory("worker"), first_name="Findable")
    assert client.get("/admin/assignments/?q=findable").status_code == 200
    [event] = _events(app, "list", user_id=admin)
    assert event.detail.endswith(f"n=1 ids={person}")


def test_the_people_a_tie_can_link_are_named_in_one_event(app, signed_in):
    client, worker = signed_in("worker")
    person, other = _caseload(app, worker, 2)
    assert client.get(f"/people/{person}/ties").status_code == 200
    [event] = _events(app, "list", user_id=worker)
    assert event.detail.endswith(f"n=1 ids={other}")


def _sign_in(client, email: str, password: str):
    return client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(client)},
    )


def test_a_wrong_password_writes_an_event_naming_the_account(app, client, user_factory):
    user_id = user_factory("worker")
    email = email_of(app, user_id)
    _sign_in(client, email, "not the password at all")
    [event] = _events(app, "login_fail")
    assert (event.user_id, event.subject_type, event.subject_id) == (None, "user", user_id)
    assert event.detail == "wrong password"


def test_an_unknown_address_writes_an_event_without_the_address(app, client):
    _sign_in(client, "nobody@example.org", "some password typed here")
    [event] = _events(app, "login_fail")
    assert (event.user_id, event.subject_id, event.detail) == (None, None, "no such account")
