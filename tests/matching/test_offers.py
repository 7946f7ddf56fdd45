"""Volunteers' offers and safeguarding restrictions; the DBS check's expiry.
Who may write what, and bad input refused naming the value, writing nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.matching.models import VolunteerOffer
from betterway_map.people.models import VolunteerProfile
from tests.conftest import csrf_token, login
from tests.factories.matching import add_offer, make_volunteer
from tests.factories.people import make_assigned_person, make_resident_with_profile
from tests.factories.person_records import count

GOOD = {
    "kinds": ["befriending_phone", "shopping"],
    "capacity": 2,
    "availability": ["mon_am", "sat_eve"],
    "languages": ["gu"],
    "interests": ["cooking"],
    "lived_experience": ["caring"],
    "travel_km": 6,
    "gender": "man",
}
FORM = {**GOOD, "capacity": "2", "travel_km": "6"}


def _put(client, url, body):
    return client.put(url, json=body, headers={"X-CSRFToken": csrf_token(client)})


def _offer(app, person_id):
    with app.app_context():
        offer = db.session.get(VolunteerOffer, person_id)
        profile = db.session.get(VolunteerProfile, person_id)
        db.session.expunge_all()
        return offer, profile


def test_a_volunteer_records_their_offer_with_capacity_on_their_profile(app, post_form):
    user_id, person_id = make_resident_with_profile(app, first_name="Dev", languages=["gu"])
    client = app.test_client()
    login(client, app, user_id)
    assert client.get("/me/offer").headers["Location"] == f"/people/{person_id}/offer"
    form = client.get(f"/people/{person_id}/offer").get_data(as_text=True)
    assert 'value="gu" checked' in form and "<legend>When are you free to volunteer?" in form
    before = today_in_uk()
    response = post_form(client, f"/people/{person_id}/offer", FORM)
    assert response.status_code == 302
    offer, profile = _offer(app, person_id)
    assert (offer.kinds, offer.availability, offer.travel_km) == (
        ["befriending_phone", "shopping"],
        ["mon_am", "sat_eve"],
        6.0,
    )
    # Available since today (the day after, should midnight pass meanwhile).
    assert offer.available_since in {before, today_in_uk()} and offer.from_postcode is None
    assert (profile.capacity, profile.lived_experience, profile.dbs_status) == (
        2,
        ["caring"],
        "none",
    )
    assert count(app, AuditEvent, action="create", subject_type="volunteer_offer") == 1
    page = client.get(f"/people/{person_id}/offer").get_data(as_text=True)
    assert "2 people at once" in page and "Saturday evening" in page
    assert "Safeguarding restrictions" not in page


def test_a_worker_records_an_offer_through_the_api(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    response = _put(client, f"/api/v1/matching/offers/{person_id}", GOOD)
    assert response.status_code == 200
    body = client.get(f"/api/v1/matching/offers/{person_id}").get_json()
    assert (body["capacity"], body["lived_experience"], body["kinds"]) == (
        2,
        ["caring"],
        ["befriending_phone", "shopping"],
    )


def test_the_offer_keeps_the_dbs_check_the_worker_recorded(app, signed_in):
    client, worker = signed_in("worker")
    volunteer = make_volunteer(app, worker)
    _put(client, f"/api/v1/matching/offers/{volunteer}", GOOD)
    _, profile = _offer(app, volunteer)
    assert (profile.dbs_status, profile.capacity) == ("enhanced", 2)


def test_travelling_from_a_known_postcode_places_it(app, signed_in):
    with app.app_context():
        db.session.add(PostcodePoint(postcode="LS6 2AB", latitude=53.82, longitude=-1.57))
        db.session.commit()
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    assert (
        _put(
            client, f"/api/v1/matching/offers/{person_id}", {**GOOD, "from_postcode": "ls62ab"}
        ).status_code
        == 200
    )
    offer, _ = _offer(app, person_id)
    assert (offer.from_postcode, offer.from_latitude, offer.from_longitude) == (
        "LS6 2AB",
        53.82,
        -1.57,
    )


BAD = [
    ({"kinds": ["juggling"]}, "kinds", "'juggling' is not a kind of support: choose one of"),
    ({"kinds": []}, "kinds", "Choose at least one kind of support"),
    ({"availability": ["tue_night"]}, "availability", "'tue_night' is not a time of the week"),
    ({"capacity": -1}, "capacity", "must be between 1 and 10, not -1"),
    ({"capacity": 11}, "capacity", "must be between 1 and 10, not 11"),
    ({"travel_km": -2}, "travel_km", "-2.0 km is not accepted"),
    ({"languages": []}, "languages", "Choose at least one language"),
    ({"from_postcode": "ZZ9 9ZZ"}, "from_postcode", "We do not know where 'ZZ9 9ZZ' is"),
]


@pytest.mark.parametrize(
    ("change", "field", "message"), BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)]
)
def test_bad_offers_are_refused_naming_the_value(app, signed_in, change, field, message):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    response = _put(client, f"/api/v1/matching/offers/{person_id}", {**GOOD, **change})
    assert response.status_code == 422
    assert message in str(response.get_json()["errors"]["json"][field])
    assert count(app, VolunteerOffer) == 0 and count(app, VolunteerProfile) == 0


def test_a_bad_offer_on_the_page_writes_nothing(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    response = post_form(
        client, f"/people/{person_id}/offer", {**FORM, "capacity": "-1", "from_postcode": "ZZ9 9ZZ"}
    )
    assert response.status_code == 400
    assert "must be between 1 and 10, not -1" in response.get_data(as_text=True)
    unknown = post_form(client, f"/people/{person_id}/offer", {**FORM, "from_postcode": "ZZ9 9ZZ"})
    assert unknown.status_code == 400 and "We do not know where" in unknown.get_data(as_text=True)
    assert count(app, VolunteerOffer) == 0 and count(app, VolunteerProfile) == 0


def test_a_worker_records_safeguarding_restrictions(app, signed_in, post_form):
    client, worker = signed_in("worker")
    volunteer = make_volunteer(app, worker)
    page = client.get(f"/people/{volunteer}/offer").get_data(as_text=True)
    assert f"/people/{volunteer}/offer/safeguarding" in page
    response = post_form(
        client,
        f"/people/{volunteer}/offer/safeguarding",
        {
            "restricted_kinds": ["lifts"],
            "excluded_person_ids": "7, 9",
            "restriction_notes": "No driving.",
        },
    )
    assert response.status_code == 302
    offer, _ = _offer(app, volunteer)
    assert (offer.restricted_kinds, offer.excluded_person_ids) == (["lifts"], [7, 9])
    assert offer.restrictions_recorded_by_id == worker
    assert count(app, AuditEvent, action="safeguarding") == 1


def test_safeguarding_refuses_unknown_kinds_and_the_volunteers_own_number(app, signed_in):
    client, worker = signed_in("worker")
    volunteer = make_volunteer(app, worker)
    url = f"/api/v1/matching/offers/{volunteer}/safeguarding"
    bad = _put(client, url, {"restricted_kinds": ["juggling"]})
    assert bad.status_code == 422 and "'juggling' is not a kind of support" in str(bad.get_json())
    own = _put(client, url, {"excluded_person_ids": [volunteer]})
    assert own.status_code == 422 and "the volunteer's own number" in own.get_json()["message"]
    offer, _ = _offer(app, volunteer)
    assert (offer.restricted_kinds, offer.restrictions_recorded_by_id) == ([], None)


def test_a_worker_cannot_restrict_their_own_offer(app, signed_in):
    client, worker = signed_in("worker")
    # The worker is also a volunteer, assigned to themself.
    person_id = make_assigned_person(app, worker, user_id=worker)
    add_offer(app, person_id)
    assert client.get(f"/people/{person_id}/offer/safeguarding").status_code == 403
    response = _put(client, f"/api/v1/matching/offers/{person_id}/safeguarding", {})
    assert response.status_code == 403


def test_safeguarding_needs_an_offer_first(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Ned")
    response = client.get(f"/people/{person_id}/offer/safeguarding")
    assert response.status_code == 409 and "Ned has not recorded an offer" in response.get_data(
        as_text=True
    )


# The DBS check's expiry, on the volunteer's page and API.


def test_a_worker_records_a_dbs_expiry_and_it_is_shown(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    body = {
        "capacity": 1,
        "dbs_status": "enhanced",
        "dbs_checked_on": "2024-01-10",
        "dbs_expires_on": "2026-01-10",
    }
    response = _put(client, f"/api/v1/people/{person_id}/volunteer", body)
    assert response.status_code == 200
    assert response.get_json()["dbs_valid_until"] == "2026-01-10"
    page = client.get(f"/people/{person_id}/volunteer").get_data(as_text=True)
    assert "10 January 2026" in page and 'name="dbs_expires_on"' in page


def test_an_empty_dbs_expiry_is_three_years_after_the_check(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    checked = today_in_uk() - timedelta(days=30)
    body = {"capacity": 1, "dbs_status": "basic", "dbs_checked_on": checked.isoformat()}
    got = _put(client, f"/api/v1/people/{person_id}/volunteer", body).get_json()
    assert got["dbs_expires_on"] is None
    assert got["dbs_valid_until"] == checked.replace(year=checked.year + 3).isoformat()
    assert "(3 years after the certificate)" in client.get(
        f"/people/{person_id}/volunteer"
    ).get_data(as_text=True)


def test_a_dbs_expiry_that_has_passed_shows_the_check_as_expired(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    yesterday = today_in_uk() - timedelta(days=1)
    body = {
        "capacity": 1,
        "dbs_status": "enhanced",
        "dbs_checked_on": "2024-01-10",
        "dbs_expires_on": yesterday.isoformat(),
    }
    assert (
        _put(client, f"/api/v1/people/{person_id}/volunteer", body).get_json()["dbs_status_now"]
        == "expired"
    )


@pytest.mark.parametrize("where", ["page", "api"])
def test_a_dbs_expiry_before_the_check_is_refused_naming_both_dates(
    app, signed_in, post_form, where
):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    body = {
        "capacity": 1,
        "dbs_status": "enhanced",
        "dbs_checked_on": "2024-03-01",
        "dbs_expires_on": "2023-01-01",
    }
    if where == "api":
        response = _put(client, f"/api/v1/people/{person_id}/volunteer", body)
        assert response.status_code == 422
        text = str(response.get_json())
    else:
        response = post_form(client, f"/people/{person_id}/volunteer", body)
        assert response.status_code == 400
        text = response.get_data(as_text=True)
    assert "The expiry 2023-01-01 is before the date of the certificate, 2024-03-01" in text
    assert count(app, VolunteerProfile) == 0


def test_an_expiry_sent_alone_is_checked_against_the_recorded_check(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_volunteer(app, worker, dbs_checked_on=date(2024, 3, 1), dbs_expires_on=None)
    response = _put(
        client,
        f"/api/v1/people/{person_id}/volunteer",
        {"capacity": 3, "dbs_expires_on": "2024-01-01"},
    )
    assert response.status_code == 422 and "2024-01-01 is before" in response.get_json()["message"]
    _, profile = _offer(app, person_id)
    assert (profile.capacity, profile.dbs_expires_on) == (1, None)


def test_a_volunteer_cannot_send_their_own_dbs_expiry(app, post_form):
    user_id, person_id = make_resident_with_profile(app)
    client = app.test_client()
    login(client, app, user_id)
    response = _put(
        client,
        f"/api/v1/people/{person_id}/volunteer",
        {"capacity": 1, "dbs_expires_on": "2030-01-01"},
    )
    assert response.status_code == 403
    assert 'name="dbs_expires_on"' not in client.get(f"/people/{person_id}/volunteer").get_data(
        as_text=True
    )
