"""Help offered and asked for by one person: list, add, edit, close.

Offers of befriending visits need a volunteer profile first, because home
visits need a DBS check that a worker records on that profile. The council
only ever sees these counted, elsewhere.
"""

from __future__ import annotations

from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Assignment, HelpListing, Person
from betterway_map.people.permissions import require_person_access

__all__ = [
    "list_listings",
    "get_listing",
    "add_listing",
    "update_listing",
    "close_listing",
    "who_sees",
]

_FIELDS = ("direction", "kind", "description", "status")
NEEDS_VOLUNTEER_PROFILE = frozenset({"befriending_visit"})


def list_listings(user: User, person_id: int) -> tuple[Person, list[HelpListing]]:
    """The person's offers and requests, open ones first (audited as a view)."""
    person = require_person_access(user, person_id)
    listings = list(
        db.session.scalars(
            select(HelpListing)
            .where(HelpListing.person_id == person.id)
            .order_by(HelpListing.status != "open", HelpListing.id)
        )
    )
    audit.record(user.id, "view", "person", person.id, "help offered and asked")
    db.session.commit()
    return person, listings


def _find(user: User, listing_id: int, person_id: int | None = None) -> HelpListing:
    listing = db.session.get(HelpListing, listing_id)
    if listing is None or (person_id is not None and listing.person_id != person_id):
        raise NotFound(f"There is no offer or request {listing_id} that you look after.")
    try:
        require_person_access(user, listing.person_id)
    except NotFound:
        raise NotFound(f"There is no offer or request {listing_id} that you look after.") from None
    return listing


def get_listing(user: User, listing_id: int, person_id: int | None = None) -> HelpListing:
    """One listing of a person ``user`` looks after, for editing (audited)."""
    listing = _find(user, listing_id, person_id)
    audit.record(user.id, "view", "help_listing", listing.id, f"person={listing.person_id}")
    db.session.commit()
    return listing


def _check(person: Person, direction: str, kind: str) -> None:
    if direction == "offer" and kind in NEEDS_VOLUNTEER_PROFILE and person.volunteer is None:
        message = (
            "To offer befriending visits, first say that you would like to volunteer (on the "
            "volunteering page), so that a worker can record the DBS check that home visits need."
        )
        raise InvalidInput(message, {"kind": [message]})


def add_listing(user: User, person_id: int, data: dict) -> HelpListing:
    """Add an offer or request loaded by ``HelpListingSchema``."""
    person = require_person_access(user, person_id)
    _check(person, data["direction"], data["kind"])
    listing = HelpListing(person_id=person.id, **{k: data.get(k) for k in _FIELDS})
    listing.status = data.get("status") or "open"
    db.session.add(listing)
    db.session.flush()
    audit.record(user.id, "create", "help_listing", listing.id, f"person={person.id}")
    db.session.commit()
    return listing


def update_listing(
    user: User, listing_id: int, data: dict, person_id: int | None = None
) -> HelpListing:
    """Change the given fields of a listing (``data`` may be partial)."""
    listing = _find(user, listing_id, person_id)
    direction = data.get("direction", listing.direction)
    kind = data.get("kind", listing.kind)
    if (direction, kind) != (listing.direction, listing.kind):
        _check(listing.person, direction, kind)
    for name in _FIELDS:
        if name in data:
            setattr(listing, name, data[name])
    audit.record(user.id, "update", "help_listing", listing.id, f"person={listing.person_id}")
    db.session.commit()
    return listing


def close_listing(user: User, listing_id: int, person_id: int | None = None) -> HelpListing:
    return update_listing(user, listing_id, {"status": "closed"}, person_id)


def who_sees(listing: HelpListing, *, own: bool) -> str:
    """Who sees a saved offer or request, and what happens next, in words.

    ``own`` is True when the person is the one signed in (the page says "you").
    """
    you, your = ("you", "your") if own else (listing.person.first_name, "their")
    if listing.direction == "offer":
        if listing.status != "open":
            return "Saved. It is not listed, because it is not open."
        return (
            f"Saved. While it is open, this offer is listed in “What is on near me” with "
            f"{your} first name, the kind of help and a distance rounded to half a kilometre, "
            f"never {your} address. People who would like it press “Ask about this offer”: "
            f"the question goes to the community worker who looks after {'you' if own else 'them'} "
            "(or to the site's admins, who assign one), who arranges it safely."
        )
    workers = db.session.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.person_id == listing.person_id)
    )
    if workers:
        return (
            f"Saved. Only {you} and the community workers who look after {'you' if own else 'them'} "
            "can see this request; a worker will talk it through and look for someone to help."
        )
    return (
        f"Saved. Only {you} can see this request: no community worker looks after "
        f"{'you' if own else 'them'} yet, so nobody else sees it. The site's admin can assign one."
    )
