"""Nearby search keeps the register's index in each process, and a write
through the services is seen by the very next search (the table versions)."""

from __future__ import annotations

from datetime import date, time

import pytest

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.register.services import groups as group_service
from betterway_map.register.services import spaces as space_service
from tests.conftest import make_user
from tests.factories.nearby import POSTCODE, add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation


@pytest.fixture()
def hall(app):
    """A space 0.5 km from the postcode with a group, run by an organisation admin."""
    add_postcode(app)
    user_id = make_user(app, "org_admin")
    org = make_organisation(app, admin_user_id=user_id)
    space = space_at(app, org, 0.5)
    return {"user": user_id, "org": org, "space": space, "group": make_group(app, org, space)}


def _found(client) -> set:
    body = client.get("/api/v1/nearby", query_string={"postcode": POSTCODE}).get_json()
    return {(item["kind"], item["id"]) for item in body["items"]}


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


@pytest.mark.parametrize("write", [_pause_group, _move_space_away, _add_group])
def test_a_write_is_seen_by_the_next_search(app, client, hall, write):
    before = _found(client)  # the index is built now, and kept
    with app.app_context():
        appears, disappears = write(db.session.get(User, hall["user"]), hall)
    assert _found(client) == (before | appears) - disappears
