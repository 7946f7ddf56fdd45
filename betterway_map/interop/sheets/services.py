"""Printed sheets: the nearest groups to a searched place, or to a person's home.

A sheet for a person searches from their home but prints only the groups:
their distances rounded up to the half kilometre, the map of the groups'
places (never the home) and, for where, the postcode district alone. Only
the person themself and their workers may make one; a worker's is recorded
in the audit log, as every look at a person's details is.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import now_in_uk
from betterway_map.domain.dates import long_date
from betterway_map.domain.geo.distance import approximate_km
from betterway_map.domain.money import format_pence
from betterway_map.domain.schedule.meetings import changes_of, meetings
from betterway_map.domain.schedule.recurrence import ScheduleError, describe, schedule_of
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.interop.calendars.groups import NearGroup, groups_by_id, nearest_groups
from betterway_map.interop.sheets.layout import Sheet, SheetGroup
from betterway_map.matching.services import suggestions
from betterway_map.people.models import Person
from betterway_map.people.permissions import require_person_access
from betterway_map.places.search import Filters, filters_from, find_place

__all__ = [
    "search_sheet",
    "person_sheet",
    "suggestions_sheet",
    "when_meets",
    "group_phone",
    "SHEET_GROUPS",
    "PERSON_RADIUS_KM",
]

SHEET_GROUPS = 8
# How far a person's sheet looks when they have not said how far they travel.
PERSON_RADIUS_KM = 2.0
PERSON_RADIUS_RANGE_KM = (0.5, 20.0)
TITLE = "What's on near you"
SUGGESTIONS_TITLE = "Groups that might suit you"
_ACCESS = (
    ("step_free", "step-free access"),
    ("hearing_loop", "hearing loop"),
    ("accessible_toilet", "accessible toilet"),
    ("parking", "parking"),
)
_NO_ACCESS = "No step-free access, hearing loop, accessible toilet or parking recorded"


def search_sheet(args: dict, more_at: str, now: datetime | None = None) -> Sheet:
    """The sheet of a nearby search (``args`` loaded by ``NearbyQuerySchema``):
    the nearest groups it finds. Raises ``InvalidInput`` for an unknown place."""
    origin = find_place(args)
    radius_km = args["radius_km"]
    found = nearest_groups(
        origin.latitude, origin.longitude, radius_km, filters_from(args), SHEET_GROUPS
    )
    where = f"within {radius_km:g} km of {origin.label}"
    return _sheet(found, where, more_at, now, _exact)


def person_sheet(user: User, person_id: int, more_at: str, now: datetime | None = None) -> Sheet:
    """The sheet for a person, searched from their home (see the module).

    ``NotFound`` unless ``user`` is the person or one of their workers;
    ``InvalidInput`` when their home is not known."""
    person = require_person_access(user, person_id)
    home = _home(person)
    radius_km = _radius(person.travel_km)
    found = nearest_groups(home[0], home[1], radius_km, Filters(), SHEET_GROUPS)
    district = person.postcode.split()[0] if person.postcode else None
    where = f"within about {radius_km:g} km of " + (
        f"home (postcode district {district})" if district else "home"
    )
    if person.user_id != user.id:
        audit.record(user.id, "print", "person", person.id, "what's on near you")
        db.session.commit()
    return _sheet(found, where, more_at, now, _rounded)


def suggestions_sheet(
    user: User,
    person_id: int,
    options: suggestions.Options,
    more_at: str,
    now: datetime | None = None,
) -> Sheet:
    """The groups that suit a person (``matching.services.suggestions``), best
    first, with the reasons; printed as a person's sheet is (distances
    rounded up, the postcode district alone, no home on the map), and a
    worker's print is in the audit log. ``NotFound`` as ``person_sheet``."""
    result = suggestions.suggestions_for(user, person_id, options, action="print")
    now = now or now_in_uk()
    items = result.items[:SHEET_GROUPS]
    groups = groups_by_id(item.group_id for item in items)
    printed = tuple(
        replace(
            _sheet_group(NearGroup(groups[item.group_id], item.distance_km), now, _rounded),
            # The exact distance from home is left to the screen.
            reasons=tuple(
                text
                for text, code in zip(item.reasons, item.reason_codes, strict=True)
                if code != "distance"
            ),
        )
        for item in items
        if item.group_id in groups
    )
    district = result.postcode_district
    where = f"within about {result.radius_km:g} km of " + (
        f"home (postcode district {district})" if district else "home"
    )
    nothing = result.explanation or f"No group {where} suits you."
    if result.wider_count:
        nothing += (
            f" Within {result.wider_radius_km:g} km, {result.wider_count} might: a community "
            "worker can help you look further."
        )
    near = (
        f"The group that might suit you best {where}."
        if len(printed) == 1
        else f"The {len(printed)} groups that might suit you best {where}, best first."
    )
    return Sheet(
        title=SUGGESTIONS_TITLE,
        near=near,
        made=long_date(now),
        groups=printed,
        nothing=nothing,
        more_at=more_at,
        map_note="The numbers on the map are the numbers in the list.",
        left_off=max(0, len(result.items) - len(printed)),
    )


