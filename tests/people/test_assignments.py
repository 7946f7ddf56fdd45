"""Site admins assign community workers to people: finding a person shows no
profile details; changes need a fresh sign-in and are audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, UserSession
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.people.models import Assignment
from tests.factories.people import make_assigned_person, make_person, make_resident_with_profile


def _workers_of(app, person_id) -> list[int]:
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(Assignment.worker_id).where(Assignment.person_id == person_id)
            )
        )


def _audit(app):
    with app.app_context():
        return [
            (e.action, e.subject_id, e.detail)
            for e in db.session.scalars(
                select(AuditEvent).where(AuditEvent.action.in_(["assign", "unassign"]))
            )
        ]


def test_finding_a_person_shows_only_first_name_age_and_workers(app, signed_in, user_factory):
    client, _ = signed_in("site_admin")
    worker = user_factory("worker", name="Wendy Worker")
    person_id = make_assigned_person(
        app,
        worker,
        first_name="Iris",
        last_name="Okafor",
        age_band="85+",
        postcode="ZZ2 3BD",
        phone="0123 456789",
        address="2 Mill Lane",
        what_would_help="Company on Sundays",
    )
    for url in (
        "/admin/assignments/?q=ir",
        f"/admin/assignments/?q={person_id}",
        f"/admin/assignments/{person_id}",
    ):
        page = client.get(url).get_data(as_text=True)
        assert "Iris" in page and "85 or over" in page and "Wendy Worker" in page
        for private in ("Okafor", "ZZ2 3BD", "0123 456789", "2 Mill Lane", "Company on Sundays"):
            assert private not in page


def test_search_matches_the_start_of_the_first_name(app, signed_in):
    client, _ = signed_in("site_admin")
    make_person(app, first_name="Maria")
    make_person(app, first_name="Rosemary")
    page = client.get("/admin/assignments/?q=MAR").get_data(as_text=True)
    assert "Maria" in page and "Rosemary" not in page
    assert "No one matches" in client.get("/admin/assignments/?q=zzz").get_data(as_text=True)


def test_assigning_a_worker_lets_them_see_the_person(app, signed_in, post_form, user_factory):
    admin_client, admin = signed_in("site_admin")
    worker_client, worker = signed_in("worker")
    _, person_id = make_resident_with_profile(app, first_name="Ada")
    assert worker_client.get(f"/people/{person_id}").status_code == 404
    response = post_form(admin_client, f"/admin/assignments/{person_id}", {"worker_id": worker})
    assert response.status_code == 302
    assert _workers_of(app, person_id) == [worker]
    assert worker_client.get(f"/people/{person_id}").status_code == 200
    assert _audit(app) == [("assign", person_id, f"worker={worker}")]


@pytest.mark.parametrize(
    ("worker_id", "message"),
    [
        ("", "Choose a worker"),
        ("abc", "'abc' is not a worker"),
        ("999999", "999999 is not an active community worker"),
    ],
)
def test_assigning_someone_who_is_not_a_worker_is_refused(
    app, signed_in, post_form, worker_id, message
):
    client, _ = signed_in("site_admin")
    person_id = make_person(app, first_name="Ada")
    response = post_form(client, f"/admin/assignments/{person_id}", {"worker_id": worker_id})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _workers_of(app, person_id) == []


def test_a_resident_cannot_be_assigned_as_a_worker(app, signed_in, post_form, user_factory):
    client, _ = signed_in("site_admin")
    resident = user_factory("resident")
    person_id = make_person(app)
    response = post_form(client, f"/admin/assignments/{person_id}", {"worker_id": resident})
    assert response.status_code == 400
    assert _workers_of(app, person_id) == []


def test_assigning_the_same_worker_twice_is_a_conflict(app, signed_in, post_form, user_factory):
    client, _ = signed_in("site_admin")
    worker = user_factory("worker")
    person_id = make_assigned_person(app, worker)
    response = post_form(client, f"/admin/assignments/{person_id}", {"worker_id": worker})
    assert response.status_code == 409


def test_removing_a_worker_asks_first_then_removes(app, signed_in, post_form, user_factory):
    client, _ = signed_in("site_admin")
    first, second = user_factory("worker"), user_factory("worker")
    person_id = make_assigned_person(app, first)
    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=second))
        db.session.commit()
    url = f"/admin/assignments/{person_id}/workers/{first}/remove"
    assert "will no longer see" in client.get(url).get_data(as_text=True)
    assert _workers_of(app, person_id) == sorted([first, second])
    assert post_form(client, url).status_code == 302
    assert _workers_of(app, person_id) == [second]
    assert _audit(app) == [("unassign", person_id, f"worker={first}")]


def test_the_last_worker_of_someone_without_an_account_stays(
    app, signed_in, post_form, user_factory
):
    client, _ = signed_in("site_admin")
    worker = user_factory("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
    response = post_form(client, f"/admin/assignments/{person_id}/workers/{worker}/remove")
    assert response.status_code == 409
    assert "Assign another worker first" in response.get_data(as_text=True)
    assert _workers_of(app, person_id) == [worker]


def test_the_last_worker_of_a_resident_with_an_account_can_go(
    app, signed_in, post_form, user_factory
):
    client, _ = signed_in("site_admin")
    worker = user_factory("worker")
    _, person_id = make_resident_with_profile(app)
    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=worker))
        db.session.commit()
    url = f"/admin/assignments/{person_id}/workers/{worker}/remove"
    assert post_form(client, url).status_code == 302
    assert _workers_of(app, person_id) == []


@pytest.mark.parametrize("path", ["", "/workers/{worker}/remove"])
def test_changes_need_a_fresh_sign_in(app, signed_in, post_form, user_factory, path):
    client, admin = signed_in("site_admin")
    worker, spare = user_factory("worker"), user_factory("worker")
    person_id = make_assigned_person(app, worker)
    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=spare))
        for row in db.session.scalars(select(UserSession).where(UserSession.user_id == admin)):
            row.authenticated_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    url = f"/admin/assignments/{person_id}" + path.format(worker=worker)
    response = post_form(client, url, {"worker_id": user_factory("worker")})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm")
    assert _workers_of(app, person_id) == sorted([worker, spare])
    assert _audit(app) == []


@pytest.mark.parametrize(
    "url", ["/admin/assignments/999999", "/admin/assignments/999999/workers/1/remove"]
)
def test_an_unknown_person_is_not_found(signed_in, url):
    client, _ = signed_in("site_admin")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["worker", "resident", "org_admin", "council"])
def test_only_site_admins_manage_assignments(app, signed_in, post_form, user_factory, role):
    client, _ = signed_in(role)
    person_id = make_person(app)
    assert client.get("/admin/assignments/").status_code == 403
    response = post_form(
        client, f"/admin/assignments/{person_id}", {"worker_id": user_factory("worker")}
    )
    assert response.status_code == 403
    assert _workers_of(app, person_id) == []
