"""A resident's own consents: see each purpose, give one, withdraw one.

One ``Consent`` row per purpose, as a worker records them
(``people.services.consent``). Withdrawing a purpose marks every row of it
withdrawn today; withdrawing one never given (a resident who signed up
themself is matched on their own say-so, without a "matching" row) records
the refusal as a row given and withdrawn the same day, so that the refusal
holds everywhere ``people.services.consent.withdrawn`` is asked. Either way
it takes effect at once (``after_withdrawal``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Consent, Person
from betterway_map.people.permissions import own_person
from betterway_map.people.services.consent import after_withdrawal, consent_rows

__all__ = ["PurposeState", "own_consents", "give_own", "withdraw_own"]


@dataclass(frozen=True)
class PurposeState:
    purpose: str
    label: str
    given: bool  # consent in force now
    given_on: date | None
    withdrawn_on: date | None


def _person(user: User) -> Person:
    person = own_person(user)
    if person is None:
        raise NotFound("You have no profile yet, so there is no consent to change.")
    return person


def _rows(person_id: int, purpose: str | None = None) -> list[Consent]:
    query = select(Consent).where(Consent.person_id == person_id)
    if purpose is not None:
        query = query.where(Consent.purpose == purpose)
    return list(db.session.scalars(query.order_by(Consent.given_on, Consent.id)))


def _states(person_id: int) -> list[PurposeState]:
    rows = _rows(person_id)
    states = []
    for purpose, label in vocab.CONSENT_PURPOSES_OWN:
        mine = [row for row in rows if row.purpose == purpose]
        current = [row for row in mine if row.withdrawn_on is None]
        withdrawn = [row.withdrawn_on for row in mine if row.withdrawn_on is not None]
        states.append(
            PurposeState(
                purpose=purpose,
                label=label,
                given=bool(current),
                given_on=current[-1].given_on if current else None,
                withdrawn_on=None if current or not withdrawn else max(withdrawn),
            )
        )
    return states


def own_consents(user: User) -> list[PurposeState]:
    """Each purpose and where the signed-in resident stands on it."""
    return _states(_person(user).id)


def _check(purpose: str) -> str:
    if purpose not in vocab.values(vocab.CONSENT_PURPOSES_OWN):
        choices = ", ".join(vocab.values(vocab.CONSENT_PURPOSES_OWN))
        message = f"{purpose!r} is not something to agree to: choose one of {choices}."
        raise InvalidInput(message, {"purpose": [message]})
    return purpose


def give_own(user: User, purposes: list[str]) -> list[PurposeState]:
    """Record the resident's consent, given online, to each purpose not in force."""
    person = _person(user)
    wanted = [_check(p) for p in dict.fromkeys(purposes)]
    in_force = {s.purpose for s in _states(person.id) if s.given}
    new = [p for p in wanted if p not in in_force]
    rows = consent_rows(
        person.id,
        new,
        method="online",
        given_on=today_in_uk(),
        notes="Given by the person on their own consent page.",
        recorded_by_id=user.id,
    )
    db.session.add_all(rows)
    db.session.flush()
    for row in rows:
        audit.record(user.id, "create", "consent", row.id, f"person={person.id} {row.purpose}")
    db.session.commit()
    return _states(person.id)


def withdraw_own(user: User, purpose: str) -> list[PurposeState]:
    """Withdraw the resident's consent to ``purpose`` from today (see the module)."""
    person = _person(user)
    _check(purpose)
    today = today_in_uk()
    current = [row for row in _rows(person.id, purpose) if row.withdrawn_on is None]
    if not current:
        if any(row.withdrawn_on for row in _rows(person.id, purpose)):
            label = vocab.labels(vocab.CONSENT_PURPOSES_OWN)[purpose]
            raise Conflict(f"You have already withdrawn this: {label.lower()}.")
        current = consent_rows(
            person.id,
            [purpose],
            method="online",
            given_on=today,
            notes="Refused by the person on their own consent page.",
            recorded_by_id=user.id,
        )
        db.session.add_all(current)
    for row in current:
        row.withdrawn_on = max(today, row.given_on)
    db.session.flush()
    after_withdrawal(person.id, purpose)
    for row in current:
        audit.record(user.id, "withdraw", "consent", row.id, f"person={person.id} {purpose}")
    db.session.commit()
    return _states(person.id)
