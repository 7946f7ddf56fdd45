"""Group suggestions for one person: read the register near them, rank, explain.

Only the person themself and the workers assigned to them may ask
(``people.permissions.require_person_access``); a worker's look is in the
audit log, as every look at a person's details is. Candidates are read
through the spaces' spatial index (a bounding box around the home,
``domain.geo.distance.bounding_box``): active groups meeting at a placed
space, leaving out groups the person already goes to, would like to go to
or has left. Then, for those groups only, one query each for their members'
age bands and interests and for the volunteers nearby who offer to go along
to groups; the pure core (``domain.matching.groups``) gets plain numbers
and never learns who anyone is. Nothing is written but the audit event.

A welcome buddy: groups record no such thing, so "a volunteer nearby offers
to go along" means an active volunteer whose offer (``VolunteerOffer``)
includes ``go_along``, who is not restricted from it, has room for another
person, holds a DBS check good for it until the first review
(``constraints.dbs_ok``), and travels from within their travel distance of
the group's place (at most ``BUDDY_MAX_KM``). Open help listings of that
kind are not counted: they carry no check.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from flask import current_app
from sqlalchemy import and_, func, or_, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.database import json_list_contains
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.geo.distance import bounding_box, distance_km, next_radius_km
from betterway_map.domain.matching import groups as core
from betterway_map.domain.matching.constraints import dbs_ok
from betterway_map.domain.matching.model import Offer
from betterway_map.domain.money import format_pence
from betterway_map.domain.schedule.recurrence import ScheduleError, describe, schedule_of
from betterway_map.domain.suppression import MIN_CELL_COUNT
from betterway_map.errors import Conflict
from betterway_map.extensions import db
from betterway_map.geocoding.locate import place_postcode
from betterway_map.matching.models import Match, VolunteerOffer
from betterway_map.people.models import Attendance, Person, VolunteerProfile
from betterway_map.people.permissions import own_person, require_person_access
from betterway_map.people.schemas.records import DBS_VALID_YEARS
from betterway_map.people.services.consent import has_withdrawn, withdrawn
from betterway_map.register.models import Group, Space

__all__ = [
    "Options",
    "SuggestedGroup",
    "GroupSuggestions",
    "suggestions_for",
    "own_suggestions",
    "home_of",
    "SUGGESTIONS_LIMIT",
    "RADIUS_RANGE_KM",
    "BUDDY_MAX_KM",
]

SUGGESTIONS_LIMIT = 20
# How far suggestions look: the person's travel distance, within this range.
RADIUS_RANGE_KM = core.RADIUS_RANGE_KM
# The farthest a volunteer is counted as nearby a group, whatever they offer.
BUDDY_MAX_KM = 10.0
_IDS_PER_QUERY = 5000
_ROOM_TAKEN = ("agreed", "active")


@dataclass(frozen=True)
class Options:
    """What the page asked (``schemas.suggestions.SuggestionQuerySchema``)."""

    radius_km: float | None = None
    access_needs: frozenset[str] = frozenset()
    max_cost_pence: int | None = None
    audiences: frozenset[str] = frozenset()

    @classmethod
    def from_args(cls, args: dict) -> Options:
        return cls(
            radius_km=args.get("radius_km"),
            access_needs=frozenset(args.get("needs") or ()),
            max_cost_pence=args.get("max_cost"),
            audiences=frozenset(args.get("groups_for") or ()),
        )


@dataclass(frozen=True)
class SuggestedGroup:
    """One suggestion as pages, the API and the sheet show it."""

    group_id: int
    name: str
    when: str
    where: str
    distance_km: float
    cost: str
    access: tuple[str, ...]
    reasons: tuple[str, ...]
    # What each reason is about (``domain.matching.groups.REASON_CODES``).
    reason_codes: tuple[str, ...] = ()
    # The group's space (a public place), for a map.
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class GroupSuggestions:
    person_id: int
    first_name: str
    # The reader is the person themself (else one of their workers).
    own: bool
    radius_km: float
    options: Options
    items: tuple[SuggestedGroup, ...] = ()
    # Why there are none, and what a wider search would find.
    explanation: str | None = None
    wider_radius_km: float | None = None
    wider_count: int | None = None
    home_known: bool = True
    availability_known: bool = True
    postcode_district: str | None = field(default=None)


def own_suggestions(user: User, options: Options = Options()) -> GroupSuggestions | None:
    """A resident's own suggestions; None before they have filled in a profile."""
    person = own_person(user)
    return None if person is None else _suggestions(user, person, options)


def suggestions_for(
    user: User,
    person_id: int,
    options: Options = Options(),
    *,
    action: str = "view",
    what: str = "group suggestions",
) -> GroupSuggestions:
    """The suggestions for a person ``user`` may see (else ``NotFound``);
    ``action`` is what the audit log says a worker did ("view", "print"),
    ``what`` what they looked at (the page the suggestions are on)."""
    return _suggestions(user, require_person_access(user, person_id), options, action, what)


