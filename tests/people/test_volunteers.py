"""Volunteering: the person offers; only their worker records the DBS check."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.people.models import VolunteerProfile
from tests.conftest import csrf_token
from tests.factories.days import TOMORROW, dated
from tests.factories.person_records import assigned_person, count, own_person, volunteer


def _put(client, person_id, body):
    return client.put(
        f"/api/v1/people/{person_id}/volunteer",
        json=body,
        headers={"X-CSRFToken": csrf_token(client)},
    )


def test_resident_offers_to_volunteer_on_the_page(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    page = client.get(f"/people/{person_id}/volunteer").get_data(as_text=True)
    assert "Would you like to help someone nearby?" in page
    assert 'name="dbs_status"' not in page
    data = {"capacity": "2", "active": "y", "lived_experience": ["bereavement", "caring"]}
    assert post_form(client, f"/people/{person_id}/volunteer", data).status_code == 302
    page = client.get(f"/people/{person_id}/volunteer").get_data(as_text=True)
    assert "Bereavement" in page and "No check" in page
    with app.app_context():
        from betterway_map.extensions import db

        profile = db.session.get(VolunteerProfile, person_id)
        assert (profile.capacity, profile.active, profile.dbs_recorded_by_id) == (2, True, None)


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"capacity": 0}, "capacity", "0 is not between 1 and 10"),
        ({"capacity": 11}, "capacity", "11 is not between 1 and 10"),
        ({"capacity": 2, "lived_experience": ["astrology"]}, "lived_experience", "is not a kind"),
        ({"capacity": 2, "dbs_status": "gold"}, "dbs_status", "is not a DBS status"),
        ({"capacity": 2, "dbs_status": "enhanced"}, "dbs_checked_on", "Give the date"),
        (
            {"capacity": 2, "dbs_status": "enhanced", "dbs_checked_on": TOMORROW},
            "dbs_checked_on",
            "is in the future",
        ),
    ],
)
def test_bad_volunteer_details_are_refused(app, signed_in, body, field, message):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    response = _put(client, person_id, dated(body))
    assert response.status_code == 422
    assert message in str(response.get_json()["errors"]["json"][field])
    assert count(app, VolunteerProfile) == 0


def test_capacity_out_of_range_is_refused_on_the_page(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    response = post_form(client, f"/people/{person_id}/volunteer", {"capacity": "11"})
    assert response.status_code == 400
    assert "11 is not between 1 and 10" in response.get_data(as_text=True)


def test_worker_records_the_dbs_check(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    body = {"capacity": 1, "dbs_status": "enhanced", "dbs_checked_on": "2024-01-10"}
    response = _put(client, person_id, body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["dbs_recorded_by_id"] == worker
    assert count(app, AuditEvent, action="dbs") == 1


@pytest.mark.parametrize("where", ["api", "page"])
def test_a_volunteer_cannot_vouch_for_their_own_dbs_check(app, signed_in, post_form, where):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    body = {"capacity": 1, "dbs_status": "enhanced", "dbs_checked_on": "2024-01-10"}
    if where == "api":
        response = _put(client, person_id, body)
    else:
        response = post_form(client, f"/people/{person_id}/volunteer", body)
    assert response.status_code == 403
    assert "cannot vouch for their own check" in response.get_data(as_text=True)
    assert count(app, VolunteerProfile) == 0


def test_a_worker_cannot_record_their_own_dbs_check(app, signed_in):
    client, worker = signed_in("worker")
    _, person_id = own_person(app, worker)
    with app.app_context():
        from betterway_map.extensions import db
        from betterway_map.people.models import Assignment

        db.session.add(Assignment(person_id=person_id, worker_id=worker))
        db.session.commit()
    response = _put(
        client, person_id, {"capacity": 1, "dbs_status": "basic", "dbs_checked_on": "2024-01-10"}
    )
    assert response.status_code == 403


def test_a_check_over_three_years_old_is_shown_as_expired(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    old = today_in_uk() - timedelta(days=3 * 366)
    volunteer(app, person_id, dbs_status="enhanced", dbs_checked_on=old)
    api = client.get(f"/api/v1/people/{person_id}/volunteer").get_json()
    assert (api["dbs_status"], api["dbs_status_now"]) == ("enhanced", "expired")
    page = client.get(f"/people/{person_id}/volunteer").get_data(as_text=True)
    assert "Expired" in page and "a new check is needed" in page


def test_a_recent_check_is_current(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    volunteer(app, person_id, dbs_status="basic", dbs_checked_on=today_in_uk() - timedelta(days=30))
    assert (
        client.get(f"/api/v1/people/{person_id}/volunteer").get_json()["dbs_status_now"] == "basic"
    )


def test_changing_capacity_keeps_the_recorded_check(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    volunteer(
        app,
        person_id,
        dbs_status="basic",
        dbs_checked_on=date(2024, 1, 1),
        dbs_recorded_by_id=worker,
    )
    response = _put(client, person_id, {"capacity": 3, "active": False})
    assert response.get_json()["dbs_status"] == "basic"
    assert response.get_json()["capacity"] == 3 and response.get_json()["active"] is False


def test_volunteer_profile_of_someone_who_has_not_offered_is_404(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    response = client.get(f"/api/v1/people/{person_id}/volunteer")
    assert response.status_code == 404 and "not offered" in response.get_json()["message"]


def test_another_workers_volunteer_is_not_found(app, signed_in, user_factory):
    client, _ = signed_in("worker")
    person_id = assigned_person(app, user_factory("worker"))
    volunteer(app, person_id)
    assert client.get(f"/people/{person_id}/volunteer").status_code == 404
    assert _put(client, person_id, {"capacity": 2}).status_code == 404
