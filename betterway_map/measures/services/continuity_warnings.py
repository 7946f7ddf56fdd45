"""Continuity warnings for a community worker: their people (and their
people's matches) whose relationship is behind its agreed rhythm.

Read in bulk (``loading``), computed by the pure core
(``domain.measures.continuity``); only the worker's own people, so names are
shown (it is their caseload), never a figure about anyone else.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures import continuity
from betterway_map.extensions import db
from betterway_map.measures.permissions import require_worker
from betterway_map.measures.services import loading
from betterway_map.measures.services.relationships import (
    caseload_relationships,
    latest_rhythms,
    match_relationships,
)
from betterway_map.people.models import Assignment, Person

__all__ = ["WorkerWarning", "worker_warnings"]


@dataclass(frozen=True)
class WorkerWarning:
    """One of the worker's people whose relationship is behind its rhythm."""

    person_id: int
    person_name: str
    kind: str  # match / caseload
    with_name: str  # the volunteer's first name, or "you"
    rhythm: str
    last_contact_on: date | None
    days_since: int
    message: str
    match_id: int | None = None  # the match a match's warning is about (None: caseload)


def worker_warnings(user: User, today: date | None = None) -> list[WorkerWarning]:
    """Continuity warnings for the worker's caseload and their people's
    matches: "No contact for 3 weeks, agreed weekly.", longest gap first."""
    require_worker(user)
    today = today or today_in_uk()
    people = set(
        db.session.scalars(select(Assignment.person_id).where(Assignment.worker_id == user.id))
    )
    if not people:
        return []
    scope = ("people", people)
    rhythms = latest_rhythms(scope)
    relationships = [
        *caseload_relationships(user.id, rhythms),
        *match_relationships(people, rhythms),
    ]
    contacts = loading.last_contact_days(relationships, scope)
    found = continuity.warnings(relationships, contacts, today)
    ids = {w.relationship.person_id for w in found} | {
        w.relationship.counterpart for w in found if w.relationship.kind == "match"
    }
    names = {
        row.id: row
        for row in db.session.execute(
            select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(ids))
        )
    }
    warnings = []
    for w in found:
        r = w.relationship
        person = names.get(r.person_id)
        volunteer = names.get(r.counterpart) if r.kind == "match" else None
        warnings.append(
            WorkerWarning(
                person_id=r.person_id,
                person_name=" ".join(p for p in (person.first_name, person.last_name) if p)
                if person
                else "",
                kind=r.kind,
                with_name="you"
                if r.kind == "caseload"
                else volunteer.first_name
                if volunteer
                else "",
                rhythm=r.rhythm or "",
                last_contact_on=w.last_contact_on,
                days_since=w.days_since,
                message=w.message,
                match_id=r.match_id,
            )
        )
    return warnings
