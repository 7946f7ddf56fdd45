"""Partnerships between organisations: joint work, referrals, shared space.

A partnership is recorded by one organisation (``organisation_id``) with a
partner. Referrals have a direction (the recorder refers people to the
partner), so A→B and B→A are different; joint work and shared space are
mutual, so recording B–A when A–B exists is a duplicate, pending or not.

Nothing is made public on one side's word: a new partnership is *pending*
until an admin of the partner confirms it, and until then only the two
organisations' admins see it (``partnerships_to_manage``). Everything public
or aggregate (``list_partnerships``, the council's organisation network)
reads confirmed ones only. The partner confirms or declines (which deletes
it); the recorder may withdraw it; either side may remove a confirmed one.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import utcnow
from betterway_map.errors import Conflict, Forbidden, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Organisation, Partnership
from betterway_map.register.services.organisations import (
    _commit,
    admin_organisation,
    get_organisation,
)

__all__ = [
    "MUTUAL_KINDS",
    "ManagedPartnerships",
    "Removed",
    "list_partnerships",
    "partnerships_to_manage",
    "to_confirm_counts",
    "create_partnership",
    "confirm_partnership",
    "decline_partnership",
    "delete_partnership",
]

MUTUAL_KINDS = frozenset({"joint_work", "shared_space"})


@dataclass(frozen=True)
class ManagedPartnerships:
    """An organisation's partnerships as its admins see them."""

    confirmed: list[Partnership]
    # Recorded by another organisation: waiting for this one to confirm or decline.
    to_confirm: list[Partnership]
    # Recorded by this organisation: waiting for the partner to confirm.
    waiting: list[Partnership]

    @property
    def pending(self) -> list[Partnership]:
        return self.to_confirm + self.waiting


@dataclass(frozen=True)
class Removed:
    """What a removal took away, for the message that says so."""

    other_name: str
    was_confirmed: bool


def _of(organisation_id: int, *, confirmed_only: bool) -> list[Partnership]:
    query = (
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
    if confirmed_only:
        query = query.where(Partnership.confirmed_at.is_not(None))
    return list(db.session.scalars(query))


def list_partnerships(organisation_id: int) -> list[Partnership]:
    """The confirmed partnerships an organisation is part of, either side,
    newest first: what anyone may see."""
    get_organisation(organisation_id)
    return _of(organisation_id, confirmed_only=True)


def partnerships_to_manage(user: User, organisation_id: int) -> ManagedPartnerships:
    """Every partnership of an organisation ``user`` administers, pending ones too."""
    admin_organisation(user, organisation_id)
    rows = _of(organisation_id, confirmed_only=False)
    pending = [p for p in rows if p.confirmed_at is None]
    return ManagedPartnerships(
        confirmed=[p for p in rows if p.confirmed_at is not None],
        to_confirm=[p for p in pending if p.partner_id == organisation_id],
        waiting=[p for p in pending if p.organisation_id == organisation_id],
    )


def to_confirm_counts(organisation_ids) -> dict[int, int]:
    """How many partnerships wait for each of these organisations to confirm
    them (organisations with none are left out)."""
    ids = list(organisation_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Partnership.partner_id, func.count())
        .where(Partnership.partner_id.in_(ids), Partnership.confirmed_at.is_(None))
        .group_by(Partnership.partner_id)
    )
    return {partner_id: count for partner_id, count in rows}


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


def _duplicate_message(existing: Partnership, organisation: Organisation, partner: Organisation):
    kind = vocab.labels(vocab.PARTNERSHIP_KINDS)[existing.kind].lower()
    said = (
        f"A partnership of the kind {kind!r} between {organisation.name} and "
        f"{partner.name} is already recorded"
    )
    if existing.confirmed_at is not None:
        return f"{said}."
    if existing.partner_id == organisation.id:
        return (
            f"{said} by {partner.name}, waiting for you to confirm it: confirm it on the "
            f"page where you manage {organisation.name}."
        )
    return f"{said}, waiting for {partner.name} to confirm it."