def _home(person: Person) -> tuple[float, float]:
    home = suggestions.home_of(person)
    if home is None:
        message = (
            f"We do not know where {person.first_name} lives: add their postcode to their "
            "details, or print a sheet from the search of what is on nearby."
        )
        raise InvalidInput(message, {"postcode": [message]})
    return home


def _radius(travel_km: float | None) -> float:
    low, high = PERSON_RADIUS_RANGE_KM
    return min(max(travel_km, low), high) if travel_km else PERSON_RADIUS_KM


def _exact(distance_km: float) -> str:
    return "less than 0.1 km" if distance_km < 0.05 else f"{distance_km:.1f} km"


def _rounded(distance_km: float) -> str:
    return f"about {approximate_km(distance_km):g} km"


def _sheet(found: list[NearGroup], where: str, more_at: str, now, distance) -> Sheet:
    now = now or now_in_uk()
    groups = tuple(_sheet_group(near, now, distance) for near in found)
    count = "group" if len(groups) == 1 else f"{len(groups)} groups"
    return Sheet(
        title=TITLE,
        near=f"The nearest {count} {where}, nearest first." if groups else f"Groups {where}.",
        made=long_date(now),
        groups=groups,
        nothing=(
            f"There are no groups on the register {where}. A community worker can help "
            "you look further, or look at the website."
        ),
        more_at=more_at,
        map_note="The numbers on the map are the numbers in the list.",
    )


def _sheet_group(near: NearGroup, now: datetime, distance) -> SheetGroup:
    group, space = near.group, near.group.space
    features = [label for name, label in _ACCESS if getattr(space, name)]
    access = ", ".join(features).capitalize() if features else _NO_ACCESS
    cost = format_pence(group.cost_pence)
    return SheetGroup(
        name=group.name,
        distance=distance(near.distance_km),
        when=when_meets(group, now),
        where=f"{space.name}, {space.address}, {space.postcode}",
        access=access + ".",
        cost=f"{cost} ({group.cost_note})" if group.cost_note else cost,
        phone=group_phone(group),
        point=(space.latitude, space.longitude),
    )


def group_phone(group) -> str | None:
    """The number to ring about a group: its own, else its organisation's (named)."""
    organisation = group.organisation
    if group.contact_phone:
        return group.contact_phone
    if organisation.contact_phone:
        return f"{organisation.contact_phone} ({organisation.name})"
    return None


def when_meets(group, now: datetime) -> str:
    """When an active group meets and meets next, in words."""
    try:
        schedule = schedule_of(group)
    except ScheduleError:  # stored before a rule tightened
        return "Ask the group when it meets."
    found = meetings(schedule, changes_of(group), now, 1)  # cancelled and moved ones too
    upcoming = f"next on {long_date(found[0].starts_at)}" if found else "no more meetings planned"
    return f"{describe(schedule)}; {upcoming}."
