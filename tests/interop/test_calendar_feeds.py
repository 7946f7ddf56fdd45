"""Calendar feeds: valid RFC 5545 read back by icalendar, rules that give the
same meetings as ours (dateutil), stable UIDs, hostile text kept as text,
404s, and a bad nearby query refused with the search page's messages."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar

from betterway_map.domain.schedule.recurrence import Schedule, next_meetings
from betterway_map.interop.calendars.events import GroupListing, event_for
from betterway_map.interop.calendars.ics import calendar_text
from tests.factories.nearby import POSTCODE, add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation

UK = ZoneInfo("Europe/London")
STAMP = datetime(2026, 3, 1, 12, tzinfo=UTC)


def _parse(body: bytes) -> Calendar:
    return Calendar.from_ical(body)


def _events(calendar: Calendar):
    return list(calendar.walk("VEVENT"))


def _feed(schedule: Schedule, **fields) -> Calendar:
    listing = GroupListing(
        7, "Lunch club", "active", schedule, "https://m.example/groups/7", **fields
    )
    return _parse(calendar_text("Test", "About", [event_for(listing, "m.example")], STAMP))


SCHEDULES = {
    "weekly": Schedule("weekly", "tue", time(10), time(12), date(2026, 1, 6)),
    "weekly from another day": Schedule("weekly", "fri", time(18, 30), time(20), date(2026, 1, 7)),
    "fortnightly": Schedule("fortnightly", "tue", time(14), time(15, 30), date(2026, 1, 8)),
    "second Tuesday": Schedule("monthly", "tue", time(10), time(11), date(2026, 1, 1), nth=2),
    "last Friday": Schedule("monthly", "fri", time(10), time(11), date(2026, 1, 1), nth=-1),
    "ends": Schedule(
        "weekly", "wed", time(9), time(10), date(2026, 1, 7), ends_on=date(2026, 7, 1)
    ),
    "ends in winter": Schedule(
        "fortnightly", "mon", time(19), time(21), date(2026, 1, 5), ends_on=date(2026, 12, 14)
    ),
}


@pytest.mark.parametrize("name", SCHEDULES)
def test_the_rrule_gives_the_same_meetings_as_next_meetings(name):
    schedule = SCHEDULES[name]
    event = _events(_feed(schedule))[0]
    start = event.decoded("dtstart")
    assert start.tzinfo is not None and str(event["dtstart"].params["TZID"]) == "Europe/London"
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=start)
    for after in (datetime(2026, 1, 1), datetime(2026, 3, 29, 9), datetime(2026, 10, 20)):
        ours = next_meetings(schedule, after, 12)
        theirs = []
        moment = rule.after(after.replace(tzinfo=UK), inc=True)
        while moment is not None and len(theirs) < 12:
            theirs.append(moment.replace(tzinfo=None))
            moment = rule.after(moment)
        assert theirs == ours, name


def test_the_meeting_keeps_its_wall_clock_time_across_summer_time():
    event = _events(_feed(SCHEDULES["weekly"]))[0]
    rule = rrulestr(event["rrule"].to_ical().decode(), dtstart=event.decoded("dtstart"))
    winter, summer = (
        rule.after(datetime(2026, 3, 1, tzinfo=UK)),
        rule.after(datetime(2026, 6, 1, tzinfo=UK)),
    )
    assert (winter.hour, summer.hour) == (10, 10)
    assert winter.utcoffset() == timedelta(0) and summer.utcoffset() == timedelta(hours=1)


def test_the_rule_says_interval_nth_weekday_and_until_in_utc():
    fortnightly = _events(_feed(SCHEDULES["fortnightly"]))[0]["rrule"]
    assert fortnightly["FREQ"] == ["WEEKLY"] and fortnightly["INTERVAL"] == [2]
    assert (
        _events(_feed(SCHEDULES["second Tuesday"]))[0]["rrule"].to_ical()
        == b"FREQ=MONTHLY;BYDAY=2TU"
    )
    assert b"BYDAY=-1FR" in _events(_feed(SCHEDULES["last Friday"]))[0]["rrule"].to_ical()
    until = _events(_feed(SCHEDULES["ends"]))[0]["rrule"]["UNTIL"][0]
    assert until == datetime(2026, 7, 1, 8, tzinfo=UTC)  # 9am in British Summer Time


def test_dtstart_is_the_first_meeting_not_the_start_date():
    event = _events(_feed(SCHEDULES["weekly from another day"]))[0]
    assert event.decoded("dtstart") == datetime(2026, 1, 9, 18, 30, tzinfo=UK)
    assert event.decoded("dtend") == datetime(2026, 1, 9, 20, tzinfo=UK)


def test_the_timezone_agrees_with_the_zone_database_for_decades():
    calendar = _feed(SCHEDULES["weekly"])
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/London"
    theirs = zone.to_tz()
    moment = datetime(2000, 1, 1)
    while moment.year < 2070:
        assert theirs.utcoffset(moment) == UK.utcoffset(moment), moment
        moment += timedelta(days=5, hours=7)


HOSTILE = 'Tea, cake; and\nchat \\ back\\slash, "quotes" <b>bold</b> é 王 😀 ' + "long " * 80


def test_hostile_text_comes_back_as_written_and_lines_are_folded():
    text = calendar_text(
        "Name, with; parts",
        "About",
        [
            event_for(
                GroupListing(
                    3,
                    HOSTILE + "\x07\u202e",
                    "active",
                    SCHEDULES["weekly"],
                    "https://m.example/groups/3",
                    description=HOSTILE,
                    space_name="Hall; the big one",
                    address="1, High St\nBack door",
                    postcode="ZZ1 1AA",
                ),
                "m.example",
            )
        ],
        STAMP,
    )
    assert all(len(line) <= 75 for line in text.split(b"\r\n"))
    event = _events(_parse(text))[0]
    assert str(event["summary"]) == HOSTILE
    assert str(event["description"]).startswith(HOSTILE)
    assert str(event["location"]) == "Hall; the big one, 1, High St\nBack door, ZZ1 1AA"
    assert b"SUMMARY:Tea\\, cake\\; and\\nchat \\\\ back" in text


@pytest.mark.parametrize("status", ["paused", "ended"])
def test_a_group_not_meeting_has_no_event_and_the_calendar_is_still_valid(status):
    listing = GroupListing(4, "Choir", status, SCHEDULES["weekly"], "https://m.example/groups/4")
    assert event_for(listing, "m.example") is None
    calendar = _parse(calendar_text("Choir", "About", [], STAMP))
    assert _events(calendar) == [] and len(calendar.walk("VTIMEZONE")) == 1


def test_an_online_group_is_online():
    event = _events(_feed(SCHEDULES["weekly"], online=True))[0]
    assert str(event["location"]) == "Online" and "GEO" not in event


# Through the site.


@pytest.fixture()
def register(app):
    add_postcode(app)
    organisation = make_organisation(app, name="Eastbrook Friends", contact_phone="01234 500600")
    near = space_at(app, organisation, 0.5, name="Near Hall", address="2 Near Road")
    far = space_at(app, organisation, 8, name="Far Hall")
    groups = {
        "near": make_group(
            app, organisation, near, name="Near Lunch", contact_phone="01234 111222"
        ),
        "fortnightly": make_group(app, organisation, near, name="Chess", frequency="fortnightly"),
        "paused": make_group(app, organisation, near, name="Paused Poetry", status="paused"),
        "far": make_group(app, organisation, far, name="Far Walk"),
        "online": make_group(app, organisation, None, name="Online Chat"),
    }
    return organisation, groups


def _uids(response) -> dict:
    return {str(e["summary"]): str(e["uid"]) for e in _events(_parse(response.get_data()))}


def test_a_group_feed_is_a_calendar_with_one_event(client, register):
    _, groups = register
    response = client.get(f"/groups/{groups['near']}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = _parse(response.get_data())
    (event,) = _events(calendar)
    assert str(event["uid"]) == f"group-{groups['near']}@localhost"
    assert event.decoded("dtstamp").tzinfo is not None
    assert str(event["url"]) == f"http://localhost/groups/{groups['near']}"
    assert "Near Hall, 2 Near Road, ZZ1 1AA" == str(event["location"])
    assert "01234 111222" in str(event["description"])
    assert calendar.walk("VTIMEZONE")


def test_the_uid_is_stable_across_fetches_feeds_and_renames(app, client, register):
    organisation, groups = register
    first = _uids(client.get(f"/groups/{groups['near']}/calendar.ics"))["Near Lunch"]
    from betterway_map.extensions import db
    from betterway_map.register.models import Group

    with app.app_context():
        db.session.get(Group, groups["near"]).name = "Near Lunch Club"
        db.session.commit()
    assert _uids(client.get(f"/groups/{groups['near']}/calendar.ics")) == {"Near Lunch Club": first}
    assert (
        _uids(client.get(f"/organisations/{organisation}/calendar.ics"))["Near Lunch Club"] == first
    )
    assert (
        _uids(client.get(f"/nearby/calendar.ics?postcode={POSTCODE}"))["Near Lunch Club"] == first
    )


def test_uids_and_links_use_the_public_address_when_set(app, client, register, monkeypatch):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://map.example.org/")
    _, groups = register
    event = _events(_parse(client.get(f"/groups/{groups['near']}/calendar.ics").get_data()))[0]
    assert str(event["uid"]) == f"group-{groups['near']}@map.example.org"
    assert str(event["url"]) == f"https://map.example.org/groups/{groups['near']}"


def test_the_organisation_feed_has_its_active_groups_only(client, register):
    organisation, _ = register
    names = set(_uids(client.get(f"/organisations/{organisation}/calendar.ics")))
    assert names == {"Near Lunch", "Chess", "Far Walk", "Online Chat"}


def test_the_nearby_feed_has_the_groups_the_search_finds(client, register):
    names = list(_uids(client.get(f"/nearby/calendar.ics?postcode={POSTCODE}&radius_km=2")))
    assert sorted(names) == ["Chess", "Near Lunch"]
    wide = set(
        _uids(client.get(f"/nearby/calendar.ics?postcode={POSTCODE}&radius_km=10&what=space"))
    )
    assert wide == {"Chess", "Near Lunch", "Far Walk"}  # groups, whatever the search shows


@pytest.mark.parametrize(
    "path", ["/groups/999999/calendar.ics", "/organisations/999999/calendar.ics"]
)
def test_an_unknown_id_is_404(client, path):
    assert client.get(path).status_code == 404


BAD_QUERIES = {
    "": "Type a postcode (like ZZ1 1AA), or give both lat and lon.",
    "postcode=ZZ9+9ZZ": "We do not know where 'ZZ9 9ZZ' is",
    "postcode=ZZ1+1AA&radius_km=abc": "radius_km must be a number of kilometres like 2 or 0.5, not 'abc'.",
    "postcode=ZZ1+1AA&radius_km=500": "radius_km must be between 0.1 and 50 km, not 500.0.",
    "lat=52.4": "You gave lat but no lon: a point needs both.",
    "postcode=ZZ1+1AA&day=someday": "someday",
}


@pytest.mark.parametrize("query", BAD_QUERIES, ids=lambda q: q or "empty")
@pytest.mark.parametrize("path", ["/nearby/calendar.ics", "/nearby/sheet.pdf"])
def test_a_bad_query_answers_400_with_the_pages_message(client, register, query, path):
    message = BAD_QUERIES[query]
    page = client.get(f"/nearby?{query}" if query else "/nearby?postcode=")
    answer = client.get(f"{path}?{query}")
    assert answer.status_code == 400
    assert message in html.unescape(answer.get_data(as_text=True))
    if query:
        assert page.status_code == 400 and message in html.unescape(page.get_data(as_text=True))


def test_the_pages_say_how_to_subscribe(client, register):
    organisation, groups = register
    group_page = client.get(f"/groups/{groups['near']}").get_data(as_text=True)
    assert f"http://localhost/groups/{groups['near']}/calendar.ics" in group_page
    assert f'href="webcal://localhost/groups/{groups["near"]}/calendar.ics"' in group_page
    assert "Google Calendar" in group_page
    organisation_page = client.get(f"/organisations/{organisation}").get_data(as_text=True)
    assert f"http://localhost/organisations/{organisation}/calendar.ics" in organisation_page


def test_the_nearby_page_offers_the_feed_and_the_sheet_of_the_same_search(client, register):
    page = client.get(f"/nearby?postcode={POSTCODE}&radius_km=5&day=tue").get_data(as_text=True)
    assert "Add these groups to your calendar" in page
    assert (
        "http://localhost/nearby/calendar.ics?postcode=ZZ1+1AA&amp;radius_km=5&amp;day=tue" in page
    )
    assert 'href="/nearby/sheet.pdf?postcode=ZZ1+1AA&amp;radius_km=5&amp;day=tue"' in page
