"""Help offered and asked for: list, add, edit, close."""

from __future__ import annotations

import pytest

from betterway_map.people.models import HelpListing
from tests.conftest import csrf_token
from tests.factories.person_records import (
    assigned_person,
    count,
    listing_of,
    own_person,
    volunteer,
)


def _api(client, method, url, body=None):
    return client.open(url, method=method, json=body, headers={"X-CSRFToken": csrf_token(client)})


def test_resident_asks_for_help_edits_and_closes_it_on_the_pages(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    data = {"direction": "request", "kind": "shopping", "description": "Heavy bags on Fridays"}
    assert post_form(client, f"/people/{person_id}/help", data).status_code == 302
    page = client.get(f"/people/{person_id}/help").get_data(as_text=True)
    assert "Heavy bags on Fridays" in page and "Open" in page
    with app.app_context():
        from betterway_map.extensions import db

        listing_id = db.session.scalar(db.select(HelpListing.id))
    edit = f"/people/{person_id}/help/{listing_id}/edit"
    assert "Heavy bags on Fridays" in client.get(edit).get_data(as_text=True)
    changed = {**data, "description": "Heavy bags on Saturdays", "status": "open"}
    assert post_form(client, edit, changed).status_code == 302
    assert post_form(client, f"/people/{person_id}/help/{listing_id}/close").status_code == 302
    assert count(app, HelpListing, status="closed", description="Heavy bags on Saturdays") == 1
    assert count(app, HelpListing, status="open") == 0


def test_worker_offers_help_for_their_person_through_the_api(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    created = _api(
        client,
        "POST",
        f"/api/v1/people/{person_id}/help",
        {"direction": "offer", "kind": "digital"},
    )
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["status"] == "open"
    listing_id = created.get_json()["id"]
    closed = _api(client, "PATCH", f"/api/v1/help/{listing_id}", {"status": "closed"})
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    assert closed.get_json()["kind"] == "digital"
    listed = client.get(f"/api/v1/people/{person_id}/help").get_json()
    assert [item["id"] for item in listed] == [listing_id]


@pytest.mark.parametrize("where", ["api", "page"])
def test_offering_befriending_visits_needs_a_volunteer_profile(app, signed_in, post_form, where):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    data = {"direction": "offer", "kind": "befriending_visit"}
    if where == "api":
        response = _api(client, "POST", f"/api/v1/people/{person_id}/help", data)
        assert response.status_code == 422
        assert "volunteer" in response.get_json()["errors"]["json"]["kind"][0]
    else:
        response = post_form(client, f"/people/{person_id}/help", data)
        assert response.status_code == 400
        assert "first say that you would like to volunteer" in response.get_data(as_text=True)
    assert count(app, HelpListing) == 0
    volunteer(app, person_id)
    assert _api(client, "POST", f"/api/v1/people/{person_id}/help", data).status_code == 201


def test_asking_for_befriending_visits_needs_no_volunteer_profile(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    body = {"direction": "request", "kind": "befriending_visit"}
    assert _api(client, "POST", f"/api/v1/people/{person_id}/help", body).status_code == 201


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"direction": "offer", "kind": "dog_walking"}, "kind", "is not a kind of help"),
        ({"direction": "lend", "kind": "lifts"}, "direction", "is not a direction"),
        ({"direction": "offer", "kind": "lifts", "status": "done"}, "status", "is not a status"),
        (
            {"direction": "offer", "kind": "lifts", "description": "x" * 2001},
            "description",
            "at most 2000",
        ),
        ({"kind": "lifts"}, "direction", "Missing data"),
    ],
)
def test_bad_listings_are_refused(app, signed_in, post_form, body, field, message):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    api = _api(client, "POST", f"/api/v1/people/{person_id}/help", body)
    assert api.status_code == 422
    assert message in " ".join(api.get_json()["errors"]["json"][field])
    page = post_form(client, f"/people/{person_id}/help", body)
    assert page.status_code == 400
    assert count(app, HelpListing) == 0


def test_someone_elses_listing_is_not_found(app, signed_in, user_factory, post_form):
    client, _ = signed_in("resident")
    _, other_person = own_person(app)
    listing_id = listing_of(app, other_person)
    assert (
        _api(client, "PATCH", f"/api/v1/help/{listing_id}", {"status": "closed"}).status_code == 404
    )
    assert client.get(f"/people/{other_person}/help/{listing_id}/edit").status_code == 404
    assert post_form(client, f"/people/{other_person}/help/{listing_id}/close").status_code == 404
    assert count(app, HelpListing, status="open") == 1


def test_a_listing_is_only_reached_through_its_own_person(app, signed_in):
    client, worker = signed_in("worker")
    first = assigned_person(app, worker)
    second = assigned_person(app, worker)
    listing_id = listing_of(app, first)
    assert client.get(f"/people/{second}/help/{listing_id}/edit").status_code == 404


def test_the_form_says_what_will_be_public_before_it_is_sent(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    page = client.get(f"/people/{person_id}/help").get_data(as_text=True)
    before_form = page.split('aria-describedby="help-who-sees"')[0].split("</header>")[1]
    assert "An offer of help is public" in before_form and "your first name" in before_form
    assert "A request for help is private" in before_form


@pytest.mark.parametrize(
    ("direction", "worker", "says"),
    [
        ("offer", False, "listed in “What is on near me” with your first name"),
        ("request", True, "Only you and the community workers who look after you"),
        ("request", False, "no community worker looks after you yet"),
    ],
)
def test_after_saving_the_page_says_who_sees_it_and_what_happens_next(
    app, signed_in, post_form, user_factory, direction, worker, says
):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    if worker:
        from betterway_map.extensions import db
        from betterway_map.people.models import Assignment

        with app.app_context():
            db.session.add(Assignment(person_id=person_id, worker_id=user_factory("worker")))
            db.session.commit()
    data = {"direction": direction, "kind": "shopping"}
    page = post_form(client, f"/people/{person_id}/help", data, follow_redirects=True)
    assert says in page.get_data(as_text=True).replace("&#34;", '"')
