"""Reading calendar files before anything is imported (no app, no database):
files that are not calendars refused with a message saying what they are,
time zones by IANA and Windows name, floating times, HTML descriptions, and
LOCATION matched to spaces."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from betterway_map.interop.calendars.imports.places import SpaceRef, where
from betterway_map.interop.calendars.imports.reading import CalendarFileError, read_calendar

FILES = Path(__file__).parent / "calendar_files"
LONDON = ZoneInfo("Europe/London")


def _calendar(*events: str, head: str = "") -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{event.strip()}\r\nEND:VEVENT\r\n" for event in events)
    text = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n{head}{body}END:VCALENDAR\r\n"
    return text.replace("\n", "\r\n").replace("\r\r\n", "\r\n").encode()


SIGN_IN_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - Google Accounts</title></head>
<body><form action="/signin"><input name="identifier"></form></body></html>"""

NOT_CALENDARS = {
    "empty": (b"", "The file is empty"),
    "only spaces": (b"  \r\n\t ", "The file is empty"),
    "a sign-in page served as .ics": (
        SIGN_IN_PAGE,
        "The file is a web page (HTML), not a calendar",
    ),
    "a PNG picture": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "The file is not text"),
    "Latin-1 text": (
        b"BEGIN:VCALENDAR\r\nSUMMARY:Caf\xe9\r\nEND:VCALENDAR\r\n",
        "The file is not UTF-8 text, as calendar files are (RFC 5545): the byte at position 28",
    ),
    "an Outlook CSV export": (
        b'"Subject","Start Date","Start Time"\r\n"Lunch club","05/01/2026","14:00"\r\n',
        'a calendar begins with BEGIN:VCALENDAR, and this begins with \'"Subject","Start Date"',
    ),
    "a calendar with no events": (_calendar(), "The calendar holds no events (VEVENT)"),
    "a calendar cut off": (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nno colon here\r\n",
        "cannot be read",
    ),
}


@pytest.mark.parametrize("name", NOT_CALENDARS)
def test_a_file_that_is_not_a_calendar_says_what_it_is(name):
    data, message = NOT_CALENDARS[name]
    with pytest.raises(CalendarFileError) as refused:
        read_calendar(data)
    assert message in str(refused.value)


def test_every_event_of_a_real_export_is_read_with_its_overrides():
    entries = read_calendar((FILES / "google_export.ics").read_bytes())
    assert [e.summary for e in entries].count("Monday Lunch Club") == 3
    overrides = [e for e in entries if e.recurrence_id is not None]
    assert {e.status for e in overrides} == {"CONFIRMED", "CANCELLED"}


@pytest.mark.parametrize(
    "tzid", ['"GMT Standard Time"', "GMT Standard Time", "Europe/London", "/Europe/London"]
)
def test_windows_and_iana_zone_names_are_the_zone_database_zone(tzid):
    (entry,) = read_calendar(
        _calendar(
            f"UID:a\r\nSUMMARY:Tea\r\nDTSTART;TZID={tzid}:20260707T100000\r\n"
            f"DTEND;TZID={tzid}:20260707T110000"
        )
    )
    assert entry.problem is None
    assert entry.start.utcoffset() == datetime(2026, 7, 7, 10, tzinfo=LONDON).utcoffset()
    assert entry.start.replace(tzinfo=None) == datetime(2026, 7, 7, 10)


def test_outlooks_own_vtimezone_is_not_needed_for_a_windows_zone():
    """W. Europe Standard Time with no VTIMEZONE in the file: Berlin."""
    (entry,) = read_calendar(
        _calendar(
            "UID:a\r\nSUMMARY:Call\r\nDTSTART;TZID=W. Europe Standard Time:20260114T110000\r\n"
            "DTEND;TZID=W. Europe Standard Time:20260114T120000"
        )
    )
    assert entry.start.astimezone(LONDON).hour == 10


