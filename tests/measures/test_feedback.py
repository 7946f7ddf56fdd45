"""Feedback on the six marks: who may give which side, when, and bad input
(a mark of 6 or 0, a side you cannot give, a relationship you are not part
of) refused with a message naming the value, nothing written."""

from __future__ import annotations

import pytest

from betterway_map.extensions import db
from betterway_map.measures.models import Feedback
from tests.conftest import csrf_token, make_user
from tests.factories.match_journey import make_world
from tests.factories.measures import make_feedback
from tests.factories.people import make_assigned_person
from tests.measures.helpers import api, count, messages, signed_in

ALL_FOUR = {
    "understanding": 4,
    "collaboration": 4,
    "commitment": 5,
    "communication": 4,
    "empowerment": 3,
    "time_together": 4,
}


@pytest.fixture()
def world(app):
    return make_world(app, "active")


def test_the_volunteer_gives_their_view_at_the_first_review(app, world):
    client = signed_in(app, world.volunteer_user)
    response = api(
        client,
        "POST",
        f"/matches/{world.match_id}/feedback",
        {"side": "volunteer", "occasion": "first_review", **ALL_FOUR},
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["side"], body["occasion"], body["commitment"], body["given_for_person"]) == (
        "volunteer",
        "first_review",
        5,
        False,
    )


def test_a_worker_gives_the_persons_view_for_them_marked_as_such(app, world):
    client = signed_in(app, world.person_worker)
    response = api(
        client,
        "POST",
        f"/matches/{world.match_id}/feedback",
        {"side": "person", "understanding": 5},
    )
    assert response.status_code == 201
    assert response.get_json()["given_for_person"] is True
    # ...while the person's own answer is theirs.
    own = api(
        signed_in(app, world.person_user),
        "POST",
        f"/matches/{world.match_id}/feedback",
        {"side": "person", "understanding": 4},
    )
    assert own.get_json()["given_for_person"] is False


@pytest.mark.parametrize(
    ("marks", "named"),
    [
        ({"commitment": 6}, "6 is not a mark for commitment"),
        ({"understanding": 0}, "0 is not a mark for understanding"),
        ({"time_together": "lots"}, "'lots' is not a mark for time together"),
        ({}, "Answer at least one of the six statements"),
    ],
)
def test_a_bad_mark_is_refused_naming_it(app, world, marks, named):
    client = signed_in(app, world.volunteer_user)
    response = api(
        client, "POST", f"/matches/{world.match_id}/feedback", {"side": "volunteer", **marks}
    )
    assert response.status_code == 422
    assert named in messages(response)
    assert count(app, Feedback) == 0


def test_feedback_on_a_relationship_you_are_not_part_of_is_refused(app, world):
    client = signed_in(app, make_user(app, "resident"))
    response = api(
        client, "POST", f"/matches/{world.match_id}/feedback", {"side": "person", **ALL_FOUR}
    )
    assert response.status_code == 404
    assert f"There is no match {world.match_id} that you take part in" in messages(response)
    assert count(app, Feedback) == 0


def test_a_side_you_cannot_speak_for_is_refused_naming_it(app, world):
    client = signed_in(app, world.volunteer_user)
    response = api(
        client, "POST", f"/matches/{world.match_id}/feedback", {"side": "person", **ALL_FOUR}
    )
    assert response.status_code == 422
    assert "'person' is not a side you can give feedback for" in messages(response)
    assert "volunteer" in response.get_json()["errors"]["json"]["side"][0]
    assert count(app, Feedback) == 0


def test_a_review_occasion_belongs_to_a_match(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    client = signed_in(app, worker)
    body = {"side": "worker", "occasion": "six_monthly", "empowerment": 4}
    response = api(client, "POST", f"/caseload/{person}/feedback", body)
    assert response.status_code == 422 and "'six_monthly' is a review" in messages(response)
    done = api(client, "POST", f"/caseload/{person}/feedback", {"side": "worker", "empowerment": 4})
    assert done.status_code == 201 and done.get_json()["occasion"] == "other"


def test_each_side_reads_its_own_and_the_workers_read_all(app, world):
    make_feedback(app, match_id=world.match_id, side="person", recorded_by_id=world.person_user)
    make_feedback(
        app, match_id=world.match_id, side="volunteer", recorded_by_id=world.volunteer_user
    )
    path = f"/matches/{world.match_id}/feedback"
    sides = {
        name: sorted(line["side"] for line in api(signed_in(app, user), "GET", path).get_json())
        for name, user in (
            ("volunteer", world.volunteer_user),
            ("person", world.person_user),
            ("worker", world.person_worker),
        )
    }
    assert sides == {
        "volunteer": ["volunteer"],
        "person": ["person"],
        "worker": ["person", "volunteer"],
    }


def test_the_feedback_page_asks_in_plain_words_and_saves(app, world):
    client = signed_in(app, world.person_user)
    page = client.get(f"/measures/matches/{world.match_id}/feedback?occasion=first_review")
    text = page.get_data(as_text=True)
    assert "Vera understands what matters to me." in text
    assert "<legend>" in text and "Strongly agree" in text
    response = client.post(
        f"/measures/matches/{world.match_id}/feedback",
        data={
            "side": "person",
            "occasion": "first_review",
            "commitment": "6",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 422
    assert "6 is not a mark for commitment" in response.get_data(as_text=True)
    response = client.post(
        f"/measures/matches/{world.match_id}/feedback",
        data={
            "side": "person",
            "occasion": "first_review",
            "commitment": "5",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    with app.app_context():
        row = db.session.scalar(db.select(Feedback))
        assert (row.side, row.commitment, row.understanding) == ("person", 5, None)


def test_the_volunteers_statements_name_the_person(app, world):
    page = signed_in(app, world.volunteer_user).get(f"/measures/matches/{world.match_id}/feedback")
    assert "I understand what matters to Iris." in page.get_data(as_text=True)


def test_the_review_step_links_to_feedback(app, world):
    page = signed_in(app, world.person_worker).get(f"/matching/matches/{world.match_id}")
    assert f"/measures/matches/{world.match_id}/feedback?occasion=first_review" in page.get_data(
        as_text=True
    )