def _suggestions(
    user: User,
    person: Person,
    options: Options,
    action: str = "view",
    what: str = "group suggestions",
) -> GroupSuggestions:
    if has_withdrawn(person.id, "register"):
        who = "You" if person.user_id == user.id else person.first_name
        raise Conflict(
            f"{who} withdrew consent to being kept on the register, so no suggestions are "
            "made from the record. If that changes, record the consent again first."
        )
    today = today_in_uk()
    radius_km = _radius(options.radius_km or person.travel_km)
    home = home_of(person)
    result = GroupSuggestions(
        person_id=person.id,
        first_name=person.first_name,
        own=person.user_id == user.id,
        radius_km=radius_km,
        options=options,
        home_known=home is not None,
        availability_known=bool(person.availability),
        postcode_district=person.postcode.split()[0] if person.postcode else None,
    )
    if person.user_id != user.id:
        audit.record(user.id, action, "person", person.id, what)
        db.session.commit()
    if home is None:
        return replace(result, explanation=core.explain(core.Seeker(None), [], today))
    seeker = _seeker(person, home, radius_km, options)
    min_count = int(current_app.config.get("MIN_CELL_COUNT", MIN_CELL_COUNT))
    rows, candidates = _candidates(person, seeker, today)
    found = core.suggest(seeker, candidates, today=today, min_count=min_count)
    by_id = {row.group_id: row for row in rows}
    items = tuple(_item(by_id[s.group_id], s) for s in found.suggestions[:SUGGESTIONS_LIMIT])
    result = replace(result, items=items, explanation=found.explanation)
    wider = next_radius_km(radius_km)
    if not items and wider is not None and wider <= RADIUS_RANGE_KM[1]:
        wide_seeker = replace(seeker, travel_km=wider)
        _, wide = _candidates(person, wide_seeker, today)
        count = len(core.suggest(wide_seeker, wide, today=today, min_count=min_count).suggestions)
        result = replace(result, wider_radius_km=wider, wider_count=count)
    return result


def _radius(travel_km: float | None) -> float:
    low, high = RADIUS_RANGE_KM
    return min(max(travel_km, low), high) if travel_km else core.DEFAULT_TRAVEL_KM


def home_of(person: Person) -> tuple[float, float] | None:
    """Where a person lives, (lat, lon): their placed home, else their
    postcode's place, else None. Private: for their own suggestions and
    their workers' map, never drawn or sent to anyone else."""
    if person.latitude is not None and person.longitude is not None:
        return person.latitude, person.longitude
    place = place_postcode(person.postcode)
    return None if place is None else (place.latitude, place.longitude)


def _seeker(person: Person, home, radius_km: float, options: Options) -> core.Seeker:
    return core.Seeker(
        location=home,
        travel_km=radius_km,
        availability=frozenset(person.availability or ()),
        interests=frozenset(person.interests or ()),
        age_band=person.age_band,
        access_needs=options.access_needs,
        max_cost_pence=options.max_cost_pence,
        audiences=options.audiences,
    )


_ACCESS_COLUMNS = ("step_free", "hearing_loop", "accessible_toilet", "parking")


def _in_box(latitude, longitude, box):
    return and_(
        latitude.between(box.south, box.north),
        or_(*(longitude.between(west, east) for west, east in box.longitudes)),
    )


def _candidates(person: Person, seeker: core.Seeker, today: date):
    """The rows of active groups at spaces in the box, not already the
    person's, and their plain records for the core."""
    box = bounding_box(*seeker.location, seeker.travel_km)
    theirs = select(Attendance.group_id).where(Attendance.person_id == person.id)
    query = (
        select(
            Group.id.label("group_id"),
            Group.name,
            Group.status,
            Group.ends_on,
            Group.interests,
            Group.audiences,
            Group.age_min,
            Group.age_max,
            Group.cost_pence,
            Group.cost_note,
            Group.frequency,
            Group.weekday,
            Group.nth,
            Group.start_time,
            Group.end_time,
            Group.starts_on,
            Space.name.label("space_name"),
            Space.address,
            Space.postcode,
            Space.latitude,
            Space.longitude,
            *(getattr(Space, name) for name in _ACCESS_COLUMNS),
        )
        .join(Space, Space.id == Group.space_id)
        .where(
            _in_box(Space.latitude, Space.longitude, box),
            Group.status == "active",
            or_(Group.ends_on.is_(None), Group.ends_on >= today),
            Group.id.not_in(theirs),
        )
    )
    rows = list(db.session.execute(query))
    ids = [row.group_id for row in rows]
    members = _members(ids, person.id)
    buddies = _buddies(rows, seeker, person.id, today)
    candidates = []
    for row in rows:
        similar, sharing = core.members_like(seeker, members.get(row.group_id, ()))
        candidates.append(
            core.GroupCandidate(
                id=row.group_id,
                name=row.name,
                location=(row.latitude, row.longitude),
                weekday=row.weekday,
                start_time=row.start_time,
                status=row.status,
                ends_on=row.ends_on,
                interests=frozenset(row.interests or ()),
                audiences=frozenset(row.audiences or ()),
                age_min=row.age_min,
                age_max=row.age_max,
                cost_pence=row.cost_pence,
                access=frozenset(name for name in _ACCESS_COLUMNS if getattr(row, name)),
                members_similar_age=similar,
                members_sharing_interest=sharing,
                go_along_volunteers=buddies.get(row.group_id, 0),
            )
        )
    return rows, candidates


