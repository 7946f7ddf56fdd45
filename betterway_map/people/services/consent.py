"""Consent: what a person agreed to, when, how, and who recorded it.

One ``Consent`` row per purpose, so that each can be withdrawn on its own.
A withdrawn consent is kept (with its date) as the record of what happened.
Only a worker assigned to the person records or withdraws consent.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Consent
from betterway_map.people.permissions import is_assigned_worker, require_person_access

__all__ = ["consent_rows", "consents_of", "has_consent", "add_consents", "withdraw_consent"]


def consent_rows(
    person_id: int,
    purposes: list[str],
    *,
    method: str,
    given_on: date,
    notes: str | None,
    recorded_by_id: int,
) -> list[Consent]:
    """New consent rows, one per purpose (the caller adds and commits them)."""
    return [
        Consent(
            person_id=person_id,
            purpose=purpose,
            method=method,
            given_on=given_on,
            notes=notes,
            recorded_by_id=recorded_by_id,
        )
        for purpose in purposes
    ]


def consents_of(user: User, person_id: int) -> list[Consent]:
    """A person's consents, newest first, for themself or an assigned worker."""
    require_person_access(user, person_id)
    return list(
        db.session.scalars(
            select(Consent)
            .where(Consent.person_id == person_id)
            .order_by(Consent.given_on.desc(), Consent.id.desc())
        )
    )


def has_consent(person_id: int, purpose: str) -> bool:
    """Whether the person has given consent to ``purpose`` and not withdrawn it
    (the caller has checked that its user may know)."""
    return (
        db.session.scalar(
            select(Consent.id)
            .where(
                Consent.person_id == person_id,
                Consent.purpose == purpose,
                Consent.withdrawn_on.is_(None),
            )
            .limit(1)
        )
        is not None
    )


def _require_worker(user: User, person_id: int) -> None:
    require_person_access(user, person_id)
    if not is_assigned_worker(user, person_id):
        raise NotFound(f"There is no person {person_id} that you look after.")


def add_consents(user: User, person_id: int, data: dict) -> list[Consent]:
    """Record consent given by a person (``data`` loaded by ``ConsentSchema``)."""
    _require_worker(user, person_id)
    rows = consent_rows(
        person_id,
        data["purposes"],
        method=data["method"],
        given_on=data["given_on"],
        notes=data.get("notes"),
        recorded_by_id=user.id,
    )
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        audit.record(user.id, "create", "consent", row.id, f"person={person_id} {row.purpose}")
    db.session.commit()
    return rows


def withdraw_consent(user: User, person_id: int, consent_id: int, withdrawn_on: date) -> Consent:
    """Mark one consent as withdrawn on ``withdrawn_on``."""
    _require_worker(user, person_id)
    consent = db.session.get(Consent, consent_id)
    if consent is None or consent.person_id != person_id:
        raise NotFound(f"Person {person_id} has no consent {consent_id}.")
    label = vocab.labels(vocab.CONSENT_PURPOSES).get(consent.purpose, consent.purpose)
    if consent.withdrawn_on is not None:
        raise Conflict(
            f"Consent to '{label.lower()}' was already withdrawn on "
            f"{consent.withdrawn_on.isoformat()}."
        )
    if withdrawn_on < consent.given_on:
        message = (
            f"{withdrawn_on.isoformat()} is before the consent was given "
            f"({consent.given_on.isoformat()}): enter that date or a later one."
        )
        raise InvalidInput(message, {"withdrawn_on": [message]})
    consent.withdrawn_on = withdrawn_on
    audit.record(
        user.id, "withdraw", "consent", consent.id, f"person={person_id} {consent.purpose}"
    )
    db.session.commit()
    return consent
