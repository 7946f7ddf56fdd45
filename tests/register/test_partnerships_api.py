"""Partnerships through the API: recorded pending, listed publicly only once
the partner confirms them (through the API too), the pending ones listed to
the two organisations' admins."""

from __future__ import annotations

import pytest

from tests.factories.organisations import make_organisation, make_partnership, token_headers


@pytest.fixture()
def sides(app, user_factory):
    recorder_admin, partner_admin = user_factory("org_admin"), user_factory("org_admin")
    return {
        "recorder": make_organisation(app, recorder_admin, name="Riverside Trust"),
        "partner": make_organisation(app, partner_admin, name="Library"),
        "recorder_headers": token_headers(app, recorder_admin),
        "partner_headers": token_headers(app, partner_admin),
    }


def _url(organisation_id: int, rest: str = "") -> str:
    return f"/api/v1/organisations/{organisation_id}/partnerships{rest}"


def test_a_partnership_recorded_through_the_api_is_pending_and_says_so(client, sides):
    created = client.post(
        _url(sides["recorder"]),
        json={"partner_id": sides["partner"], "kind": "shared_space"},
        headers=sides["recorder_headers"],
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["status"], body["confirmed_at"], body["partner_name"]) == (
        "pending",
        None,
        "Library",
    )
    assert "confirmed_by_id" not in body  # who confirmed is not published


@pytest.mark.parametrize("side", ["recorder", "partner"])
def test_a_pending_partnership_is_not_in_the_public_list(app, client, sides, side):
    make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    assert client.get(_url(sides[side])).get_json() == []


@pytest.mark.parametrize("side", ["recorder", "partner"])
def test_each_sides_admin_lists_the_pending_partnership(app, client, sides, side):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    make_partnership(app, sides["recorder"], sides["partner"], "referral")  # confirmed
    listed = client.get(_url(sides[side], "/pending"), headers=sides[f"{side}_headers"])
    assert [(p["id"], p["status"]) for p in listed.get_json()] == [(partnership_id, "pending")]


def test_the_partner_confirms_through_the_api_and_it_is_listed(app, client, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    confirmed = client.post(
        _url(sides["partner"], f"/{partnership_id}/confirm"), headers=sides["partner_headers"]
    )
    assert confirmed.status_code == 200, confirmed.get_json()
    assert confirmed.get_json()["status"] == "confirmed"
    assert confirmed.get_json()["confirmed_at"]
    listed = client.get(_url(sides["recorder"])).get_json()
    assert [(p["id"], p["status"]) for p in listed] == [(partnership_id, "confirmed")]


@pytest.mark.parametrize(
    ("pending", "as_side", "status", "message"),
    [
        (True, "recorder", 403, "only an admin of Library can confirm it"),
        (False, "partner", 409, "already confirmed"),
    ],
)
def test_confirming_through_the_api_is_refused_clearly(
    app, client, sides, pending, as_side, status, message
):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=pending)
    response = client.post(
        _url(sides[as_side], f"/{partnership_id}/confirm"), headers=sides[f"{as_side}_headers"]
    )
    assert response.status_code == status
    assert message in response.get_json()["message"]


def test_the_partner_declines_through_the_api_by_deleting_it(app, client, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"], pending=True)
    url = _url(sides["partner"], f"/{partnership_id}")
    assert client.delete(url, headers=sides["partner_headers"]).status_code == 204
    pending = client.get(_url(sides["recorder"], "/pending"), headers=sides["recorder_headers"])
    assert pending.get_json() == []


def test_api_partnerships_refuse_duplicates_and_itself(client, sides):
    url, headers = _url(sides["recorder"]), sides["recorder_headers"]
    body = {"partner_id": sides["partner"], "kind": "shared_space"}
    assert client.post(url, json=body, headers=headers).status_code == 201
    again = client.post(url, json=body, headers=headers)
    assert again.status_code == 409
    assert (
        "waiting for Library to confirm it" in again.get_json()["errors"]["json"]["partner_id"][0]
    )
    itself = client.post(
        url, json={"partner_id": sides["recorder"], "kind": "referral"}, headers=headers
    )
    assert itself.status_code == 422


def test_a_partnership_can_be_deleted_once(app, client, sides):
    partnership_id = make_partnership(app, sides["recorder"], sides["partner"])
    url, headers = _url(sides["recorder"], f"/{partnership_id}"), sides["recorder_headers"]
    assert client.delete(url, headers=headers).status_code == 204
    assert client.delete(url, headers=headers).status_code == 404


def test_api_partnership_for_another_organisation_is_403(app, client, user_factory):
    theirs = make_organisation(app, user_factory("org_admin"))
    headers = token_headers(app, user_factory("org_admin"))
    response = client.post(
        _url(theirs),
        json={"partner_id": make_organisation(app), "kind": "joint_work"},
        headers=headers,
    )
    assert response.status_code == 403


def test_partnerships_of_an_unknown_organisation_are_404(client):
    assert client.get(_url(5555)).status_code == 404
