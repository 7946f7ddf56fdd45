"""The steps through their pages and the API: the same rules, clear errors
(400 on a page, 422 on the API) and nothing written when refused."""

from __future__ import annotations

import html

import pytest

from betterway_map.extensions import db
from betterway_map.matching.models import Match
from tests.conftest import csrf_token, login
from tests.factories.match_journey import make_world


def _client(app, user_id):
    client = app.test_client()
    login(client, app, user_id)
    return client


def _post(client, url, data=None):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)})


def _api(client, url, body=None):
    return client.post(url, json=body, headers={"X-CSRFToken": csrf_token(client)})


def _status(app, match_id) -> tuple[str, int]:
    with app.app_context():
        match = db.session.get(Match, match_id)
        return match.status, len(match.events)


def test_the_journey_through_the_pages(app):
    world = make_world(app)
    base = f"/matching/matches/{world.match_id}"
    volunteer = _client(app, world.volunteer_user)
    page = html.unescape(volunteer.get(base).get_data(as_text=True))
    assert "Will you support Iris?" in page
    response = _post(volunteer, f"{base}/volunteer-answer", {"answer": "accept"})
    assert response.status_code == 302 and response.headers["Location"] == base
    person = _client(app, world.person_user)
    assert "Would you like Vera as a volunteer?" in html.unescape(
        person.get(base).get_data(as_text=True)
    )
    assert _post(person, f"{base}/person-answer", {"answer": "accept"}).status_code == 302
    worker = _client(app, world.person_worker)
    assert "Approve the match" in worker.get(base).get_data(as_text=True)
    assert _post(worker, f"{base}/approve").status_code == 302
    assert _post(worker, f"{base}/review", {"note": "Both happy."}).status_code == 302
    assert _post(person, f"{base}/ask-to-end", {"reason": "Moving away."}).status_code == 302
    end = {
        "end_kind": "planned",
        "reason": "Moved.",
        "ended_well": "true",
        "still_wants_support": "false",
    }
    assert _post(worker, f"{base}/end", end).status_code == 302
    assert _status(app, world.match_id) == ("ended", 7)


def test_a_decline_without_a_reason_is_shown_again_and_writes_nothing(app):
    world = make_world(app)
    volunteer = _client(app, world.volunteer_user)
    url = f"/matching/matches/{world.match_id}/volunteer-answer"
    response = _post(volunteer, url, {"answer": "decline"})
    assert response.status_code == 400
    assert "Say why, in a few words, when declining." in response.get_data(as_text=True)
    assert _status(app, world.match_id) == ("proposed", 1)


def test_approving_too_soon_is_explained_on_the_page(app):
    world = make_world(app)
    worker = _client(app, world.person_worker)
    response = _post(worker, f"/matching/matches/{world.match_id}/approve")
    assert response.status_code == 400
    page = html.unescape(response.get_data(as_text=True))
    assert "only a match both the volunteer and the person have accepted is approved" in page
    assert _status(app, world.match_id) == ("proposed", 1)


def test_a_resident_may_not_approve(app):
    world = make_world(app, "agreed")
    volunteer = _client(app, world.volunteer_user)
    assert _post(volunteer, f"/matching/matches/{world.match_id}/approve").status_code == 403
    assert _api(volunteer, f"/api/v1/matching/matches/{world.match_id}/approve").status_code == 403
    assert _status(app, world.match_id) == ("agreed", 1)


def test_the_api_steps_and_their_errors(app):
    world = make_world(app)
    base = f"/api/v1/matching/matches/{world.match_id}"
    volunteer = _client(app, world.volunteer_user)
    listed = volunteer.get("/api/v1/matching/matches").get_json()
    assert [(line["id"], line["needs_you"]) for line in listed] == [(world.match_id, True)]
    response = _api(volunteer, f"{base}/volunteer-answer", {"answer": "decline"})
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["reason"] == [
        "Say why, in a few words, when declining."
    ]
    response = _api(volunteer, f"{base}/volunteer-answer", {"answer": "accept"})
    assert response.status_code == 200 and response.get_json()["volunteer_response"] == "accepted"
    response = _api(volunteer, f"{base}/volunteer-answer", {"answer": "accept"})
    assert response.status_code == 422
    assert "no longer asked for" in response.get_json()["message"]
    person = _client(app, world.person_user)
    body = _api(person, f"{base}/person-answer", {"answer": "accept"}).get_json()
    assert body["status"] == "agreed"
    worker = _client(app, world.volunteer_worker)
    response = _api(
        worker,
        f"{base}/end",
        {"end_kind": "planned", "reason": "x", "ended_well": True, "still_wants_support": True},
    )
    assert (
        response.status_code == 422
        and "only an active match is ended" in response.get_json()["message"]
    )
    assert _api(worker, f"{base}/approve").get_json()["status"] == "active"


@pytest.mark.parametrize("value", ["yes", 1])
def test_the_api_holds_yes_no_answers_to_true_or_false(app, value):
    world = make_world(app, "active")
    worker = _client(app, world.person_worker)
    body = {"end_kind": "planned", "reason": "x", "ended_well": value, "still_wants_support": True}
    response = _api(worker, f"/api/v1/matching/matches/{world.match_id}/end", body)
    assert response.status_code == 422
    assert "ended_well" in response.get_json()["errors"]["json"]
    assert _status(app, world.match_id) == ("active", 1)
