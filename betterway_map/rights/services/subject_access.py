"""Subject access: everything held about a person, for them or a worker
assigned to them.

``people.services.export.person_record`` gives the person's own records;
``held_elsewhere`` (handed to it by ``create_app``) adds what other
capabilities hold: ties others recorded to them (without saying who
recorded them: that is the other person's record), their requests for
support, their offer as a volunteer, the matches they are a party to with
their history (the other side named by first name only, never their
contact details or what they said), the messages to their account, and the
audit log's entries about them and their records.
"""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import or_, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import AuditEvent, User
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from betterway_map.people.models import Person, Tie
from betterway_map.people.services.export import person_record, record_data
from betterway_map.rights.permissions import require_subject_access

__all__ = ["held_elsewhere", "export_for", "AUDIT_LIMIT"]

# The newest audit entries about a person that an export lists.
AUDIT_LIMIT = 2000
# What each side of a match said, kept from the other side.
_SIDE_FIELDS = {
    "person": ("person_response", "person_reason"),
    "volunteer": ("volunteer_response", "volunteer_reason"),
}


def _ties_to(person: Person) -> list[dict]:
    rows = db.session.scalars(
        select(Tie)
        .where(Tie.other_person_id == person.id, Tie.person_id != person.id)
        .order_by(Tie.id)
    )
    return [
        {
            "kind": tie.kind,
            "contact_frequency": tie.contact_frequency,
            "last_contact_on": record_data(tie)["last_contact_on"],
            "created_at": record_data(tie)["created_at"],
        }
        for tie in rows
    ]


def _match(match: Match, side: str) -> dict:
    other = "volunteer" if side == "person" else "person"
    data = record_data(match)
    for name in _SIDE_FIELDS[other]:
        data.pop(name, None)
    for name in ("person_answered_by_id", "approved_by_id", "run_id", "volunteer_id"):
        data.pop(name, None)
    other_person = match.volunteer if side == "person" else match.request.person
    data["your_part"] = "asked for support" if side == "person" else "volunteer"
    data["other_side_first_name"] = other_person.first_name
    data["history"] = "; ".join(
        f"{event.at.date().isoformat()} {event.step.replace('_', ' ')}" for event in match.events
    )
    return data


def _matching(person: Person) -> dict:
    requests = list(
        db.session.scalars(
            select(SupportRequest)
            .where(SupportRequest.person_id == person.id)
            .order_by(SupportRequest.id)
        )
    )
    request_ids = [row.id for row in requests]
    matches = db.session.scalars(
        select(Match)
        .where(or_(Match.request_id.in_(request_ids), Match.volunteer_id == person.id))
        .order_by(Match.id)
    )
    offer = db.session.get(VolunteerOffer, person.id)
    offer_data = record_data(offer) if offer else None
    if offer_data:
        # Safeguarding notes are a worker's record about the volunteer: the
        # kinds restricted are theirs to know; who else is excluded is not.
        offer_data.pop("excluded_person_ids", None)
    return {
        "requests_for_support": [
            {k: v for k, v in record_data(row).items() if k != "excluded_volunteer_ids"}
            for row in requests
        ],
        "volunteer_offer": [offer_data] if offer_data else [],
        "matches": [
            _match(m, "person" if m.request_id in request_ids else "volunteer") for m in matches
        ],
    }


def _own_detail(detail: str | None) -> str | None:
    """An audit detail without other people's record numbers (lists of ids
    are reduced to how many)."""
    if not detail:
        return detail
    return re.sub(r"\s*ids=[0-9,]+(\s*\(and \d+ more\))?", "", detail)


def _audit(person: Person) -> list[dict]:
    own = {
        "person": [person.id],
        "volunteer": [person.id],
        "volunteer_offer": [person.id],
        "consent": [row.id for row in person.consents],
        "loneliness_measure": [row.id for row in person.measures],
        "tie": [row.id for row in person.ties],
        "attendance": [row.id for row in person.attendances],
        "help_listing": [row.id for row in person.listings],
        "support_request": list(
            db.session.scalars(
                select(SupportRequest.id).where(SupportRequest.person_id == person.id)
            )
        ),
    }
    own["match"] = list(
        db.session.scalars(
            select(Match.id).where(
                or_(
                    Match.request_id.in_(own["support_request"]),
                    Match.volunteer_id == person.id,
                )
            )
        )
    )
    if person.user_id is not None:
        own["user"] = [person.user_id]
    conditions = [
        (AuditEvent.subject_type == kind) & AuditEvent.subject_id.in_(ids)
        for kind, ids in own.items()
        if ids
    ]
    number = str(person.id)
    conditions.append(AuditEvent.detail.like(f"%person={number} %"))
    conditions.append(AuditEvent.detail == f"person={number}")
    rows = db.session.execute(
        select(AuditEvent, User.display_name)
        .outerjoin(User, User.id == AuditEvent.user_id)
        .where(or_(*conditions))
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(AUDIT_LIMIT)
    )
    return [
        {
            "at": event.at.isoformat(),
            "action": event.action,
            "record": event.subject_type.replace("_", " "),
            "by": name or ("you" if event.user_id is None else "an account since removed"),
            "detail": _own_detail(event.detail),
        }
        for event, name in rows
    ]


def _messages(person: Person) -> list[dict]:
    if person.user_id is None:
        return []
    rows = db.session.scalars(
        select(Message).where(Message.recipient_id == person.user_id).order_by(Message.id)
    )
    return [
        {
            "sent_at": message.sent_at.isoformat(),
            "from": message.sender_label,
            "subject": message.subject,
            "body": message.body,
        }
        for message in rows
    ]


def held_elsewhere(person: Person) -> dict:
    """The sections other capabilities add to ``person_record`` (read-only)."""
    return {
        "ties_others_recorded": _ties_to(person),
        **_matching(person),
        "messages": _messages(person),
        "audit_entries": _audit(person),
    }


def export_for(user: User, person_id: int) -> dict:
    """Everything held about a person, for themself or their worker (audited)."""
    person, role = require_subject_access(user, person_id)
    audit.record(user.id, "export", "person", person.id, f"subject access by {role}")
    db.session.commit()
    account = db.session.get(User, person.user_id) if person.user_id else None
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "email": account.email,
            "display_name": account.display_name,
            "roles": sorted(account.role_names),
            "created_at": account.created_at.isoformat() if account.created_at else None,
        }
        if account
        else {},
        "person": person_record(person),
        "note": current_app.config.get(
            "SUBJECT_ACCESS_NOTE",
            "This is everything Better Way Map holds about you. To have it erased, ask your "
            "community worker or the site admin, or do it yourself from your profile page.",
        ),
    }
