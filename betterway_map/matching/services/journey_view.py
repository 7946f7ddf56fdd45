"""What one reader sees of a match.

Each side of a match (the volunteer, the person) is shown to a reader at
one of three levels:

* ``full``: the reader is that side, or a worker assigned to them: their
  full name and postcode (and, for the person, the whole request);
* ``contact``: the match is active and the reader takes part in it or looks
  after the other side: first name and area on the match itself, and their
  address and phone on asking (``reveal_contact``);
* ``limited``: otherwise: first name and postcode district ("LS6") only.

The match itself (``view_match``) never carries an address or a phone
number. Revealing the other side's (``reveal_contact``) is a separate step,
behind a fresh sign-in (the routes declare it), and every reveal goes in the
audit log (action ``reveal``). Nothing else about the other side is shown
before approval; the kind of support and the proposal's reasons (which are
about the pair) are.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.permissions import (
    PERSON,
    PERSON_WORKER,
    VOLUNTEER,
    VOLUNTEER_WORKER,
    may_answer_for_person,
    may_answer_for_volunteer,
    may_look_after,
    require_match,
    side_of,
)
from betterway_map.matching.services.journey_notices import area_of
from betterway_map.people.models import Person

__all__ = [
    "Party",
    "RequestDetail",
    "Event",
    "MatchView",
    "Contact",
    "ContactView",
    "view_match",
    "reveal_contact",
    "may_reveal",
    "actions_for",
    "level",
]

FULL, CONTACT, LIMITED = "full", "contact", "limited"
# Steps in the history, as a reader reads them.
STEP_LABELS = {
    "proposed": "Proposed",
    "volunteer_accepted": "The volunteer accepted",
    "volunteer_declined": "The volunteer declined",
    "person_accepted": "Accepted for the person",
    "person_declined": "Declined for the person",
    "approved": "Approved by a community worker: the match started",
    "reviewed": "Reviewed",
    "end_requested": "Asked to end",
    "ended": "Ended",
    "superseded": "Replaced by another match",
    "withdrawn": "Withdrawn by a community worker",
}


@dataclass(frozen=True)
class Party:
    """One side of a match as the reader may see it."""

    first_name: str
    area: str | None
    level: str
    last_name: str | None = None
    postcode: str | None = None
    person_id: int | None = None


@dataclass(frozen=True)
class RequestDetail:
    """The whole request, for the person and the workers assigned to them."""

    frequency: str
    duration_min: int
    availability: list[str]
    languages: list[str]
    interests: list[str]
    lived_experience: list[str]
    comes_to_me: bool
    travel_km: float | None
    notes: str | None
    status: str


@dataclass(frozen=True)
class Event:
    at: datetime
    step: str
    label: str
    note: str | None  # only to the workers who look after the match


@dataclass(frozen=True)
class MatchView:
    id: int
    status: str
    status_label: str
    kind: str
    kind_label: str
    frequency: str
    reasons: list[str]
    roles: list[str]
    actions: list[str]
    volunteer: Party
    person: Party
    request: RequestDetail | None
    volunteer_response: str | None
    person_response: str | None
    started_on: date | None
    next_review_on: date | None
    end_requested_by: str | None
    end_requested_reason: str | None
    ended_on: date | None
    end_kind: str | None
    end_reason: str | None
    ended_well: bool | None
    events: list[Event]
    # The reader may ask for the other side's address and phone (fresh sign-in).
    contact_available: bool = False


@dataclass(frozen=True)
class Contact:
    """The address and phone of one side, revealed to the reader."""

    side: str  # VOLUNTEER or PERSON
    first_name: str
    area: str | None
    address: str | None
    phone: str | None


@dataclass(frozen=True)
class ContactView:
    id: int
    kind_label: str
    volunteer_first_name: str
    person_first_name: str
    contacts: list[Contact]


def level(match: Match, roles: frozenset[str], side: str) -> str:
    """How much of ``side`` (``VOLUNTEER`` or ``PERSON``) a reader with ``roles`` sees.

    A reader with no part in the match (no roles) is never given contact
    details, whatever the callers checked before."""
    own = {VOLUNTEER: {VOLUNTEER, VOLUNTEER_WORKER}, PERSON: {PERSON, PERSON_WORKER}}[side]
    if own & roles:
        return FULL
    return CONTACT if roles and match.status == "active" else LIMITED


def _party(person: Person, seen: str) -> Party:
    party = Party(first_name=person.first_name, area=area_of(person.postcode), level=seen)
    if seen != FULL:
        return party
    return replace(
        party,
        last_name=person.last_name,
        postcode=person.postcode,
        person_id=person.id,
    )


def _request_detail(request: SupportRequest) -> RequestDetail:
    return RequestDetail(
        frequency=request.frequency,
        duration_min=request.duration_min,
        availability=list(request.availability or []),
        languages=list(request.languages or []),
        interests=list(request.interests or []),
        lived_experience=list(request.lived_experience or []),
        comes_to_me=request.comes_to_me,
        travel_km=request.travel_km,
        notes=request.notes,
        status=request.status,
    )


def actions_for(match: Match, roles: frozenset[str]) -> list[str]:
    """The steps a reader with ``roles`` may take on ``match`` now."""
    actions = []
    if match.status == "proposed":
        if match.volunteer_response is None and may_answer_for_volunteer(match, roles):
            actions.append("volunteer_answer")
        if (
            match.volunteer_response == "accepted"
            and match.person_response is None
            and may_answer_for_person(match, roles)
        ):
            actions.append("person_answer")
    if match.status == "agreed" and may_look_after(roles):
        actions.append("approve")
    if match.status in ("proposed", "agreed") and may_look_after(roles):
        actions.append("withdraw")
    if match.status == "active":
        if may_look_after(roles):
            actions += ["review", "end"]
        if match.end_requested_by is None and side_of(roles) is not None:
            actions.append("ask_to_end")
    return actions


def _sides(match: Match) -> tuple[tuple[str, Person], ...]:
    return ((VOLUNTEER, match.volunteer), (PERSON, match.request.person))


def _revealable(match: Match, roles: frozenset[str]) -> list[tuple[str, Person]]:
    """The sides whose address and phone the reader may ask for: the other
    side of an active match (never their own, nor a person they look after,
    whose record they have already)."""
    return [(side, who) for side, who in _sides(match) if level(match, roles, side) == CONTACT]


def may_reveal(match: Match, roles: frozenset[str]) -> bool:
    """Whether a reader with ``roles`` may ask for ``match``'s contact details now."""
    return bool(_revealable(match, roles))


