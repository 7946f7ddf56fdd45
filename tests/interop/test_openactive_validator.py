"""The OpenActive feed and dataset site pass ``@openactive/data-model-validator``
(npm, run by node, offline: ``openactive_validate.js`` closes the network and
gives it the vendored Activity List), with no failure on any page; and the
validator is really checking: a wrong activity is a failure."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from datetime import date, time
from pathlib import Path

import pytest

from betterway_map import ROOT
from betterway_map.interop.openactive import feed
from betterway_map.interop.openactive.activities import ACTIVITY_LIST_FILE
from tests.factories.organisations import make_group, make_organisation, make_space

RUNNER = Path(__file__).with_name("openactive_validate.js")
VALIDATOR = ROOT / "node_modules" / "@openactive" / "data-model-validator"
NODE = shutil.which("node") or "node"


def _skip_reason() -> str | None:
    if shutil.which("node") is None:
        return "node is not installed, so @openactive/data-model-validator cannot run"
    if not VALIDATOR.is_dir():
        return "@openactive/data-model-validator is not installed: run npm ci"
    return None


pytestmark = pytest.mark.skipif(_skip_reason() is not None, reason=_skip_reason() or "")


def _validate(tmp_path: Path, documents: list[dict]) -> list[list[dict]]:
    files = []
    for number, document in enumerate(documents):
        path = tmp_path / f"document-{number}.json"
        path.write_text(json.dumps(document), encoding="utf-8")
        files.append(str(path))
    cache = tmp_path / "validator-cache"
    cache.mkdir()
    done = subprocess.run(  # noqa: S603 (node found on the PATH, our own script and files)
        [NODE, str(RUNNER), str(cache), str(ACTIVITY_LIST_FILE), *files],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)
    return [report[file] for file in files]


# RPDE's last page has "items": [] (the RPDE specification asks for it);
# the data-model validator's rule against empty arrays, meant for the data,
# flags the page wrapper too. This one finding is expected, on that page only.
LAST_PAGE_ITEMS = ("$.items", "field_is_empty")


def _failures(found: list[dict], *, last_page: bool = False) -> list[str]:
    return [
        f"{e['path']}: {e['type']}: {e['message'][:200]}"
        for e in found
        if e["severity"] == "failure"
        and not (last_page and (e["path"], e["type"]) == LAST_PAGE_ITEMS)
    ]


@pytest.fixture()
def varied_register(app, monkeypatch):
    """Groups of every shape the feed writes: each frequency, the last and
    the nth weekday of a month, paid and free, ages, mixed online, a place
    with no coordinates, an end date; and groups that are deleted items."""
    monkeypatch.setattr(feed, "SETTLE_SECONDS", 0)
    organisation = make_organisation(
        app,
        name="Eastbrook Active",
        website="https://active.example.org",
        contact_email="hello@active.example.org",
        contact_phone="01234 500600",
        description="Walks, dances and classes for everyone.",
    )
    hall = make_space(app, organisation, name="St Mary's Hall", hearing_loop=True, parking=True)
    unplaced = make_space(app, organisation, name="The Old School", latitude=None, longitude=None)
    shapes = [
        {"interests": ["walking"], "frequency": "weekly"},
        {
            "interests": ["dance", "music"],
            "frequency": "fortnightly",
            "cost_pence": 350,
            "cost_note": "tea included",
            "age_min": 55,
        },
        {
            "interests": ["exercise"],
            "frequency": "monthly",
            "nth": -1,
            "weekday": "fri",
            "age_min": 18,
            "age_max": 80,
            "online": True,
            "online_url": "https://meet.example.org/x",
        },
        {
            "interests": ["exercise", "walking"],
            "frequency": "monthly",
            "nth": 2,
            "ends_on": date(2027, 6, 30),
            "start_time": time(18, 30),
            "end_time": time(19, 15),
        },
        {"interests": ["walking"], "space": unplaced, "capacity": 12},
        {"interests": ["books"]},
        {"interests": ["walking"], "status": "paused"},
    ]
    for number, shape in enumerate(shapes):
        space = shape.pop("space", hall)
        make_group(
            app,
            organisation,
            space,
            name=f"Session {number}",
            description="A friendly group; all welcome.",
            **shape,
        )


def _pages(client) -> list[dict]:
    pages, url = [], "/openactive/session-series"
    for _ in range(20):
        body = client.get(url).get_json()
        pages.append(body)
        if not body["items"]:
            return pages
        url = body["next"].removeprefix("http://localhost")
    pytest.fail("the feed never reached an empty page")


def test_every_page_of_the_feed_passes_the_validator(
    app, client, varied_register, monkeypatch, tmp_path
):
    monkeypatch.setattr(feed, "PAGE_SIZE", 3)
    pages = _pages(client)
    assert len(pages) == 4 and sum(len(page["items"]) for page in pages) == 7
    for page, found in zip(pages, _validate(tmp_path, pages), strict=True):
        last = not page["items"]
        assert _failures(found, last_page=last) == [], json.dumps(page, indent=1)[:3000]
        assert any(e["type"] == "found_rpde_feed" for e in found)


def test_the_dataset_site_description_passes_the_validator(app, client, tmp_path):
    page = client.get("/openactive/").get_data(as_text=True)
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    description = json.loads(found.group(1))
    assert _failures(_validate(tmp_path, [description])[0]) == []


def test_an_activity_not_on_the_list_is_a_failure(app, client, varied_register, tmp_path):
    page = _pages(client)[0]
    wrong = next(item for item in page["items"] if item["state"] == "updated")
    wrong["data"]["activity"][0]["@id"] = "https://openactive.io/activity-list#not-a-concept"
    wrong["data"]["activity"][0]["prefLabel"] = "Not an activity"
    failures = _failures(_validate(tmp_path, [page])[0])
    assert any("activity" in failure for failure in failures), failures


@pytest.fixture()
def changed_group(app, monkeypatch):
    """A walking group (every Tuesday from 6 January 2026, 10am to 12pm, at
    St Mary's Hall) with a cancelled meeting, one moved to another of its
    spaces, one moved to a place a calendar named, and a one-off."""
    from datetime import datetime

    from betterway_map.extensions import db
    from betterway_map.register.models import MeetingChange, OneOffMeeting

    monkeypatch.setattr(feed, "SETTLE_SECONDS", 0)
    organisation = make_organisation(app, name="Eastbrook Active")
    hall = make_space(app, organisation, name="St Mary's Hall")
    park = make_space(app, organisation, name="The Park Pavilion")
    group = make_group(app, organisation, hall, name="Tuesday Walk", interests=["walking"])
    with app.app_context():
        db.session.add_all(
            [
                MeetingChange(
                    group_id=group, occurs_on=date(2026, 3, 3), kind="cancelled", reason="Flooded"
                ),
                MeetingChange(
                    group_id=group,
                    occurs_on=date(2026, 3, 10),
                    kind="moved",
                    moved_on=date(2026, 3, 12),
                    start_time=time(14),
                    end_time=time(16),
                    space_id=park,
                    reason="The hall is booked",
                ),
                MeetingChange(
                    group_id=group,
                    occurs_on=date(2026, 7, 7),
                    kind="moved",
                    moved_on=date(2026, 7, 7),
                    start_time=time(18),
                    end_time=time(20),
                    place="The Crown, High Street",
                ),
                OneOffMeeting(
                    organisation_id=organisation,
                    group_id=group,
                    title="Summer picnic",
                    occurs_on=date(2026, 8, 1),
                    start_time=time(12),
                    end_time=time(15),
                ),
            ]
        )
        db.session.commit()
    return {"group": group, "park": park, "when": datetime}


def test_cancelled_and_moved_meetings_are_except_dates_and_sessions_that_pass_the_validator(
    app, client, changed_group, tmp_path
):
    page = _pages(client)[0]
    (item,) = page["items"]
    series = item["data"]
    assert series["eventSchedule"][0]["exceptDate"] == ["2026-03-03", "2026-03-10", "2026-07-07"]
    sessions = series["subEvent"]
    assert [
        (s["startDate"], s["endDate"], s["eventStatus"].rsplit("/", 1)[1]) for s in sessions
    ] == [
        ("2026-03-12T14:00:00+00:00", "2026-03-12T16:00:00+00:00", "EventRescheduled"),
        ("2026-07-07T18:00:00+01:00", "2026-07-07T20:00:00+01:00", "EventRescheduled"),
        ("2026-08-01T12:00:00+01:00", "2026-08-01T15:00:00+01:00", "EventScheduled"),
    ]
    assert sessions[0]["schedulingNote"] == "Moved from Tuesday 10 March 2026: The hall is booked."
    assert sessions[0]["location"]["name"] == "The Park Pavilion"
    assert sessions[1]["location"]["name"] == "The Crown, High Street"
    assert "location" not in sessions[2] and sessions[2]["name"] == "Summer picnic"
    assert len({s["@id"] for s in sessions}) == 3
    assert _failures(_validate(tmp_path, [page])[0]) == [], json.dumps(page, indent=1)[:3000]


def test_a_wrong_except_date_is_a_failure(app, client, changed_group, tmp_path):
    """The validator really reads exceptDate: a value that is no date fails."""
    page = _pages(client)[0]
    page["items"][0]["data"]["eventSchedule"][0]["exceptDate"] = ["the third of March"]
    failures = _failures(_validate(tmp_path, [page])[0])
    assert any("exceptDate" in failure for failure in failures), failures
