"""An organisation admin moves a meeting on the group's manage page: every
surface that shows meetings (the group's page, the API, the calendar feed,
nearby search, the printed sheet, My page) then shows it at its new time,
and undoing it puts it back. Every refusal names the value, sits beside its
field and writes nothing.

The test group meets every Tuesday, 10am to 12pm (``make_group``); its
next meeting (the ``tuesday`` fixture) is moved to the Thursday after, 2pm
to 4pm.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.domain.clock import now_in_uk, today_in_uk
from betterway_map.domain.dates import long_date
from betterway_map.extensions import db
from betterway_map.register.models import Group, MeetingChange
from tests.conftest import login, make_user
from tests.factories.calendars import first_weekday_after
from tests.factories.meetings import knit_and_natter, next_meetings, page_text, signed_in_admin
from tests.factories.nearby import POSTCODE
from tests.factories.organisations import make_organisation, make_space


@pytest.fixture()
def admin_client(app, client):
    return signed_in_admin(app, client)


@pytest.fixture()
def group(app, admin_client):
    return knit_and_natter(app, admin_client[1])


def _thursday(tuesday: date) -> date:
    return tuesday + timedelta(days=2)


def _move(client, post_form, group_id, tuesday: date, **fields):
    """Move the meeting on ``tuesday`` to the Thursday after, 2pm to 4pm, unless ``fields`` say."""
    values = {
        "move_date": tuesday.isoformat(),
        "move_to": _thursday(tuesday).isoformat(),
        "move_start": "14:00",
        "move_end": "16:00",
        "move_space": "",
        "move_reason": "The hall is booked",
    } | fields
    return post_form(client, f"/groups/{group_id}/meetings/move", values)


def _changes(app) -> list[tuple]:
    with app.app_context():
        return [
            (c.occurs_on, c.kind, c.moved_on, c.start_time, c.end_time)
            for c in db.session.scalars(select(MeetingChange))
        ]


def test_a_moved_meeting_is_on_the_group_page_at_its_new_time_with_its_reason(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    thursday, next_tuesday = _thursday(tuesday), tuesday + timedelta(days=7)
    answer = _move(client, post_form, group, tuesday)
    assert answer.status_code == 302
    assert answer.headers["Location"].endswith(f"/groups/{group}/edit#meetings")
    meetings = next_meetings(page_text(client, f"/groups/{group}"))
    assert (
        f"{long_date(thursday)}, 2pm <strong>(moved from {long_date(tuesday)}: "
        "The hall is booked)</strong>" in meetings
    )
    assert f"{long_date(tuesday)}, 10am" not in meetings
    assert meetings.index(long_date(thursday)) < meetings.index(long_date(next_tuesday))
    assert _changes(app) == [(tuesday, "moved", thursday, time(14), time(16))]


def test_a_moved_meeting_is_at_its_new_time_in_the_api_and_the_feed(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    thursday = _thursday(tuesday)
    _move(client, post_form, group, tuesday)
    found = client.get(f"/api/v1/groups/{group}").get_json()["next_meetings"]
    assert found[0].startswith(f"{thursday.isoformat()}T14:00")
    assert not any(moment.startswith(tuesday.isoformat()) for moment in found)
    events = Calendar.from_ical(client.get(f"/groups/{group}/calendar.ics").get_data()).walk(
        "VEVENT"
    )
    (moved,) = [e for e in events if "RECURRENCE-ID" in e]
    zone = moved.decoded("dtstart").tzinfo
    assert moved.decoded("recurrence-id") == datetime.combine(tuesday, time(10), tzinfo=zone)
    assert moved.decoded("dtstart") == datetime.combine(thursday, time(14), tzinfo=zone)
    assert moved.decoded("dtend") == datetime.combine(thursday, time(16), tzinfo=zone)


def test_nearby_the_sheet_and_my_page_say_the_moved_meeting_is_next(
    app, admin_client, group, post_form, tuesday
):
    from betterway_map.home.dashboard import dashboard_for
    from betterway_map.interop.sheets.services import when_meets
    from betterway_map.people.models import Attendance
    from tests.factories.people import make_resident_with_profile

    client, _ = admin_client
    thursday = _thursday(tuesday)
    _move(client, post_form, group, tuesday)
    (item,) = client.get(f"/api/v1/nearby?postcode={POSTCODE}&what=group").get_json()["items"]
    assert item["next_meeting"].startswith(f"{thursday.isoformat()}T14:00")
    resident, person = make_resident_with_profile(app)
    with app.app_context():
        db.session.add(Attendance(person_id=person, group_id=group, status="member"))
        db.session.commit()
        words = when_meets(db.session.get(Group, group), now_in_uk())  # as the sheet asks
        (mine,) = dashboard_for(db.session.get(User, resident)).groups
    assert words.endswith(f"next on {long_date(thursday)}.")
    assert mine.next_meeting == datetime.combine(thursday, time(14))


def test_a_move_can_be_undone_and_is_audited(app, admin_client, group, post_form, tuesday):
    client, admin = admin_client
    thursday = _thursday(tuesday)
    _move(client, post_form, group, tuesday)
    with app.app_context():
        change_id = db.session.scalar(select(MeetingChange.id))
        (event,) = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "move_meeting"))
        assert (event.user_id, event.subject_id) == (admin, group)
        assert event.detail == f"{tuesday.isoformat()} to {thursday.isoformat()}T14:00"
    manage = page_text(client, f"/groups/{group}/edit")
    assert f"Moved to {long_date(thursday)}, 2pm to 4pm: The hall is booked" in manage
    restored = post_form(client, f"/groups/{group}/meetings/{change_id}/restore")
    assert restored.status_code == 302 and _changes(app) == []
    meetings = next_meetings(page_text(client, f"/groups/{group}"))
    assert f"{long_date(tuesday)}, 10am" in meetings and "moved" not in meetings


def test_left_empty_the_times_are_the_usual_ones_and_the_place_can_change(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    with app.app_context():
        organisation = db.session.get(Group, group).organisation_id
    other_hall = make_space(app, organisation, name="Far Hall")
    answer = _move(
        client, post_form, group, tuesday, move_start="", move_end="", move_space=str(other_hall)
    )
    assert answer.status_code == 302
    assert _changes(app) == [(tuesday, "moved", _thursday(tuesday), time(10), time(12))]
    meetings = next_meetings(page_text(client, f"/groups/{group}"))
    assert f"{long_date(_thursday(tuesday))}, 10am" in meetings and "Far Hall" in meetings


@pytest.mark.parametrize(
    "fields",
    [
        {"move_start": "11:00", "move_end": "13:00"},
        {"move_start": "", "move_end": "", "move_space": "same"},
    ],
    ids=["an hour later, overlapping its own usual time", "the same time at another place"],
)
def test_a_meeting_can_move_on_its_own_day(app, admin_client, group, post_form, tuesday, fields):
    client, _ = admin_client
    fields = fields | {"move_to": tuesday.isoformat()}
    if fields.get("move_space") == "same":
        with app.app_context():
            organisation = db.session.get(Group, group).organisation_id
        fields = fields | {"move_space": str(make_space(app, organisation, name="Far Hall"))}
    assert _move(client, post_form, group, tuesday, **fields).status_code == 302
    assert [c[:3] for c in _changes(app)] == [(tuesday, "moved", tuesday)]


def test_moving_replaces_a_cancellation_and_a_move_can_move_again(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    post_form(
        client,
        f"/groups/{group}/meetings/cancel",
        {"cancel_date": tuesday.isoformat(), "cancel_reason": ""},
    )
    assert _move(client, post_form, group, tuesday).status_code == 302
    again = _move(client, post_form, group, tuesday, move_start="18:00", move_end="19:00")
    assert again.status_code == 302
    assert _changes(app) == [(tuesday, "moved", _thursday(tuesday), time(18), time(19))]


def _one_off(client, post_form, group_id, tuesday: date):
    return post_form(
        client,
        f"/groups/{group_id}/one-offs",
        {
            "one_off_title": "Christmas lunch",
            "one_off_date": _thursday(tuesday).isoformat(),
            "one_off_start": "12:00",
            "one_off_end": "14:30",
            "one_off_space": "",
        },
    )


# Each refusal, for the group's next meeting on ``tuesday``: the fields
# changed, the field its message is beside, and the message.
REFUSED = {
    "a day it does not meet": lambda tuesday: (
        {"move_date": (tuesday + timedelta(days=1)).isoformat()},
        "move_date",
        f"Knit and Natter does not meet on {long_date(tuesday + timedelta(days=1))} "
        # The example: the group's first meeting from today on (today's, on a
        # Tuesday, even once it has begun, when ``tuesday`` is next week's).
        "(Every Tuesday, 10am to 12pm): choose one of its meetings, such as "
        f"{long_date(first_weekday_after(today_in_uk() - timedelta(days=1), 1))}.",
    ),
    "a meeting in the past": lambda tuesday: (
        {"move_date": (tuesday - timedelta(days=14)).isoformat()},
        "move_date",
        f"{long_date(tuesday - timedelta(days=14))} is in the past: choose a meeting from today on.",
    ),
    "a new time in the past": lambda tuesday: (
        {"move_to": (today_in_uk() - timedelta(days=1)).isoformat()},
        "move_to",
        f"{long_date(today_in_uk() - timedelta(days=1))} at 2pm is in the past: "
        "choose a new time from now on.",
    ),
    "ending before it starts": lambda tuesday: (
        {"move_end": "13:00"},
        "move_end",
        "The end time 1pm must be after the start time 2pm.",
    ),
    "its usual time": lambda tuesday: (
        {"move_to": tuesday.isoformat(), "move_start": "", "move_end": ""},
        "move_to",
        f"{long_date(tuesday)} at 10am is when the meeting is anyway: "
        "give it a new date, time or place.",
    ),
    "over its next meeting": lambda tuesday: (
        {
            "move_to": (tuesday + timedelta(days=7)).isoformat(),
            "move_start": "11:00",
            "move_end": "13:00",
        },
        "move_to",
        f"Knit and Natter already meets on {long_date(tuesday + timedelta(days=7))} "
        "from 10am to 12pm: choose a time that does not overlap it.",
    ),
    "over a one-off meeting": lambda tuesday: (
        {"move_start": "14:00"},
        "move_to",
        f"Knit and Natter already meets on {long_date(_thursday(tuesday))} from 12pm to 2:30pm "
        "(Christmas lunch): choose a time that does not overlap it.",
    ),
    "not a date": lambda tuesday: (
        {"move_to": "soon"},
        "move_to",
        "New date must be a date like 2026-03-31, not 'soon'.",
    ),
    "not a time": lambda tuesday: (
        {"move_start": "teatime"},
        "move_start",
        "New start time must be a time like 10:30, not 'teatime'.",
    ),
    "no new date": lambda tuesday: ({"move_to": ""}, "move_to", "Enter the new date."),
}


@pytest.mark.parametrize("name", REFUSED)
def test_a_move_is_refused_beside_its_field_and_writes_nothing(
    app, admin_client, group, post_form, tuesday, name
):
    client, _ = admin_client
    fields, field, message = REFUSED[name](tuesday)
    if name == "over a one-off meeting":
        assert _one_off(client, post_form, group, tuesday).status_code == 302
    answer = _move(client, post_form, group, tuesday, **fields)
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert f'<p class="field-error" id="error-{field}">' in page and message in page
    assert 'value="The hall is booked"' in page  # the form is shown again as it was filled
    assert _changes(app) == []


def test_a_move_to_another_organisations_space_is_refused(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    elsewhere = make_space(app, make_organisation(app))
    answer = _move(client, post_form, group, tuesday, move_space=str(elsewhere))
    assert answer.status_code == 400
    assert f"Space {elsewhere} is not one of Eastbrook Friends's spaces." in html.unescape(
        answer.get_data(as_text=True)
    )
    assert _changes(app) == []


def test_only_an_admin_of_the_groups_organisation_may_move_its_meetings(
    app, group, post_form, tuesday
):
    other = make_user(app, "org_admin")
    make_organisation(app, other)
    client = app.test_client()
    login(client, app, other)
    assert _move(client, post_form, group, tuesday).status_code == 403
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(MeetingChange)) == 0
