"""Consent: what a person agreed to, when, how, and who recorded it.

One ``Consent`` row per purpose, so that each can be withdrawn on its own.
A withdrawn consent is kept (with its date) as the record of what happened.
Only a worker assigned to the person records or withdraws consent.
"""

from __future__ import annotations

from datetime import date

from flask import current_app
from sqlalchemy import and_, exists, select
from sqlalchemy.orm import aliased

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Consent
from betterway_map.people.permissions import is_assigned_worker, require_person_access

__all__ = [
    "consent_rows",
    "consents_of",
    "has_consent",
    "withdrawn",
    "consented",
    "PUBLISH_OFFER",
    "UNNAMED_HELPER",
    "helper_name",
    "has_withdrawn",
    "withdrawn_ids",
    "add_consents",
    "withdraw_consent",
    "WITHDRAWAL_EFFECTS",
    "after_withdrawal",
]

# app.extensions key: what a withdrawal does in capabilities above this one
# (matching closes open requests), handed over by create_app. Each is called
# as effect(person_id, purpose) inside the withdrawal's transaction.
WITHDRAWAL_EFFECTS = "bwm_consent_withdrawal_effects"


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


# Showing a helper's first name with their offer needs its own consent;
# without it the offer is shown as made by UNNAMED_HELPER.
PUBLISH_OFFER = "publish_offer"
UNNAMED_HELPER = "a neighbour"


def consented(person_id_column, purpose: str):
    """The condition that the person has consent to ``purpose`` in force."""
    current = aliased(Consent)
    return exists().where(
        current.person_id == person_id_column,
        current.purpose == purpose,
        current.withdrawn_on.is_(None),
    )


def helper_name(first_name: str, published: bool) -> str:
    """How an offer's helper is named to anyone who is not looking after them.

    >>> helper_name("Winifred", True), helper_name("Winifred", False)
    ('Winifred', 'a neighbour')
    """
    return first_name if published else UNNAMED_HELPER


def withdrawn(person_id_column, purpose: str):
    """The condition that the person withdrew consent to ``purpose`` and has
    not given it again.

    A purpose never asked about is not "withdrawn": what needs consent
    before anything is done (matching, publishing a name) checks
    ``has_consent``; this is what stops what was done with consent once
    (keeping them on the register, recording measures) from going on.
    """
    given, current = aliased(Consent), aliased(Consent)
    return and_(
        exists().where(
            given.person_id == person_id_column,
            given.purpose == purpose,
            given.withdrawn_on.is_not(None),
        ),
        ~exists().where(
            current.person_id == person_id_column,
            current.purpose == purpose,
            current.withdrawn_on.is_(None),
        ),
    )


def has_withdrawn(person_id: int, purpose: str) -> bool:
    """Whether the person withdrew consent to ``purpose`` (see ``withdrawn``)."""
    return bool(db.session.scalar(select(withdrawn(person_id, purpose))))


def withdrawn_ids(purpose: str) -> set[int]:
    """Everyone who withdrew consent to ``purpose`` (one query)."""
    people = select(Consent.person_id).where(Consent.purpose == purpose).distinct()
    return set(db.session.scalars(people.where(withdrawn(Consent.person_id, purpose))))


def after_withdrawal(person_id: int, purpose: str) -> None:
    """Apply a withdrawal everywhere at once, in the caller's transaction."""
    for effect in current_app.extensions.get(WITHDRAWAL_EFFECTS, ()):
        effect(person_id, purpose)


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
    db.session.flush()
    after_withdrawal(person_id, consent.purpose)
    audit.record(
        user.id, "withdraw", "consent", consent.id, f"person={person_id} {consent.purpose}"
    )
    db.session.commit()
    return consent