def create_partnership(user: User, organisation_id: int, data: dict) -> Partnership:
    """Record a partnership of ``organisation_id`` (which ``user`` administers),
    pending until an admin of the partner confirms it."""
    organisation = admin_organisation(user, organisation_id)
    partner_id = data["partner_id"]
    if partner_id == organisation_id:
        message = "An organisation cannot be its own partner: choose another organisation."
        raise InvalidInput(message, {"partner_id": [message]})
    partner = db.session.get(Organisation, partner_id)
    if partner is None:
        message = (
            f"There is no organisation with the number {partner_id}: search for the "
            "organisation by its name and choose it from the list."
        )
        raise InvalidInput(message, {"partner_id": [message]})
    started, last = data.get("started_on"), data.get("last_active_on")
    if started and last and last < started:
        message = f"Last worked together ({last}) cannot be before the start ({started})."
        raise InvalidInput(message, {"last_active_on": [message]})
    existing = _duplicate(organisation_id, partner_id, data["kind"])
    if existing is not None:
        message = _duplicate_message(existing, organisation, partner)
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


def _partnership_of(organisation_id: int, partnership_id: int) -> Partnership:
    partnership = db.session.get(Partnership, partnership_id)
    if partnership is None or organisation_id not in (
        partnership.organisation_id,
        partnership.partner_id,
    ):
        raise NotFound(
            f"Organisation {organisation_id} has no partnership with the number {partnership_id}."
        )
    return partnership


def _pending_for_partner(user: User, organisation_id: int, partnership_id: int, doing: str):
    """The pending partnership that ``organisation_id`` (administered by
    ``user``) is the partner in: only the partner confirms or declines."""
    admin_organisation(user, organisation_id)
    partnership = _partnership_of(organisation_id, partnership_id)
    if partnership.partner_id != organisation_id:
        partner = partnership.partner.name
        raise Forbidden(
            f"{partnership.organisation.name} recorded this partnership, so only an admin of "
            f"{partner} can {doing} it. You may withdraw it while {partner} has not confirmed it."
        )
    if partnership.confirmed_at is not None:
        raise Conflict(
            f"The partnership with {partnership.organisation.name} is already confirmed and "
            "public. To end it, remove it."
        )
    return partnership


def _commit_once(action, partnership_id: int):
    """Commit ``action``; NotFound when the partnership went meanwhile (an
    admin of the other side withdrew or declined it at the same moment)."""
    try:
        return _commit(action)
    except StaleDataError:
        raise NotFound(
            f"The partnership with the number {partnership_id} has just been removed by the "
            "other organisation."
        ) from None


def confirm_partnership(user: User, organisation_id: int, partnership_id: int) -> Partnership:
    """Confirm a partnership another organisation recorded with ``organisation_id``:
    from now on it is public."""
    partnership = _pending_for_partner(user, organisation_id, partnership_id, "confirm")

    def action():
        partnership.confirmed_at = utcnow()
        partnership.confirmed_by_id = user.id
        audit.record(
            user.id,
            "confirm",
            "partnership",
            partnership.id,
            f"organisation={partnership.organisation_id}",
        )
        return partnership

    return _commit_once(action, partnership_id)


def _remove(user: User, organisation_id: int, partnership: Partnership, action_name: str):
    other = partnership.partner if partnership.organisation_id == organisation_id else None
    other = other or partnership.organisation
    removed = Removed(other.name, partnership.confirmed_at is not None)
    partnership_id = partnership.id

    def action():
        db.session.delete(partnership)
        audit.record(
            user.id, action_name, "partnership", partnership_id, f"organisation={organisation_id}"
        )

    _commit_once(action, partnership_id)
    return removed


def decline_partnership(user: User, organisation_id: int, partnership_id: int) -> Removed:
    """Decline a partnership another organisation recorded with ``organisation_id``:
    it is deleted, never having been shown."""
    partnership = _pending_for_partner(user, organisation_id, partnership_id, "decline")
    return _remove(user, organisation_id, partnership, "decline")


def delete_partnership(user: User, organisation_id: int, partnership_id: int) -> Removed:
    """Remove a partnership that ``organisation_id`` is part of: either side
    may remove a confirmed one, the recorder may withdraw a pending one and
    the partner may decline it."""
    admin_organisation(user, organisation_id)
    partnership = _partnership_of(organisation_id, partnership_id)
    if partnership.confirmed_at is not None:
        action_name = "delete"
    elif partnership.organisation_id == organisation_id:
        action_name = "withdraw"
    else:
        action_name = "decline"
    return _remove(user, organisation_id, partnership, action_name)
