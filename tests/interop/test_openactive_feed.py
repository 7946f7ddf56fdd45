"""The OpenActive RPDE feed through the site: the paging rules (ordered by
modified then id, nothing lost or read twice while items change between
requests, the last page's ``next`` is its own address), deleted items
(paused, hard-deleted, not an activity), the settle window, and bad
parameters."""

from __future__ import annotations

from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest

from betterway_map.accounts.models import User
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.interop.openactive import feed
from betterway_map.interop.openactive.feed import After, feed_page
from betterway_map.interop.openactive.mapping import Links
from betterway_map.register.models import Group, Space
from betterway_map.register.services.groups import delete_group, set_status, update_group
from betterway_map.register.services.spaces import update_space
from tests.conftest import make_user
from tests.factories.organisations import make_group, make_organisation, make_space

FEED = "/openactive/session-series"
MAX_PAGES = 50
LINKS = Links(
    group=lambda n: f"https://map.example.org/groups/{n}",
    organisation=lambda n: f"https://map.example.org/organisations/{n}",
    space=lambda n: f"https://map.example.org/spaces/{n}",
)


@pytest.fixture()
def no_settling(monkeypatch):
    """Writes are visible at once (the settle window has its own test)."""
    monkeypatch.setattr(feed, "SETTLE_SECONDS", 0)


@pytest.fixture()
def register(app):
    """An org admin's organisation with two spaces and ten groups: walking,
    dance and exercise groups (opportunities) and book clubs (not)."""
    admin = make_user(app, "org_admin")
    organisation = make_organisation(app, admin_user_id=admin)
    spaces = [make_space(app, organisation), make_space(app, organisation)]
    kinds = (["walking"], ["books"], ["dance", "music"], ["exercise"], ["social"])
    groups = [
        make_group(app, organisation, spaces[n % 2], name=f"Group {n}", interests=kinds[n % 5])
        for n in range(10)
    ]
    return {"admin": admin, "spaces": spaces, "groups": groups}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _read_all(client, start: str = FEED) -> tuple[list[dict], str, dict]:
    """Follow ``next`` from ``start`` to the empty page: the items, the last
    page's request and its body."""
    items, url = [], start
    for _ in range(MAX_PAGES):
        body = client.get(url).get_json()
        if not body["items"]:
            return items, url, body
        items.extend(body["items"])
        url = _path(body["next"])
    pytest.fail(f"no empty page after {MAX_PAGES} pages: the feed goes round in a circle")


def _admin(app, register):
    return db.session.get(User, register["admin"])


def test_items_come_in_order_of_modified_then_id_with_their_kind(
    app, client, register, no_settling
):
    items, _, _ = _read_all(client)
    keys = [(item["modified"], item["id"]) for item in items]
    assert keys == sorted(keys) and len(set(keys)) == len(keys) == 10
    assert {item["kind"] for item in items} == {"SessionSeries"}


def test_a_group_is_an_opportunity_only_when_it_does_an_activity(
    app, client, register, no_settling
):
    items, _, _ = _read_all(client)
    state = {item["id"]: item["state"] for item in items}
    groups = register["groups"]
    assert [state[groups[n]] for n in range(5)] == [
        "updated",  # walking
        "deleted",  # books: not on the Activity List
        "updated",  # dance
        "updated",  # exercise
        "deleted",  # coffee and a chat
    ]


def test_the_last_page_next_is_its_own_address(app, client, register, no_settling):
    _, last_request, body = _read_all(client)
    assert body["items"] == [] and _path(body["next"]) == last_request
    assert client.get(last_request).get_json()["next"] == body["next"]


def test_an_empty_feed_points_back_at_itself(app, client, no_settling):
    body = client.get(FEED).get_json()
    assert body == {
        "next": "http://localhost" + FEED,
        "items": [],
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }


def test_deleted_items_carry_no_data(app, client, register, no_settling):
    items, _, _ = _read_all(client)
    for item in items:
        assert ("data" in item) == (item["state"] == "updated")


