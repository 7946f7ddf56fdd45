"""Partnerships between organisations, through the pages and the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.extensions import db
from betterway_map.register.models import Partnership
from tests.factories.organisations import make_organisation, make_partnership, token_headers


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Partnership))


@pytest.fixture()
def two(app, signed_in):
    """(client, our_organisation_id, partner_id) for a signed-in org admin."""
    client, user_id = signed_in("org_admin")
    ours = make_organisation(app, user_id, name="Our Club")
    return client, ours, make_organisation(app, name="Partner Trust")


def test_admin_records_a_partnership_shown_on_both_pages(app, two, post_form, client):
    admin, ours, partner = two
    form = admin.get(f"/organisations/{ours}/partnerships/new").get_data(as_text=True)
    assert f'<option value="{partner}">Partner Trust</option>' in form
    assert f'<option value="{ours}">' not in form
    data = {"partner_id": str(partner), "kind": "referral", "started_on": "2025-04-01"}
    assert post_form(admin, f"/organisations/{ours}/partnerships/new", data).status_code == 302
    assert "refers people to them" in client.get(f"/organisations/{ours}").get_data(as_text=True)
    assert "refers people here" in client.get(f"/organisations/{partner}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (
            {"partner_id": "{ours}", "kind": "joint_work"},
            "An organisation cannot be its own partner",
        ),
        ({"partner_id": "999999", "kind": "joint_work"}, "no organisation with the number 999999"),
        ({"kind": "friends"}, "&#39;friends&#39; is not a choice for kind of partnership"),
        (
            {"partner_id": "abc", "kind": "joint_work"},
            "Partner must be an organisation&#39;s number",
        ),
        ({"kind": ""}, "Choose the kind of partnership."),
        (
            {"kind": "joint_work", "started_on": "2025-05-01", "last_active_on": "2025-01-01"},
            "cannot be before the start",
        ),
        ({"kind": "joint_work", "started_on": "May 2025"}, "Started on must be a date like"),
    ],
)
def test_bad_partnerships_are_explained(app, two, post_form, data, expected):
    admin, ours, partner = two
    data = {"partner_id": str(partner), **data}
    data["partner_id"] = data["partner_id"].replace("{ours}", str(ours))
    response = post_form(admin, f"/organisations/{ours}/partnerships/new", data)
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)
    assert _count(app) == 0


@pytest.mark.parametrize(
    ("kind", "reverse", "duplicate"),
    [
        ("joint_work", False, True),
        ("joint_work", True, True),  # mutual: B–A is the same partnership as A–B
        ("shared_space", True, True),
        ("referral", False, True),
        ("referral", True, False),  # directional: B refers to A is a different one
    ],
)
def test_duplicates_are_refused_with_a_clear_message(app, two, post_form, kind, reverse, duplicate):
    admin, ours, partner = two
    if reverse:
        make_partnership(app, partner, ours, kind)
    else:
        make_partnership(app, ours, partner, kind)
    data = {"partner_id": str(partner), "kind": kind}
    response = post_form(admin, f"/organisations/{ours}/partnerships/new", data)
    if duplicate:
        assert response.status_code == 400
        assert "is already recorded" in response.get_data(as_text=True)
        assert _count(app) == 1
    else:
        assert response.status_code == 302
        assert _count(app) == 2


def test_either_side_may_remove_a_partnership(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    ours = make_organisation(app, user_id)
    partnership_id = make_partnership(app, make_organisation(app), ours, "joint_work")
    response = post_form(admin, f"/organisations/{ours}/partnerships/{partnership_id}/remove")
    assert response.status_code == 302
    assert _count(app) == 0


def test_a_partnership_of_other_organisations_cannot_be_removed(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    ours = make_organisation(app, user_id)
    partnership_id = make_partnership(app, make_organisation(app), make_organisation(app))
    response = post_form(admin, f"/organisations/{ours}/partnerships/{partnership_id}/remove")
    assert response.status_code == 404
    assert _count(app) == 1


def test_api_partnerships(app, client, user_factory):
    user_id = user_factory("org_admin")
    headers = token_headers(app, user_id)
    ours, partner = make_organisation(app, user_id), make_organisation(app, name="Library")
    url = f"/api/v1/organisations/{ours}/partnerships"
    created = client.post(
        url, json={"partner_id": partner, "kind": "shared_space"}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["partner_name"] == "Library"
    again = client.post(url, json={"partner_id": partner, "kind": "shared_space"}, headers=headers)
    assert again.status_code == 409
    assert "partner_id" in again.get_json()["errors"]["json"]
    itself = client.post(url, json={"partner_id": ours, "kind": "referral"}, headers=headers)
    assert itself.status_code == 422
    listed = client.get(f"/api/v1/organisations/{partner}/partnerships").get_json()
    assert [p["organisation_id"] for p in listed] == [ours]
    partnership_id = created.get_json()["id"]
    assert client.delete(f"{url}/{partnership_id}", headers=headers).status_code == 204
    assert client.delete(f"{url}/{partnership_id}", headers=headers).status_code == 404


def test_api_partnership_for_another_organisation_is_403(app, client, user_factory):
    theirs = make_organisation(app, user_factory("org_admin"))
    headers = token_headers(app, user_factory("org_admin"))
    response = client.post(
        f"/api/v1/organisations/{theirs}/partnerships",
        json={"partner_id": make_organisation(app), "kind": "joint_work"},
        headers=headers,
    )
    assert response.status_code == 403
    assert _count(app) == 0


def test_partnerships_of_an_unknown_organisation_are_404(client):
    assert client.get("/api/v1/organisations/5555/partnerships").status_code == 404
