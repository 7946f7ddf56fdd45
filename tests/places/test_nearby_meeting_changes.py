"""A nearby result's next meeting honours the group's meeting changes, and
a change is seen by the very next search although the register's index is
kept in each process (it follows the versions of ``meeting_changes`` and
``one_off_meetings`` as well as of spaces and groups).

The next meeting nearby search shows is held equal to the first of the
group's own API (``group_meetings``, the one reading of the rule with its
changes) as well as to the date expected.

The test group meets every Tuesday, 10am to 12pm (``make_group``): its next
meeting is on the ``tuesday`` fixture's day.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from betterway_map.accounts.models import User
from betterway_map.domain.clock import now_in_uk
from betterway_map.extensions import db
from betterway_map.register.models import MeetingChange
from betterway_map.register.services import meeting_changes as meeting_service
from tests.conftest import make_user
from tests.factories.nearby import POSTCODE, add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation


@pytest.fixture()
def hall(app):
    """A group 0.5 km from the postcode (and a second with no changes, 0.6 km
    away), run by an organisation admin."""
    add_postcode(app)
    admin = make_user(app, "org_admin")
    organisation = make_organisation(app, admin_user_id=admin)
    space = space_at(app, organisation, 0.5, name="Near Hall")
    other = space_at(app, organisation, 0.6, name="Other Hall")
    return {
        "admin": admin,
        "group": make_group(app, organisation, space, name="Knit and Natter"),
        "other": make_group(app, organisation, other, name="Chess Club"),
    }


def _next_meetings(client, hall) -> dict[int, str]:
    """Each group's next meeting as nearby search gives it, after checking
    it is the first of the group's own next meetings."""
    body = client.get("/api/v1/nearby", query_string={"postcode": POSTCODE, "what": "group"})
    found = {item["id"]: item["next_meeting"] for item in body.get_json()["items"]}
    assert set(found) == {hall["group"], hall["other"]}
    for group_id, moment in found.items():
        own = client.get(f"/api/v1/groups/{group_id}").get_json()["next_meetings"]
        # The API gives UK wall-clock time; nearby search says its zone.
        assert datetime.fromisoformat(moment).replace(tzinfo=None) == datetime.fromisoformat(own[0])
    return found


def _at(day: date, hour: int) -> str:
    return datetime.combine(day, time(hour)).isoformat()


def _as_admin(app, hall, use):
    with app.app_context():
        return use(db.session.get(User, hall["admin"]))


def test_a_cancelled_meeting_is_skipped_and_undoing_it_is_seen(app, client, hall, tuesday):
    before = _next_meetings(client, hall)  # the index is built now, and kept
    assert before[hall["group"]].startswith(_at(tuesday, 10))
    change = _as_admin(
        app,
        hall,
        lambda admin: (
            meeting_service.cancel_meeting(
                admin, hall["group"], {"occurs_on": tuesday, "reason": "Hall closed"}
            ).id
        ),
    )
    after = _next_meetings(client, hall)
    assert after[hall["group"]].startswith(_at(tuesday + timedelta(days=7), 10))
    assert after[hall["other"]] == before[hall["other"]]
    _as_admin(
        app, hall, lambda admin: meeting_service.restore_meeting(admin, hall["group"], change)
    )
    assert _next_meetings(client, hall) == before


def test_a_moved_meeting_is_shown_at_its_new_time(app, client, hall, tuesday):
    before = _next_meetings(client, hall)
    thursday = tuesday + timedelta(days=2)
    with app.app_context():  # as a calendar import records a move
        db.session.add(
            MeetingChange(
                group_id=hall["group"],
                occurs_on=tuesday,
                kind="moved",
                moved_on=thursday,
                start_time=time(14),
                end_time=time(16),
                source="",
            )
        )
        db.session.commit()
    after = _next_meetings(client, hall)
    assert after[hall["group"]].startswith(_at(thursday, 14))
    assert after[hall["other"]] == before[hall["other"]]


def test_a_meeting_moved_past_the_next_one_leaves_the_next_one_first(app, client, hall, tuesday):
    _next_meetings(client, hall)
    with app.app_context():
        db.session.add(
            MeetingChange(
                group_id=hall["group"],
                occurs_on=tuesday,
                kind="moved",
                moved_on=tuesday + timedelta(days=8),
                start_time=time(9),
                end_time=time(10),
                source="",
            )
        )
        db.session.commit()
    next_tuesday = tuesday + timedelta(days=7)
    assert _next_meetings(client, hall)[hall["group"]].startswith(_at(next_tuesday, 10))


def test_a_one_off_before_the_next_meeting_is_the_next_meeting(app, client, hall, tuesday):
    before = _next_meetings(client, hall)
    # At 8am on the day of the next meeting; when that day is today and 8am
    # is over, from the next minute (the meeting itself is at 10am).
    now = now_in_uk()
    soon = (now + timedelta(minutes=1)).replace(second=0, microsecond=0).time()
    start = max(time(8), soon) if tuesday == now.date() else time(8)
    one_off = _as_admin(
        app,
        hall,
        lambda admin: meeting_service.add_one_off(
            admin,
            hall["group"],
            {"title": "Early start", "occurs_on": tuesday, "start_time": start,
             "end_time": time(10)},
        ).id,
    )  # fmt: skip
    after = _next_meetings(client, hall)
    assert after[hall["group"]].startswith(datetime.combine(tuesday, start).isoformat())
    assert after[hall["other"]] == before[hall["other"]]
    _as_admin(app, hall, lambda admin: meeting_service.delete_one_off(admin, one_off))
    assert _next_meetings(client, hall) == before
