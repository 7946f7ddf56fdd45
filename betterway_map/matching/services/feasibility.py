"""While a request is being written: how many volunteers would fit it."""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.matching.feasibility import feasibility
from betterway_map.domain.matching.model import Need
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.services.loading import household_key, load_offers
from betterway_map.people.permissions import require_person_access

__all__ = ["feasibility_for_draft"]


def _former(person_id: int) -> dict[int, bool]:
    rows = db.session.execute(
        select(Match.volunteer_id, Match.ended_well)
        .join(SupportRequest, SupportRequest.id == Match.request_id)
        .where(SupportRequest.person_id == person_id, Match.status == "ended")
    )
    former: dict[int, bool] = {}
    for volunteer_id, ended_well in rows:
        former[volunteer_id] = former.get(volunteer_id, False) or bool(ended_well)
    return former


def feasibility_for_draft(user: User, person_id: int, data: dict) -> dict:
    """For a draft request (``data`` as ``SupportRequestSchema`` loads it) for
    this person: ``{"volunteers", "fitting", "removed_by", "most_limiting"}``.

    Only counts leave: no volunteer is named."""
    person = require_person_access(user, person_id)
    location = None
    if person.latitude is not None and person.longitude is not None:
        location = (person.latitude, person.longitude)
    need = Need(
        id=0,
        person_id=person.id,
        kind=data["kind"],
        frequency=data.get("frequency") or "weekly",
        availability=frozenset(data.get("availability") or ()),
        languages=frozenset(data.get("languages") or ()),
        interests=frozenset(data.get("interests") or ()),
        lived_experience=frozenset(data.get("lived_experience") or ()),
        location=location,
        comes_to_me=data.get("comes_to_me", True),
        travel_km=float(data.get("travel_km") or 0.0),
        volunteer_gender=data.get("volunteer_gender"),
        similar_age=bool(data.get("similar_age")),
        age_band=person.age_band,
        excluded_volunteer_ids=frozenset(data.get("excluded_volunteer_ids") or ()),
        household=household_key(person.address, person.postcode),
        former_volunteers=_former(person.id),
    )
    today = today_in_uk()
    offers, _ = load_offers(today)
    return feasibility(need, offers, today)
