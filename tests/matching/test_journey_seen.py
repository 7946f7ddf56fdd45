"""What each party sees of a match, on its page and through the API: first
name and area only until approval; address and phone after it, each page
view of them recorded in the audit log as a reveal."""

from __future__ import annotations

import html

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from betterway_map.matching.models import SupportRequest
from tests.conftest import csrf_token, login, make_user, without_tokens
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


def test_after_approval_each_sees_the_others_address_and_phone_and_each_view_is_audited(app):
    world = make_world(app, "active")
    with app.app_context():
        person_id = db.session.get(SupportRequest, world.request_id).person_id
    for _ in range(2):
        page = _page(app, world.volunteer_user, world.match_id)
        assert "7 Hidden Lane" in page and "0113 496 0001" in page
    # Contact details, not the person's whole record.
    assert "Quillfeather" not in page and "rook pie" not in page
    assert (
        _reveals(app, world.volunteer_user)
        == [(person_id, f"address and phone; match {world.match_id}")] * 2
    )
    page = _page(app, world.person_user, world.match_id)
    assert "9 Vale Close" in page and "0113 496 0999" in page
    assert "Brackenbury" not in page
    assert _reveals(app, world.person_user) == [
        (world.volunteer_id, f"address and phone; match {world.match_id}")
    ]


def test_a_worker_of_the_person_sees_the_whole_request(app):
    world = make_world(app, "proposed")
    page = _page(app, world.person_worker, world.match_id)
    for secret in PERSON_SECRETS:
        assert secret.replace("likes", "She likes") in page or secret in page
    for secret in VOLUNTEER_SECRETS:
        assert secret not in page


def test_a_worker_only_of_the_volunteer_sees_the_persons_first_name_and_area(app):
    world = make_world(app, "agreed")
    page = _page(app, world.volunteer_worker, world.match_id)
    assert "Iris" in page and "Around LS2" in page
    for secret in PERSON_SECRETS:
        assert secret not in page
    assert "9 Vale Close" in page  # their own volunteer


def test_a_stranger_is_told_the_match_does_not_exist(app):
    world = make_world(app, "active")
    for role in ("worker", "resident"):
        client = _client(app, make_user(app, role))
        assert client.get(f"/matching/matches/{world.match_id}").status_code == 404
        assert client.get(f"/api/v1/matching/matches/{world.match_id}").status_code == 404


def test_the_api_gives_the_address_only_after_approval(app):
    world = make_world(app, "agreed")
    client = _client(app, world.volunteer_user)
    body = client.get(f"/api/v1/matching/matches/{world.match_id}").get_json()
    assert body["person"] == {
        "first_name": "Iris",
        "area": "LS2",
        "last_name": None,
        "postcode": None,
        "address": None,
        "phone": None,
        "person_id": None,
    }
    assert body["request"] is None and body["actions"] == []
    worker = _client(app, world.person_worker)
    response = worker.post(
        f"/api/v1/matching/matches/{world.match_id}/approve",
        headers={"X-CSRFToken": csrf_token(worker)},
    )
    assert response.status_code == 200, response.get_json()
    body = client.get(f"/api/v1/matching/matches/{world.match_id}").get_json()
    assert body["status"] == "active"
    assert (body["person"]["address"], body["person"]["phone"]) == (
        "7 Hidden Lane",
        "0113 496 0001",
    )
    assert body["person"]["last_name"] is None and body["actions"] == ["ask_to_end"]
    assert len(_reveals(app, world.volunteer_user)) == 1