def test_an_unknown_zone_that_the_file_does_not_define_is_the_events_problem():
    (entry,) = read_calendar(
        _calendar("UID:a\r\nSUMMARY:Tea\r\nDTSTART;TZID=Mars/Olympus:20260107T100000")
    )
    assert entry.problem == (
        "its time zone 'Mars/Olympus' is not known and the file does not define it (VTIMEZONE)"
    )


def test_floating_times_take_the_calendars_named_zone():
    head = "X-WR-TIMEZONE:Europe/Berlin\r\n"
    (entry,) = read_calendar(
        _calendar("UID:a\r\nSUMMARY:Tea\r\nDTSTART:20260107T100000", head=head)
    )
    assert entry.start.tzinfo == ZoneInfo("Europe/Berlin")
    (floating,) = read_calendar(_calendar("UID:a\r\nSUMMARY:Tea\r\nDTSTART:20260107T100000"))
    assert floating.start.tzinfo is None


def test_a_broken_start_is_the_events_problem_not_the_files():
    first, second = read_calendar(
        _calendar("UID:a\r\nSUMMARY:Tea\r\nDTSTART:soon", "UID:b\r\nDTSTART:20260107T100000")
    )
    assert first.problem.startswith("its DTSTART cannot be read") and second.problem is None


def test_an_html_description_is_read_as_the_text_it_shows():
    (entry,) = read_calendar(
        _calendar(
            "UID:a\r\nSUMMARY:Tea\r\nDTSTART:20260107T100000\r\n"
            'DESCRIPTION:<p>Tea &amp\\; <b>cake</b></p><p onclick="x()">Bring a mug</p>'
            "<script>alert(1)</script>"
        )
    )
    assert entry.description == "Tea & cake\n\nBring a mug"


SPACES = [
    SpaceRef(1, "St Mark's Hall", "ZZ1 1AB"),
    SpaceRef(2, "Eastbrook Library", "ZZ2 2CD"),
    SpaceRef(3, "Main Hall", "ZZ3 3EF"),
    SpaceRef(4, "Small Room", "ZZ3 3EF"),
    SpaceRef(5, "Main Hall", "ZZ4 4GH"),
]

LOCATIONS = {
    "the name": ("St Mark's Hall", 1),
    "the name without punctuation, in other case": ("st marks hall", 1),
    "the name, then the address": ("Eastbrook Library, 1 Market Street, Eastbrook", 2),
    "a postcode in the text": ("Meet outside, zz2 2cd", 2),
    "a shared postcode, narrowed by the name": ("Small Room, Village Centre, ZZ3 3EF", 4),
    "a shared name, narrowed by the postcode": ("Main Hall, ZZ4 4GH", 5),
}


@pytest.mark.parametrize("name", LOCATIONS)
def test_a_location_matches_a_space_by_name_or_postcode(name):
    text, space_id = LOCATIONS[name]
    assert where(text, SPACES).space_id == space_id


def test_a_location_that_could_be_several_spaces_is_not_guessed():
    found = where("Main Hall", SPACES)
    assert found.space_id is None and found.ambiguous == ("Main Hall", "Main Hall")


def test_a_location_that_matches_nothing_keeps_its_words():
    found = where("The Old Barn, Mill Lane", SPACES)
    assert (found.space_id, found.unmatched) == (None, "The Old Barn, Mill Lane")


def test_a_web_address_is_an_online_meeting():
    assert where("https://zoom.us/j/123", SPACES).online_url == "https://zoom.us/j/123"


def test_a_uid_or_place_longer_than_the_register_keeps_is_kept_in_a_form_that_fits():
    uid, place = "x" * 400, "Hall " * 100
    (entry,) = read_calendar(
        _calendar(f"UID:{uid}\r\nSUMMARY:Tea\r\nDTSTART:20260107T100000\r\nLOCATION:{place}")
    )
    assert entry.uid.startswith("sha256:") and len(entry.uid) == 71
    assert entry.uid == read_calendar(_calendar(f"UID:{uid}\r\nDTSTART:20260107T100000"))[0].uid
    assert len(entry.location) == 300 and entry.location.endswith("…")
