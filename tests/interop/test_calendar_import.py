"""Importing an organisation's calendar: three hand-made real-world exports
whose import is worked out below, importing again (nothing added twice;
updates by UID), an admin's own changes kept, bad files refused with
nothing written, all or nothing, who may import, and the command.

Each import is on 1 January 2026 (``TODAY``) unless said otherwise.
"""

from __future__ import annotations

import html
import re
from datetime import date, time
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import func, select

from betterway_map.errors import Conflict, Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.interop.calendars.imports import service
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting
from tests.conftest import make_user
from tests.factories.calendars import upcoming_calendar
from tests.factories.organisations import make_organisation, make_space

FILES = Path(__file__).parent / "calendar_files"
TODAY = date(2026, 1, 1)


@pytest.fixture()
def org(app):
    admin = make_user(app, "org_admin")
    organisation_id = make_organisation(app, admin, name="Eastbrook Friends")
    hall = make_space(
        app, organisation_id, name="St Mark's Hall", address="12 Church Lane", postcode="ZZ1 1AB"
    )
    library = make_space(
        app,
        organisation_id,
        name="Eastbrook Library",
        address="1 Market Street",
        postcode="ZZ2 2CD",
    )
    return SimpleNamespace(id=organisation_id, admin=admin, hall=hall, library=library)


def _import(app, org, data, *, today=TODAY, user=None, source="calendar.ics"):
    if isinstance(data, str):
        data = (FILES / data).read_bytes()
    with app.app_context():
        user = db.session.get(service.User, user) if user else None
        return service.import_calendar(user, org.id, data, source, today=today)


def _register(app) -> dict:
    """Every group (by name) with its schedule, place and changes, and every
    event of the organisation: what the import wrote, as plain values."""
    with app.app_context():
        found = {}
        for group in db.session.scalars(select(Group)):
            found[group.name] = {
                "when": (
                    group.frequency,
                    group.weekday,
                    group.nth,
                    group.start_time,
                    group.end_time,
                    group.starts_on,
                    group.ends_on,
                ),
                "where": (group.space_id, group.online, group.online_url),
                "changes": sorted(
                    (c.occurs_on, c.kind, c.moved_on, c.start_time, c.end_time, c.space_id)
                    for c in group.changes
                ),
                "extras": sorted((o.occurs_on, o.start_time, o.end_time) for o in group.one_offs),
                "description": group.description,
            }
        events = db.session.scalars(select(OneOffMeeting).where(OneOffMeeting.group_id.is_(None)))
        found["events"] = sorted(
            (e.title, e.occurs_on, e.start_time, e.end_time, e.space_id, e.place) for e in events
        )
        return found


def _counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model))
            for model in (Group, MeetingChange, OneOffMeeting)
        )


