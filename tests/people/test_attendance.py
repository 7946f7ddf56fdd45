"""Groups attended: people join and leave; organisers see first names only."""

from __future__ import annotations

import re
from datetime import date

import pytest

from betterway_map.domain.clock import today_in_uk
from betterway_map.people.models import Attendance, Consent, Person
from tests.conftest import csrf_token, without_tokens
from tests.factories.days import TOMORROW, dated
from tests.factories.person_records import (
    add_group,
    assigned_person,
    attendance,
    consent,
    count,
    group_of,
    organisation_with_group,
    own_person,
)


def _api(client, method, url, body=None):
    return client.open(url, method=method, json=body, headers={"X-CSRFToken": csrf_token(client)})


def _resident(app, signed_in, **fields):
    client, user_id = signed_in("resident")
    return client, own_person(app, user_id, **fields)[1]


def test_resident_finds_a_group_by_interest_joins_and_leaves(app, signed_in, post_form):
    client, person_id = _resident(app, signed_in)
    organisation_id, lunch = organisation_with_group(app, name="Lunch Club", interests=["cooking"])
    add_group(app, organisation_id, name="Morning Walk", interests=["walking"])
    add_group(app, organisation_id, name="Old Choir", interests=["walking"], status="ended")
    page = client.get(f"/people/{person_id}/groups?interest=walking").get_data(as_text=True)
    assert "Morning Walk" in page
    assert "Lunch Club" not in page and "Old Choir" not in page
    data = {"form": "list", "group_id": str(lunch), "since": "2024-02-01"}
    assert post_form(client, f"/people/{person_id}/groups", data).status_code == 302
    page = client.get(f"/people/{person_id}/groups").get_data(as_text=True)
    assert "Thursday 1 February 2024" in page and "Lunch Club" in page
    assert post_form(client, f"/people/{person_id}/groups/{lunch}/leave").status_code == 302
    assert count(app, Attendance, status="left") == 1
    page = client.get(f"/people/{person_id}/groups").get_data(as_text=True)
    assert "Done: you are no longer on the list of Lunch Club." in page
    # Joining again after leaving is allowed.
    assert post_form(client, f"/people/{person_id}/groups", data).status_code == 302
    assert count(app, Attendance, status="member") == 1


def test_interest_filter_reads_underscore_literally(app, signed_in):
    # "_" is a LIKE wildcard: unescaped, "arts_crafts" would also match the
    # stored value "arts-crafts" (written before the vocabulary, or by hand).
    client, person_id = _resident(app, signed_in)
    organisation_id, _ = organisation_with_group(
        app, name="Pottery Club", interests=["arts_crafts"]
    )
    add_group(app, organisation_id, name="Old Knitting Circle", interests=["arts-crafts"])
    page = client.get(f"/people/{person_id}/groups?interest=arts_crafts").get_data(as_text=True)
    assert "Pottery Club" in page
    assert "Old Knitting Circle" not in page


def test_an_unknown_interest_filter_is_explained(app, signed_in):
    client, person_id = _resident(app, signed_in)
    response = client.get(f"/people/{person_id}/groups?interest=knitting")
    assert response.status_code == 400
    assert "is not an interest" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"group_id": 999999}, "There is no group number 999999"),
        ({"group_id": "PAUSED"}, "is paused, so it cannot be joined"),
        ({"group_id": "GROUP", "since": TOMORROW}, "is in the future"),
        ({"group_id": "lunch"}, "Not a valid integer"),
    ],
)
def test_bad_joins_are_refused(app, signed_in, post_form, body, message):
    client, person_id = _resident(app, signed_in)
    organisation_id, group_id = organisation_with_group(app)
    paused = add_group(app, organisation_id, name="Paused", status="paused")
    body = {k: {"GROUP": group_id, "PAUSED": paused}.get(v, v) for k, v in dated(body).items()}
    api = _api(client, "POST", f"/api/v1/people/{person_id}/groups", body)
    assert api.status_code == 422
    assert message in str(api.get_json()["errors"]["json"])
    page = post_form(client, f"/people/{person_id}/groups", {"form": "number", **body})
    assert page.status_code == 400
    assert count(app, Attendance) == 0


