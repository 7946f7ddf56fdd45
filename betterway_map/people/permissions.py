"""Record-level access to people: whose person.

Role checks happen in ``web.access``; this answers the second question, about
one person, for the services. A person's existence is itself private, so a
refusal about a person is ``NotFound``.
"""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Assignment, Person

__all__ = ["is_assigned_worker", "own_person", "require_person_access", "assigned_person_ids"]


def is_assigned_worker(user: User, person_id: int) -> bool:
    return user.has_role("worker") and db.session.get(Assignment, (person_id, user.id)) is not None


def own_person(user: User) -> Person | None:
    """The person record of a signed-in resident, if they have filled in a profile."""
    return db.session.scalar(select(Person).where(Person.user_id == user.id))


def require_person_access(user: User, person_id: int) -> Person:
    """The person, when ``user`` is that person or a worker assigned to them.

    Anyone else gets ``NotFound``, whether or not the person exists.
    """
    person = db.session.get(Person, person_id)
    if person is None or not (person.user_id == user.id or is_assigned_worker(user, person_id)):
        raise NotFound(f"There is no person {person_id} that you look after.")
    return person


def assigned_person_ids(user: User) -> list[int]:
    if not user.has_role("worker"):
        return []
    return list(
        db.session.scalars(select(Assignment.person_id).where(Assignment.worker_id == user.id))
    )
