"""Which groups a feed (or a printed sheet) holds, read from the register.

``nearest_groups`` is the nearby search's own answer (``places.search``:
the same place, radius and filters, the same order), kept to groups, since
spaces and offers of help have no meetings; the records are then read
whole, with their space and organisation, for the details a calendar or a
sheet shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from betterway_map.domain.money import format_pence
from betterway_map.domain.schedule.meetings import NO_CHANGES, Changes
from betterway_map.domain.schedule.recurrence import ScheduleError, schedule_of
from betterway_map.extensions import db
from betterway_map.interop.calendars.events import GroupListing
from betterway_map.places.search import Filters, matches
from betterway_map.register.models import Group, OneOffMeeting, Space

__all__ = [
    "NearGroup",
    "nearest_groups",
    "groups_by_id",
    "groups_of_organisation",
    "listing_of",
    "places_of",
    "events_of_organisation",
]


@dataclass(frozen=True)
class NearGroup:
    """A group the nearby search found, and how far its space is (km)."""

    group: Group
    distance_km: float


def nearest_groups(
    origin_lat: float, origin_lon: float, radius_km: float, filters: Filters, limit: int
) -> list[NearGroup]:
    """The ``limit`` nearest active groups within ``radius_km`` that pass
    ``filters`` (whatever they say about spaces and offers), nearest first."""
    only_groups = replace(filters, what=frozenset({"group"}))
    found = matches(origin_lat, origin_lon, radius_km, only_groups, limit=limit)
    ids = [match.row[1].group_id for match in found]
    groups = groups_by_id(ids)
    return [NearGroup(groups[i], match.distance_km) for i, match in zip(ids, found) if i in groups]


def groups_by_id(ids) -> dict[int, Group]:
    """The groups with these ids, read whole with their space and organisation."""
    return {group.id: group for group in _load(select(Group).where(Group.id.in_(list(ids))))}


def groups_of_organisation(organisation_id: int) -> list[Group]:
    """Every group of the organisation, by name (the feed leaves out those not active)."""
    query = (
        select(Group)
        .where(Group.organisation_id == organisation_id)
        .order_by(func.lower(Group.name), Group.id)
    )
    return _load(query)


def _load(query) -> list[Group]:
    options = (selectinload(Group.space), selectinload(Group.organisation))
    return list(db.session.scalars(query.options(*options)))


def listing_of(
    group: Group,
    page_url: Callable[[int], str],
    changes: Changes = NO_CHANGES,
    places: dict[int, str] | None = None,
) -> GroupListing | None:
    """The group's public details as plain data, with its ``changes`` and
    where its moved and one-off meetings are (``places``, by space id); None
    for a schedule stored before a rule tightened (it has no meetings to show)."""
    try:
        schedule = schedule_of(group)
    except ScheduleError:
        return None
    space = group.space
    cost = format_pence(group.cost_pence)
    return GroupListing(
        id=group.id,
        name=group.name,
        status=group.status,
        schedule=schedule,
        page_url=page_url(group.id),
        description=group.description,
        organisation=group.organisation.name,
        online=group.online,
        space_name=space.name if space else None,
        address=space.address if space else None,
        postcode=space.postcode if space else None,
        latitude=space.latitude if space else None,
        longitude=space.longitude if space else None,
        cost=f"{cost} ({group.cost_note})" if group.cost_note else cost,
        phone=group.contact_phone,
        email=group.contact_email,
        changes=changes,
        places=places or {},
    )


def places_of(changes: Iterable[Changes]) -> dict[int, str]:
    """Where the spaces of moved and one-off meetings are, as a calendar words it."""
    ids = {
        item.space_id
        for found in changes
        for item in (*found.moved, *found.extra)
        if item.space_id is not None
    }
    if not ids:
        return {}
    spaces = db.session.scalars(select(Space).where(Space.id.in_(ids)))
    return {space.id: f"{space.name}, {space.address}, {space.postcode}" for space in spaces}


def events_of_organisation(organisation_id: int, since: date) -> list[OneOffMeeting]:
    """The organisation's own one-off events (not a group's) on or after ``since``."""
    query = (
        select(OneOffMeeting)
        .where(
            OneOffMeeting.organisation_id == organisation_id,
            OneOffMeeting.group_id.is_(None),
            OneOffMeeting.occurs_on >= since,
        )
        .options(selectinload(OneOffMeeting.space))
        .order_by(OneOffMeeting.occurs_on, OneOffMeeting.id)
    )
    return list(db.session.scalars(query))
