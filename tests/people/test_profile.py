"""A resident's own profile: filling it in, changing it, bad input, downloading
their data; through the pages and through the API."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent, UserSession
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.people.models import Consent, Person
from tests.conftest import csrf_token
from tests.factories.people import make_resident_with_profile

GOOD = {
    "first_name": "Ada",
    "age_band": "75-84",
    "postcode": "zz1 1aa",
    "interests": ["books", "music"],
    "languages": ["en", "pl"],
    "availability": ["tue_am", "thu_pm"],
    "travel_km": "3.5",
    "lives_alone": "True",
    "marital_status": "widowed",
    "general_health": "fair",
    "what_would_help": "Someone to go to the choir with.",
    "phone": "01234 567890",
    "address": "1 Orchard Row",
}


def _person_of(app, user_id):
    with app.app_context():
        return db.session.scalar(select(Person).where(Person.user_id == user_id))


def _audit(app, action, subject_type="person"):
    with app.app_context():
        return list(
            db.session.scalars(
                select(AuditEvent).where(
                    AuditEvent.action == action, AuditEvent.subject_type == subject_type
                )
            )
        )


def test_a_new_resident_is_asked_to_fill_in_a_profile(signed_in):
    client, _ = signed_in("resident")
    page = client.get("/profile").get_data(as_text=True)
    assert "You have not filled in your profile yet" in page
    assert "Fill in your profile" in client.get("/me").get_data(as_text=True)


def test_filling_in_the_profile_saves_every_field(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    response = post_form(client, "/profile/edit", GOOD, follow_redirects=True)
    assert response.status_code == 200
    person = _person_of(app, user_id)
    assert (person.first_name, person.age_band, person.postcode) == ("Ada", "75-84", "ZZ1 1AA")
    assert person.interests == ["books", "music"] and person.languages == ["en", "pl"]
    assert person.availability == ["tue_am", "thu_pm"]
    assert (person.travel_km, person.lives_alone) == (3.5, True)
    assert (person.marital_status, person.general_health) == ("widowed", "fair")
    assert (person.phone, person.address) == ("01234 567890", "1 Orchard Row")
    page = response.get_data(as_text=True)
    assert "Books and reading" in page and "1 Orchard Row" in page


def test_the_first_save_records_online_consent_and_is_audited(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    post_form(client, "/profile/edit", {"first_name": "Ada"})
    person = _person_of(app, user_id)
    with app.app_context():
        consent = db.session.scalar(select(Consent).where(Consent.person_id == person.id))
    assert (consent.purpose, consent.method, consent.recorded_by_id) == (
        "register",
        "online",
        user_id,
    )
    assert [event.subject_id for event in _audit(app, "create")] == [person.id]


def test_saving_again_changes_the_same_profile_and_clears_emptied_fields(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    post_form(client, "/profile/edit", {"first_name": "Ada", "phone": "0123 456789"})
    post_form(client, "/profile/edit", {"first_name": "Ada B", "phone": ""})
    with app.app_context():
        people = list(db.session.scalars(select(Person).where(Person.user_id == user_id)))
    assert [(p.first_name, p.phone) for p in people] == [("Ada B", None)]
    assert len(_audit(app, "update")) == 1


def test_the_postcode_is_placed_from_the_gazetteer(app, signed_in, post_form):
    with app.app_context():
        db.session.add(
            PostcodePoint(
                postcode="ZZ1 1AA",
                latitude=51.5,
                longitude=-0.1,
                fictional=True,
            )
        )
        db.session.commit()
    client, user_id = signed_in("resident")
    post_form(client, "/profile/edit", {"first_name": "Ada", "postcode": "zz11aa"})
    person = _person_of(app, user_id)
    assert (person.latitude, person.longitude) == (51.5, -0.1)


BAD_PROFILES = [
    ({"first_name": "  "}, "first_name", "Enter the first name"),
    ({"postcode": "NOT A CODE"}, "postcode", "'NOT A CODE' is not a UK postcode"),
    ({"age_band": "12-17"}, "age_band", "'12-17' is not an age band"),
    ({"travel_km": "150"}, "travel_km", "150.0 km is not accepted"),
    ({"travel_km": "-1"}, "travel_km", "-1.0 km is not accepted"),
    ({"travel_km": "far"}, "travel_km", "'far' is not a distance"),
    ({"interests": "knitting-bees"}, "interests", "'knitting-bees' is not an interest"),
    ({"availability": "someday"}, "availability", "'someday' is not a time of the week"),
    ({"lives_alone": "maybe"}, "lives_alone", "'maybe' is not an answer"),
    ({"marital_status": "it's complicated"}, "marital_status", "is not a marital status"),
    ({"what_would_help": "x" * 2001}, "what_would_help", "at most 2000 characters"),
    ({"first_name": "y" * 61}, "first_name", "at most 60 characters"),
    ({"phone": "call me"}, "phone", "'call me' is not a phone number"),
    ({"address": "z" * 301}, "address", "at most 300 characters"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_PROFILES)
def test_a_bad_profile_form_is_shown_again_with_the_message(
    app, signed_in, post_form, change, field, message
):
    client, user_id = signed_in("resident")
    response = post_form(client, "/profile/edit", {"first_name": "Ada", **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="error-{field}"' in page
    assert message in page.replace("&#39;", "'")
    assert _person_of(app, user_id) is None


@pytest.mark.parametrize(("change", "field", "message"), BAD_PROFILES)
def test_a_bad_profile_through_the_api_answers_422_per_field(signed_in, change, field, message):
    client, _ = signed_in("resident")
    body = {"first_name": "Ada", **change}
    for key in ("interests", "availability"):
        if isinstance(body.get(key), str):
            body[key] = [body[key]]
    if "travel_km" in body:
        try:
            body["travel_km"] = float(body["travel_km"])
        except ValueError:
            pass
    response = client.put("/api/v1/profile", json=body, headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 422
    errors = response.get_json()["errors"]["json"]
    assert message in json.dumps(errors[field])


def test_the_profile_page_escapes_what_people_type(app, signed_in):
    client, user_id = signed_in("resident")
    make_resident_with_profile(app, user_id, first_name="Ada <b>bold</b>")
    page = client.get("/profile").get_data(as_text=True)
    assert "Ada &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<b>bold</b>" not in page


def test_the_api_profile_round_trip(app, signed_in):
    client, user_id = signed_in("resident")
    headers = {"X-CSRFToken": csrf_token(client)}
    assert client.get("/api/v1/profile").status_code == 404
    response = client.put(
        "/api/v1/profile",
        json={"first_name": "Ada", "postcode": "zz1 1aa", "interests": ["books"]},
        headers=headers,
    )
    assert response.status_code == 200
    assert response.get_json()["postcode"] == "ZZ1 1AA"
    replaced = client.put("/api/v1/profile", json={"first_name": "Ada"}, headers=headers)
    assert replaced.get_json()["interests"] == [] and replaced.get_json()["postcode"] is None
    assert client.get("/api/v1/profile").get_json()["first_name"] == "Ada"


def test_export_downloads_everything_and_is_audited(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = make_resident_with_profile(app, user_id, first_name="Ada", phone="0123 456789")
    response = client.get("/profile/export")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))
    assert data["person"]["id"] == person_id
    assert data["person"]["phone"] == "0123 456789"
    assert {"consents", "workers", "ties", "loneliness_measures"} <= set(data["person"])
    assert "erasure" in data["note"]
    assert [event.subject_id for event in _audit(app, "export")] == [person_id]


def test_export_needs_a_fresh_sign_in(app, signed_in):
    client, user_id = signed_in("resident")
    with app.app_context():
        for row in db.session.scalars(select(UserSession).where(UserSession.user_id == user_id)):
            row.authenticated_at = utcnow() - timedelta(hours=1)
        db.session.commit()
    response = client.get("/profile/export")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm")
    assert _audit(app, "export") == []


@pytest.mark.parametrize("role", ["worker", "org_admin", "council", "site_admin"])
def test_only_residents_have_a_profile_page(signed_in, role):
    client, _ = signed_in(role)
    assert client.get("/profile").status_code == 403


def test_the_dashboard_links_to_a_filled_in_profile(app, signed_in):
    client, user_id = signed_in("resident")
    make_resident_with_profile(app, user_id, first_name="Ada")
    page = client.get("/me").get_data(as_text=True)
    assert "Your profile is filled in, Ada" in page
    assert 'href="/profile/export"' in page


def test_the_data_is_also_a_page_to_read_or_print(app, signed_in, post_form):
    """The same data as the JSON download, in words and tables, for people
    who would rather read it than open a file."""
    client, user_id = signed_in("resident")
    from tests.factories.person_records import own_person

    _, person_id = own_person(app, user_id)
    post_form(client, f"/people/{person_id}/help", {"direction": "offer", "kind": "shopping"})
    page = client.get("/profile/data")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "Everything we hold about you" in text and "Your account" in text
    assert "Help you offer or ask for" in text and "Offer of help" in text and "Shopping" in text
    download = client.get("/profile/export").get_json()
    assert download["account"]["email"] in text
