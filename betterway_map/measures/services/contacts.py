"""Contacts within a relationship: list them, record one, change or delete
one's own.

Who may do what is ``measures.permissions``; a refused date (in the future,
before a match started, after it ended) or a relationship that cannot take
a contact (a match not started yet, a group the person left) is
``InvalidInput`` naming the value, and nothing is written. Every change is
audited; so is reading a relationship's contacts (they are about a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures.relationships import contact_date_problem
from betterway_map.errors import Forbidden, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.measures.models import Contact
from betterway_map.measures.permissions import (
    Relationship,
    may_read_note,
    may_record,
    relationship_of_record,
    require_relationship,
)

__all__ = [
    "ContactLine",
    "Contacts",
    "RECENT",
    "list_contacts",
    "recent_contacts",
    "record_contact",
    "get_contact",
    "update_contact",
    "delete_contact",
    "require_recorder",
    "check_open",
]

RECENT = 5
_MODES = vocab.labels(vocab.CONTACT_MODES)


@dataclass(frozen=True)
class ContactLine:
    """One contact as its reader may see it (``note`` None when hidden)."""

    id: int
    kind: str
    person_id: int
    match_id: int | None
    group_id: int | None
    worker_id: int | None
    contacted_on: date
    mode: str
    mode_label: str
    duration_min: int | None
    with_volunteer_id: int | None
    with_worker_id: int | None
    note: str | None
    note_hidden: bool
    yours: bool
    recorded_by_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class Contacts:
    """A relationship's contacts, newest first, and what the reader may do."""

    relationship: Relationship
    contacts: list[ContactLine]
    may_record: bool


def _line(user: User, relationship: Relationship, contact: Contact) -> ContactLine:
    readable = may_read_note(user, relationship, contact.recorded_by_id)
    return ContactLine(
        id=contact.id,
        kind=contact.kind,
        person_id=contact.person_id,
        match_id=contact.match_id,
        group_id=contact.group_id,
        worker_id=contact.worker_id,
        contacted_on=contact.contacted_on,
        mode=contact.mode,
        mode_label=_MODES.get(contact.mode, contact.mode),
        duration_min=contact.duration_min,
        with_volunteer_id=contact.with_volunteer_id,
        with_worker_id=contact.with_worker_id,
        note=contact.note if readable else None,
        note_hidden=bool(contact.note) and not readable,
        yours=contact.recorded_by_id == user.id,
        recorded_by_id=contact.recorded_by_id,
        recorded_at=contact.recorded_at,
    )


def _in(relationship: Relationship):
    """The rows of one relationship (a caseload: of its own worker)."""
    statement = select(Contact).where(
        Contact.kind == relationship.kind, Contact.person_id == relationship.person.id
    )
    if relationship.kind == "match":
        statement = statement.where(Contact.match_id == relationship.match.id)
    elif relationship.kind == "group":
        statement = statement.where(Contact.group_id == relationship.group.id)
    else:
        statement = statement.where(Contact.worker_id == relationship.worker_id)
    return statement.order_by(Contact.contacted_on.desc(), Contact.id.desc())


def _fetch(user: User, relationship: Relationship, limit: int | None) -> list[ContactLine]:
    statement = _in(relationship)
    if limit is not None:
        statement = statement.limit(limit)
    return [_line(user, relationship, row) for row in db.session.scalars(statement)]


def list_contacts(user: User, **ids) -> Contacts:
    """A relationship's contacts, newest first (audited as a view of the person)."""
    relationship = require_relationship(user, **ids)
    lines = _fetch(user, relationship, None)
    audit.record(
        user.id, "view", "person", relationship.person.id, f"contacts; {relationship.kind}"
    )
    db.session.commit()
    return Contacts(relationship, lines, may_record(relationship))


def recent_contacts(user: User, limit: int = RECENT, **ids) -> Contacts | None:
    """The latest contacts of a relationship, for a panel on another page
    (the match page): None when the reader has no part in it. Notes are
    left out here (they are read on the contacts page, which is audited)."""
    try:
        relationship = require_relationship(user, **ids)
    except NotFound:
        return None
    lines = [
        ContactLine(**{**line.__dict__, "note": None, "note_hidden": False})
        for line in _fetch(user, relationship, limit)
    ]
    return Contacts(relationship, lines, may_record(relationship))


