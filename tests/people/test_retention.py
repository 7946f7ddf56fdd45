"""The retention review: people with no activity for RETENTION_REVIEW_DAYS
are listed, for site admins and for their own workers, to keep or erase."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.people.models import Consent, Person
from tests.conftest import csrf_token, login, make_user
from tests.factories.people import make_assigned_person


def _quiet(app, person_id: int) -> None:
    """Nothing has happened about the person for 800 days."""
    long_ago = utcnow() - timedelta(days=800)
    with app.app_context():
        db.session.execute(
            update(Person)
            .where(Person.id == person_id)
            .values(created_at=long_ago, updated_at=long_ago)
        )
        db.session.execute(
            update(Consent).where(Consent.person_id == person_id).values(recorded_at=long_ago)
        )
        db.session.commit()


def _listed(client) -> list[int]:
    return [row["person_id"] for row in client.get("/api/v1/retention").json]


def test_quiet_people_are_listed_and_busy_ones_are_not(app):
    worker = make_user(app, "worker")
    quiet = make_assigned_person(app, worker, first_name="Quentin")
    make_assigned_person(app, worker, first_name="Busy")
    _quiet(app, quiet)
    admin = app.test_client()
    login(admin, app, make_user(app, "site_admin"))
    assert _listed(admin) == [quiet]
    page = admin.get("/rights/retention").get_data(as_text=True)
    assert "Quentin" in page and "Busy" not in page


def test_the_period_is_configurable(app, monkeypatch):
    worker = make_user(app, "worker")
    quiet = make_assigned_person(app, worker)
    _quiet(app, quiet)
    client = app.test_client()
    login(client, app, worker)
    monkeypatch.setitem(app.config, "RETENTION_REVIEW_DAYS", 900)
    assert _listed(client) == []
    monkeypatch.setitem(app.config, "RETENTION_REVIEW_DAYS", 30)
    assert _listed(client) == [quiet]


def test_a_worker_sees_only_their_own_people(app):
    mine, theirs = make_user(app, "worker"), make_user(app, "worker")
    own = make_assigned_person(app, mine)
    other = make_assigned_person(app, theirs)
    _quiet(app, own)
    _quiet(app, other)
    client = app.test_client()
    login(client, app, mine)
    assert _listed(client) == [own]
    refused = client.post(
        f"/rights/retention/{other}/keep", data={"csrf_token": csrf_token(client)}
    )
    assert refused.status_code == 404


def test_keeping_someone_records_the_review_and_takes_them_off_the_list(app):
    worker = make_user(app, "worker")
    quiet = make_assigned_person(app, worker)
    _quiet(app, quiet)
    client = app.test_client()
    login(client, app, worker)
    response = client.post(
        f"/rights/retention/{quiet}/keep", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302
    assert _listed(client) == []
