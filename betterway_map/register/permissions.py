"""Record-level access to the register: whose organisation.

Role checks happen in ``web.access``; this answers the second question, about
one organisation, for the services. Organisations are public, so a refusal to
change one is ``Forbidden``.
"""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.errors import Forbidden
from betterway_map.extensions import db
from betterway_map.register.models import OrganisationAdmin

__all__ = [
    "administers_organisation",
    "require_organisation_admin",
    "administered_organisation_ids",
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
