"""The groups API: create, read with schedule, patch checked as a whole, delete."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.extensions import db
from betterway_map.register.models import Group
from tests.factories.organisations import make_group, make_organisation, make_space, token_headers

BODY = {
    "name": "Walk and Talk",
    "interests": ["walking"],
    "audiences": ["everyone"],
    "frequency": "fortnightly",
    "weekday": "tue",
    "start_time": "14:00",
    "end_time": "15:30",
    "starts_on": "2026-01-06",
    "cost_pence": 150,
}


@pytest.fixture()
def admin(app, user_factory):
    """(headers, organisation_id, space_id) for an org admin with one space."""
    user_id = user_factory("org_admin")
    organisation_id = make_organisation(app, user_id)
    return token_headers(app, user_id), organisation_id, make_space(app, organisation_id)


def _groups(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Group))


def test_api_group_journey(client, admin):
    headers, organisation_id, space_id = admin
    body = {**BODY, "organisation_id": organisation_id, "space_id": space_id}
    created = client.post("/api/v1/groups", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    assert group["schedule"] == "Every other Tuesday, 2pm to 3:30pm"
    assert len(group["next_meetings"]) == 3 and group["status"] == "active"
    group_id = group["id"]
    paused = client.patch(f"/api/v1/groups/{group_id}", json={"status": "paused"}, headers=headers)
    assert paused.get_json()["status"] == "paused" and paused.get_json()["next_meetings"] == []
    assert client.get(f"/api/v1/groups?organisation_id={organisation_id}").get_json()["items"] == []
    listed = client.get(f"/api/v1/groups?organisation_id={organisation_id}&status=any").get_json()
    assert [item["id"] for item in listed["items"]] == [group_id]
    assert client.delete(f"/api/v1/groups/{group_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/groups/{group_id}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"frequency": "monthly"}, "nth"),
        ({"frequency": "monthly", "nth": 0}, "nth"),
        ({"end_time": "13:00"}, "end_time"),
        ({"start_time": "2pm"}, "start_time"),
        ({"age_min": 80, "age_max": 70}, "age_max"),
        ({"age_min": 10}, "age_min"),
        ({"online": True, "space_id": None}, "online_url"),
        ({"online_url": "not a url"}, "online_url"),
        ({"space_id": 987654}, "space_id"),
        ({"audiences": ["children"]}, "audiences"),
        ({"tags": ["x" * 41]}, "tags"),
        ({"status": "closed"}, "status"),
        ({"details_checked_on": "2999-01-01"}, "details_checked_on"),
        ({"cost_pence": -5}, "cost_pence"),
    ],
)
def test_api_bad_group_is_422_per_field(app, client, admin, changes, field):
    headers, organisation_id, space_id = admin
    body = {**BODY, "organisation_id": organisation_id, "space_id": space_id, **changes}
    response = client.post("/api/v1/groups", json=body, headers=headers)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["errors"]["json"]
    assert _groups(app) == 0


def test_api_space_of_another_organisation_is_422_naming_it(app, client, admin, user_factory):
    headers, organisation_id, _ = admin
    theirs = make_space(app, make_organisation(app, user_factory("org_admin")), name="Far Hall")
    body = {**BODY, "organisation_id": organisation_id, "space_id": theirs}
    response = client.post("/api/v1/groups", json=body, headers=headers)
    assert response.status_code == 422
    assert "Far Hall" in response.get_json()["errors"]["json"]["space_id"][0]


def test_api_patch_is_checked_with_the_stored_schedule(app, client, admin):
    headers, organisation_id, space_id = admin
    group_id = make_group(app, organisation_id, space_id)  # 10:00 to 12:00
    response = client.patch(
        f"/api/v1/groups/{group_id}", json={"end_time": "09:00"}, headers=headers
    )
    assert response.status_code == 422
    assert "end_time" in response.get_json()["errors"]["json"]
    moved = client.patch(
        f"/api/v1/groups/{group_id}",
        json={"details_checked_on": "2026-01-10", "frequency": "monthly", "nth": 2},
        headers=headers,
    )
    assert moved.status_code == 200
    assert moved.get_json()["schedule"] == "The second Tuesday of the month, 10am to 12pm"


def test_api_group_of_another_organisation_is_403(app, client, admin, user_factory):
    headers, _, _ = admin
    theirs = make_organisation(app, user_factory("org_admin"))
    group_id = make_group(app, theirs)
    assert client.patch(f"/api/v1/groups/{group_id}", json={}, headers=headers).status_code == 403
    assert client.delete(f"/api/v1/groups/{group_id}", headers=headers).status_code == 403
    body = {
        **BODY,
        "organisation_id": theirs,
        "online": True,
        "online_url": "https://x.example.org",
    }
    assert client.post("/api/v1/groups", json=body, headers=headers).status_code == 403
    assert _groups(app) == 1


def test_api_interest_filter_and_page_size_limit(app, client):
    organisation_id = make_organisation(app)
    make_group(app, organisation_id, name="Singers", interests=["music"])
    make_group(app, organisation_id, name="Walkers", interests=["walking"])
    body = client.get("/api/v1/groups?interest=music").get_json()
    assert [item["name"] for item in body["items"]] == ["Singers"]
    response = client.get("/api/v1/groups?page_size=101")
    assert response.status_code == 422
    assert "page_size must be between 1 and 100, not 101." in str(response.get_json())