def reveal_contact(user: User, match_id: int) -> ContactView:
    """The address and phone of the other side of an active match, for a
    party or a worker who looks after it; each side shown is a reveal in the
    audit log. The route must ask for a fresh sign-in first."""
    match, roles = require_match(user, match_id)
    shown = _revealable(match, roles)
    if not shown:
        labels = vocab.labels(vocab.MATCH_STATUSES)
        if match.status != "active":
            status = labels.get(match.status, match.status).lower()
            message = (
                f"Match {match.id} is {status}, not active: an address and phone are shown "
                "only once a community worker has approved the match, while it lasts."
            )
        else:
            message = (
                f"You look after both sides of match {match.id}: their addresses and phones "
                "are on their own records."
            )
        raise InvalidInput(message, {"_schema": [message]})
    contacts = []
    for side, who in shown:
        audit.record(user.id, "reveal", "person", who.id, f"address and phone; match {match.id}")
        contacts.append(
            Contact(
                side=side,
                first_name=who.first_name,
                area=area_of(who.postcode),
                address=who.address,
                phone=who.phone,
            )
        )
    view = ContactView(
        id=match.id,
        kind_label=vocab.labels(vocab.HELP_KINDS).get(match.request.kind, match.request.kind),
        volunteer_first_name=match.volunteer.first_name,
        person_first_name=match.request.person.first_name,
        contacts=contacts,
    )
    db.session.commit()
    return view


def view_match(user: User, match_id: int) -> MatchView:
    """Match ``match_id`` as ``user`` may see it, without anyone's address or
    phone (``reveal_contact`` gives those); the view goes in the audit log."""
    match, roles = require_match(user, match_id)
    person = match.request.person
    seen = {VOLUNTEER: level(match, roles, VOLUNTEER), PERSON: level(match, roles, PERSON)}
    audit.record(user.id, "view", "match", match.id)
    looks_after = may_look_after(roles) or bool({PERSON_WORKER, VOLUNTEER_WORKER} & roles)
    labels = vocab.labels(vocab.MATCH_STATUSES)
    view = MatchView(
        id=match.id,
        status=match.status,
        status_label=labels.get(match.status, match.status),
        kind=match.request.kind,
        kind_label=vocab.labels(vocab.HELP_KINDS).get(match.request.kind, match.request.kind),
        frequency=match.request.frequency,
        reasons=list(match.reasons or []),
        roles=sorted(roles),
        actions=actions_for(match, roles),
        volunteer=_party(match.volunteer, seen[VOLUNTEER]),
        person=_party(person, seen[PERSON]),
        request=_request_detail(match.request) if seen[PERSON] == FULL else None,
        volunteer_response=match.volunteer_response,
        person_response=match.person_response,
        started_on=match.started_on,
        next_review_on=match.next_review_on,
        end_requested_by=match.end_requested_by,
        end_requested_reason=match.end_requested_reason if looks_after else None,
        ended_on=match.ended_on,
        end_kind=match.end_kind,
        end_reason=match.end_reason if looks_after else None,
        ended_well=match.ended_well if looks_after else None,
        events=[
            Event(
                at=event.at,
                step=event.step,
                label=STEP_LABELS.get(event.step, event.step),
                note=event.note if looks_after else None,
            )
            for event in match.events
        ],
        contact_available=may_reveal(match, roles),
    )
    db.session.commit()
    return view
