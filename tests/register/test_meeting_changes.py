"""An organisation admin cancels a meeting and adds a one-off on the group's
manage page; the group's page, the API, nearby search, the printed sheet
and the calendar feed all then agree. Every refusal names the value and
writes nothing.

The test group meets every Tuesday, 10am to 12pm (``make_group``): its next
meeting is on the ``tuesday`` fixture's day.
"""

from __future__ import annotations

import html
from datetime import date, datetime, time, timedelta

import pytest
from icalendar import Calendar
from sqlalchemy import func, select

from betterway_map.domain.clock import now_in_uk, today_in_uk
from betterway_map.domain.dates import long_date
from betterway_map.extensions import db
from betterway_map.register.models import MeetingChange, OneOffMeeting
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


def _rows(app) -> tuple[int, int]:
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(MeetingChange)),
            db.session.scalar(select(func.count()).select_from(OneOffMeeting)),
        )


def _cancel(client, post_form, group_id, day, reason=""):
    return post_form(
        client,
        f"/groups/{group_id}/meetings/cancel",
        {"cancel_date": day if isinstance(day, str) else day.isoformat(), "cancel_reason": reason},
    )


def test_a_cancelled_meeting_is_gone_from_the_group_page_with_its_reason(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    assert long_date(tuesday) in next_meetings(page_text(client, f"/groups/{group}"))
    answer = _cancel(client, post_form, group, tuesday, "The hall is closed")
    assert answer.status_code == 302
    page = page_text(client, f"/groups/{group}")
    assert long_date(tuesday) not in next_meetings(page)
    assert long_date(tuesday + timedelta(days=7)) in next_meetings(page)
    assert f"{long_date(tuesday)}: cancelled (The hall is closed)" in page


def test_a_cancelled_meeting_is_an_exdate_in_the_feed_and_gone_from_the_api(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    _cancel(client, post_form, group, tuesday)
    (event,) = Calendar.from_ical(client.get(f"/groups/{group}/calendar.ics").get_data()).walk(
        "VEVENT"
    )
    assert [moment.dt for moment in event["EXDATE"].dts] == [
        datetime.combine(tuesday, time(10), tzinfo=event.decoded("dtstart").tzinfo)
    ]
    found = client.get(f"/api/v1/groups/{group}").get_json()["next_meetings"]
    assert not any(moment.startswith(tuesday.isoformat()) for moment in found)
    assert found[0].startswith((tuesday + timedelta(days=7)).isoformat())


def test_nearby_search_and_the_printed_sheet_say_the_next_meeting_after_a_cancelled_one(
    app, admin_client, group, post_form, tuesday
):
    from betterway_map.interop.sheets.services import when_meets
    from betterway_map.register.models import Group

    client, _ = admin_client
    _cancel(client, post_form, group, tuesday)
    (item,) = client.get(f"/api/v1/nearby?postcode={POSTCODE}&what=group").get_json()["items"]
    assert item["next_meeting"].startswith((tuesday + timedelta(days=7)).isoformat())
    with app.app_context():
        words = when_meets(db.session.get(Group, group), now_in_uk())  # as the sheet asks
    assert words.endswith(f"next on {long_date(tuesday + timedelta(days=7))}.")


REFUSED = {
    "a day it does not meet": (
        lambda tuesday: tuesday + timedelta(days=1),
        "Knit and Natter does not meet on {day} (Every Tuesday, 10am to 12pm): choose one of "
        "its meetings, such as {first}.",
    ),
    "a day in the past": (
        lambda tuesday: tuesday - timedelta(days=14),
        "{day} is in the past: choose a meeting from today on.",
    ),
    "not a date": (
        lambda tuesday: "next tuesday",
        "Date of the meeting must be a date like 2026-03-31, not 'next tuesday'.",
    ),
    "no date": (lambda tuesday: "", "Enter the date of the meeting."),
}


@pytest.mark.parametrize("name", REFUSED)
def test_cancelling_is_refused_with_a_message_naming_the_date(
    app, admin_client, group, post_form, tuesday, name
):
    client, _ = admin_client
    day, message = REFUSED[name][0](tuesday), REFUSED[name][1]
    answer = _cancel(client, post_form, group, day)
    assert answer.status_code == 400
    # The example is the group's first meeting from today on: today's, on a
    # Tuesday, even once it has begun (when ``tuesday`` is next week's).
    first = first_weekday_after(today_in_uk() - timedelta(days=1), 1)
    words = message.format(
        day=long_date(day) if isinstance(day, date) else day, first=long_date(first)
    )
    assert words in html.unescape(answer.get_data(as_text=True))
    assert _rows(app) == (0, 0)


def test_a_meeting_cannot_be_cancelled_twice_and_can_be_restored(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    _cancel(client, post_form, group, tuesday)
    again = _cancel(client, post_form, group, tuesday)
    assert again.status_code == 400
    assert f"The meeting on {long_date(tuesday)} is already cancelled." in html.unescape(
        again.get_data(as_text=True)
    )
    with app.app_context():
        change_id = db.session.scalar(select(MeetingChange.id))
    restored = post_form(client, f"/groups/{group}/meetings/{change_id}/restore")
    assert restored.status_code == 302 and _rows(app) == (0, 0)
    assert long_date(tuesday) in next_meetings(page_text(client, f"/groups/{group}"))


def _one_off(client, post_form, group_id, tuesday, **fields):
    """An extra meeting on the Thursday after ``tuesday``, 12pm to 2pm, unless ``fields`` say."""
    values = {
        "one_off_title": "Christmas lunch",
        "one_off_date": (tuesday + timedelta(days=2)).isoformat(),
        "one_off_start": "12:00",
        "one_off_end": "14:00",
        "one_off_space": "",
    } | fields
    return post_form(client, f"/groups/{group_id}/one-offs", values)


def test_a_one_off_meeting_is_among_the_next_meetings_and_in_the_feed(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    assert _one_off(client, post_form, group, tuesday).status_code == 302
    meetings = next_meetings(page_text(client, f"/groups/{group}"))
    assert (
        f"{long_date(tuesday + timedelta(days=2))}, 12pm: Christmas lunch (an extra meeting)"
        in meetings
    )
    events = Calendar.from_ical(client.get(f"/groups/{group}/calendar.ics").get_data()).walk(
        "VEVENT"
    )
    extra = [e for e in events if "RRULE" not in e]
    assert [str(e["SUMMARY"]) for e in extra] == ["Knit and Natter: Christmas lunch"]


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"one_off_end": "11:00"},
            "one_off_end",
            "The end time 11:00 must be after the start time 12:00.",
        ),
        (
            {"one_off_date": "2020-01-01"},
            "one_off_date",
            "Wednesday 1 January 2020 is in the past.",
        ),
        ({"one_off_title": " "}, "one_off_title", "Enter the name of the meeting."),
        (
            {"one_off_start": "noon"},
            "one_off_start",
            "Start time must be a time like 10:30, not 'noon'.",
        ),
    ],
    ids=["ends before it starts", "in the past", "no name", "not a time"],
)
def test_a_one_off_is_refused_beside_its_field(
    app, admin_client, group, post_form, tuesday, fields, field, message
):
    client, _ = admin_client
    answer = _one_off(client, post_form, group, tuesday, **fields)
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 400
    assert f'<p class="field-error" id="error-{field}">' in page and message in page
    assert _rows(app) == (0, 0)


