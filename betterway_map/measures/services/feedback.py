"""Feedback on a relationship, on the six marks of a good relationship.

From the person (themself, or a worker for them: marked so, because who
recorded it is not the person), and from the volunteer or worker; at a
match's six-week and six-monthly reviews, and at any other time a worker
chooses ("other", the only occasion outside a match). Who may give which
side is ``measures.permissions.feedback_sides``; a side or occasion they may
not give is ``InvalidInput`` naming it, and nothing is written.

Who reads feedback: whoever gave it, and the workers (and a group's
organisers) who look after the relationship; the person and the volunteer
read their own side's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.measures.relationships import statements
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.matching.permissions import PERSON, PERSON_WORKER, VOLUNTEER, VOLUNTEER_WORKER
from betterway_map.measures.models import QUALITY_MARKS, Feedback
from betterway_map.measures.permissions import (
    CASELOAD_WORKER,
    ORGANISER,
    Relationship,
    feedback_sides,
    require_relationship,
)
from betterway_map.measures.services.contacts import check_open

__all__ = ["FeedbackLine", "FeedbackForm", "feedback_form", "give_feedback", "list_feedback"]

_LOOKING_AFTER = frozenset({PERSON_WORKER, VOLUNTEER_WORKER, CASELOAD_WORKER, ORGANISER})
_SIDES = vocab.labels(vocab.FEEDBACK_SIDES)
REVIEW_OCCASIONS = ("first_review", "six_monthly")


@dataclass(frozen=True)
class FeedbackLine:
    id: int
    kind: str
    person_id: int
    match_id: int | None
    group_id: int | None
    worker_id: int | None
    side: str
    given_for_person: bool
    occasion: str
    given_on: date
    understanding: int | None
    collaboration: int | None
    commitment: int | None
    communication: int | None
    empowerment: int | None
    time_together: int | None
    recorded_by_id: int | None
    recorded_at: datetime


@dataclass(frozen=True)
class FeedbackForm:
    """What the reader may give, in whose words, and what they may read."""

    relationship: Relationship
    sides: list[str]
    occasions: list[str]
    default_occasion: str
    wording: dict[str, list[tuple[str, str, str]]]  # side -> (mark, label, statement)
    given: list[FeedbackLine]


def _line(row: Feedback, person_user_id: int | None) -> FeedbackLine:
    return FeedbackLine(
        id=row.id,
        kind=row.kind,
        person_id=row.person_id,
        match_id=row.match_id,
        group_id=row.group_id,
        worker_id=row.worker_id,
        side=row.side,
        given_for_person=row.side == "person" and row.recorded_by_id != person_user_id,
        occasion=row.occasion,
        given_on=row.given_on,
        recorded_by_id=row.recorded_by_id,
        recorded_at=row.recorded_at,
        **{mark: getattr(row, mark) for mark in QUALITY_MARKS},
    )


def _other(relationship: Relationship, side: str) -> str:
    """How each side's statements name the other side."""
    if side != "person":
        return relationship.person.first_name
    if relationship.kind == "match":
        return relationship.match.volunteer.first_name
    if relationship.kind == "group":
        return "the group"
    return "my community worker"


def _occasions(relationship: Relationship) -> list[str]:
    if relationship.kind == "match":
        return [*REVIEW_OCCASIONS, "other"]
    return ["other"]


def _visible(user: User, relationship: Relationship, row: Feedback) -> bool:
    roles = relationship.roles
    if row.recorded_by_id == user.id or _LOOKING_AFTER & roles:
        return True
    return (row.side == "person" and PERSON in roles) or (
        row.side == "volunteer" and VOLUNTEER in roles
    )


def _rows(relationship: Relationship):
    columns = {k: v for k, v in relationship.columns.items() if v is not None}
    return db.session.scalars(
        select(Feedback)
        .where(*(getattr(Feedback, k) == v for k, v in columns.items()))
        .order_by(Feedback.given_on.desc(), Feedback.id.desc())
    )


def _given(user: User, relationship: Relationship) -> list[FeedbackLine]:
    person_user = relationship.person.user_id
    return [
        _line(row, person_user) for row in _rows(relationship) if _visible(user, relationship, row)
    ]


def list_feedback(user: User, **ids) -> list[FeedbackLine]:
    """The feedback on a relationship the reader may read, newest first (audited)."""
    relationship = require_relationship(user, **ids)
    lines = _given(user, relationship)
    audit.record(user.id, "view", "person", relationship.person.id, "relationship feedback")
    db.session.commit()
    return lines


def _default_occasion(relationship: Relationship, asked: str | None) -> str:
    allowed = _occasions(relationship)
    if asked in allowed:
        return asked
    if relationship.kind != "match":
        return "other"
    reviewed = db.session.scalar(
        select(Feedback.id).where(
            Feedback.match_id == relationship.match.id, Feedback.occasion == "first_review"
        )
    )
    return "six_monthly" if reviewed else "first_review"


def feedback_form(user: User, occasion: str | None = None, **ids) -> FeedbackForm:
    """The feedback form for a relationship: the sides the reader may give,
    each in its own words, and the feedback they may read (audited)."""
    relationship = require_relationship(user, **ids)
    sides = feedback_sides(relationship)
    form = FeedbackForm(
        relationship=relationship,
        sides=sides,
        occasions=_occasions(relationship),
        default_occasion=_default_occasion(relationship, occasion),
        wording={side: statements(side, _other(relationship, side)) for side in sides},
        given=_given(user, relationship),
    )
    audit.record(user.id, "view", "person", relationship.person.id, "relationship feedback")
    db.session.commit()
    return form


def _refuse(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, {field: [message]})


def give_feedback(user: User, data: dict, **ids) -> FeedbackLine:
    """Record one side's feedback (``FeedbackSchema``)."""
    relationship = require_relationship(user, **ids)
    sides = feedback_sides(relationship)
    side = data["side"]
    if side not in sides:
        may = " or ".join(f"{s} ({_SIDES[s].lower()})" for s in sides) or "none"
        raise _refuse(
            "side",
            f"{side!r} is not a side you can give feedback for on {relationship.name}: "
            f"you can give {may}.",
        )
    check_open(relationship)
    occasion = data.get("occasion") or _default_occasion(relationship, None)
    if occasion not in _occasions(relationship):
        raise _refuse(
            "occasion",
            f"{occasion!r} is a review of a volunteer match; feedback on {relationship.name} "
            "is given at another time: choose other.",
        )
    row = Feedback(
        **relationship.columns,
        side=side,
        occasion=occasion,
        given_on=data["given_on"],
        recorded_by_id=user.id,
        **{mark: data.get(mark) for mark in QUALITY_MARKS},
    )
    db.session.add(row)
    db.session.flush()
    audit.record(
        user.id, "create", "relationship_feedback", row.id, f"person={relationship.person.id}"
    )
    line = _line(row, relationship.person.user_id)
    db.session.commit()
    return line
