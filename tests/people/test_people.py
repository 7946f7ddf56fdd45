"""Community workers' people through the pages: registering someone with
their consent, the list, a person's page, changes, and seeing only their own."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from betterway_map.people.models import Assignment, Consent, Person
from tests.factories.days import TODAY, FromToday, dated
from tests.factories.people import make_assigned_person, make_person, make_resident_with_profile

REGISTRATION = {
    "first_name": "Iris",
    "last_name": "Okafor",
    "age_band": "85+",
    "postcode": "zz2 3bd",
    "lives_alone": "True",
    "purposes": ["register", "matching"],
    "method": "verbal",
    "given_on": TODAY,
    "notes": "Agreed on a home visit.",
}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def _audit(app, action):
    with app.app_context():
        return [
            (event.user_id, event.subject_type, event.subject_id)
            for event in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_registering_a_person_records_them_their_consent_and_assignment(app, signed_in, post_form):
    client, worker = signed_in("worker")
    registration = dated(REGISTRATION)
    response = post_form(client, "/people/new", registration)
    assert response.status_code == 302
    with app.app_context():
        person = db.session.scalar(select(Person))
        consents = list(db.session.scalars(select(Consent).order_by(Consent.purpose)))
        assignment = db.session.scalar(select(Assignment))
        assert (person.first_name, person.last_name, person.postcode) == (
            "Iris",
            "Okafor",
            "ZZ2 3BD",
        )
        assert person.user_id is None and person.registered_by_id == worker
        assert [(c.purpose, c.method, c.recorded_by_id) for c in consents] == [
            ("matching", "verbal", worker),
            ("register", "verbal", worker),
        ]
        assert consents[0].given_on.isoformat() == registration["given_on"]
        assert (assignment.person_id, assignment.worker_id) == (person.id, worker)
        assert response.headers["Location"] == f"/people/{person.id}"
    assert _audit(app, "create")[-1] == (worker, "person", person.id)


BAD_REGISTRATIONS = [
    ({"purposes": ["matching"]}, "purposes", "they must agree to this"),
    ({"purposes": []}, "purposes", "Choose at least one thing"),
    ({"purposes": ["sell_data"]}, "purposes", "'sell_data' is not a consent purpose"),
    ({"method": "telepathy"}, "method", "'telepathy' is not a way of giving consent"),
    ({"method": ""}, "method", "Say how they gave consent"),
    ({"given_on": FromToday(2)}, "given_on", "is in the future"),
    ({"given_on": "31/02/2024"}, "given_on", "'31/02/2024' is not a date"),
    ({"given_on": ""}, "given_on", "Enter the date they gave consent"),
    ({"postcode": "ABC"}, "postcode", "'ABC' is not a UK postcode"),
    ({"age_band": "100+"}, "age_band", "'100+' is not an age band"),
    ({"travel_km": "101"}, "travel_km", "101.0 km is not accepted"),
    ({"last_name": "n" * 61}, "last_name", "at most 60 characters"),
    ({"notes": "n" * 2001}, "notes", "at most 2000 characters"),
    ({"first_name": ""}, "first_name", "Enter the first name"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD_REGISTRATIONS)
def test_a_bad_registration_writes_nothing_and_says_why(
    app, signed_in, post_form, change, field, message
):
    client, _ = signed_in("worker")
    response = post_form(client, "/people/new", dated({**REGISTRATION, **change}))
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert response.status_code == 400
    assert f'id="error-{field}"' in page
    assert message in page
    assert 'value="Okafor"' in page or field == "last_name"  # what was typed is kept
    assert [_count(app, m) for m in (Person, Consent, Assignment)] == [0, 0, 0]


def test_my_people_lists_only_my_people(app, signed_in):
    client, worker = signed_in("worker")
    other_worker = signed_in("worker")[1]
    make_assigned_person(app, worker, first_name="Mine")
    make_assigned_person(app, other_worker, first_name="Theirs")
    make_resident_with_profile(app, first_name="Resident")
    page = client.get("/people/").get_data(as_text=True)
    assert "Mine" in page
    assert "Theirs" not in page and "Resident" not in page


def test_my_people_is_searchable_by_first_name(app, signed_in):
    client, worker = signed_in("worker")
    for name in ("Maureen", "Maurice", "Agnes", "100%_sure"):
        make_assigned_person(app, worker, first_name=name)
    page = client.get("/people/?q=maur").get_data(as_text=True)
    assert "Maureen" in page and "Maurice" in page and "Agnes" not in page
    wildcard = client.get("/people/?q=%25").get_data(as_text=True)
    assert "100%_sure" in wildcard and "Agnes" not in wildcard


def test_my_people_is_paginated(app, signed_in):
    client, worker = signed_in("worker")
    for number in range(27):
        make_assigned_person(app, worker, first_name=f"Person{number:02d}")
    first = client.get("/people/").get_data(as_text=True)
    second = client.get("/people/?page=2").get_data(as_text=True)
    assert "Person00" in first and "Person24" in first and "Person25" not in first
    assert "Person25" in second and "Person26" in second and "Person00" not in second
    assert "page 2 of 2" in second and "Previous page" in second


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("page=0", "0 is not a page number"),
        ("page=two", "'two' is not a page number"),
        ("q=" + "a" * 61, "at most 60 characters"),
    ],
)
def test_a_bad_list_query_is_refused_with_a_message(signed_in, query, message):
    client, _ = signed_in("worker")
    response = client.get(f"/people/?{query}")
    assert response.status_code == 422
    assert message in response.get_data(as_text=True).replace("&#39;", "'")


def test_viewing_a_person_is_audited(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris", phone="0123 456789")
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert "Iris" in page and "0123 456789" in page
    assert _audit(app, "view") == [(worker, "person", person_id)]


def test_editing_a_person_saves_and_is_audited(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
    form = client.get(f"/people/{person_id}/edit").get_data(as_text=True)
    assert 'value="Iris"' in form
    response = post_form(
        client, f"/people/{person_id}/edit", {"first_name": "Iris", "travel_km": "2"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Person, person_id).travel_km == 2.0
    assert _audit(app, "update") == [(worker, "person", person_id)]


def test_a_bad_edit_changes_nothing(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris", postcode="ZZ1 1AA")
    response = post_form(
        client, f"/people/{person_id}/edit", {"first_name": "Iris", "postcode": "nope"}
    )
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Person, person_id).postcode == "ZZ1 1AA"


@pytest.mark.parametrize(
    ("path", "methods"),
    [
        ("/people/{}", ["GET"]),
        ("/people/{}/edit", ["GET", "POST"]),
        ("/people/{}/consents", ["GET", "POST"]),
    ],
)
def test_another_workers_person_is_not_found(app, signed_in, post_form, path, methods):
    client, _ = signed_in("worker")
    other = signed_in("worker")[1]
    person_id = make_assigned_person(app, other, first_name="Secret")
    url = path.format(person_id)
    responses = [client.get(url)]
    if "POST" in methods:
        responses.append(post_form(client, url, {"first_name": "Hacked", **dated(REGISTRATION)}))
    for response in responses:
        assert response.status_code == 404
        assert "Secret" not in response.get_data(as_text=True)
    missing = client.get(path.format(person_id + 1000))
    assert missing.status_code == 404
    with app.app_context():
        assert db.session.get(Person, person_id).first_name == "Secret"
    assert _audit(app, "view") == []


def test_a_worker_cannot_see_a_residents_profile_unless_assigned(app, signed_in):
    client, worker = signed_in("worker")
    _, person_id = make_resident_with_profile(app, first_name="Ada")
    assert client.get(f"/people/{person_id}").status_code == 404
    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=worker))
        db.session.commit()
    assert "Ada" in client.get(f"/people/{person_id}").get_data(as_text=True)


def test_an_unassigned_person_is_seen_by_nobody(app, signed_in):
    client, _ = signed_in("worker")
    person_id = make_person(app, first_name="Nobody's")
    assert client.get(f"/people/{person_id}").status_code == 404


def test_the_worker_dashboard_counts_my_people(app, signed_in):
    client, worker = signed_in("worker")
    make_assigned_person(app, worker)
    make_assigned_person(app, worker)
    page = client.get("/me").get_data(as_text=True)
    assert "2 people are assigned to you" in page
