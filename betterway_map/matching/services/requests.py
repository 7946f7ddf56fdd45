"""Requests for support: create, read, edit, close and reopen, one
transaction each, every change audited.

A request is written for a person by a worker assigned to them, or by a
resident for themself. A worker writing for someone registered by another
(the person did not sign up themself) needs that person's consent to be
matched (purpose ``matching``); without it the request is refused, and the
page says how to record it. Reopening a closed request starts its wait
again (``opened_on``), since waiting is what the matcher's priority counts.
"""

from __future__ import annotations

from sqlalchemy import or_, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import Conflict, NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match, MatchEvent, SupportRequest
from betterway_map.people.models import Assignment, Person
from betterway_map.people.permissions import require_person_access
from betterway_map.people.services.consent import has_consent
from betterway_map.web.paging import Page, paginate

__all__ = [
    "FIELDS",
    "MATCHING_PURPOSE",
    "close_request",
    "close_on_withdrawal",
    "create_request",
    "get_request",
    "list_requests",
    "needs_consent",
    "new_request_form",
    "person_requests",
    "reopen_request",
    "request_for_edit",
    "update_request",
]

MATCHING_PURPOSE = "matching"
FIELDS = (
    "kind",
    "frequency",
    "duration_min",
    "availability",
    "languages",
    "interests",
    "lived_experience",
    "volunteer_gender",
    "similar_age",
    "excluded_volunteer_ids",
    "comes_to_me",
    "travel_km",
    "notes",
)
# A match that holds the request: it cannot be closed under it.
_HOLDING = ("agreed", "active")


def needs_consent(user: User, person: Person) -> bool:
    """Whether ``user`` writing a request for ``person`` lacks their consent:
    only someone acting for a person registered by another needs it."""
    if person.user_id is not None and person.user_id == user.id:
        return False
    registered_themself = person.user_id is not None and person.registered_by_id == person.user_id
    return not registered_themself and not has_consent(person.id, MATCHING_PURPOSE)


def _require_consent(user: User, person: Person) -> None:
    if needs_consent(user, person):
        raise Conflict(
            f"{person.first_name} has not given consent to be matched with a volunteer. "
            "Record their consent to 'Be matched with a volunteer' on their consent page "
            "first, then ask for support."
        )


def _prefill(person: Person) -> dict:
    """A new request's form, filled in from what the person's record says."""
    travel = person.travel_km
    return {
        "frequency": "weekly",
        "duration_min": 60,
        "availability": list(person.availability or []),
        "languages": list(person.languages or []) or ["en"],
        "interests": list(person.interests or []),
        "comes_to_me": not travel,
        "travel_km": min(travel, 50) if travel else None,
        "similar_age": False,
    }


def new_request_form(user: User, person_id: int) -> tuple[Person, dict, bool]:
    """The person, the values to fill a new request's form with, and whether
    their consent is missing (audited as a view of the person)."""
    person = require_person_access(user, person_id)
    audit.record(user.id, "view", "person", person.id, "new request for support")
    db.session.commit()
    return person, _prefill(person), needs_consent(user, person)


def create_request(user: User, person_id: int, data: dict) -> SupportRequest:
    """A new open request for ``person_id`` from data loaded by ``SupportRequestSchema``."""
    person = require_person_access(user, person_id)
    _require_consent(user, person)
    row = SupportRequest(
        person_id=person.id,
        status="open",
        opened_on=today_in_uk(),
        created_by_id=user.id,
        **{name: data.get(name) for name in FIELDS if name in data},
    )
    _tidy(row)
    db.session.add(row)
    db.session.flush()
    audit.record(user.id, "create", "support_request", row.id, f"person={person.id} {row.kind}")
    db.session.commit()
    return row


def _tidy(row: SupportRequest) -> None:
    # Support that comes to the person needs no distance of theirs.
    if row.comes_to_me:
        row.travel_km = None


def _find(user: User, request_id: int) -> SupportRequest:
    row = db.session.get(SupportRequest, request_id)
    missing = NotFound(f"There is no request for support {request_id} that you look after.")
    if row is None:
        raise missing
    try:
        require_person_access(user, row.person_id)
    except NotFound:
        raise missing from None
    return row


def get_request(user: User, request_id: int) -> SupportRequest:
    """One request, for the person or their worker (audited)."""
    row = _find(user, request_id)
    audit.record(user.id, "view", "support_request", row.id)
    db.session.commit()
    return row