def test_joining_a_group_twice_is_a_conflict(app, signed_in):
    client, person_id = _resident(app, signed_in)
    group_id = organisation_with_group(app)[1]
    url = f"/api/v1/people/{person_id}/groups"
    assert _api(client, "POST", url, {"group_id": group_id}).status_code == 201
    again = _api(client, "POST", url, {"group_id": group_id})
    assert again.status_code == 409 and "You already go to" in again.get_json()["message"]


def test_a_worker_needs_the_persons_agreement_to_share_their_name(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker, first_name="Iris")
    group_id = organisation_with_group(app)[1]
    url = f"/api/v1/people/{person_id}/groups"
    refused = _api(client, "POST", url, {"group_id": group_id})
    assert refused.status_code == 422
    assert "Iris agreed" in refused.get_json()["errors"]["json"]["consent_to_share"][0]
    body = {"group_id": group_id, "consent_to_share": True, "consent_method": "verbal"}
    joined = _api(client, "POST", url, body)
    assert joined.status_code == 201, joined.get_json()
    assert joined.get_json()["group_name"] == "Tuesday Lunch Club"
    assert count(app, Consent, purpose="share_with_groups", recorded_by_id=worker) == 1
    listed = client.get(url).get_json()
    assert [row["group_id"] for row in listed] == [group_id]
    assert _api(client, "DELETE", f"{url}/{group_id}").status_code == 204
    assert client.get(url).get_json() == []


def test_the_consent_question_is_on_the_workers_page(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker, first_name="Iris")
    group_id = organisation_with_group(app)[1]
    page = client.get(f"/people/{person_id}/groups").get_data(as_text=True)
    assert "Iris agreed to their first name being shared" in page
    refused = post_form(
        client, f"/people/{person_id}/groups", {"form": "list", "group_id": group_id}
    )
    assert refused.status_code == 400
    data = {
        "form": "list",
        "group_id": group_id,
        "consent_to_share": "y",
        "consent_method": "written",
    }
    assert post_form(client, f"/people/{person_id}/groups", data).status_code == 302


def test_another_workers_person_cannot_be_added_to_a_group(app, signed_in, user_factory):
    client, _ = signed_in("worker")
    person_id = assigned_person(app, user_factory("worker"))
    group_id = organisation_with_group(app)[1]
    body = {"group_id": group_id, "consent_to_share": True, "consent_method": "verbal"}
    assert _api(client, "POST", f"/api/v1/people/{person_id}/groups", body).status_code == 404
    assert client.get(f"/people/{person_id}/groups").status_code == 404
    assert count(app, Attendance) == 0


def _attendee_with_details(app, group_id):
    _, person_id = own_person(
        app,
        first_name="Margaret",
        last_name="Thornbury",
        phone="07700 900123",
        postcode="ZZ1 1AA",
        address="4 Secret Lane",
        age_band="75-84",
        email="margaret@example.org",
    )
    return attendance(app, person_id, group_id, since=date(2023, 5, 1))


def test_organisers_see_first_names_only(app, signed_in):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    _attendee_with_details(app, group_id)
    page = without_tokens(client.get(f"/groups/{group_id}/attendees").get_data(as_text=True))
    api = client.get(f"/api/v1/groups/{group_id}/attendees").get_json()
    assert "Margaret" in page and "Monday 1 May 2023" in page
    for private in ("Thornbury", "07700", "ZZ1", "Secret Lane", "75", "margaret@"):
        assert private not in page
        assert private not in str(api)
    assert set(api[0]) == {"id", "first_name", "since", "last_attended_on"}


def test_organisers_do_not_see_people_who_have_not_agreed(app, signed_in, user_factory):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    unconsented = assigned_person(app, user_factory("worker"), first_name="Hidden")
    attendance(app, unconsented, group_id)
    agreed = assigned_person(app, user_factory("worker"), first_name="Shown")
    consent(app, agreed, "share_with_groups")
    attendance(app, agreed, group_id)
    names = [
        row["first_name"] for row in client.get(f"/api/v1/groups/{group_id}/attendees").get_json()
    ]
    assert names == ["Shown"]


def test_organisers_record_a_visit(app, signed_in, post_form):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    attendance_id = _attendee_with_details(app, group_id)
    url = f"/groups/{group_id}/attendees/{attendance_id}/attended"
    assert post_form(client, url, {"attended_on": "2024-03-05"}).status_code == 302
    # An earlier visit does not move "last attended" back.
    api = _api(client, "POST", f"/api/v1{url}", {"attended_on": "2024-03-01"})
    assert api.status_code == 200 and api.get_json()["last_attended_on"] == "2024-03-05"


