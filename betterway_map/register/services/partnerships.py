"""Partnerships between organisations: joint work, referrals, shared space.

A partnership is recorded by one organisation (``organisation_id``) with a
partner. Referrals have a direction (the recorder refers people to the
partner), so A→B and B→A are different; joint work and shared space are
mutual, so recording B–A when A–B exists is a duplicate. Partnerships are
public, like the organisations; an admin of either side may remove one.
"""

from __future__ import annotations

from sqlalchemy import and_, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Organisation, Partnership
from betterway_map.register.services.organisations import (
    _commit,
    admin_organisation,
    get_organisation,
)

__all__ = ["list_partnerships", "create_partnership", "delete_partnership", "MUTUAL_KINDS"]

MUTUAL_KINDS = frozenset({"joint_work", "shared_space"})


def list_partnerships(organisation_id: int) -> list[Partnership]:
    """Every partnership an organisation is part of, either side, newest first."""
    get_organisation(organisation_id)
    return list(
        db.session.scalars(
            select(Partnership)
            .where(
                or_(
                    Partnership.organisation_id == organisation_id,
                    Partnership.partner_id == organisation_id,
                )
            )
            .options(selectinload(Partnership.organisation), selectinload(Partnership.partner))
            .order_by(Partnership.created_at.desc(), Partnership.id.desc())
        )
    )


def _duplicate(organisation_id: int, partner_id: int, kind: str) -> Partnership | None:
    same_way = and_(
        Partnership.organisation_id == organisation_id, Partnership.partner_id == partner_id
    )
    condition = same_way
    if kind in MUTUAL_KINDS:
        other_way = and_(
            Partnership.organisation_id == partner_id, Partnership.partner_id == organisation_id
        )
        condition = or_(same_way, other_way)
    return db.session.scalar(select(Partnership).where(condition, Partnership.kind == kind))


def create_partnership(user: User, organisation_id: int, data: dict) -> Partnership:
    """Record a partnership of ``organisation_id`` (which ``user`` administers)."""
    organisation = admin_organisation(user, organisation_id)
    partner_id = data["partner_id"]
    if partner_id == organisation_id:
        message = "An organisation cannot be its own partner: choose another organisation."
        raise InvalidInput(message, {"partner_id": [message]})
    partner = db.session.get(Organisation, partner_id)
    if partner is None:
        message = f"There is no organisation with the number {partner_id}."
        raise InvalidInput(message, {"partner_id": [message]})
    started, last = data.get("started_on"), data.get("last_active_on")
    if started and last and last < started:
        message = f"Last worked together ({last}) cannot be before the start ({started})."
        raise InvalidInput(message, {"last_active_on": [message]})
    if _duplicate(organisation_id, partner_id, data["kind"]) is not None:
        kind = vocab.labels(vocab.PARTNERSHIP_KINDS)[data["kind"]].lower()
        message = (
            f"A partnership of the kind {kind!r} between {organisation.name} and "
            f"{partner.name} is already recorded."
        )
        raise Conflict(message, {"partner_id": [message]})

    def action():
        partnership = Partnership(organisation_id=organisation_id, **data)
        db.session.add(partnership)
        db.session.flush()
        audit.record(user.id, "create", "partnership", partnership.id, f"partner={partner_id}")
        return partnership

    try:
        return _commit(action)
    except IntegrityError:  # the same one recorded at the same moment by someone else
        message = f"That partnership with {partner.name} is already recorded."
        raise Conflict(message, {"partner_id": [message]}) from None


def delete_partnership(user: User, organisation_id: int, partnership_id: int) -> None:
    """Remove a partnership that ``organisation_id`` is part of."""
    admin_organisation(user, organisation_id)
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None or organisation_id not in (
        partnership.organisation_id,
        partnership.partner_id,
    ):
        raise NotFound(
            f"Organisation {organisation_id} has no partnership with the number {partnership_id}."
        )

    def action():
        db.session.delete(partnership)
        audit.record(user.id, "delete", "partnership", partnership_id)

    _commit(action)