def _members(group_ids: list[int], person_id: int) -> dict[int, list]:
    """``{group_id: [(age_band, interests), ...]}`` of current members."""
    found: dict[int, list] = defaultdict(list)
    for start in range(0, len(group_ids), _IDS_PER_QUERY):
        query = (
            select(Attendance.group_id, Person.age_band, Person.interests)
            .join(Person, Person.id == Attendance.person_id)
            .where(
                Attendance.group_id.in_(group_ids[start : start + _IDS_PER_QUERY]),
                Attendance.status == "member",
                Attendance.person_id != person_id,
            )
        )
        for group_id, age_band, interests in db.session.execute(query):
            found[group_id].append((age_band, interests or ()))
    return found


def _dbs_expires_on(profile_row) -> date | None:
    if profile_row.dbs_expires_on is not None:
        return profile_row.dbs_expires_on
    checked = profile_row.dbs_checked_on
    if checked is None:
        return None
    try:
        return checked.replace(year=checked.year + DBS_VALID_YEARS)
    except ValueError:  # 29 February
        return checked.replace(year=checked.year + DBS_VALID_YEARS, day=28)


def _buddies(rows, seeker: core.Seeker, person_id: int, today: date) -> dict[int, int]:
    """``{group_id: how many volunteers nearby could go along}`` (see the module)."""
    if not rows:
        return {}
    latitude = func.coalesce(VolunteerOffer.from_latitude, Person.latitude)
    longitude = func.coalesce(VolunteerOffer.from_longitude, Person.longitude)
    box = bounding_box(*seeker.location, seeker.travel_km + BUDDY_MAX_KM)
    taken = (
        select(Match.volunteer_id, func.count(Match.id).label("taken"))
        .where(Match.status.in_(_ROOM_TAKEN))
        .group_by(Match.volunteer_id)
        .subquery()
    )
    query = (
        select(
            VolunteerOffer.person_id,
            VolunteerOffer.restricted_kinds,
            VolunteerOffer.travel_km,
            latitude.label("latitude"),
            longitude.label("longitude"),
            VolunteerProfile.capacity,
            VolunteerProfile.dbs_status,
            VolunteerProfile.dbs_checked_on,
            VolunteerProfile.dbs_expires_on,
            func.coalesce(taken.c.taken, 0).label("taken"),
        )
        .join(Person, Person.id == VolunteerOffer.person_id)
        .join(VolunteerProfile, VolunteerProfile.person_id == VolunteerOffer.person_id)
        .outerjoin(taken, taken.c.volunteer_id == VolunteerOffer.person_id)
        .where(
            json_list_contains(VolunteerOffer.kinds, "go_along"),
            VolunteerProfile.active.is_(True),
            VolunteerOffer.person_id != person_id,
            ~withdrawn(Person.id, "register"),
            ~withdrawn(Person.id, "matching"),
            _in_box(latitude, longitude, box),
        )
    )
    volunteers = [
        (row.latitude, row.longitude, min(row.travel_km or 0.0, BUDDY_MAX_KM))
        for row in db.session.execute(query)
        if "go_along" not in (row.restricted_kinds or ())
        and row.capacity > row.taken
        and dbs_ok(
            "go_along",
            Offer(row.person_id, dbs_level=row.dbs_status, dbs_expires_on=_dbs_expires_on(row)),
            today,
        )
    ]
    counts = {}
    for row in rows:
        near = sum(
            distance_km(lat, lon, row.latitude, row.longitude) <= reach
            for lat, lon, reach in volunteers
        )
        if near:
            counts[row.group_id] = near
    return counts


_ACCESS_LABELS = dict(core.ACCESS_NEEDS)


def _item(row, suggestion: core.Suggestion) -> SuggestedGroup:
    try:
        when = describe(schedule_of(row._asdict()))
    except ScheduleError:  # stored before a rule tightened
        when = "Ask the group when it meets."
    cost = format_pence(row.cost_pence)
    return SuggestedGroup(
        group_id=row.group_id,
        name=row.name,
        when=when,
        where=f"{row.space_name}, {row.address}, {row.postcode}",
        distance_km=suggestion.distance_km,
        cost=f"{cost} ({row.cost_note})" if row.cost_note else cost,
        access=tuple(_ACCESS_LABELS[name] for name in _ACCESS_COLUMNS if getattr(row, name)),
        reasons=tuple(reason.text for reason in suggestion.reasons),
        reason_codes=tuple(reason.code for reason in suggestion.reasons),
        latitude=row.latitude,
        longitude=row.longitude,
    )
