"""Which community workers are responsible for which people (site admins only).

A site admin finds a person by id or first name and sees only what is needed
to choose a worker: first name, age band and current workers — never the
profile. Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User, UserRole
from betterway_map.database import starts_with
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Assignment, Person

__all__ = [
    "PersonForAssignment",
    "SEARCH_LIMIT",
    "find_people",
    "person_for_assignment",
    "workers",
    "assign",
    "unassign",
]

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class PersonForAssignment:
    """What a site admin sees of a person: nothing from the profile."""

    id: int
    first_name: str
    age_band: str | None
    has_account: bool
    workers: tuple[User, ...]


def _workers_of(person_ids: list[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {person_id: [] for person_id in person_ids}
    rows = db.session.execute(
        select(Assignment.person_id, User)
        .join(User, User.id == Assignment.worker_id)
        .where(Assignment.person_id.in_(person_ids))
        .order_by(User.display_name, User.id)
    )
    for person_id, user in rows:
        found[person_id].append(user)
    return found


def _summaries(people: list[Person]) -> list[PersonForAssignment]:
    workers_by_person = _workers_of([person.id for person in people])
    return [
        PersonForAssignment(
            id=person.id,
            first_name=person.first_name,
            age_band=person.age_band,
            has_account=person.user_id is not None,
            workers=tuple(workers_by_person[person.id]),
        )
        for person in people
    ]


def find_people(admin: User, q: str) -> list[PersonForAssignment]:
    """People whose id is ``q`` (digits) or whose first name starts with it.

    At most ``SEARCH_LIMIT``, so that a site admin narrows a search rather
    than browsing the register. One audit event names the people found.
    """
    q = (q or "").strip()
    if not q:
        return []
    if q.isdigit():
        condition = Person.id == int(q)
    else:
        condition = starts_with(func.lower(Person.first_name), q.lower())
    people = list(
        db.session.scalars(
            select(Person)
            .where(condition)
            .order_by(func.lower(Person.first_name), Person.id)
            .limit(SEARCH_LIMIT)
        )
    )
    found = _summaries(people)
    if people:
        detail = audit.people_detail([person.id for person in people], "assignment search")
        audit.record(admin.id, "list", "person", None, detail)
        db.session.commit()
    return found


def person_for_assignment(person_id: int) -> PersonForAssignment:
    person = db.session.get(Person, person_id)
    if person is None:
        raise NotFound(f"There is no person with id {person_id}.")
    return _summaries([person])[0]


def workers() -> list[User]:
    """Active users holding the worker role, by name."""
    return list(
        db.session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == "worker", User.active.is_(True))
            .order_by(User.display_name, User.id)
        )
    )


def _worker(worker_id: int) -> User:
    user = db.session.get(User, worker_id)
    if user is None or not user.has_role("worker") or not user.active:
        message = f"{worker_id} is not an active community worker: choose one from the list."
        raise InvalidInput(message, {"worker_id": [message]})
    return user


def assign(admin: User, person_id: int, worker_id: int) -> Assignment:
    """Make ``worker_id`` responsible for ``person_id``."""
    summary = person_for_assignment(person_id)
    worker = _worker(worker_id)
    if any(existing.id == worker.id for existing in summary.workers):
        raise Conflict(f"{worker.display_name} is already assigned to {summary.first_name}.")
    assignment = Assignment(person_id=person_id, worker_id=worker.id, assigned_by_id=admin.id)
    db.session.add(assignment)
    audit.record(admin.id, "assign", "person", person_id, f"worker={worker.id}")
    db.session.commit()
    return assignment


def unassign(admin: User, person_id: int, worker_id: int) -> None:
    """Stop ``worker_id`` being responsible for ``person_id``.

    Refused for the last worker of someone with no account of their own:
    nobody could then see or look after their record.
    """
    summary = person_for_assignment(person_id)
    assignment = db.session.get(Assignment, (person_id, worker_id))
    if assignment is None:
        raise NotFound(f"Worker {worker_id} is not assigned to person {person_id}.")
    if len(summary.workers) == 1 and not summary.has_account:
        raise Conflict(
            f"{summary.first_name} has no account of their own, so removing their only "
            "worker would leave nobody looking after them. Assign another worker first."
        )
    db.session.delete(assignment)
    audit.record(admin.id, "unassign", "person", person_id, f"worker={worker_id}")
    db.session.commit()
