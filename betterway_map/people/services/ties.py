"""A person's ties: who they are in touch with, and how often.

Workers record them for the people assigned to them, and a resident may
record their own. A tie may point at another person on the register, but
only at someone the same worker looks after: a link never reveals a person
to someone who could not already see them.
"""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Person, Tie
from betterway_map.people.permissions import (
    assigned_person_ids,
    is_assigned_worker,
    require_person_access,
)

__all__ = [
    "list_ties",
    "linkable_people",
    "can_link",
    "get_tie",
    "add_tie",
    "update_tie",
    "remove_tie",
]

_FIELDS = ("kind", "other_label", "other_person_id", "contact_frequency", "last_contact_on")


def can_link(user: User, person_id: int) -> bool:
    """Whether ``user`` may see and set links from this person's ties to others."""
    return is_assigned_worker(user, person_id)


def linkable_people(user: User, person_id: int) -> list[Person]:
    """The other people this worker looks after, by first name (none for
    residents); one audit event names them."""
    if not can_link(user, person_id):
        return []
    ids = [pid for pid in assigned_person_ids(user) if pid != person_id]
    if not ids:
        return []
    people = list(
        db.session.scalars(
            select(Person).where(Person.id.in_(ids)).order_by(Person.first_name, Person.id)
        )
    )
    detail = audit.people_detail([person.id for person in people], "people a tie can link")
    audit.record(user.id, "list", "person", None, detail)
    db.session.commit()
    return people


def list_ties(user: User, person_id: int) -> tuple[Person, list[Tie]]:
    person = require_person_access(user, person_id)
    ties = list(db.session.scalars(select(Tie).where(Tie.person_id == person.id).order_by(Tie.id)))
    audit.record(user.id, "view", "person", person.id, "ties")
    db.session.commit()
    return person, ties


def _find_tie(user: User, person_id: int, tie_id: int) -> Tie:
    """A tie of a person ``user`` may see; NotFound for anyone else's."""
    person = require_person_access(user, person_id)
    tie = db.session.get(Tie, tie_id)
    if tie is None or tie.person_id != person.id:
        raise NotFound(f"Person {person_id} has no tie {tie_id}.")
    return tie


def get_tie(user: User, person_id: int, tie_id: int) -> tuple[Person, Tie]:
    """The person and one of their ties, for editing (audited as a view)."""
    tie = _find_tie(user, person_id, tie_id)
    audit.record(user.id, "view", "tie", tie.id, f"person={person_id}")
    db.session.commit()
    return db.session.get(Person, person_id), tie


def _check_link(user: User, person_id: int, other_person_id: int | None) -> None:
    if other_person_id is None:
        return
    if other_person_id == person_id:
        message = "A person cannot have a tie to themself; leave 'also on the register' empty."
    elif not can_link(user, person_id) or other_person_id not in assigned_person_ids(user):
        message = (
            f"{other_person_id} is not a person you look after; only a worker can link a tie "
            "to another person they look after."
        )
    else:
        return
    raise InvalidInput(message, {"other_person_id": [message]})


def add_tie(user: User, person_id: int, data: dict) -> Tie:
    """Record a tie loaded by ``TieSchema``."""
    person = require_person_access(user, person_id)
    _check_link(user, person.id, data.get("other_person_id"))
    tie = Tie(person_id=person.id, recorded_by_id=user.id, **{k: data.get(k) for k in _FIELDS})
    db.session.add(tie)
    db.session.flush()
    audit.record(user.id, "create", "tie", tie.id, f"person={person.id}")
    db.session.commit()
    return tie


def update_tie(user: User, person_id: int, tie_id: int, data: dict) -> Tie:
    """Change the given fields of a tie (``data`` may be partial)."""
    tie = _find_tie(user, person_id, tie_id)
    if "other_person_id" in data and data["other_person_id"] != tie.other_person_id:
        _check_link(user, person_id, data["other_person_id"])
    for name in _FIELDS:
        if name in data:
            setattr(tie, name, data[name])
    tie.recorded_by_id = user.id
    audit.record(user.id, "update", "tie", tie.id, f"person={person_id}")
    db.session.commit()
    return tie


def remove_tie(user: User, person_id: int, tie_id: int) -> None:
    tie = _find_tie(user, person_id, tie_id)
    db.session.delete(tie)
    audit.record(user.id, "delete", "tie", tie_id, f"person={person_id}")
    db.session.commit()
