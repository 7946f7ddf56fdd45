"""Every space goes on the map: from its postcode when latitude and longitude
are left empty (as the form invites), on create and on edit, with the page
saying where and how; and `flask places backfill` places what was stored
unplaced before."""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.people.models import Person
from betterway_map.register.models import Space
from tests.factories.organisations import make_organisation, make_space

KNOWN, KNOWN_AT = "ZZ1 1AG", (51.6012, -0.2011)
OTHER, OTHER_AT = "ZZ1 1AH", (51.6100, -0.2100)
UNKNOWN = "ZZ9 9QQ"
FORM = {"name": "Riverside Hall", "address": "1 River Lane", "postcode": KNOWN}


def _gazetteer(app):
    with app.app_context():
        for postcode, (lat, lon) in ((KNOWN, KNOWN_AT), (OTHER, OTHER_AT)):
            db.session.add(PostcodePoint(postcode=postcode, latitude=lat, longitude=lon))
        db.session.commit()


def _space(app, name="Riverside Hall") -> Space:
    with app.app_context():
        space = db.session.scalar(select(Space).where(Space.name == name))
        db.session.expunge(space)
        return space


def _add(app, signed_in, post_form, **changes):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    response = post_form(admin, f"/organisations/{organisation_id}/spaces/new", {**FORM, **changes})
    assert response.status_code == 302, response.get_data(as_text=True)
    return admin, _space(app)


def test_left_empty_the_space_is_placed_from_its_postcode_and_the_page_says_so(
    app, signed_in, post_form
):
    _gazetteer(app)
    admin, space = _add(app, signed_in, post_form, latitude="", longitude="")
    assert (space.latitude, space.longitude, space.location_source) == (*KNOWN_AT, "postcode")
    page = admin.get(f"/spaces/{space.id}", follow_redirects=True).get_data(as_text=True)
    assert "Placed on the map from the postcode ZZ1 1AG" in page


def test_a_space_placed_from_its_postcode_is_found_by_nearby_search(app, signed_in, post_form):
    _gazetteer(app)
    _add(app, signed_in, post_form)
    found = app.test_client().get(f"/api/v1/nearby?postcode={KNOWN}&what=space").get_json()
    assert [item["name"] for item in found["items"]] == ["Riverside Hall"]


def test_typed_coordinates_are_kept_and_said_to_be_typed(app, signed_in, post_form):
    _gazetteer(app)
    admin, space = _add(app, signed_in, post_form, latitude="51.7", longitude="-0.3")
    assert (space.latitude, space.longitude, space.location_source) == (51.7, -0.3, "typed")
    page = admin.get(f"/spaces/{space.id}").get_data(as_text=True)
    assert "at the latitude and longitude given" in page


def test_an_unknown_postcode_leaves_the_space_unplaced_and_says_what_to_do(
    app, signed_in, post_form
):
    admin, space = _add(app, signed_in, post_form, postcode=UNKNOWN)
    assert (space.latitude, space.longitude, space.location_source) == (None, None, None)
    page = admin.get(f"/spaces/{space.id}").get_data(as_text=True)
    assert "Not on the map" in page and "latitude and longitude" in page


def test_a_new_postcode_on_edit_moves_a_space_placed_from_its_postcode(app, signed_in, post_form):
    _gazetteer(app)
    admin, space = _add(app, signed_in, post_form)
    response = post_form(
        admin,
        f"/spaces/{space.id}/edit",
        {**FORM, "postcode": OTHER, "latitude": "", "longitude": ""},
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    moved = _space(app)
    assert (moved.latitude, moved.longitude, moved.location_source) == (*OTHER_AT, "postcode")


def test_the_api_places_a_space_given_without_coordinates(app, signed_in):
    _gazetteer(app)
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    from tests.conftest import csrf_token

    response = admin.post(
        "/api/v1/spaces",
        json={**FORM, "organisation_id": organisation_id},
        headers={"X-CSRFToken": csrf_token(admin)},
    )
    assert response.status_code == 201, response.get_json()
    assert (response.get_json()["latitude"], response.get_json()["longitude"]) == KNOWN_AT


def test_backfill_places_spaces_and_homes_stored_without_coordinates(app, runner):
    organisation_id = make_organisation(app)
    make_space(app, organisation_id, name="Old Hall", postcode=KNOWN, latitude=None, longitude=None)
    make_space(
        app, organisation_id, name="Lost Hall", postcode=UNKNOWN, latitude=None, longitude=None
    )
    with app.app_context():
        db.session.add(Person(first_name="Ada", postcode=KNOWN))
        db.session.commit()
    _gazetteer(app)
    result = runner.invoke(args=["places", "backfill"])
    assert result.exit_code == 0, result.output
    assert "Placed 1 spaces and 1 homes" in result.output
    assert "1 spaces and 0 homes have postcodes that neither" in result.output
    assert (_space(app, "Old Hall").latitude, _space(app, "Lost Hall").latitude) == (51.6012, None)
    with app.app_context():
        assert db.session.scalar(select(Person.latitude)) == 51.6012
    again = runner.invoke(args=["places", "backfill"])
    assert "Placed 0 spaces and 0 homes" in again.output
