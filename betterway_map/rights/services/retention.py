"""The retention review: people with no activity for ``RETENTION_REVIEW_DAYS``.

Activity is anything that happened about a person: their record or any
record of theirs changed (measures, ties and the last contact on one,
attendance and the last time they went, help listings, consents, requests
for support, a volunteer's offer, matches where they are a party), their
account signed in, or a review kept them (the audit entry ``retain``, read
back as "reviewed on": no column is needed). Each is read with one grouped
query per table.

A site admin reviews everyone; a community worker reviews the people
assigned to them. Keeping someone is audited; erasing them is
``services.erasure``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import current_app
from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import AuditEvent, User
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.rights import DEFAULT_RETENTION_REVIEW_DAYS, due_for_review, last_activity
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from betterway_map.people.models import (
    Assignment,
    Attendance,
    Consent,
    HelpListing,
    LonelinessMeasure,
    Person,
    Tie,
)
from betterway_map.people.permissions import is_assigned_worker

__all__ = ["ReviewRow", "review_days", "due_for_retention_review", "keep_person", "KEEP_ACTION"]

KEEP_ACTION = "retain"


@dataclass(frozen=True)
class ReviewRow:
    person_id: int
    first_name: str
    last_name: str | None
    last_activity: date | None
    reviewed_on: date | None


def review_days() -> int:
    return int(current_app.config.get("RETENTION_REVIEW_DAYS", DEFAULT_RETENTION_REVIEW_DAYS))


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):  # SQLite's max() of a date column
        return date.fromisoformat(value[:10])
    return value


def _latest(person_column, *columns) -> list[dict[int, date]]:
    """For each column, {person id: its latest value} (one query each)."""
    found = []
    for column in columns:
        rows = db.session.execute(select(person_column, func.max(column)).group_by(person_column))
        found.append({pid: _day(value) for pid, value in rows if value is not None})
    return found


def _activity() -> tuple[list[dict[int, date]], dict[int, date]]:
    """Every kind of activity by person, and the reviews that kept them."""
    sources = [
        *_latest(Person.id, Person.updated_at, Person.created_at),
        *_latest(LonelinessMeasure.person_id, LonelinessMeasure.recorded_at),
        *_latest(Tie.person_id, Tie.created_at, Tie.last_contact_on),
        *_latest(Attendance.person_id, Attendance.updated_at, Attendance.last_attended_on),
        *_latest(HelpListing.person_id, HelpListing.updated_at),
        *_latest(Consent.person_id, Consent.recorded_at),
        *_latest(SupportRequest.person_id, SupportRequest.updated_at),
        *_latest(VolunteerOffer.person_id, VolunteerOffer.updated_at),
        *_latest(Match.volunteer_id, Match.updated_at),
    ]
    # Matches of the person who asked for support: through their request.
    rows = db.session.execute(
        select(SupportRequest.person_id, func.max(Match.updated_at))
        .join(Match, Match.request_id == SupportRequest.id)
        .group_by(SupportRequest.person_id)
    )
    sources.append({pid: _day(v) for pid, v in rows if v is not None})
    logins = db.session.execute(
        select(Person.id, User.last_login_at).join(User, User.id == Person.user_id)
    )
    sources.append({pid: _day(v) for pid, v in logins if v is not None})
    reviews = db.session.execute(
        select(AuditEvent.subject_id, func.max(AuditEvent.at))
        .where(AuditEvent.action == KEEP_ACTION, AuditEvent.subject_type == "person")
        .group_by(AuditEvent.subject_id)
    )
    return sources, {pid: _day(v) for pid, v in reviews if pid is not None}


def due_for_retention_review(user: User, today: date | None = None) -> list[ReviewRow]:
    """The people ``user`` may review with no activity for the review period,
    longest quiet first (audited as a list of people)."""
    today = today or today_in_uk()
    days = review_days()
    query = select(Person.id, Person.first_name, Person.last_name)
    if not user.has_role("site_admin"):
        query = query.join(Assignment, Assignment.person_id == Person.id).where(
            Assignment.worker_id == user.id
        )
    people = list(db.session.execute(query.order_by(Person.id)))
    if not people:
        return []
    sources, reviews = _activity()
    rows = []
    for pid, first_name, last_name in people:
        last = last_activity([source.get(pid) for source in sources])
        reviewed = reviews.get(pid)
        if due_for_review(last_activity([last, reviewed]), today, days):
            rows.append(ReviewRow(pid, first_name, last_name, last, reviewed))
    rows.sort(key=lambda row: (row.last_activity or date.min, row.person_id))
    if rows:
        what = f"retention review, quiet for {days} days"
        audit.record(
            user.id, "list", "person", None, audit.people_detail([r.person_id for r in rows], what)
        )
        db.session.commit()
    return rows


def keep_person(user: User, person_id: int) -> None:
    """Record that ``user`` reviewed the person and keeps their records."""
    person = db.session.get(Person, person_id)
    if person is None or not (user.has_role("site_admin") or is_assigned_worker(user, person_id)):
        raise NotFound(f"There is no person {person_id} whose records you review.")
    audit.record(user.id, KEEP_ACTION, "person", person.id, "retention review: kept")
    db.session.commit()
