"""The SQL of nearby search: candidates from the spatial index, in one query.

Spaces inside the bounding box are read through ``ix_spaces_lat_lon``
together with their active groups that pass the filters (an outer join, so a
space with no such group still comes back once, with the group's columns
NULL). Only the columns the results show are read, as plain rows. Offers of
help and the count of online groups are one query each, made only when asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import String, and_, cast, func, or_, select

from ..extensions import db
from ..geo.nearby import BoundingBox
from ..models import Group, HelpListing, Person, Space

__all__ = ["Filters", "located_rows", "offer_rows", "online_group_count"]

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


def _json_list_has(column, value: str):
    # Vocabulary values stored in a JSON list: match the quoted value in its
    # text (SQLite and PostgreSQL alike); "_" is a LIKE wildcard, so escaped.
    pattern = '%"' + value.replace("_", "\\_") + '"%'
    return cast(column, String).like(pattern, escape="\\")


def _group_conditions(filters: Filters) -> list:
    conditions = [Group.status == "active"]
    if filters.interest:
        conditions.append(_json_list_has(Group.interests, filters.interest))
    if filters.audience:
        conditions.append(_json_list_has(Group.audiences, filters.audience))
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


def located_rows(box: BoundingBox, filters: Filters) -> list:
    """Spaces in the box, each with its active groups passing the filters."""
    wants_groups = "group" in filters.what or filters.about_groups
    columns = _SPACE_COLUMNS + (_GROUP_COLUMNS if wants_groups else ())
    query = select(*columns).select_from(Space)
    if wants_groups:
        joined = and_(Group.space_id == Space.id, *_group_conditions(filters))
        query = query.outerjoin(Group, joined)
    query = query.where(_in_box(Space.latitude, Space.longitude, box))
    if filters.step_free:
        query = query.where(Space.step_free.is_(True))
    return list(db.session.execute(query))


def offer_rows(box: BoundingBox) -> list:
    """Open offers of help by people whose home lies in the box: the offer's
    id and kind, the person's first name and home (never shown, only measured)."""
    query = (
        select(
            HelpListing.id,
            HelpListing.kind,
            Person.first_name,
            Person.latitude,
            Person.longitude,
        )
        .join(Person, Person.id == HelpListing.person_id)
        .where(
            HelpListing.direction == "offer",
            HelpListing.status == "open",
            _in_box(Person.latitude, Person.longitude, box),
        )
    )
    return list(db.session.execute(query))


def online_group_count(filters: Filters) -> int:
    """Active groups that meet only online and pass the group filters."""
    query = select(func.count(Group.id)).where(
        Group.online.is_(True), Group.space_id.is_(None), *_group_conditions(filters)
    )
    return db.session.scalar(query) or 0
