"""Organisations and their admins: register, edit, list, add and remove co-admins.

Organisations are public records: anyone may read them; only their admins
change them (``permissions.require_organisation_admin``). Each function that
writes is one use case with one commit; on an error nothing is written.
Organisations are not deleted in this version: their spaces and groups can be.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.database import contains
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Organisation, OrganisationAdmin
from betterway_map.register.permissions import (
    administered_organisation_ids,
    require_organisation_admin,
)
from betterway_map.web.paging import Page, paginate

__all__ = [
    "list_organisations",
    "get_organisation",
    "create_organisation",
    "update_organisation",
    "organisations_of",
    "admin_organisation",
    "list_admins",
    "add_admin",
    "remove_admin",
]


def _apply(record, data: dict) -> None:
    for name, value in data.items():
        setattr(record, name, value)


def _commit(action: Callable):
    """Run ``action`` and commit; roll back everything if it fails."""
    try:
        result = action()
        db.session.commit()
        return result
    except Exception:
        db.session.rollback()
        raise


def list_organisations(
    *, sector: str | None = None, q: str | None = None, page: int = 1, page_size: int = 20
) -> Page:
    """Organisations by name, optionally of one sector or whose name contains ``q``."""
    query = select(Organisation).order_by(func.lower(Organisation.name), Organisation.id)
    if sector:
        query = query.where(Organisation.sector == sector)
    if q and q.strip():
        query = query.where(contains(func.lower(Organisation.name), q.strip().lower()))
    return paginate(query, page, page_size)


def get_organisation(organisation_id: int) -> Organisation:
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"There is no organisation with the number {organisation_id}.")
    return organisation


def admin_organisation(user: User, organisation_id: int) -> Organisation:
    """The organisation, when ``user`` is one of its admins (else NotFound/Forbidden)."""
    organisation = get_organisation(organisation_id)
    require_organisation_admin(user, organisation_id)
    return organisation


def create_organisation(user: User, data: dict) -> Organisation:
    """Register an organisation; the person who registers it becomes its admin."""

    def action():
        organisation = Organisation(**data)
        organisation.admins.append(OrganisationAdmin(user_id=user.id))
        db.session.add(organisation)
        db.session.flush()
        audit.record(user.id, "create", "organisation", organisation.id)
        return organisation

    return _commit(action)


def update_organisation(user: User, organisation_id: int, data: dict) -> Organisation:
    organisation = admin_organisation(user, organisation_id)

    def action():
        _apply(organisation, data)
        audit.record(user.id, "update", "organisation", organisation.id, ",".join(sorted(data)))
        return organisation

    return _commit(action)


def organisations_of(user: User) -> list[Organisation]:
    """The organisations ``user`` administers, by name."""
    ids = administered_organisation_ids(user)
    if not ids:
        return []
    return list(
        db.session.scalars(
            select(Organisation).where(Organisation.id.in_(ids)).order_by(Organisation.name)
        )
    )


def list_admins(user: User, organisation_id: int) -> list[User]:
    """The admins of an organisation; only its admins may see who they are."""
    admin_organisation(user, organisation_id)
    return list(
        db.session.scalars(
            select(User)
            .join(OrganisationAdmin, OrganisationAdmin.user_id == User.id)
            .where(OrganisationAdmin.organisation_id == organisation_id)
            .order_by(User.display_name, User.id)
        )
    )


def add_admin(user: User, organisation_id: int, email: str) -> User:
    """Make another organisation admin (found by email) a co-admin.

    The same message answers "no such account" and "an account without the
    organisation admin role", so that the form does not reveal who has an
    account.
    """
    admin_organisation(user, organisation_id)
    wanted = (email or "").strip().lower()
    other = db.session.scalar(select(User).where(func.lower(User.email) == wanted))
    if other is None or not other.active or not other.has_role("org_admin"):
        message = (
            f"No organisation admin account has the email address {email!r}. Ask them to "
            "create an account as an organisation admin first, then add them here."
        )
        raise InvalidInput(message, {"email": [message]})
    if db.session.get(OrganisationAdmin, (organisation_id, other.id)) is not None:
        message = f"{email} is already an admin of this organisation."
        raise InvalidInput(message, {"email": [message]})

    def action():
        db.session.add(OrganisationAdmin(organisation_id=organisation_id, user_id=other.id))
        audit.record(user.id, "add_admin", "organisation", organisation_id, f"user={other.id}")
        return other

    return _commit(action)


def remove_admin(user: User, organisation_id: int, admin_user_id: int) -> None:
    """Remove a co-admin; the last admin of an organisation cannot be removed."""
    admin_organisation(user, organisation_id)
    # Lock the organisation's row (PostgreSQL; SQLite has one writer at a
    # time anyway) so that two admins removing each other at the same moment
    # cannot leave it with none.
    db.session.execute(
        select(Organisation.id).where(Organisation.id == organisation_id).with_for_update()
    )
    row = db.session.get(OrganisationAdmin, (organisation_id, admin_user_id))
    if row is None:
        raise NotFound(f"User {admin_user_id} is not an admin of organisation {organisation_id}.")
    count = db.session.scalar(
        select(func.count())
        .select_from(OrganisationAdmin)
        .where(OrganisationAdmin.organisation_id == organisation_id)
    )
    if count <= 1:
        raise InvalidInput(
            "An organisation needs at least one admin: add another admin before removing this one.",
            {"admin": ["This is the only admin."]},
        )

    def action():
        db.session.delete(row)
        audit.record(
            user.id, "remove_admin", "organisation", organisation_id, f"user={admin_user_id}"
        )

    _commit(action)