def test_a_google_export_imports_as_worked_out(app, org):
    report = _import(app, org, "google_export.ics")
    found = _register(app)
    # Every Monday 2pm-4pm at St Mark's Hall (its LOCATION's first part): two
    # EXDATEs (Easter Monday, the late May bank holiday), one instance
    # cancelled by an override (9 March), and 2 March moved by an override
    # to Tuesday 3 March at the Library (its postcode is in the LOCATION).
    lunch = found["Monday Lunch Club"]
    assert lunch["when"] == ("weekly", "mon", None, time(14), time(16), date(2026, 1, 5), None)
    assert lunch["where"] == (org.hall, False, None)
    assert lunch["changes"] == [
        (date(2026, 3, 2), "moved", date(2026, 3, 3), time(14), time(16), org.library),
        (date(2026, 3, 9), "cancelled", None, None, None, None),
        (date(2026, 4, 6), "cancelled", None, None, None, None),
        (date(2026, 5, 25), "cancelled", None, None, None, None),
    ]
    # Google keeps descriptions as HTML: the text it shows is imported.
    assert (
        lunch["description"] == "Hot lunch and a chat.\n£3.50 each – pay on the door.\nSee the menu"
    )
    # The second Tuesday, 7pm-8:30pm, until 8 December (UNTIL 19:00Z is 7pm GMT).
    carers = found["Carers' Evening"]
    assert carers["when"] == (
        "monthly",
        "tue",
        2,
        time(19),
        time(20, 30),
        date(2026, 1, 13),
        date(2026, 12, 8),
    )
    assert carers["where"] == (org.library, False, None)
    # Single events: the fair all day, in its own words (no space matches);
    # the walk at 10am BST (09:00Z), at the Library by its postcode. The
    # coffee morning of November 2025 is over: not imported.
    assert found["events"] == [
        ("Guided Walk", date(2026, 6, 12), time(10), time(12), org.library, None),
        ("Summer Fair", date(2026, 7, 4), None, None, None, "Eastbrook Green"),
    ]
    assert "Chair Yoga" not in found
    assert report.created == {"groups": 2, "events": 2}
    assert report.skipped == [
        (
            "'Chair Yoga' (from Monday 5 January 2026)",
            "it meets on more than one day (Monday and Thursday); a group meets on one day of "
            "the week: add a group for each day",
        ),
        ("'Coffee morning' (from Saturday 15 November 2025)", "it was over before today"),
    ]
    assert report.notes == [
        (
            "'Summer Fair' (from Saturday 4 July 2026)",
            "its place 'Eastbrook Green' matches none of Eastbrook Friends's spaces (by name or "
            "postcode); it is shown in those words",
        )
    ]
    assert report.extra[0] == (
        "Created the group 'Monday Lunch Club': Every Monday, 2pm to 4pm, from Monday 5 January "
        "2026 at St Mark's Hall; meetings 3 cancelled, 1 moved."
    )


def test_an_outlook_export_with_windows_zones_imports_as_worked_out(app, org):
    report = _import(app, org, "outlook_export.ics")
    found = _register(app)
    # "GMT Standard Time" is UK time. WKST=SU does not change a weekly rule.
    # EXDATE holds two dates in one line; 14 April is moved to Thursday 16
    # April, 2pm-4pm, at the same place.
    knit = found["Knit and Natter"]
    assert knit["when"] == ("weekly", "tue", None, time(10), time(12), date(2026, 1, 6), None)
    assert knit["changes"] == [
        (date(2026, 4, 14), "moved", date(2026, 4, 16), time(14), time(16), None),
        (date(2026, 12, 22), "cancelled", None, None, None, None),
        (date(2026, 12, 29), "cancelled", None, None, None, None),
    ]
    # BYDAY=FR;BYSETPOS=-1 is the last Friday; COUNT=6 from January ends in June.
    assert found["Memory Café"]["when"] == (
        "monthly",
        "fri",
        -1,
        time(10),
        time(11, 30),
        date(2026, 1, 30),
        date(2026, 6, 26),
    )
    assert found["Memory Café"]["where"][0] == org.library
    # 11am in "W. Europe Standard Time" (Berlin) is 10am here all year: the
    # clocks change together. Its LOCATION is a Teams link: it meets online.
    twinning = found["Twinning Association call"]
    assert twinning["when"] == ("monthly", "wed", 2, time(10), time(11), date(2026, 1, 14), None)
    assert twinning["where"] == (
        None,
        True,
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_abc",
    )
    # 3pm Eastern is 8pm here, but 7pm in the weeks the US has changed its
    # clocks and the UK has not: no one UK time, so it is skipped, saying so.
    assert "Call with our Boston partners" not in found
    ((_, why),) = report.skipped
    assert why.startswith("in UK time it meets at 8pm on some days and at 7pm on Tuesday 10 March")


