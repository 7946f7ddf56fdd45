"""Contacts within a relationship: who records them, who reads the note,
and bad input refused with a message naming the value, nothing written."""

from __future__ import annotations

from datetime import timedelta

import pytest

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.measures.models import Contact
from tests.conftest import csrf_token, make_user
from tests.factories.days import TOMORROW, dated
from tests.factories.match_journey import make_world
from tests.factories.measures import add_member, make_contact
from tests.factories.people import make_assigned_person, make_person
from tests.factories.person_records import organisation_with_group
from tests.measures.helpers import api, count, messages, signed_in


@pytest.fixture()
def world(app):
    return make_world(app, "active")


def test_a_volunteer_records_a_contact_in_their_match(app, world):
    client = signed_in(app, world.volunteer_user)
    before = today_in_uk()
    response = api(
        client, "POST", f"/matches/{world.match_id}/contacts", {"mode": "phone", "duration_min": 30}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    # Today unless given (the day after, should midnight pass during the request).
    assert body["contacted_on"] in {before.isoformat(), today_in_uk().isoformat()}
    assert (body["kind"], body["with_volunteer_id"], body["yours"]) == (
        "match",
        world.volunteer_id,
        True,
    )
    listed = api(client, "GET", f"/matches/{world.match_id}/contacts").get_json()
    assert [line["id"] for line in listed] == [body["id"]]


@pytest.mark.parametrize(
    ("body", "field", "named"),
    [
        ({"mode": "phone", "contacted_on": TOMORROW}, "contacted_on", TOMORROW),
        ({"mode": "phone", "duration_min": -5}, "duration_min", "-5 minutes"),
        ({"mode": "phone", "duration_min": 1441}, "duration_min", "1441 minutes"),
        ({"mode": "fax"}, "mode", "'fax'"),
        ({"mode": "phone", "contacted_on": "31/02/2024"}, "contacted_on", "'31/02/2024'"),
        ({"duration_min": 30}, "mode", "Choose the how"),
    ],
)
def test_bad_input_is_refused_naming_the_value(app, world, body, field, named):
    client = signed_in(app, world.volunteer_user)
    body, named = dated(body), dated(named)
    response = api(client, "POST", f"/matches/{world.match_id}/contacts", body)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert named in messages(response)
    assert count(app, Contact) == 0


def test_the_page_refuses_a_future_date_with_422_and_writes_nothing(app, world):
    client = signed_in(app, world.volunteer_user)
    tomorrow = (today_in_uk() + timedelta(days=1)).isoformat()
    response = client.post(
        f"/measures/matches/{world.match_id}/contacts",
        data={"contacted_on": tomorrow, "mode": "visit", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert f"{tomorrow} is in the future" in response.get_data(as_text=True)
    assert count(app, Contact) == 0


def test_the_page_records_a_contact_in_a_few_taps(app, world):
    client = signed_in(app, world.volunteer_user)
    before = today_in_uk()
    page = client.get(f"/measures/matches/{world.match_id}/contacts").get_data(as_text=True)
    # The day defaults to today (the day after, should midnight pass meanwhile).
    assert any(f'value="{day.isoformat()}"' in page for day in {before, today_in_uk()})
    response = client.post(
        f"/measures/matches/{world.match_id}/contacts",
        data={
            "contacted_on": before.isoformat(),
            "mode": "visit",
            "duration_min": "60",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        contact = db.session.scalar(db.select(Contact))
        assert (contact.mode, contact.duration_min) == ("visit", 60)


def test_a_typed_duration_wins_over_a_quick_choice(app, world):
    client = signed_in(app, world.volunteer_user)
    client.post(
        f"/measures/matches/{world.match_id}/contacts",
        data={
            "mode": "phone",
            "duration_min": "15",
            "duration_other": "45",
            "csrf_token": csrf_token(client),
        },
    )
    with app.app_context():
        assert db.session.scalar(db.select(Contact.duration_min)) == 45


def test_a_contact_before_the_match_started_is_refused(app, world):
    client = signed_in(app, world.volunteer_user)
    early = (today_in_uk() - timedelta(days=30)).isoformat()  # the match started yesterday
    response = api(
        client,
        "POST",
        f"/matches/{world.match_id}/contacts",
        {"mode": "phone", "contacted_on": early},
    )
    assert response.status_code == 422
    assert f"{early} is before the relationship started" in messages(response)
    assert count(app, Contact) == 0


def test_a_match_not_yet_started_takes_no_contact(app):
    world = make_world(app, "proposed")
    client = signed_in(app, world.volunteer_user)
    response = api(client, "POST", f"/matches/{world.match_id}/contacts", {"mode": "phone"})
    assert response.status_code == 422
    assert "Proposed" in messages(response)


def test_someone_outside_the_match_is_told_it_does_not_exist(app, world):
    stranger = make_user(app, "worker")
    client = signed_in(app, stranger)
    response = api(client, "POST", f"/matches/{world.match_id}/contacts", {"mode": "phone"})
    assert response.status_code == 404
    assert f"no match {world.match_id}" in messages(response)
    assert api(client, "GET", f"/matches/{world.match_id}/contacts").status_code == 404
    assert count(app, Contact) == 0


def test_the_person_reads_their_contacts_but_does_not_log_them(app, world):
    make_contact(app, match_id=world.match_id)
    client = signed_in(app, world.person_user)
    assert len(api(client, "GET", f"/matches/{world.match_id}/contacts").get_json()) == 1
    response = api(client, "POST", f"/matches/{world.match_id}/contacts", {"mode": "phone"})
    assert response.status_code == 403


def test_the_note_is_read_only_by_those_who_may_see_the_person(app, world):
    make_contact(
        app, match_id=world.match_id, note="Seemed low today", recorded_by_id=world.volunteer_user
    )
    seen = {}
    for name, user in (
        ("volunteer", world.volunteer_user),  # who wrote it
        ("person", world.person_user),
        ("person_worker", world.person_worker),
        ("volunteer_worker", world.volunteer_worker),  # looks after the volunteer only
    ):
        line = api(signed_in(app, user), "GET", f"/matches/{world.match_id}/contacts").get_json()[0]
        seen[name] = (line["note"], line["note_hidden"])
    assert (
        seen["volunteer"] == seen["person"] == seen["person_worker"] == ("Seemed low today", False)
    )
    assert seen["volunteer_worker"] == (None, True)


def test_the_note_stays_off_the_match_page(app, world):
    make_contact(app, match_id=world.match_id, note="Seemed low today")
    page = signed_in(app, world.volunteer_worker).get(f"/matching/matches/{world.match_id}")
    text = page.get_data(as_text=True)
    assert "Record a contact" in text and "Seemed low today" not in text


def test_only_whoever_recorded_a_contact_changes_or_deletes_it(app, world):
    own = make_contact(app, match_id=world.match_id, recorded_by_id=world.volunteer_user)
    client = signed_in(app, world.volunteer_user)
    changed = api(client, "PATCH", f"/contacts/{own}", {"duration_min": 45, "mode": "visit"})
    assert changed.status_code == 200 and changed.get_json()["duration_min"] == 45
    other = signed_in(app, world.person_worker)
    assert api(other, "PATCH", f"/contacts/{own}", {"duration_min": 5}).status_code == 403
    assert api(other, "DELETE", f"/contacts/{own}").status_code == 403
    assert api(client, "PATCH", f"/contacts/{own}", {"duration_min": -5}).status_code == 422
    assert api(client, "DELETE", f"/contacts/{own}").status_code == 204
    assert count(app, Contact) == 0


def test_a_stranger_cannot_reach_a_contact_by_its_number(app, world):
    own = make_contact(app, match_id=world.match_id, recorded_by_id=world.volunteer_user)
    client = signed_in(app, make_user(app, "resident"))
    assert api(client, "DELETE", f"/contacts/{own}").status_code == 404


def test_a_worker_records_a_contact_for_their_caseload_only(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker, first_name="Olive")
    client = signed_in(app, worker)
    response = api(client, "POST", f"/caseload/{person}/contacts", {"mode": "visit"})
    assert response.status_code == 201
    assert response.get_json()["with_worker_id"] == worker
    stranger = signed_in(app, make_user(app, "worker"))
    assert (
        api(stranger, "POST", f"/caseload/{person}/contacts", {"mode": "visit"}).status_code == 404
    )
    page = client.get(f"/people/{person}").get_data(as_text=True)
    assert "Your contacts with Olive" in page


def test_a_groups_organiser_records_a_contact_for_a_named_member(app):
    organiser = make_user(app, "org_admin")
    _, group = organisation_with_group(app, organiser)
    person = make_person(app, first_name="Ruby")
    add_member(app, group, person)
    client = signed_in(app, organiser)
    response = api(client, "POST", f"/groups/{group}/people/{person}/contacts", {"mode": "group"})
    assert response.status_code == 201
    assert response.get_json()["kind"] == "group"
    page = client.get(f"/groups/{group}/attendees").get_data(as_text=True)
    assert f"/measures/groups/{group}/people/{person}/contacts" in page


def test_an_organiser_does_not_reach_a_member_who_has_not_shared_their_name(app):
    organiser = make_user(app, "org_admin")
    _, group = organisation_with_group(app, organiser)
    person = make_person(app, first_name="Ruby")
    add_member(app, group, person, share=False)
    client = signed_in(app, organiser)
    response = api(client, "POST", f"/groups/{group}/people/{person}/contacts", {"mode": "group"})
    assert response.status_code == 404


def test_an_organiser_of_another_organisation_is_told_nothing(app):
    _, group = organisation_with_group(app, make_user(app, "org_admin"))
    person = make_person(app)
    add_member(app, group, person)
    client = signed_in(app, make_user(app, "org_admin"))
    assert api(client, "GET", f"/groups/{group}/people/{person}/contacts").status_code == 404
