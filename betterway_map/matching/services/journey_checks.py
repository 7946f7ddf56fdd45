"""Checking a match again at approval: the hard rules and the volunteer's room.

A proposal may be weeks old when a worker approves it; in between a DBS
check may have expired, a restriction been recorded or the volunteer taken
someone else on. Approval reads the records as they are now, builds the
core's ``Need`` and ``Offer`` from them and asks ``constraints.failures``,
the same rules the solver keeps.

The records are built here for one pair (the solver's loader,
``services.loading``, reads a whole area in bulk; the two read the same
columns). Where the two must agree, they share one helper: the household
key (``loading.household_key``), a DBS check's expiry
(``people.schemas.records.dbs_valid_until``).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from betterway_map.domain.matching.constraints import CONSTRAINTS, failures
from betterway_map.domain.matching.model import Need, Offer
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from betterway_map.matching.services.loading import household_key
from betterway_map.people.models import Person, VolunteerProfile
from betterway_map.people.schemas.records import dbs_status_on, dbs_valid_until

__all__ = ["dbs_expiry", "check_can_start", "need_of", "offer_of"]

_RULES = dict(CONSTRAINTS)


def dbs_expiry(profile: VolunteerProfile) -> date | None:
    """When a volunteer's DBS check runs out: as recorded, else
    ``DBS_VALID_YEARS`` after it was checked; None without a check."""
    return dbs_valid_until(profile.dbs_checked_on, profile.dbs_expires_on)


def _location(latitude, longitude) -> tuple[float, float] | None:
    if latitude is None or longitude is None:
        return None
    return (latitude, longitude)


def need_of(request: SupportRequest) -> Need:
    person: Person = request.person
    return Need(
        id=request.id,
        person_id=person.id,
        kind=request.kind,
        frequency=request.frequency,
        availability=frozenset(request.availability or ()),
        languages=frozenset(request.languages or ()),
        interests=frozenset(request.interests or ()),
        lived_experience=frozenset(request.lived_experience or ()),
        location=_location(person.latitude, person.longitude),
        comes_to_me=request.comes_to_me,
        travel_km=float(request.travel_km or 0.0),
        volunteer_gender=request.volunteer_gender,
        similar_age=request.similar_age,
        age_band=person.age_band,
        excluded_volunteer_ids=frozenset(request.excluded_volunteer_ids or ()),
        household=household_key(person.address, person.postcode),
    )


def offer_of(offer: VolunteerOffer, profile: VolunteerProfile, room: int, today: date) -> Offer:
    person: Person = offer.person
    location = _location(offer.from_latitude, offer.from_longitude) or _location(
        person.latitude, person.longitude
    )
    return Offer(
        id=person.id,
        kinds=frozenset(offer.kinds or ()),
        capacity=room,
        availability=frozenset(offer.availability or ()),
        languages=frozenset(offer.languages or ()),
        interests=frozenset(offer.interests or ()),
        lived_experience=frozenset(profile.lived_experience or ()),
        location=location,
        travel_km=float(offer.travel_km or 0.0),
        dbs_level=dbs_status_on(
            profile.dbs_status, profile.dbs_checked_on, today, profile.dbs_expires_on
        ),
        dbs_expires_on=dbs_expiry(profile),
        restricted_kinds=frozenset(offer.restricted_kinds or ()),
        excluded_person_ids=frozenset(offer.excluded_person_ids or ()),
        gender=offer.gender,
        age_band=person.age_band,
        household=household_key(person.address, person.postcode),
    )


def _refuse(message: str) -> None:
    raise InvalidInput(message, {"_schema": [message]})


def check_can_start(match: Match, today: date) -> None:
    """Refuse (``InvalidInput``) to start ``match`` when the volunteer has no
    room left or the pair breaks a hard rule today, naming what changed."""
    name = match.volunteer.first_name
    request: SupportRequest = match.request
    if request.status != "open":
        _refuse(
            f"The request for {request.person.first_name} is {request.status!r}, not open: "
            "it cannot be matched again. Close this proposal instead."
        )
    profile = db.session.get(VolunteerProfile, match.volunteer_id)
    offer = db.session.get(VolunteerOffer, match.volunteer_id)
    if profile is None or offer is None or not profile.active:
        _refuse(
            f"{name} no longer offers to volunteer (their volunteer record or offer is gone or "
            "paused), so this match cannot start."
        )
    active = db.session.scalar(
        select(func.count())
        .select_from(Match)
        .where(
            Match.volunteer_id == match.volunteer_id,
            Match.status == "active",
            Match.id != match.id,
        )
    )
    if active >= profile.capacity:
        _refuse(
            f"{name} already supports {active} "
            f"{'person' if active == 1 else 'people'}, as many as they offered to "
            f"(capacity {profile.capacity}): this match cannot start unless one ends or "
            "their capacity is raised."
        )
    broken = failures(
        need_of(request), offer_of(offer, profile, profile.capacity - active, today), today
    )
    if broken:
        rules = "; ".join(f"the volunteer {_RULES[code]} (rule {code!r})" for code in broken)
        _refuse(
            "This match cannot start: it now breaks a rule no match may break. "
            f"It needs: {rules}. Check {name}'s record and the request, or let this proposal go."
        )