def test_floating_times_an_off_rule_start_an_rdate_and_all_day_events(app, org):
    report = _import(app, org, "apple_floating.ics")
    found = _register(app)
    # Floating times are UK time. DTSTART (Wednesday 7 January) is not on its
    # rule (every other Thursday): RFC 5545 makes it the first meeting, so it
    # is an extra meeting, and the rule's meetings start on 8 January. The
    # RDATE (12 March, a Thursday between two meetings) is an extra one too;
    # the EXDATE cancels 19 February.
    shed = found["Men's Shed"]
    assert shed["when"] == (
        "fortnightly",
        "thu",
        None,
        time(18, 30),
        time(20),
        date(2026, 1, 8),
        None,
    )
    assert shed["extras"] == [
        (date(2026, 1, 7), time(18, 30), time(20)),
        (date(2026, 3, 12), time(18, 30), time(20)),
    ]
    assert shed["changes"] == [(date(2026, 2, 19), "cancelled", None, None, None, None)]
    # No space is called The Old Barn: the group has no place, and the report says so.
    assert shed["where"] == (None, False, None)
    assert "choose its place on its manage page" in report.notes[0][1]
    # A repeating all-day event and a three-day event are not groups or events here.
    assert [why for _, why in report.skipped] == [
        "it repeats all day; a group meets at a time of day: add it by hand",
        "it lasts 3 days; an event here is on one day",
    ]


@pytest.mark.parametrize("name", ["google_export.ics", "outlook_export.ics", "apple_floating.ics"])
def test_importing_the_same_calendar_again_adds_nothing_and_says_so(app, org, name):
    first = _import(app, org, name)
    before, counts = _register(app), _counts(app)
    again = _import(app, org, name)
    assert _register(app) == before and _counts(app) == counts
    assert not +again.created and not +again.updated
    assert again.unchanged == first.created


def test_importing_a_changed_calendar_updates_by_uid(app, org):
    _import(app, org, "google_export.ics")
    text = (FILES / "google_export.ics").read_bytes().decode()
    start, end = "DTSTART;TZID=Europe/London:2026010", "DTEND;TZID=Europe/London:2026010"
    changed = (
        text.replace(f"{start}5T140000", f"{start}5T133000")
        .replace(f"{end}5T160000", f"{end}5T153000")
        .replace("EXDATE;TZID=Europe/London:20260525T140000\r\n", "")
        .replace(
            "STATUS:CONFIRMED\r\nSUMMARY:Summer Fair", "STATUS:CANCELLED\r\nSUMMARY:Summer Fair"
        )
        .replace("SUMMARY:Carers' Evening", "SUMMARY:Carers' Evening (for unpaid carers)")
    )
    report = _import(app, org, changed.encode())
    found = _register(app)
    lunch = found["Monday Lunch Club"]
    assert lunch["when"][3:5] == (time(13, 30), time(15, 30))
    assert date(2026, 5, 25) not in [change[0] for change in lunch["changes"]]
    assert "Carers' Evening (for unpaid carers)" in found and "Carers' Evening" not in found
    assert [event[0] for event in found["events"]] == ["Guided Walk"]
    assert report.updated == {"groups": 2, "events": 1}
    assert sorted(report.extra) == [
        "Removed the event 'Summer Fair' (from Saturday 4 July 2026): it is cancelled in the "
        "calendar.",
        "Updated the group 'Carers' Evening (for unpaid carers)': name.",
        "Updated the group 'Monday Lunch Club': start time, end time, cancelled or moved meetings.",
    ]
    assert _counts(app)[0] == 2  # still two groups: updated, not added


def test_an_admins_own_change_is_kept_when_the_calendar_is_imported_again(app, org):
    """The calendar moved 2 March; the admin cancels it here instead, and
    cancels 1 June too. Importing again keeps both."""
    from betterway_map.register.services.meeting_changes import cancel_meeting

    _import(app, org, "google_export.ics")
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.name == "Monday Lunch Club"))
        admin = db.session.get(service.User, org.admin)
        cancel_meeting(
            admin, group.id, {"occurs_on": date(2026, 3, 2), "reason": "Hall flooded"}, TODAY
        )
        cancel_meeting(admin, group.id, {"occurs_on": date(2026, 6, 1), "reason": None}, TODAY)
    report = _import(app, org, "google_export.ics")
    with app.app_context():
        kept = {
            (c.occurs_on, c.reason, c.source)
            for c in db.session.scalars(select(MeetingChange).where(MeetingChange.source.is_(None)))
        }
    assert kept == {(date(2026, 3, 2), "Hall flooded", None), (date(2026, 6, 1), None, None)}
    assert any(
        "Monday 2 March 2026 was changed on this site, which is kept" in n for _, n in report.notes
    )


