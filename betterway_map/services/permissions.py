"""Record-level access: whose organisation, whose person.

Role checks happen in ``web.access``; these answer the second question, about
one record, for the services. A person's existence is itself private, so a
refusal about a person is ``NotFound``; organisations are public, so a refusal
to change one is ``Forbidden``.
"""

from __future__ import annotations

from sqlalchemy import select

from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import Assignment, OrganisationAdmin, Person, User

__all__ = [
    "administers_organisation",
    "require_organisation_admin",
    "administered_organisation_ids",
    "is_assigned_worker",
    "own_person",
    "require_person_access",
    "assigned_person_ids",
]


def administers_organisation(user: User, organisation_id: int) -> bool:
    return db.session.get(
        OrganisationAdmin, (organisation_id, user.id)
    ) is not None and user.has_role("org_admin")


def require_organisation_admin(user: User, organisation_id: int) -> None:
    if not administers_organisation(user, organisation_id):
        raise Forbidden(
            f"You are not an admin of organisation {organisation_id}, so you cannot change it."
        )


def administered_organisation_ids(user: User) -> list[int]:
    if not user.has_role("org_admin"):
        return []
    return list(
        db.session.scalars(
            select(OrganisationAdmin.organisation_id).where(OrganisationAdmin.user_id == user.id)
        )
    )


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
