"""Asking about an offer of help found near you.

An offer is listed publicly with the helper's first name and the kind of
help only. Someone who would like it (a resident, or a community worker for
a person they look after) asks through the platform: the question goes to
the community workers who look after the helper, who talk it through with
both and arrange it safely; when nobody looks after the helper yet, it goes
to the site's admins, who can assign a worker. The helper's address, phone
and email are never given to the person asking, and the asker's are never
given to the helper. Until matching exists, this is how an offer is taken
up.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User, UserRole
from betterway_map.domain import vocab
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.inbox.services import deliver
from betterway_map.people.models import Assignment, HelpListing, Person
from betterway_map.people.services.consent import (
    PUBLISH_OFFER,
    has_consent,
    has_withdrawn,
    helper_name,
)

__all__ = ["OfferSummary", "offer_to_ask_about", "ask_about_offer", "QUESTION_ABOUT"]

QUESTION_ABOUT = "help_listing"


@dataclass(frozen=True)
class OfferSummary:
    """What anyone may see of an open offer: the kind of help and a first name."""

    listing_id: int
    kind_label: str
    first_name: str
    description: str | None
    handled_by_worker: bool  # a community worker looks after the helper
    kind: str = "other"  # vocab.HELP_KINDS: a request for matching can start from it


def _open_offer(listing_id: int) -> HelpListing:
    listing = db.session.get(HelpListing, listing_id)
    if (
        listing is None
        or listing.direction != "offer"
        or listing.status != "open"
        or has_withdrawn(listing.person_id, "register")
    ):
        raise NotFound(
            f"There is no open offer of help with the number {listing_id}: it may have been "
            "taken up or closed. Search again for what is near you."
        )
    return listing


def _workers_of(person_id: int) -> list[int]:
    return list(
        db.session.scalars(
            select(Assignment.worker_id)
            .join(User, User.id == Assignment.worker_id)
            .where(Assignment.person_id == person_id, User.active.is_(True))
            .order_by(Assignment.worker_id)
        )
    )


def _site_admins() -> list[int]:
    return list(
        db.session.scalars(
            select(UserRole.user_id)
            .join(User, User.id == UserRole.user_id)
            .where(UserRole.role == "site_admin", User.active.is_(True))
            .order_by(UserRole.user_id)
        )
    )


def _summary(listing: HelpListing) -> OfferSummary:
    return OfferSummary(
        listing_id=listing.id,
        kind_label=vocab.labels(vocab.HELP_KINDS).get(listing.kind, listing.kind),
        first_name=helper_name(
            listing.person.first_name, has_consent(listing.person_id, PUBLISH_OFFER)
        ),
        description=listing.description,
        handled_by_worker=bool(_workers_of(listing.person_id)),
        kind=listing.kind,
    )


def offer_to_ask_about(listing_id: int) -> OfferSummary:
    """The open offer, as the page asking about it shows it."""
    return _summary(_open_offer(listing_id))


def ask_about_offer(user: User, listing_id: int, data: dict) -> OfferSummary:
    """Send ``user``'s question (``data["body"]``, loaded by ``MessageSchema``)
    about an open offer to whoever arranges it; returns the offer."""
    listing = _open_offer(listing_id)
    helper: Person = listing.person
    if helper.user_id == user.id:
        message = "This is your own offer: people who would like it will ask about it."
        raise InvalidInput(message, {"body": [message]})
    offer = _summary(listing)
    workers = _workers_of(helper.id)
    if user.id in workers:
        message = (
            f"You look after {helper.first_name} yourself: talk it through with them "
            "directly (their page is in your people)."
        )
        raise InvalidInput(message, {"body": [message]})
    recipients = workers or _site_admins()
    if not recipients:
        message = (
            "Nobody can take questions about offers yet: the site has no community worker or "
            "admin. Please try again later."
        )
        raise InvalidInput(message, {"body": [message]})
    role = "community worker" if user.has_role("worker") else "resident"
    label = f"{user.display_name} ({role})"
    intro = (
        f"{user.display_name} asks about the offer of {offer.kind_label.lower()} by "
        f"{helper.first_name}"
    )
    if workers:
        intro += ", whom you look after. Please talk it through with them both."
    else:
        intro += (
            f". Nobody looks after {helper.first_name} yet: please assign a community worker, "
            "who can talk it through with them both."
        )
    for recipient_id in recipients:
        deliver(
            recipient_id,
            sender=user,
            sender_label=label,
            subject=f"A question about {helper.first_name}’s offer of {offer.kind_label.lower()}",
            body=f"{intro}\n\n{data['body']}",
            about=(QUESTION_ABOUT, listing.id),
        )
    audit.record(user.id, "ask", "help_listing", listing.id, f"to {len(recipients)} users")
    db.session.commit()
    return offer
