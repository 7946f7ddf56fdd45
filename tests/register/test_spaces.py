"""Spaces through the pages and the API: add, show, edit, delete, refuse."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.extensions import db
from betterway_map.register.models import Group, Space
from tests.factories.organisations import (
    make_group,
    make_organisation,
    make_space,
    token_headers,
)

FORM = {
    "name": "St Mary's Hall",
    "address": "12 Church Lane, Riverside",
    "postcode": " zz1 2ab ",
    "latitude": "51.51",
    "longitude": "-0.12",
    "capacity": "60",
    "step_free": "y",
    "hearing_loop": "y",
    "hire_cost": "£12.50",
    "hire_cost_note": "Half price for community groups",
    "opens_mon": "09:00",
    "closes_mon": "17:00",
    "opens_thu": "18:30",
    "closes_thu": "21:00",
}


def _spaces(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Space))


def test_admin_adds_a_space_that_everyone_can_see(app, signed_in, post_form, client):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    response = post_form(admin, f"/organisations/{organisation_id}/spaces/new", FORM)
    assert response.status_code == 302, response.get_data(as_text=True)
    with app.app_context():
        space = db.session.scalar(select(Space))
        assert space.postcode == "ZZ1 2AB"
        assert space.hire_cost_pence == 1250
        assert space.opening_times == [
            {"day": "mon", "opens": "09:00", "closes": "17:00"},
            {"day": "thu", "opens": "18:30", "closes": "21:00"},
        ]
        assert (space.step_free, space.hearing_loop, space.parking) == (True, True, False)
        space_id = space.id
    page = client.get(f"/spaces/{space_id}").get_data(as_text=True)
    for text in ("St Mary&#39;s Hall", "ZZ1 2AB", "Monday", "18:30", "£12.50 an hour", "60 people"):
        assert text in page
    assert "St Mary&#39;s Hall" in client.get("/spaces/?step_free=true").get_data(as_text=True)
    assert "St Mary" not in client.get(
        "/spaces/?step_free=false&hearing_loop=true&organisation_id=999"
    ).get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"postcode": "NOT A POSTCODE"}, "postcode", "is not a UK postcode"),
        ({"postcode": ""}, "postcode", "Enter the postcode."),
        ({"latitude": "95"}, "latitude", "Latitude must be between -90 and 90, not 95.0."),
        ({"longitude": "east"}, "longitude", "Longitude must be a number, not &#39;east&#39;."),
        ({"longitude": ""}, "longitude", "Give both latitude and longitude, or neither"),
        ({"capacity": "0"}, "capacity", "Capacity must be between 1 and 100000, not 0."),
        ({"hire_cost": "twelve"}, "hire_cost", "Hire cost must be an amount in pounds and pence"),
        ({"hire_cost": "-3"}, "hire_cost", "Hire cost must be an amount in pounds and pence"),
        (
            {"closes_mon": "08:00"},
            "opening_times",
            "closing time 08:00 must be after the opening time 09:00",
        ),
        (
            {"closes_mon": ""},
            "opening_times",
            "Give both the opening and the closing time for Monday.",
        ),
        (
            {"opens_thu": "25:00"},
            "opening_times",
            "Opening time must be a time like 09:30, not &#39;25:00&#39;.",
        ),
        ({"name": ""}, "name", "Enter the name of the space."),
    ],
)
def test_bad_space_details_are_explained_and_nothing_is_written(
    app, signed_in, post_form, changes, field, expected
):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    response = post_form(admin, f"/organisations/{organisation_id}/spaces/new", {**FORM, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in page
    assert f'id="error-{field}"' in page
    assert _spaces(app) == 0


def test_edit_form_shows_stored_values_and_saves_changes(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    space_id = make_space(app, make_organisation(app, user_id), hire_cost_pence=350)
    form = admin.get(f"/spaces/{space_id}/edit").get_data(as_text=True)
    assert 'value="3.50"' in form and 'value="09:00"' in form
    response = post_form(
        admin, f"/spaces/{space_id}/edit", {**FORM, "hire_cost": "", "name": "Renamed"}
    )
    assert response.status_code == 302
    with app.app_context():
        space = db.session.get(Space, space_id)
        assert (space.name, space.hire_cost_pence) == ("Renamed", None)


def test_another_organisation_cannot_change_or_delete_a_space(
    app, signed_in, post_form, user_factory
):
    space_id = make_space(app, make_organisation(app, user_factory("org_admin")), name="Theirs")
    admin, _ = signed_in("org_admin")
    assert post_form(admin, f"/spaces/{space_id}/edit", {**FORM, "name": "Mine"}).status_code == 403
    assert post_form(admin, f"/spaces/{space_id}/delete").status_code == 403
    with app.app_context():
        assert db.session.get(Space, space_id).name == "Theirs"


def test_deleting_a_space_asks_first_and_leaves_its_groups_without_a_venue(
    app, signed_in, post_form, client
):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    space_id = make_space(app, organisation_id, name="Old Hall")
    group_id = make_group(app, organisation_id, space_id, name="Knit and Natter")
    confirm = admin.get(f"/spaces/{space_id}/delete").get_data(as_text=True)
    assert "Delete Old Hall?" in confirm and "Knit and Natter" in confirm
    response = post_form(admin, f"/spaces/{space_id}/delete", follow_redirects=True)
    assert "venue to be confirmed" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Space, space_id) is None
        assert db.session.get(Group, group_id).space_id is None
    assert "Venue to be confirmed" in client.get(f"/groups/{group_id}").get_data(as_text=True)


def test_unknown_space_is_404(client):
    assert client.get("/spaces/4040").status_code == 404
    assert client.get("/api/v1/spaces/4040").status_code == 404


# API

API_SPACE = {
    "name": "Garden Room",
    "address": "3 Park Road",
    "postcode": "zz19zz",
    "opening_times": [{"day": "sat", "opens": "10:00", "closes": "14:00"}],
    "hire_cost_pence": 0,
    "accessible_toilet": True,
}


def test_api_creates_patches_lists_and_deletes_a_space(app, client, user_factory):
    user_id = user_factory("org_admin")
    headers = token_headers(app, user_id)
    organisation_id = make_organisation(app, user_id)
    created = client.post(
        "/api/v1/spaces", json={**API_SPACE, "organisation_id": organisation_id}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["postcode"] == "ZZ1 9ZZ" and body["hire_cost_pence"] == 0
    assert body["opening_times"] == [{"day": "sat", "opens": "10:00", "closes": "14:00"}]
    space_id = body["id"]
    patched = client.patch(f"/api/v1/spaces/{space_id}", json={"capacity": 12}, headers=headers)
    assert patched.get_json()["capacity"] == 12 and patched.get_json()["name"] == "Garden Room"
    listed = client.get(f"/api/v1/spaces?organisation_id={organisation_id}").get_json()
    assert [item["id"] for item in listed["items"]] == [space_id]
    assert client.delete(f"/api/v1/spaces/{space_id}", headers=headers).status_code == 204
    assert client.get(f"/api/v1/spaces/{space_id}").status_code == 404


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"postcode": "12345"}, "postcode"),
        ({"latitude": 51.5}, "longitude"),
        ({"latitude": 100, "longitude": 0}, "latitude"),
        (
            {"opening_times": [{"day": "funday", "opens": "09:00", "closes": "10:00"}]},
            "opening_times",
        ),
        ({"opening_times": [{"day": "mon", "opens": "11:00", "closes": "10:00"}]}, "opening_times"),
        (
            {
                "opening_times": [
                    {"day": "mon", "opens": "09:00", "closes": "12:00"},
                    {"day": "mon", "opens": "11:00", "closes": "13:00"},
                ]
            },
            "opening_times",
        ),
        ({"hire_cost_pence": -1}, "hire_cost_pence"),
        ({"hire_cost_pence": "1.50"}, "hire_cost_pence"),
        ({"organisation_id": "x"}, "organisation_id"),
    ],
)
def test_api_bad_space_is_422_per_field(app, client, user_factory, changes, field):
    user_id = user_factory("org_admin")
    organisation_id = make_organisation(app, user_id)
    body = {**API_SPACE, "organisation_id": organisation_id, **changes}
    response = client.post("/api/v1/spaces", json=body, headers=token_headers(app, user_id))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    assert _spaces(app) == 0


def test_api_space_for_another_organisation_is_403(app, client, user_factory):
    theirs = make_organisation(app, user_factory("org_admin"))
    headers = token_headers(app, user_factory("org_admin"))
    response = client.post(
        "/api/v1/spaces", json={**API_SPACE, "organisation_id": theirs}, headers=headers
    )
    assert response.status_code == 403
    assert _spaces(app) == 0


def test_api_space_cannot_move_to_another_organisation(app, client, user_factory):
    user_id = user_factory("org_admin")
    space_id = make_space(app, make_organisation(app, user_id))
    other = make_organisation(app, user_id)
    response = client.patch(
        f"/api/v1/spaces/{space_id}",
        json={"organisation_id": other},
        headers=token_headers(app, user_id),
    )
    assert response.status_code == 422
    assert "organisation_id" in response.get_json()["errors"]["json"]


def test_api_patch_of_one_coordinate_is_checked_with_the_stored_one(app, client, user_factory):
    user_id = user_factory("org_admin")
    space_id = make_space(app, make_organisation(app, user_id), latitude=None, longitude=None)
    response = client.patch(
        f"/api/v1/spaces/{space_id}", json={"latitude": 51.2}, headers=token_headers(app, user_id)
    )
    assert response.status_code == 422
    assert "longitude" in response.get_json()["errors"]["json"]
