"""What each party sees of a match, on its page and through the API: first
name and area only until approval; never an address or phone on the match
itself. Once the match is active the other side's address and phone are on a
page of their own, behind a fresh sign-in, and each reveal is recorded in the
audit log."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.accounts.services.sessions import issue_api_token
from betterway_map.extensions import db
from betterway_map.matching.models import SupportRequest
from tests.conftest import PASSWORD, csrf_token, login, make_user, without_tokens
from tests.factories.accounts import make_stale
from tests.factories.match_journey import PERSON_SECRETS, VOLUNTEER_SECRETS, make_world


def _client(app, user_id):
    client = app.test_client()
    login(client, app, user_id)
    return client


def _page(app, user_id, match_id) -> str:
    response = _client(app, user_id).get(f"/matching/matches/{match_id}")
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return html.unescape(without_tokens(response.get_data(as_text=True)))


def _reveals(app, user_id) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEvent).where(AuditEvent.user_id == user_id, AuditEvent.action == "reveal")
        )
        return [(row.subject_id, row.detail) for row in rows]


@pytest.mark.parametrize("status", ["proposed", "agreed"])
def test_before_approval_the_volunteer_sees_a_first_name_and_an_area_only(app, status):
    world = make_world(app, status)
    page = _page(app, world.volunteer_user, world.match_id)
    assert "Iris" in page and "Around LS2" in page
    for secret in PERSON_SECRETS:
        assert secret not in page
    person_part = page.split('id="party-person"', 1)[1].split("</section>", 1)[0]
    assert "Iris" in person_part and "Address" not in person_part and "Phone" not in person_part
    assert _reveals(app, world.volunteer_user) == []


def test_before_approval_the_person_sees_the_volunteers_first_name_and_area_only(app):
    world = make_world(app, "agreed")
    page = _page(app, world.person_user, world.match_id)
    assert "Vera" in page and "Around LS1" in page
    for secret in VOLUNTEER_SECRETS:
        assert secret not in page
    # Their own request, in full: it is theirs.
    assert "She likes rook pie." in page


def _contact(app, user_id, match_id, client=None) -> str:
    client = client or _client(app, user_id)
    response = client.get(f"/matching/matches/{match_id}/contact")
    assert response.status_code == 200, response.status_code
    assert response.headers["Cache-Control"] == "no-store"
    return html.unescape(without_tokens(response.get_data(as_text=True)))


def test_after_approval_the_match_page_shows_no_address_but_offers_to_show_it(app):
    world = make_world(app, "active")
    for user_id in (world.volunteer_user, world.person_user, world.person_worker):
        page = _page(app, user_id, world.match_id)
        assert "Show address and phone" in page
        assert f"/matching/matches/{world.match_id}/contact" in page
        for secret in ("7 Hidden Lane", "0113 496 0001", "9 Vale Close", "0113 496 0999"):
            assert secret not in page
        assert _reveals(app, user_id) == []


@pytest.mark.parametrize("status", ["proposed", "agreed", "ended"])
def test_no_address_is_offered_or_shown_unless_the_match_is_active(app, status):
    world = make_world(app, status)
    client = _client(app, world.volunteer_user)
    assert "Show address and phone" not in _page(app, world.volunteer_user, world.match_id)
    response = client.get(f"/matching/matches/{world.match_id}/contact")
    assert response.status_code == 422
    text = html.unescape(response.get_data(as_text=True))
    assert "not active" in text and "approved" in text
    for secret in PERSON_SECRETS:
        assert secret not in text
    api = client.get(f"/api/v1/matching/matches/{world.match_id}/contact")
    assert api.status_code == 422 and "not active" in api.get_json()["message"]
    assert _reveals(app, world.volunteer_user) == []


def test_each_reveal_shows_the_other_sides_contact_and_is_audited(app):
    world = make_world(app, "active")
    with app.app_context():
        person_id = db.session.get(SupportRequest, world.request_id).person_id
    for _ in range(2):
        page = _contact(app, world.volunteer_user, world.match_id)
        assert "7 Hidden Lane" in page and "0113 496 0001" in page
    # Contact details of the other side, not the person's whole record, nor their own.
    assert "Quillfeather" not in page and "rook pie" not in page
    assert "9 Vale Close" not in page
    assert (
        _reveals(app, world.volunteer_user)
        == [(person_id, f"address and phone; match {world.match_id}")] * 2
    )
    page = _contact(app, world.person_user, world.match_id)
    assert "9 Vale Close" in page and "0113 496 0999" in page
    assert "Brackenbury" not in page and "7 Hidden Lane" not in page
    assert _reveals(app, world.person_user) == [
        (world.volunteer_id, f"address and phone; match {world.match_id}")
    ]
    # A worker of the person sees the volunteer's: a reveal too.
    page = _contact(app, world.person_worker, world.match_id)
    assert "9 Vale Close" in page and "7 Hidden Lane" not in page
    assert len(_reveals(app, world.person_worker)) == 1


def test_revealing_needs_a_fresh_sign_in_and_comes_back_after_it(app):
    world = make_world(app, "active")
    client = _client(app, world.volunteer_user)
    make_stale(app, world.volunteer_user)
    url = f"/matching/matches/{world.match_id}/contact"
    response = client.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm")
    assert _reveals(app, world.volunteer_user) == []
    # The match page itself does not need it.
    assert "Show address and phone" in _page_with(client, world.match_id)
    confirmed = client.post(
        response.headers["Location"],
        data={"password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert confirmed.status_code == 302 and confirmed.headers["Location"] == url
    assert "7 Hidden Lane" in _contact(app, world.volunteer_user, world.match_id, client)
    assert len(_reveals(app, world.volunteer_user)) == 1


def _page_with(client, match_id) -> str:
    response = client.get(f"/matching/matches/{match_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_stranger_cannot_reveal_and_is_told_the_match_does_not_exist(app):
    world = make_world(app, "active")
    for role in ("worker", "resident"):
        client = _client(app, make_user(app, role))
        assert client.get(f"/matching/matches/{world.match_id}/contact").status_code == 404
        assert client.get(f"/api/v1/matching/matches/{world.match_id}/contact").status_code == 404


def test_a_worker_of_the_person_sees_the_whole_request(app):
    world = make_world(app, "proposed")
    page = _page(app, world.person_worker, world.match_id)
    for secret in ("Quillfeather", "LS2 7EY", "She likes rook pie"):
        assert secret in page
    # No address or phone on a match page, even for the person's own worker.
    assert "7 Hidden Lane" not in page and "0113 496 0001" not in page
    for secret in VOLUNTEER_SECRETS:
        assert secret not in page


def test_a_worker_only_of_the_volunteer_sees_the_persons_first_name_and_area(app):
    world = make_world(app, "agreed")
    page = _page(app, world.volunteer_worker, world.match_id)
    assert "Iris" in page and "Around LS2" in page
    for secret in PERSON_SECRETS:
        assert secret not in page
    assert "Brackenbury" in page  # their own volunteer, in full
    assert "9 Vale Close" not in page  # but no address on a match page


def test_a_stranger_is_told_the_match_does_not_exist(app):
    world = make_world(app, "active")
    for role in ("worker", "resident"):
        client = _client(app, make_user(app, role))
        assert client.get(f"/matching/matches/{world.match_id}").status_code == 404
        assert client.get(f"/api/v1/matching/matches/{world.match_id}").status_code == 404


def test_the_api_gives_the_address_only_after_approval_and_only_on_asking(app):
    world = make_world(app, "agreed")
    client = _client(app, world.volunteer_user)
    url = f"/api/v1/matching/matches/{world.match_id}"
    body = client.get(url).get_json()
    assert body["person"] == {
        "first_name": "Iris",
        "area": "LS2",
        "last_name": None,
        "postcode": None,
        "person_id": None,
    }
    assert body["request"] is None and body["actions"] == []
    assert body["contact_available"] is False
    assert client.get(f"{url}/contact").status_code == 422
    worker = _client(app, world.person_worker)
    response = worker.post(f"{url}/approve", headers={"X-CSRFToken": csrf_token(worker)})
    assert response.status_code == 200, response.get_json()
    body = client.get(url).get_json()
    assert body["status"] == "active" and body["contact_available"] is True
    assert "address" not in body["person"] and "phone" not in body["person"]
    assert body["person"]["last_name"] is None and body["actions"] == ["ask_to_end"]
    assert _reveals(app, world.volunteer_user) == []
    response = client.get(f"{url}/contact")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_json()["contacts"] == [
        {
            "side": "person",
            "first_name": "Iris",
            "area": "LS2",
            "address": "7 Hidden Lane",
            "phone": "0113 496 0001",
        }
    ]
    assert len(_reveals(app, world.volunteer_user)) == 1


def test_the_api_reveals_only_to_a_fresh_browser_session_never_to_a_token(app):
    world = make_world(app, "active")
    url = f"/api/v1/matching/matches/{world.match_id}/contact"
    with app.app_context():
        token = issue_api_token(world.volunteer_user)
    response = app.test_client().get(url, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
    assert "fresh sign-in" in response.get_json()["message"]
    # The match itself is fine with a token, and says a reveal may be asked for.
    body = (
        app.test_client()
        .get(url.removesuffix("/contact"), headers={"Authorization": f"Bearer {token}"})
        .get_json()
    )
    assert body["contact_available"] is True
    client = _client(app, world.volunteer_user)
    make_stale(app, world.volunteer_user)
    assert client.get(url).status_code == 401
    assert _reveals(app, world.volunteer_user) == []


@pytest.mark.parametrize("status", ["proposed", "approved", "active", "ended"])
def test_a_reader_with_no_part_in_a_match_is_never_given_contact_details(status):
    from types import SimpleNamespace

    from betterway_map.matching.services.journey_view import (
        CONTACT,
        FULL,
        PERSON,
        VOLUNTEER,
        level,
    )

    match = SimpleNamespace(status=status)
    for side in (PERSON, VOLUNTEER):
        assert level(match, frozenset(), side) not in (CONTACT, FULL)
    assert level(match, frozenset({PERSON}), VOLUNTEER) == (
        CONTACT if status == "active" else "limited"
    )
