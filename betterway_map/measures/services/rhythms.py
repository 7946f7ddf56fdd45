"""The agreed rhythm of a relationship (e.g. weekly, 30 minutes), so that
gaps between contacts can be measured against it.

The latest agreed is the one in force. Until one is agreed, a suggestion
stands in: for a match, what its request asked for; for a group member,
when the group meets. A match gets its rhythm written when a worker
approves it (``agree_at_approval``, which ``create_app`` hands to
``matching.services.journey`` as an approval hook).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures.relationships import rhythm_from_request, rhythm_from_schedule
from betterway_map.extensions import db
from betterway_map.matching.models import Match
from betterway_map.measures.models import Rhythm
from betterway_map.measures.permissions import Relationship, may_record, require_relationship
from betterway_map.measures.services.contacts import check_open, require_recorder

__all__ = [
    "RhythmView",
    "rhythm_in_force",
    "view_rhythm",
    "agree_rhythm",
    "agree_at_approval",
]


@dataclass(frozen=True)
class RhythmView:
    """The rhythm in force, or the suggestion standing in for one."""

    frequency: str | None
    duration_min: int | None
    agreed_on: date | None
    agreed: bool
    source: str  # "agreed", "request", "group" or "none"


def _latest(relationship: Relationship) -> Rhythm | None:
    columns = relationship.columns
    statement = select(Rhythm).where(
        *(getattr(Rhythm, name) == value for name, value in columns.items() if value is not None)
    )
    return db.session.scalar(statement.order_by(Rhythm.agreed_on.desc(), Rhythm.id.desc()))


def rhythm_in_force(relationship: Relationship) -> RhythmView:
    """The latest agreed rhythm, else the suggestion for the relationship."""
    row = _latest(relationship)
    if row is not None:
        return RhythmView(row.frequency, row.duration_min, row.agreed_on, True, "agreed")
    if relationship.kind == "match":
        request = relationship.match.request
        frequency, minutes = rhythm_from_request(request.frequency, request.duration_min)
        return RhythmView(frequency, minutes, None, False, "request")
    if relationship.kind == "group":
        group = relationship.group
        frequency, minutes = rhythm_from_schedule(group.frequency, group.start_time, group.end_time)
        return RhythmView(frequency, minutes, None, False, "group")
    return RhythmView(None, None, None, False, "none")


def view_rhythm(user: User, **ids) -> tuple[Relationship, RhythmView, bool]:
    """The relationship, its rhythm and whether the reader may change it."""
    relationship = require_relationship(user, **ids)
    view = rhythm_in_force(relationship)
    return relationship, view, may_record(relationship)


def agree_rhythm(user: User, data: dict, **ids) -> RhythmView:
    """Record the rhythm agreed (``RhythmSchema``); it is in force from now."""
    relationship = require_relationship(user, **ids)
    require_recorder(relationship, "set its rhythm")
    check_open(relationship)
    row = Rhythm(
        **relationship.columns,
        frequency=data["frequency"],
        duration_min=data.get("duration_min"),
        agreed_on=data["agreed_on"],
        recorded_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(user.id, "create", "rhythm", row.id, f"person={relationship.person.id}")
    db.session.commit()
    return RhythmView(row.frequency, row.duration_min, row.agreed_on, True, "agreed")


def agree_at_approval(user: User | None, match: Match) -> None:
    """The approval hook: a match starts with the rhythm its request asked
    for, agreed today, unless one is recorded already. Inside the
    approval's transaction; commits nothing."""
    exists = db.session.scalar(select(Rhythm.id).where(Rhythm.match_id == match.id).limit(1))
    if exists is not None:
        return
    frequency, minutes = rhythm_from_request(match.request.frequency, match.request.duration_min)
    db.session.add(
        Rhythm(
            kind="match",
            person_id=match.request.person_id,
            match_id=match.id,
            frequency=frequency,
            duration_min=minutes,
            agreed_on=today_in_uk(),
            recorded_by_id=user.id if user else None,
        )
    )
