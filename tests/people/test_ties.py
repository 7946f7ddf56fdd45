"""Ties: who a person is in touch with; links only to the same worker's people."""

from __future__ import annotations

import pytest

from betterway_map.people.models import Tie
from tests.conftest import csrf_token
from tests.factories.days import TOMORROW, dated
from tests.factories.person_records import assigned_person, count, own_person, tie_of

TIE = {"kind": "family", "other_label": "daughter Sue", "contact_frequency": "weekly"}


def _api(client, method, url, body=None):
    return client.open(url, method=method, json=body, headers={"X-CSRFToken": csrf_token(client)})


def test_worker_adds_edits_and_removes_a_tie_on_the_pages(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker, first_name="Iris")
    neighbour_id = assigned_person(app, worker, first_name="Mo")
    data = {
        **TIE,
        "other_label": "Mo next door",
        "kind": "neighbour",
        "other_person_id": neighbour_id,
    }
    assert post_form(client, f"/people/{person_id}/ties", data).status_code == 302
    page = client.get(f"/people/{person_id}/ties").get_data(as_text=True)
    assert "Mo next door" in page and "also on the register" in page
    with app.app_context():
        from betterway_map.extensions import db

        tie = db.session.scalar(db.select(Tie))
        tie_id, linked, recorder = tie.id, tie.other_person_id, tie.recorded_by_id
    assert (linked, recorder) == (neighbour_id, worker)
    edit = f"/people/{person_id}/ties/{tie_id}/edit"
    assert "Mo next door" in client.get(edit).get_data(as_text=True)
    changed = {**data, "contact_frequency": "daily", "last_contact_on": "2024-02-01"}
    assert post_form(client, edit, changed).status_code == 302
    assert count(app, Tie, contact_frequency="daily") == 1
    assert post_form(client, f"/people/{person_id}/ties/{tie_id}/remove").status_code == 302
    assert count(app, Tie) == 0


def test_resident_records_their_own_tie_through_the_api(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    created = _api(client, "POST", f"/api/v1/people/{person_id}/ties", TIE)
    assert created.status_code == 201, created.get_json()
    tie_id = created.get_json()["id"]
    patched = _api(client, "PATCH", f"/api/v1/people/{person_id}/ties/{tie_id}", {"kind": "friend"})
    assert patched.get_json()["kind"] == "friend"
    assert patched.get_json()["other_label"] == "daughter Sue"
    assert _api(client, "DELETE", f"/api/v1/people/{person_id}/ties/{tie_id}").status_code == 204
    assert count(app, Tie) == 0


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "cousin"}, "kind", "is not a kind of tie"),
        ({"contact_frequency": "yearly"}, "contact_frequency", "is not a contact frequency"),
        ({"last_contact_on": TOMORROW}, "last_contact_on", "is in the future"),
        ({"other_label": ""}, "other_label", "Say who they are, in 1 to 100 characters"),
        ({"other_label": "x" * 101}, "other_label", "Say who they are, in 1 to 100 characters"),
    ],
)
def test_bad_ties_are_refused(app, signed_in, post_form, changes, field, message):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    data = dated({**TIE, **changes})
    page = post_form(client, f"/people/{person_id}/ties", data)
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    api = _api(client, "POST", f"/api/v1/people/{person_id}/ties", data)
    assert api.status_code == 422
    assert message in " ".join(api.get_json()["errors"]["json"][field])
    assert count(app, Tie) == 0


def test_a_tie_cannot_link_to_another_workers_person(app, signed_in, user_factory):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    stranger_id = assigned_person(app, user_factory("worker"))
    body = {**TIE, "other_person_id": stranger_id}
    response = _api(client, "POST", f"/api/v1/people/{person_id}/ties", body)
    assert response.status_code == 422
    assert (
        "not a person you look after" in response.get_json()["errors"]["json"]["other_person_id"][0]
    )
    assert count(app, Tie) == 0


def test_a_resident_cannot_link_a_tie_nor_see_a_link(app, signed_in, user_factory):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    worker = user_factory("worker")
    other = assigned_person(app, worker)
    tie_of(app, person_id, other_person_id=other)
    listed = client.get(f"/api/v1/people/{person_id}/ties").get_json()
    assert listed and "other_person_id" not in listed[0]
    refused = _api(
        client, "POST", f"/api/v1/people/{person_id}/ties", {**TIE, "other_person_id": other}
    )
    assert refused.status_code == 422


def test_another_workers_tie_is_not_found(app, signed_in, user_factory, post_form):
    client, _ = signed_in("worker")
    person_id = assigned_person(app, user_factory("worker"))
    tie_id = tie_of(app, person_id)
    assert client.get(f"/people/{person_id}/ties/{tie_id}/edit").status_code == 404
    assert post_form(client, f"/people/{person_id}/ties/{tie_id}/remove").status_code == 404
    assert (
        _api(
            client, "PATCH", f"/api/v1/people/{person_id}/ties/{tie_id}", {"kind": "friend"}
        ).status_code
        == 404
    )
    assert count(app, Tie) == 1


def test_a_tie_is_only_reached_through_its_own_person(app, signed_in):
    client, worker = signed_in("worker")
    first = assigned_person(app, worker)
    second = assigned_person(app, worker)
    tie_id = tie_of(app, first)
    assert client.get(f"/people/{second}/ties/{tie_id}/edit").status_code == 404
