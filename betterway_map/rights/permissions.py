"""Who may exercise a person's rights for them.

* Erasure: the person themself (their own record), a community worker
  assigned to them, or a site admin.
* Subject access: the person themself, or a worker assigned to them.

A person's existence is private, so every refusal is ``NotFound``.
"""

from __future__ import annotations

from betterway_map.accounts.models import User
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Person
from betterway_map.people.permissions import is_assigned_worker

__all__ = ["acting_as", "require_erasable", "require_subject_access"]


def acting_as(user: User, person: Person) -> str | None:
    """ "self", "worker" or "site_admin": how ``user`` may act for ``person``
    (the first that holds), or None."""
    if person.user_id is not None and person.user_id == user.id:
        return "self"
    if is_assigned_worker(user, person.id):
        return "worker"
    if user.has_role("site_admin"):
        return "site_admin"
    return None


def _missing(person_id: int) -> NotFound:
    return NotFound(f"There is no person {person_id} whose records you may look after.")


def require_erasable(user: User, person_id: int) -> tuple[Person, str]:
    """The person and how ``user`` acts for them, when ``user`` may erase them."""
    person = db.session.get(Person, person_id)
    role = acting_as(user, person) if person is not None else None
    if role is None:
        raise _missing(person_id)
    return person, role


def require_subject_access(user: User, person_id: int) -> tuple[Person, str]:
    """The person, when ``user`` is them or a worker assigned to them."""
    person = db.session.get(Person, person_id)
    role = acting_as(user, person) if person is not None else None
    if role not in ("self", "worker"):
        raise _missing(person_id)
    return person, role
