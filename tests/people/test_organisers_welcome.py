"""What a group's organisers see: counts always, first names only where
shared, and a welcome for someone who would like to come that reaches
their messages (or their community worker's)."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from tests.conftest import make_user
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.people import (
    make_assigned_person,
    make_consent,
    make_person,
    make_resident_with_profile,
)
from tests.factories.person_records import attendance


@pytest.fixture()
def organiser(app, signed_in):
    """A signed-in organiser and their group: (client, user_id, group_id)."""
    client, user_id = signed_in("org_admin", name="Sam")
    organisation_id = make_organisation(app, user_id)
    space_id = make_space(app, organisation_id, name="Eastbrook Hall")
    return client, user_id, make_group(app, organisation_id, space_id, name="Lunch Club")


def _page(client, group_id) -> str:
    return html.unescape(client.get(f"/groups/{group_id}/attendees").get_data(as_text=True))


def _inbox(app, user_id) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.scalars(select(Message).where(Message.recipient_id == user_id))
        return [(row.subject, row.body, row.sender_label) for row in rows]


def test_counts_show_everyone_and_names_show_only_those_who_shared(app, organiser):
    client, _, group_id = organiser
    _, own = make_resident_with_profile(app, first_name="Edna")  # joined themselves
    shared = make_person(app, first_name="Fred")
    make_consent(app, shared, "share_with_groups")
    unshared = make_person(app, first_name="Gwen")  # no agreement to share
    for person_id in (own, shared, unshared):
        attendance(app, person_id, group_id)
    page = _page(client, group_id)
    assert "3 people come to Lunch Club." in page
    assert "2 of them are listed below by first name" in page
    assert "1 has not agreed to share their first name" in page
    assert "Edna" in page and "Fred" in page
    assert "Gwen" not in page


def test_someone_who_would_like_to_come_is_counted_even_unnamed(app, organiser):
    client, _, group_id = organiser
    attendance(app, make_person(app, first_name="Hilda"), group_id, status="interested")
    page = _page(client, group_id)
    section = page.split("<h2>Would like to come</h2>")[1]
    assert "1 person has said they would like to come." in section
    assert "Someone who has not shared their name" in section
    assert "Hilda" not in page
    assert "No account or worker to send a message to" in section  # nobody to reach


def test_the_welcome_form_suggests_when_and_where(app, organiser):
    client, _, group_id = organiser
    _, person_id = make_resident_with_profile(app, first_name="Edna")
    row = attendance(app, person_id, group_id, status="interested")
    page = html.unescape(
        client.get(f"/groups/{group_id}/attendees/{row}/welcome").get_data(as_text=True)
    )
    assert "Welcome Edna to Lunch Club" in page
    assert "thank you for saying you would like to come to Lunch Club" in page
    assert "We meet every Tuesday, 10am to 12pm at Eastbrook Hall." in page
    assert "at Eastbrook Hall" in page
    assert "The next meeting is on " in page
    assert "ask for Sam when you arrive" in page


def test_a_welcome_reaches_the_residents_messages(app, organiser, post_form):
    client, _, group_id = organiser
    user_id, person_id = make_resident_with_profile(app, first_name="Edna")
    row = attendance(app, person_id, group_id, status="interested")
    response = post_form(
        client, f"/groups/{group_id}/attendees/{row}/welcome", {"body": "See you Tuesday!"}
    )
    assert response.status_code == 302
    assert _inbox(app, user_id) == [
        ("A welcome from Lunch Club", "See you Tuesday!", "Sam, for Lunch Club")
    ]
    page = _page(client, group_id)
    assert "Welcomed on " in page and "Welcome again" in page


def test_a_welcome_for_someone_without_an_account_goes_to_their_worker(app, organiser, post_form):
    client, _, group_id = organiser
    worker = make_user(app, "worker")
    person_id = make_assigned_person(app, worker, first_name="Ivy")
    row = attendance(app, person_id, group_id, status="interested")
    response = post_form(
        client, f"/groups/{group_id}/attendees/{row}/welcome", {"body": "See you Tuesday!"}
    )
    assert response.status_code == 302
    [(subject, body, _)] = _inbox(app, worker)
    assert subject == "For Ivy: a welcome from Lunch Club"
    assert body.startswith("Ivy, whom you look after, said they would like to come")
    assert body.endswith("See you Tuesday!")


def test_nobody_to_reach_is_a_clear_error_and_nothing_is_sent(app, organiser, post_form):
    client, _, group_id = organiser
    row = attendance(app, make_person(app, first_name="Hilda"), group_id, status="interested")
    response = post_form(client, f"/groups/{group_id}/attendees/{row}/welcome", {"body": "Hi"})
    assert response.status_code == 400
    assert "cannot reach them through Better Way Map" in html.unescape(
        response.get_data(as_text=True)
    )
    with app.app_context():
        assert db.session.scalar(select(Message.id)) is None


def test_an_empty_welcome_is_refused(app, organiser, post_form):
    client, _, group_id = organiser
    user_id, person_id = make_resident_with_profile(app)
    row = attendance(app, person_id, group_id, status="interested")
    response = post_form(client, f"/groups/{group_id}/attendees/{row}/welcome", {"body": " "})
    assert response.status_code == 400
    assert "Enter the message." in response.get_data(as_text=True)
    assert _inbox(app, user_id) == []


def test_a_member_is_not_welcomed_as_if_waiting(app, organiser, post_form):
    client, _, group_id = organiser
    _, person_id = make_resident_with_profile(app)
    row = attendance(app, person_id, group_id)  # already a member
    assert client.get(f"/groups/{group_id}/attendees/{row}/welcome").status_code == 404
    response = post_form(client, f"/groups/{group_id}/attendees/{row}/welcome", {"body": "Hi"})
    assert response.status_code == 404


def test_another_groups_person_cannot_be_welcomed_through_this_group(app, organiser, post_form):
    client, user_id, group_id = organiser
    other_group = make_group(app, make_organisation(app, user_id), None, name="Choir")
    recipient, person_id = make_resident_with_profile(app)
    row = attendance(app, person_id, other_group, status="interested")
    response = post_form(client, f"/groups/{group_id}/attendees/{row}/welcome", {"body": "Hi"})
    assert response.status_code == 404
    assert _inbox(app, recipient) == []