@pytest.mark.parametrize(
    "attended_on", [TOMORROW, "yesterday", ""], ids=["tomorrow", "word", "empty"]
)
def test_a_visit_needs_a_real_date_not_in_the_future(app, signed_in, post_form, attended_on):
    attended_on = dated(attended_on)
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    attendance_id = _attendee_with_details(app, group_id)
    url = f"/groups/{group_id}/attendees/{attendance_id}/attended"
    page = post_form(client, url, {"attended_on": attended_on})
    assert page.status_code == 400
    assert _api(client, "POST", f"/api/v1{url}", {"attended_on": attended_on}).status_code == 422
    assert count(app, Attendance, last_attended_on=None) == 1


def test_organisers_add_someone_not_on_the_register_with_consent(app, signed_in, post_form):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    data = {"first_name": "Jo", "consent": "y", "consent_method": "verbal", "since": "2024-01-09"}
    assert post_form(client, f"/groups/{group_id}/attendees", data).status_code == 302
    assert count(app, Person, first_name="Jo", registered_by_id=admin) == 1
    assert count(app, Consent, purpose="share_with_groups", recorded_by_id=admin) == 1
    assert "Jo" in client.get(f"/groups/{group_id}/attendees").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"first_name": "Jo", "consent_method": "verbal"}, "only when they have agreed"),
        ({"first_name": "", "consent": "y", "consent_method": "verbal"}, "Missing data"),
        ({"first_name": "Jo", "consent": "y", "consent_method": "telepathy"}, "is not a way"),
        (
            {"first_name": "Jo", "consent": "y", "consent_method": "verbal", "since": TOMORROW},
            "is in the future",
        ),
    ],
)
def test_adding_an_attendee_needs_a_name_and_their_consent(
    app, signed_in, post_form, data, message
):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    page = post_form(client, f"/groups/{group_id}/attendees", dated(data))
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    assert count(app, Person) == 0 and count(app, Consent) == 0


def test_another_organisations_group_is_forbidden(app, signed_in, user_factory, post_form):
    client, _ = signed_in("org_admin")
    group_id = group_of(app, user_factory("org_admin"))
    attendance_id = _attendee_with_details(app, group_id)
    assert client.get(f"/groups/{group_id}/attendees").status_code == 403
    assert client.get(f"/api/v1/groups/{group_id}/attendees").status_code == 403
    body = {"first_name": "Jo", "consent": True, "consent_method": "verbal"}
    assert _api(client, "POST", f"/api/v1/groups/{group_id}/attendees", body).status_code == 403
    url = f"/groups/{group_id}/attendees/{attendance_id}/attended"
    assert post_form(client, url, {"attended_on": today_in_uk().isoformat()}).status_code == 403
    assert count(app, Person) == 1


def test_an_attendee_of_another_group_is_not_found(app, signed_in):
    client, admin = signed_in("org_admin")
    mine = group_of(app, admin)
    theirs = organisation_with_group(app)[1]
    attendance_id = _attendee_with_details(app, theirs)
    url = f"/api/v1/groups/{mine}/attendees/{attendance_id}/attended"
    assert _api(client, "POST", url, {"attended_on": today_in_uk().isoformat()}).status_code == 404


def test_the_agreement_is_a_box_that_starts_unticked(app, signed_in):
    """The form must not record consent nobody gave: the agreement is a
    checkbox, unticked, never a select whose only option is already "True"."""
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    page = client.get(f"/groups/{group_id}/attendees").get_data(as_text=True)
    box = re.search(r'<input[^>]*name="consent"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    assert not re.search(r'<select[^>]*name="consent"', page)


def test_submitting_the_form_as_it_comes_records_no_one(app, signed_in, post_form):
    client, admin = signed_in("org_admin")
    group_id = group_of(app, admin)
    page = post_form(
        client, f"/groups/{group_id}/attendees", {"first_name": "Jo", "consent_method": "verbal"}
    )
    assert page.status_code == 400
    assert "only when they have agreed" in page.get_data(as_text=True)
    assert count(app, Person) == 0 and count(app, Consent) == 0
