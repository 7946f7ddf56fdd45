"""A volunteer's offer for matching, and a worker's safeguarding
restrictions on it: one transaction each, every change audited.

The offer is written by the volunteer themself or a worker assigned to
them. Its capacity and the lived experience they will share live on the
volunteer's profile (``people.models.VolunteerProfile``, beside their DBS
check) and are saved through ``people.services.volunteers.apply_volunteer``
in the same transaction. Safeguarding restrictions are recorded only by an
assigned worker who is not the volunteer (as a DBS check is:
``people.services.volunteers.may_record_dbs``).
"""

from __future__ import annotations

from dataclasses import dataclass

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import Conflict, Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.locate import place_postcode
from betterway_map.matching.models import VolunteerOffer
from betterway_map.people.models import Person
from betterway_map.people.permissions import require_person_access
from betterway_map.people.services import volunteers

__all__ = [
    "OfferView",
    "OFFER_FIELDS",
    "SAFEGUARDING_FIELDS",
    "get_offer",
    "offer_values",
    "save_offer",
    "get_safeguarding",
    "save_safeguarding",
    "may_restrict",
]

OFFER_FIELDS = ("kinds", "availability", "languages", "interests", "travel_km", "gender")
_PROFILE_FIELDS = ("capacity", "lived_experience")
SAFEGUARDING_FIELDS = ("restricted_kinds", "excluded_person_ids", "restriction_notes")
DEFAULT_TRAVEL_KM = 3.0


@dataclass(frozen=True)
class OfferView:
    """A volunteer's offer as the API and pages show it: the offer's fields
    with capacity and lived experience from their profile."""

    person_id: int
    kinds: list
    capacity: int
    availability: list
    languages: list
    interests: list
    lived_experience: list
    travel_km: float
    from_postcode: str | None
    gender: str | None
    available_since: object | None
    created_at: object | None
    updated_at: object | None


def _view(person: Person, offer: VolunteerOffer | None) -> OfferView | None:
    profile = person.volunteer
    if offer is None:
        return None
    return OfferView(
        person_id=person.id,
        kinds=list(offer.kinds or []),
        capacity=profile.capacity if profile else 1,
        availability=list(offer.availability or []),
        languages=list(offer.languages or []),
        interests=list(offer.interests or []),
        lived_experience=list(profile.lived_experience or []) if profile else [],
        travel_km=offer.travel_km,
        from_postcode=offer.from_postcode,
        gender=offer.gender,
        available_since=offer.available_since,
        created_at=offer.created_at,
        updated_at=offer.updated_at,
    )


def may_restrict(user: User, person: Person) -> bool:
    """Safeguarding restrictions: an assigned worker, never about themself."""
    return volunteers.may_record_dbs(user, person)


def get_offer(user: User, person_id: int) -> tuple[Person, OfferView | None]:
    """The volunteer and their offer (None before they make one), audited."""
    person = require_person_access(user, person_id)
    audit.record(user.id, "view", "person", person.id, "volunteer offer")
    db.session.commit()
    return person, _view(person, db.session.get(VolunteerOffer, person.id))


def offer_values(person: Person, offer: OfferView | None) -> dict:
    """The offer's form: the offer if there is one, else what the person's
    record says (languages, interests, when they are free, how far)."""
    if offer is not None:
        return {name: getattr(offer, name) for name in (*OFFER_FIELDS, *_PROFILE_FIELDS)} | {
            "from_postcode": offer.from_postcode
        }
    profile = person.volunteer
    travel = person.travel_km
    return {
        "kinds": [],
        "availability": list(person.availability or []),
        "languages": list(person.languages or []) or ["en"],
        "interests": list(person.interests or []),
        "travel_km": min(travel, 50) if travel is not None else DEFAULT_TRAVEL_KM,
        "capacity": profile.capacity if profile else 1,
        "lived_experience": list(profile.lived_experience or []) if profile else [],
    }


def _place_from(postcode: str | None) -> tuple[str | None, float | None, float | None]:
    """Where the volunteer travels from: (postcode, lat, lon), all None for home."""
    if not postcode:
        return None, None, None
    place = place_postcode(postcode)
    if place is None:
        message = (
            f"We do not know where {postcode!r} is: it is not in our postcode list. "
            "Check it, or leave it empty to travel from home."
        )
        raise InvalidInput(message, {"from_postcode": [message]})
    return postcode, place.latitude, place.longitude


def save_offer(user: User, person_id: int, data: dict) -> OfferView:
    """Create or replace a volunteer's offer from data loaded by ``OfferSchema``;
    capacity and lived experience go to their volunteer profile."""
    person = require_person_access(user, person_id)
    # Everything that may refuse comes before anything is changed.
    where_from = _place_from(data.get("from_postcode"))
    offer = db.session.get(VolunteerOffer, person.id)
    created = offer is None
    if created:
        offer = VolunteerOffer(person_id=person.id, available_since=today_in_uk())
        db.session.add(offer)
    for name in OFFER_FIELDS:
        if name in data:
            setattr(offer, name, data[name])
    offer.from_postcode, offer.from_latitude, offer.from_longitude = where_from
    volunteers.apply_volunteer(
        user, person, {name: data[name] for name in _PROFILE_FIELDS if name in data}
    )
    audit.record(user.id, "create" if created else "update", "volunteer_offer", person.id)
    db.session.commit()
    return _view(person, offer)


def _restricting(user: User, person_id: int) -> tuple[Person, VolunteerOffer]:
    person = require_person_access(user, person_id)
    if not may_restrict(user, person):
        raise Forbidden(
            "Only a community worker assigned to this volunteer can record safeguarding "
            "restrictions, and never on their own offer."
        )
    offer = db.session.get(VolunteerOffer, person.id)
    if offer is None:
        raise Conflict(
            f"{person.first_name} has not recorded an offer to volunteer yet: record the "
            "offer first, then any restrictions on it."
        )
    return person, offer


def get_safeguarding(user: User, person_id: int) -> tuple[Person, VolunteerOffer]:
    """The volunteer's offer with its restrictions, for an assigned worker (audited)."""
    person, offer = _restricting(user, person_id)
    audit.record(user.id, "view", "volunteer_offer", person.id, "safeguarding")
    db.session.commit()
    return person, offer


def save_safeguarding(user: User, person_id: int, data: dict) -> VolunteerOffer:
    """Replace the restrictions from data loaded by ``SafeguardingSchema``."""
    person, offer = _restricting(user, person_id)
    if person.id in (data.get("excluded_person_ids") or []):
        message = f"{person.id} is the volunteer's own number: give other people's numbers."
        raise InvalidInput(message, {"excluded_person_ids": [message]})
    for name in SAFEGUARDING_FIELDS:
        if name in data:
            setattr(offer, name, data[name])
    offer.restrictions_recorded_by_id = user.id
    audit.record(
        user.id,
        "safeguarding",
        "volunteer_offer",
        person.id,
        f"{len(offer.restricted_kinds or [])} kinds, {len(offer.excluded_person_ids or [])} people",
    )
    db.session.commit()
    return offer
