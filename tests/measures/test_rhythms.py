"""The agreed rhythm: written at a match's approval from its request,
suggested from a group's meetings, set by those who record contacts."""

from __future__ import annotations

from datetime import time, timedelta

import pytest

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.services import journey
from betterway_map.measures.models import Rhythm
from tests.conftest import csrf_token, make_user
from tests.factories.days import FromToday, dated
from tests.factories.match_journey import as_user, make_world
from tests.factories.measures import add_member, make_rhythm
from tests.factories.people import make_assigned_person, make_person
from tests.factories.person_records import organisation_with_group
from tests.measures.helpers import api, count, messages, signed_in


def test_approving_a_match_agrees_the_rhythm_its_request_asked_for(app):
    world = make_world(app, "agreed", request={"frequency": "fortnightly", "duration_min": 90})
    before = today_in_uk()
    as_user(app, world.person_worker, journey.approve, world.match_id)
    with app.app_context():
        rhythm = db.session.scalar(db.select(Rhythm))
        assert (rhythm.match_id, rhythm.frequency, rhythm.duration_min) == (
            world.match_id,
            "fortnightly",
            90,
        )
        assert rhythm.agreed_on in {before, today_in_uk()}  # the day approved, midnight or not
        assert rhythm.recorded_by_id == world.person_worker


def test_a_rhythm_agreed_before_approval_is_kept(app):
    world = make_world(app, "agreed")
    make_rhythm(app, match_id=world.match_id, frequency="monthly")
    as_user(app, world.person_worker, journey.approve, world.match_id)
    assert count(app, Rhythm) == 1


def test_a_group_member_is_offered_the_groups_own_rhythm(app):
    organiser = make_user(app, "org_admin")
    _, group = organisation_with_group(
        app, organiser, frequency="fortnightly", start_time=time(10), end_time=time(11, 30)
    )
    person = make_person(app)
    add_member(app, group, person)
    body = api(
        signed_in(app, organiser), "GET", f"/groups/{group}/people/{person}/rhythm"
    ).get_json()
    assert body == {
        "frequency": "fortnightly",
        "duration_min": 90,
        "agreed_on": None,
        "agreed": False,
        "source": "group",
    }


def test_the_latest_rhythm_agreed_is_in_force(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    client = signed_in(app, worker)
    assert api(client, "GET", f"/caseload/{person}/rhythm").get_json()["source"] == "none"
    before = today_in_uk()
    make_rhythm(app, person_id=person, worker_id=worker, agreed_on=before - timedelta(days=60))
    response = api(client, "POST", f"/caseload/{person}/rhythm", {"frequency": "monthly"})
    assert response.status_code == 201
    body = api(client, "GET", f"/caseload/{person}/rhythm").get_json()
    assert (body["frequency"], body["agreed"]) == ("monthly", True)
    assert body["agreed_on"] in {str(before), str(today_in_uk())}


@pytest.mark.parametrize(
    ("body", "named"),
    [
        ({"frequency": "daily"}, "'daily' is not a rhythm"),
        ({"frequency": "weekly", "duration_min": -5}, "-5 minutes"),
        ({"frequency": "weekly", "agreed_on": FromToday(3)}, "in the future"),
    ],
)
def test_a_bad_rhythm_is_refused_naming_the_value(app, body, named):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    response = api(signed_in(app, worker), "POST", f"/caseload/{person}/rhythm", dated(body))
    assert response.status_code == 422
    assert named in messages(response)
    assert count(app, Rhythm) == 0


def test_the_person_reads_the_rhythm_but_does_not_set_it(app):
    world = make_world(app, "active")
    client = signed_in(app, world.person_user)
    assert api(client, "GET", f"/matches/{world.match_id}/rhythm").get_json()["source"] == "request"
    assert (
        api(
            client, "POST", f"/matches/{world.match_id}/rhythm", {"frequency": "weekly"}
        ).status_code
        == 403
    )


def test_the_rhythm_page_saves_what_the_volunteer_agreed(app):
    world = make_world(app, "active")
    client = signed_in(app, world.volunteer_user)
    page = client.get(f"/measures/matches/{world.match_id}/rhythm")
    assert page.status_code == 200 and "Nothing agreed yet" in page.get_data(as_text=True)
    response = client.post(
        f"/measures/matches/{world.match_id}/rhythm",
        data={"frequency": "weekly", "duration_min": "30", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert "Agreed on" in client.get(response.headers["Location"]).get_data(as_text=True)