def require_recorder(relationship: Relationship, what: str = "record contacts") -> None:
    """``Forbidden`` unless the reader may record within the relationship."""
    if not may_record(relationship):
        raise Forbidden(
            f"You may see {relationship.name} but not {what}: the volunteer or a worker who "
            "looks after it does."
        )


def check_open(relationship: Relationship) -> None:
    """``InvalidInput`` when the relationship cannot take a new record: a
    match that has not started, a group the person has left."""
    if relationship.kind == "match":
        match = relationship.match
        if match.started_on is None or match.status not in ("active", "ended"):
            status = vocab.labels(vocab.MATCH_STATUSES).get(match.status, match.status)
            message = (
                f"Match {match.id} is “{status}”: contacts and feedback are recorded once a "
                "community worker has approved it and it has started."
            )
            raise InvalidInput(message, {"_schema": [message]})
    if relationship.kind == "group" and not relationship.current:
        message = (
            f"{relationship.person.first_name} no longer goes to {relationship.group.name}: "
            "add them to the group again first."
        )
        raise InvalidInput(message, {"_schema": [message]})


def _check_date(relationship: Relationship, day: date) -> None:
    match = relationship.match
    problem = contact_date_problem(
        day,
        today_in_uk(),
        started_on=match.started_on if match else None,
        ended_on=match.ended_on if match else None,
    )
    if problem:
        raise InvalidInput(problem, {"contacted_on": [problem]})


def record_contact(user: User, data: dict, **ids) -> ContactLine:
    """Record a contact (``ContactSchema``) within the relationship ``ids`` name."""
    relationship = require_relationship(user, **ids)
    require_recorder(relationship)
    check_open(relationship)
    _check_date(relationship, data["contacted_on"])
    match = relationship.match
    contact = Contact(
        **relationship.columns,
        contacted_on=data["contacted_on"],
        mode=data["mode"],
        duration_min=data.get("duration_min"),
        with_volunteer_id=match.volunteer_id if match else None,
        with_worker_id=relationship.worker_id,
        note=data.get("note"),
        recorded_by_id=user.id,
    )
    db.session.add(contact)
    db.session.flush()
    audit.record(user.id, "create", "contact", contact.id, f"person={relationship.person.id}")
    line = _line(user, relationship, contact)
    db.session.commit()
    return line


def _own(user: User, contact_id: int, what: str) -> tuple[Contact, Relationship]:
    contact = db.session.get(Contact, contact_id)
    if contact is None:
        raise NotFound(f"There is no contact {contact_id} that you may see.")
    relationship = relationship_of_record(user, contact)  # NotFound for anyone outside
    if contact.recorded_by_id != user.id:
        raise Forbidden(f"Only whoever recorded contact {contact_id} may {what} it.")
    return contact, relationship


def get_contact(user: User, contact_id: int) -> tuple[ContactLine, Relationship]:
    """One's own contact, to change it."""
    contact, relationship = _own(user, contact_id, "change")
    return _line(user, relationship, contact), relationship


def update_contact(user: User, contact_id: int, data: dict) -> ContactLine:
    """Change one's own contact (``ContactSchema``, or some of it)."""
    contact, relationship = _own(user, contact_id, "change")
    if "contacted_on" in data:
        _check_date(relationship, data["contacted_on"])
    for name in ("contacted_on", "mode", "duration_min", "note"):
        if name in data:
            setattr(contact, name, data[name])
    audit.record(user.id, "update", "contact", contact.id, f"person={relationship.person.id}")
    line = _line(user, relationship, contact)
    db.session.commit()
    return line


def delete_contact(user: User, contact_id: int) -> Relationship:
    """Delete one's own contact; the relationship it was in."""
    contact, relationship = _own(user, contact_id, "delete")
    db.session.delete(contact)
    audit.record(user.id, "delete", "contact", contact_id, f"person={relationship.person.id}")
    db.session.commit()
    return relationship
