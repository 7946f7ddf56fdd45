"""The SQL of nearby search: candidates from the spatial index.

Spaces inside the bounding box are read through ``ix_spaces_lat_lon`` (one
query); then the active groups passing the filters at those of them within
the radius, by ``space_id`` (a second query). Only the columns the results
show are read, as plain rows. Offers of help and the count of online groups
are one query each, made only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import and_, func, or_, select

from betterway_map.database import json_list_contains
from betterway_map.domain.geo.distance import BoundingBox
from betterway_map.extensions import db
from betterway_map.people.models import HelpListing, Person
from betterway_map.people.services.consent import PUBLISH_OFFER, consented, withdrawn
from betterway_map.register.models import Group, Space

__all__ = ["Filters", "space_rows", "group_rows", "offer_rows", "online_group_count"]

_SPACE_COLUMNS = (
    Space.id.label("space_id"),
    Space.name.label("space_name"),
    Space.address,
    Space.postcode,
    Space.latitude,
    Space.longitude,
    Space.step_free,
    Space.hearing_loop,
    Space.accessible_toilet,
    Space.parking,
    Space.hire_cost_pence,
)
_GROUP_COLUMNS = (
    Group.id.label("group_id"),
    Group.name.label("group_name"),
    Group.online,
    Group.frequency,
    Group.weekday,
    Group.nth,
    Group.start_time,
    Group.end_time,
    Group.starts_on,
    Group.ends_on,
    Group.cost_pence,
    Group.cost_note,
)
_NOON, _FIVE_PM = time(12), time(17)
# Bound parameters per IN list, well below SQLite's limit.
_IDS_PER_QUERY = 5000


@dataclass(frozen=True)
class Filters:
    """What to show. Group filters (interest, days, times, audience) also
    limit spaces to those where a matching group meets."""

    what: frozenset = frozenset({"group", "space"})
    interest: str | None = None
    days: tuple = ()
    times: tuple = ()
    free: bool = False
    step_free: bool = False
    audience: str | None = None

    @property
    def about_groups(self) -> bool:
        return bool(self.interest or self.days or self.times or self.audience)


def _group_conditions(filters: Filters) -> list:
    """The filters' conditions on groups. Not the status: it is checked on the
    rows read, because a condition on the indexed status column leads SQLite's
    planner (which has no statistics) to walk that far less selective index
    instead of looking groups up by space."""
    conditions = []
    if filters.interest:
        conditions.append(json_list_contains(Group.interests, filters.interest))
    if filters.audience and filters.audience != "everyone":
        # A group for everyone is a group for older people, carers and parents too.
        conditions.append(
            or_(
                json_list_contains(Group.audiences, filters.audience),
                json_list_contains(Group.audiences, "everyone"),
            )
        )
    if filters.days:
        conditions.append(Group.weekday.in_(filters.days))
    if filters.times:
        ranges = {
            "morning": Group.start_time < _NOON,
            "afternoon": and_(Group.start_time >= _NOON, Group.start_time < _FIVE_PM),
            "evening": Group.start_time >= _FIVE_PM,
        }
        conditions.append(or_(*(ranges[part] for part in filters.times)))
    if filters.free:
        conditions.append(Group.cost_pence == 0)
    return conditions


def _in_box(latitude, longitude, box: BoundingBox):
    return and_(
        latitude.between(box.south, box.north),
        or_(*(longitude.between(west, east) for west, east in box.longitudes)),
    )


def space_rows(box: BoundingBox, filters: Filters) -> list:
    """Spaces in the box (read through ``ix_spaces_lat_lon``)."""
    query = select(*_SPACE_COLUMNS).where(_in_box(Space.latitude, Space.longitude, box))
    if filters.step_free:
        query = query.where(Space.step_free.is_(True))
    return list(db.session.execute(query))


def group_rows(space_ids, filters: Filters) -> list:
    """Active groups passing the filters that meet at these spaces (looked up
    through ``ix_groups_space_id``)."""
    found = []
    space_ids = list(space_ids)
    for start in range(0, len(space_ids), _IDS_PER_QUERY):
        query = select(Group.space_id, Group.status, *_GROUP_COLUMNS).where(
            Group.space_id.in_(space_ids[start : start + _IDS_PER_QUERY]),
            *_group_conditions(filters),
        )
        found.extend(row for row in db.session.execute(query) if row.status == "active")
    return found


def offer_rows(box: BoundingBox) -> list:
    """Open offers of help by people whose home lies in the box: the offer's
    id and kind, the person's first name, whether they agreed to it being
    shown (``published``) and their home (never shown, only measured).
    Offers of people who withdrew consent to the register are left out."""
    query = (
        select(
            HelpListing.id,
            HelpListing.kind,
            Person.first_name,
            consented(Person.id, PUBLISH_OFFER).label("published"),
            Person.latitude,
            Person.longitude,
        )
        .join(Person, Person.id == HelpListing.person_id)
        .where(
            HelpListing.direction == "offer",
            HelpListing.status == "open",
            _in_box(Person.latitude, Person.longitude, box),
            ~withdrawn(Person.id, "register"),
        )
    )
    return list(db.session.execute(query))


def online_group_count(filters: Filters) -> int:
    """Active groups that meet only online and pass the group filters."""
    query = (
        select(Group.status, func.count(Group.id))
        .where(Group.online.is_(True), Group.space_id.is_(None), *_group_conditions(filters))
        .group_by(Group.status)
    )
    return dict(db.session.execute(query).all()).get("active", 0)