def test_a_one_off_cannot_be_at_another_organisations_space(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    elsewhere = make_space(app, make_organisation(app))
    answer = _one_off(client, post_form, group, tuesday, one_off_space=str(elsewhere))
    assert answer.status_code == 400
    assert f"Space {elsewhere} is not one of Eastbrook Friends's spaces." in html.unescape(
        answer.get_data(as_text=True)
    )


def test_a_one_off_can_be_deleted(app, admin_client, group, post_form, tuesday):
    client, _ = admin_client
    _one_off(client, post_form, group, tuesday)
    with app.app_context():
        one_off_id = db.session.scalar(select(OneOffMeeting.id))
    answer = post_form(client, f"/one-offs/{one_off_id}/delete")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(
        f"/groups/{group}/edit#meetings"
    )
    assert _rows(app) == (0, 0)


def test_the_manage_page_lists_the_changes_and_each_form_has_fields_of_its_own(
    app, admin_client, group, post_form, tuesday
):
    client, _ = admin_client
    _cancel(client, post_form, group, tuesday, "Half term")
    page = page_text(client, f"/groups/{group}/edit")
    assert "Cancelled: Half term" in page
    for field in ("cancel_date", "cancel_reason", "one_off_title", "one_off_start", "start_time"):
        assert page.count(f'id="field-{field}"') == 1


def test_an_organisations_events_are_on_its_page_and_in_its_feed(app, client):
    organisation = make_organisation(app, name="Eastbrook Friends")
    day = today_in_uk() + timedelta(days=20)
    with app.app_context():
        db.session.add(
            OneOffMeeting(organisation_id=organisation, title="Summer Fair", occurs_on=day)
        )
        db.session.commit()
    page = page_text(client, f"/organisations/{organisation}")
    assert f"Summer Fair: {long_date(day)} (all day)" in page
    (event,) = Calendar.from_ical(
        client.get(f"/organisations/{organisation}/calendar.ics").get_data()
    ).walk("VEVENT")
    assert event.decoded("dtstart") == day and event.decoded("dtend") == day + timedelta(days=1)