def request_for_edit(user: User, request_id: int) -> tuple[SupportRequest, bool]:
    """A request to edit, and whether the person's consent is missing."""
    row = get_request(user, request_id)
    return row, needs_consent(user, row.person)


def update_request(user: User, request_id: int, data: dict) -> SupportRequest:
    """Replace a request's details (``SupportRequestSchema``); a closed one stays closed."""
    row = _find(user, request_id)
    _require_consent(user, row.person)
    for name in FIELDS:
        if name in data:
            setattr(row, name, data[name])
    _tidy(row)
    audit.record(user.id, "update", "support_request", row.id)
    db.session.commit()
    return row


def close_request(user: User, request_id: int) -> SupportRequest:
    """Close a request: it is no longer matched. Refused while a match holds it."""
    row = _find(user, request_id)
    if row.status == "closed":
        raise Conflict(f"Request {request_id} is already closed.")
    holding = db.session.scalar(
        select(Match.id).where(Match.request_id == row.id, Match.status.in_(_HOLDING)).limit(1)
    )
    if holding is not None:
        raise Conflict(
            f"Request {request_id} has a match that both sides agreed to: end that match "
            "first, then close the request."
        )
    row.status = "closed"
    audit.record(user.id, "close", "support_request", row.id)
    db.session.commit()
    return row


# Withdrawing either of these takes a person out of matching at once.
WITHDRAWN_FROM_MATCHING = ("matching", "register")


def close_on_withdrawal(person_id: int, purpose: str) -> None:
    """Consent withdrawn (``people.services.consent.after_withdrawal``): close
    the person's open requests, and end the proposals no one has answered
    yet, in the caller's transaction. Matches both sides agreed to are left
    to their workers to end, with the care an ending needs."""
    if purpose not in WITHDRAWN_FROM_MATCHING:
        return
    rows = list(
        db.session.scalars(
            select(SupportRequest).where(
                SupportRequest.person_id == person_id, SupportRequest.status == "open"
            )
        )
    )
    for row in rows:
        row.status = "closed"
        audit.record(None, "close", "support_request", row.id, f"consent withdrawn: {purpose}")
    proposals = db.session.scalars(
        select(Match).where(
            Match.status == "proposed",
            or_(Match.request_id.in_([row.id for row in rows]), Match.volunteer_id == person_id),
        )
    )
    for match in proposals:
        match.status = "superseded"
        match.events.append(MatchEvent(step="superseded", note="Consent was withdrawn."))


def reopen_request(user: User, request_id: int) -> SupportRequest:
    """Open a closed request again; its wait starts again today."""
    row = _find(user, request_id)
    if row.status != "closed":
        raise Conflict(f"Request {request_id} is not closed, so it cannot be reopened.")
    _require_consent(user, row.person)
    row.status = "open"
    row.opened_on = today_in_uk()
    audit.record(user.id, "reopen", "support_request", row.id)
    db.session.commit()
    return row


def person_requests(user: User, person_id: int) -> tuple[Person, list[SupportRequest], bool]:
    """A person's requests, open ones first, newest first (audited), and
    whether their consent is missing."""
    person = require_person_access(user, person_id)
    rows = list(
        db.session.scalars(
            select(SupportRequest)
            .where(SupportRequest.person_id == person.id)
            .order_by(SupportRequest.status == "closed", SupportRequest.id.desc())
        )
    )
    audit.record(user.id, "view", "person", person.id, "requests for support")
    db.session.commit()
    return person, rows, needs_consent(user, person)


def list_requests(
    user: User,
    *,
    page: int = 1,
    page_size: int = 20,
    status: str | None = None,
    person_id: int | None = None,
) -> Page:
    """Requests the user may see: their own, and those of the people assigned
    to them (a worker), newest first (audited as one bulk read)."""
    own = select(Person.id).where(Person.user_id == user.id)
    mine = [SupportRequest.person_id.in_(own)]
    if user.has_role("worker"):
        assigned = select(Assignment.person_id).where(Assignment.worker_id == user.id)
        mine.append(SupportRequest.person_id.in_(assigned))
    query = select(SupportRequest).where(or_(*mine)).order_by(SupportRequest.id.desc())
    if status:
        query = query.where(SupportRequest.status == status)
    if person_id:
        query = query.where(SupportRequest.person_id == person_id)
    result = paginate(query, page, page_size)
    audit.record(user.id, "list", "support_request", None, f"{len(result.items)} requests")
    db.session.commit()
    return result