def _consume(app, changes, page_size=3) -> tuple[dict, list]:
    """A consumer reading pages of ``page_size`` through the service, with
    ``changes[n]`` run between page n and n + 1: what it ends up holding
    (id -> (modified, state)), and every (id, modified) it read."""
    held, read, after = {}, [], None
    for number in range(MAX_PAGES):
        with app.app_context():
            page = feed_page(after, LINKS, page_size=page_size)
        for item in page.items:
            read.append((item["id"], item["modified"]))
            held[item["id"]] = (item["modified"], item["state"])
        if not page.items:
            return held, read
        after = page.last
        if number < len(changes):
            with app.app_context():
                changes[number]()
    pytest.fail(f"no empty page after {MAX_PAGES} pages: the feed goes round in a circle")


def test_nothing_is_lost_or_read_twice_while_groups_change(app, register, no_settling):
    groups, spaces = register["groups"], register["spaces"]

    def admin():
        return db.session.get(User, register["admin"])

    changes = [
        # A group already read is renamed: read again, later, in its new version.
        lambda: update_group(admin(), groups[0], {"name": "Renamed walk"}),
        # A group not yet read is paused: read once, as deleted.
        lambda: set_status(admin(), groups[8], "paused"),
        # A group is deleted outright; another stops being an activity.
        lambda: delete_group(admin(), groups[3]),
        lambda: update_group(admin(), groups[2], {"interests": ["music"]}),
        # A space changes: every group there is a new version.
        lambda: update_space(admin(), spaces[1], {"name": "New name for the hall"}),
        # A book club becomes a walking group.
        lambda: update_group(admin(), groups[6], {"interests": ["walking"]}),
    ]
    held, read = _consume(app, changes)
    assert len(read) == len(set(read)), "an item was read twice in the same version"
    with app.app_context():
        fresh = feed_page(None, LINKS, page_size=1000)
    assert held == {item["id"]: (item["modified"], item["state"]) for item in fresh.items}
    assert held[groups[3]][1] == "deleted" and held[groups[8]][1] == "deleted"
    assert held[groups[2]][1] == "deleted" and held[groups[6]][1] == "updated"


def test_a_change_to_the_space_or_organisation_is_a_new_version(app, register, no_settling):
    with app.app_context():
        before = {i["id"]: i["modified"] for i in feed_page(None, LINKS, page_size=100).items}
        space = db.session.get(Space, register["spaces"][0])
        space.step_free = False
        db.session.commit()
        after = {i["id"]: i["modified"] for i in feed_page(None, LINKS, page_size=100).items}
        at_space = {g.id for g in db.session.scalars(db.select(Group).filter_by(space_id=space.id))}
    changed = {number for number in before if after[number] != before[number]}
    assert changed == at_space and all(after[n] > before[n] for n in changed)


def test_a_group_deleted_outright_is_a_deleted_item_at_the_moment_it_went(
    app, register, no_settling
):
    group_id = register["groups"][0]
    with app.app_context():
        delete_group(db.session.get(User, register["admin"]), group_id)
        items = {i["id"]: i for i in feed_page(None, LINKS, page_size=100).items}
        others = [i["modified"] for n, i in items.items() if n != group_id]
    assert items[group_id] == {
        "state": "deleted",
        "kind": "SessionSeries",
        "id": group_id,
        "modified": items[group_id]["modified"],
    }
    assert items[group_id]["modified"] > max(others)


def test_an_id_used_again_is_the_new_group_not_the_deleted_one(app, register, no_settling):
    """SQLite may give a deleted group's id to the next group."""
    group_id = register["groups"][-1]
    with app.app_context():
        delete_group(db.session.get(User, register["admin"]), group_id)
        group = db.session.get(Group, register["groups"][0])
        clone = Group(**{c.key: getattr(group, c.key) for c in Group.__table__.columns})
        clone.id, clone.updated_at = group_id, None
        db.session.add(clone)
        db.session.commit()
        items = [i for i in feed_page(None, LINKS, page_size=100).items if i["id"] == group_id]
    assert [item["state"] for item in items] == ["updated"]


def test_changes_of_the_last_seconds_are_held_back(app, register):
    now = utcnow()
    with app.app_context():
        assert feed_page(None, LINKS, now=now).items == []
        later = now + timedelta(seconds=feed.SETTLE_SECONDS + 1)
        assert len(feed_page(None, LINKS, now=later).items) == 10


