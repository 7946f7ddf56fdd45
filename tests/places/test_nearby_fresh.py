"""Nearby search keeps the register's index in each process, and a write
through the services is seen by the very next search (the table versions),
whether the search reads the tables' versions in its session's transaction
(a postcode: the gazetteer was read first) or on the connection each
process keeps for them (a point: nothing read before)."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import event

from betterway_map.accounts.models import User
from betterway_map.database import known_table_versions
from betterway_map.extensions import db
from betterway_map.places.index import INDEX_TABLES
from betterway_map.register.services import groups as group_service
from betterway_map.register.services import spaces as space_service
from tests.conftest import make_user
from tests.factories.nearby import ORIGIN, POSTCODE, add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation


@pytest.fixture()
def hall(app):
    """A space 0.5 km from the postcode with a group, run by an organisation admin."""
    add_postcode(app)
    user_id = make_user(app, "org_admin")
    org = make_organisation(app, admin_user_id=user_id)
    space = space_at(app, org, 0.5)
    return {"user": user_id, "org": org, "space": space, "group": make_group(app, org, space)}


BY_POSTCODE = {"postcode": POSTCODE}
BY_POINT = {"lat": str(ORIGIN[0]), "lon": str(ORIGIN[1])}


def _found(client, where: dict) -> set:
    response = client.get("/api/v1/nearby", query_string=where)
    assert response.status_code == 200, response.get_json()
    return {(item["kind"], item["id"]) for item in response.get_json()["items"]}


def _pause_group(user, ids):
    group_service.set_status(user, ids["group"], "paused")
    return set(), {("group", ids["group"])}


def _move_space_away(user, ids):
    space_service.update_space(user, ids["space"], {"latitude": 40.0, "longitude": 0.0})
    return set(), {("space", ids["space"]), ("group", ids["group"])}


def _add_group(user, ids):
    group = group_service.create_group(
        user,
        {"organisation_id": ids["org"], "name": "New club", "space_id": ids["space"],
         "frequency": "weekly", "weekday": "wed", "start_time": time(10),
         "end_time": time(11), "starts_on": date(2026, 1, 7)},
    )  # fmt: skip
    return {("group", group.id)}, set()


@pytest.mark.parametrize("where", [BY_POSTCODE, BY_POINT], ids=["postcode", "point"])
@pytest.mark.parametrize("write", [_pause_group, _move_space_away, _add_group])
def test_a_write_is_seen_by_the_next_search(app, client, hall, write, where):
    before = _found(client, where)  # the index is built now, and kept
    assert ("group", hall["group"]) in before
    with app.app_context():
        appears, disappears = write(db.session.get(User, hall["user"]), hall)
    assert _found(client, where) == (before | appears) - disappears


@pytest.mark.parametrize("where", [BY_POSTCODE, BY_POINT], ids=["postcode", "point"])
def test_what_a_result_shows_is_the_record_as_written_last(app, client, hall, where):
    """What each result shows is kept with the index between searches
    (``results.Shown``), and goes with it at the next write."""

    def shown() -> dict:
        response = client.get("/api/v1/nearby", query_string=where)
        return {(i["kind"], i["id"]): (i["name"], i["where"], i["cost_label"])
                for i in response.get_json()["items"]}  # fmt: skip

    before = shown()
    assert shown() == before  # the second search: from what was kept
    with app.app_context():
        user = db.session.get(User, hall["user"])
        group_service.update_group(user, hall["group"], {"name": "Renamed club", "cost_pence": 150})
        space_service.update_space(user, hall["space"], {"name": "Renamed hall"})
    after = shown()
    name, where_text, cost = after[("group", hall["group"])]
    assert name == "Renamed club" and where_text.startswith("Renamed hall, ")
    assert cost == "£1.50"
    assert after[("space", hall["space"])][0] == "Renamed hall"


def test_a_warm_search_from_a_point_takes_no_connection_from_the_pool(app, client, hall):
    """Its versions are read on the connection kept for them: no checkout,
    no transaction begun and rolled back for one small query."""
    with app.app_context():
        # As the migrations leave them: every table has a version (the
        # tests' emptying of the tables removes them).
        known_table_versions(*INDEX_TABLES)
        engine = db.engine
    _found(client, BY_POINT)  # builds the index
    checkouts = []

    def count(*args):
        checkouts.append(1)

    event.listen(engine, "checkout", count)
    try:
        assert ("group", hall["group"]) in _found(client, BY_POINT)
    finally:
        event.remove(engine, "checkout", count)
    assert checkouts == []