BAD_FILES = {
    "empty": b"",
    "a sign-in page": b"<!DOCTYPE html><html><head><title>Sign in</title></head></html>",
    "binary": b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00",
    "no events": b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_a_file_that_is_not_a_calendar_is_refused_and_nothing_is_written(app, org, name):
    _import(app, org, "apple_floating.ics")
    before = _counts(app)
    with pytest.raises(InvalidInput) as refused:
        _import(app, org, BAD_FILES[name], source="work.ics")
    assert refused.value.message.startswith("work.ics: The ")
    assert refused.value.message.endswith("Nothing was imported.")
    assert _counts(app) == before


def test_a_failure_while_writing_leaves_nothing_written(app, org, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(service.audit, "record", fail)
    with pytest.raises(RuntimeError):
        _import(app, org, "google_export.ics")
    assert _counts(app) == (0, 0, 0)


def test_an_import_that_collides_with_another_saved_meanwhile_is_refused(app, org, monkeypatch):
    """Two imports of one calendar at once: the second to commit breaks the
    one-UID-per-organisation index, and is refused with a message, not a 500."""
    from sqlalchemy.exc import IntegrityError

    real_write = service._write

    def write_then_collide(plan, organisation_id):
        real_write(plan, organisation_id)
        raise IntegrityError("INSERT INTO groups", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(service, "_write", write_then_collide)
    with pytest.raises(Conflict, match="another import for Eastbrook Friends was saved while"):
        _import(app, org, "google_export.ics")
    assert _counts(app) == (0, 0, 0)


def test_only_an_admin_of_the_organisation_may_import(app, org):
    other = make_user(app, "org_admin")
    with pytest.raises(Forbidden):
        _import(app, org, "google_export.ics", user=other)
    report = _import(app, org, "google_export.ics", user=org.admin)
    assert report.created == {"groups": 2, "events": 2}


def test_the_upload_page_imports_a_file_and_shows_the_report(app, org, client, post_form):
    from tests.conftest import login

    login(client, app, org.admin)
    answer = post_form(
        client,
        f"/organisations/{org.id}/calendar/import",
        {"calendar": (BytesIO(upcoming_calendar()), "club.ics")},
        content_type="multipart/form-data",
    )
    page = html.unescape(answer.get_data(as_text=True))
    assert answer.status_code == 200
    assert re.search(r"club\.ics: read 4 records \([\d,]+ a second\)\.", page)
    assert "created: 1 events, 1 groups; updated: none; unchanged: none; skipped: 1." in page
    assert "Skipped 'Chair Yoga' (from " in page and "it meets on more than one day" in page
    assert "its place 'The Crown, High Street' matches none of Eastbrook Friends's spaces" in page


@pytest.mark.parametrize(
    "fields, message",
    [
        ({}, "Choose the calendar file (.ics) to import, or give its web address."),
        ({"file": b"<html><body>Sign in</body></html>"}, "The file is a web page (HTML)"),
        ({"url": "https://calendar.example.org/basic.ics"}, "CALENDAR_FETCH is off"),
    ],
    ids=["nothing", "a sign-in page", "an address while fetching is off"],
)
def test_the_upload_page_refuses_with_a_clear_message(app, org, client, post_form, fields, message):
    from tests.conftest import login

    login(client, app, org.admin)
    data = {"url": fields.get("url", "")}
    if "file" in fields:
        data["calendar"] = (BytesIO(fields["file"]), "basic.ics")
    answer = post_form(
        client,
        f"/organisations/{org.id}/calendar/import",
        data,
        content_type="multipart/form-data",
    )
    assert answer.status_code == 400
    assert message in html.unescape(answer.get_data(as_text=True))
    assert _counts(app) == (0, 0, 0)


def test_the_command_imports_a_file_for_an_organisation_named(app, org, runner, tmp_path):
    path = tmp_path / "club.ics"
    path.write_bytes(upcoming_calendar())
    result = runner.invoke(
        args=["calendars", "import", str(path), "--organisation", "eastbrook friends"]
    )
    assert result.exit_code == 0, result.output
    assert f"{path}: read 4 records" in result.output
    assert "created: 1 events, 1 groups;" in result.output
    assert "Skipped 'Chair Yoga' (from" in result.output
    assert _counts(app) == (1, 2, 1)  # a group, a cancelled and a moved meeting, an event


def test_the_command_dry_run_writes_nothing(app, org, runner):
    path = FILES / "outlook_export.ics"
    result = runner.invoke(
        args=["calendars", "import", str(path), "--organisation", str(org.id), "--dry-run"]
    )
    assert result.exit_code == 0 and "Dry run: nothing was written." in result.output
    assert _counts(app) == (0, 0, 0)


@pytest.mark.parametrize(
    "source, organisation, message",
    [
        (
            "missing.ics",
            "Eastbrook Friends",
            "There is no file 'missing.ics'. Nothing was imported.",
        ),
        ("apple_floating.ics", "Nobody", "no organisation is named 'Nobody'"),
        ("webcal://calendar.example.org/a.ics", "Eastbrook Friends", "CALENDAR_FETCH is off"),
    ],
)
def test_the_command_refuses_with_a_clear_message(app, org, runner, source, organisation, message):
    if source == "apple_floating.ics":
        source = str(FILES / source)
    result = runner.invoke(args=["calendars", "import", source, "--organisation", organisation])
    assert result.exit_code == 1 and message in result.output
    assert _counts(app) == (0, 0, 0)


def test_a_repeating_event_with_no_place_becomes_a_group_to_place_by_hand(app, org):
    data = (
        b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\nBEGIN:VEVENT\r\nUID:tea@x\r\n"
        b"SUMMARY:Tea Dance\r\nDTSTART;TZID=Europe/London:20260109T140000\r\n"
        b"DTEND;TZID=Europe/London:20260109T160000\r\nRRULE:FREQ=WEEKLY\r\nEND:VEVENT\r\n"
        b"END:VCALENDAR\r\n"
    )
    report = _import(app, org, data)
    assert _register(app)["Tea Dance"]["where"] == (None, False, None)
    assert report.notes == [
        (
            "'Tea Dance' (from Friday 9 January 2026)",
            "it says no place (LOCATION); choose its place on its manage page",
        )
    ]


def test_a_calendar_that_changes_only_a_groups_meetings_is_a_new_version_of_the_group(app, org):
    """One date less left out (``EXDATE``): the group's own details are the
    same, but its meetings are not, so the feeds that carry them (OpenActive's
    ``modified``, ORUK's ``last_modified``) must carry a new version."""
    _import(app, org, "google_export.ics")
    with app.app_context():
        before = db.session.scalar(
            select(Group.updated_at).where(Group.name == "Monday Lunch Club")
        )
    fewer = (
        (FILES / "google_export.ics")
        .read_bytes()
        .replace(b"EXDATE;TZID=Europe/London:20260525T140000\r\n", b"")
    )
    assert fewer != (FILES / "google_export.ics").read_bytes()
    _import(app, org, fewer)
    with app.app_context():
        group = db.session.scalar(select(Group).where(Group.name == "Monday Lunch Club"))
        assert date(2026, 5, 25) not in {c.occurs_on for c in group.changes}
        assert group.updated_at > before