def test_a_page_starts_after_the_item_it_names(app, register, no_settling):
    with app.app_context():
        first = feed_page(None, LINKS, page_size=4)
        second = feed_page(first.last, LINKS, page_size=4)
        same_moment = feed_page(After(first.last.timestamp, 0), LINKS, page_size=1)
    assert second.items[0]["modified"] >= first.items[-1]["modified"]
    assert {i["id"] for i in first.items}.isdisjoint(i["id"] for i in second.items)
    assert same_moment.items[0]["modified"] >= first.last.timestamp


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("afterTimestamp=12", "afterId"),
        ("afterId=3", "afterTimestamp"),
        ("afterTimestamp=yesterday&afterId=3", "afterTimestamp"),
        ("afterTimestamp=-5&afterId=3", "afterTimestamp"),
        ("afterTimestamp=1&afterId=3.5", "afterId"),
        ("afterTimestamp=99999999999999999999&afterId=1", "afterTimestamp"),
        ("afterTimestamp=1&afterId=99999999999999999999", "afterId"),
        ("afterTimestamp=%D9%A3&afterId=1", "afterTimestamp"),
    ],
)
def test_a_bad_parameter_is_a_400_naming_it(app, client, query, named):
    response = client.get(f"{FEED}?{query}")
    assert response.status_code == 400 and response.is_json
    assert named in response.get_json()["message"]


def test_anyone_may_read_the_feed_from_any_site(app, client, register, no_settling):
    response = client.get(FEED)
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Cache-Control"] == "public, max-age=3600"


def test_the_dataset_site_lists_the_feed(app, client):
    page = client.get("/openactive/").get_data(as_text=True)
    assert "http://localhost/openactive/session-series" in page
    assert '"@type": "Dataset"' in page and "application/vnd.openactive.rpde+json" in page


def test_every_change_to_a_groups_meetings_is_a_new_version_of_its_item(app, register, no_settling):
    """Cancelling, moving, undoing, adding and deleting a one-off: each gives
    the group's item a later ``modified`` (and only that group's), and the
    item then says so (``exceptDate``, ``subEvent``)."""
    from betterway_map.domain.clock import today_in_uk
    from betterway_map.register.services import meeting_changes as change
    from tests.factories.calendars import first_weekday_after

    group_id = register["groups"][0]  # a walking group, every Tuesday
    tuesday = first_weekday_after(today_in_uk(), 1)
    thursday = tuesday + timedelta(days=2)

    def admin():
        return db.session.get(User, register["admin"])

    def items():
        return {i["id"]: i for i in feed_page(None, LINKS, page_size=100).items}

    steps = [
        lambda: change.cancel_meeting(admin(), group_id, {"occurs_on": tuesday}),
        lambda: change.restore_meeting(admin(), group_id, _change_id()),
        lambda: change.move_meeting(
            admin(), group_id, {"occurs_on": tuesday, "moved_on": thursday}
        ),
        lambda: change.add_one_off(
            admin(),
            group_id,
            {
                "title": "Picnic",
                "occurs_on": thursday + timedelta(days=1),
                "start_time": time(12),
                "end_time": time(14),
            },
        ),
        lambda: change.delete_one_off(admin(), _one_off_id()),
    ]
    seen = []
    with app.app_context():
        before = items()
        for step in steps:
            step()
            after = items()
            assert after[group_id]["modified"] > before[group_id]["modified"]
            assert all(
                after[n]["modified"] == before[n]["modified"] for n in after if n != group_id
            )
            seen.append(after[group_id]["data"])
            before = after
    schedules = [data["eventSchedule"][0].get("exceptDate") for data in seen]
    assert schedules == [
        [tuesday.isoformat()],
        None,
        [tuesday.isoformat()],
        [tuesday.isoformat()],
        [tuesday.isoformat()],
    ]
    assert [len(data.get("subEvent", [])) for data in seen] == [0, 0, 1, 2, 1]


def _change_id() -> int:
    from betterway_map.register.models import MeetingChange

    return db.session.scalar(db.select(MeetingChange.id))


def _one_off_id() -> int:
    from betterway_map.register.models import OneOffMeeting

    return db.session.scalar(db.select(OneOffMeeting.id))
