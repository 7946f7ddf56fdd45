"""Contacts, agreed rhythms and feedback, each within one relationship.

A relationship is one of three kinds (``vocab.RELATIONSHIP_KINDS``):

* ``match`` — a volunteer and the person they support (``match_id``);
* ``group`` — a person and a group they go to (``person_id``, ``group_id``);
* ``caseload`` — a community worker and a person they look after
  (``person_id``, ``worker_id``).

``person_id`` is always the person supported, so that everything about a
person is found by one column, and erasing them takes it all. A contact's
note is private: only those who may see the person read it.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from betterway_map.database import UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db

__all__ = ["Contact", "Rhythm", "Feedback", "QUALITY_MARKS"]

# The marks of a good relationship, each rated 1 to 5: the columns of ``Feedback``.
QUALITY_MARKS = (
    "understanding",
    "collaboration",
    "commitment",
    "communication",
    "empowerment",
    "time_together",
)


class _InRelationship:
    """The columns that say which relationship a record belongs to."""

    kind: Mapped[str] = mapped_column(String(10))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    match_id: Mapped[int | None] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))


class Contact(_InRelationship, db.Model):
    """One contact: when, how, how long, with whom, and a private note."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_person_on", "person_id", "contacted_on"),
        Index("ix_contacts_match_on", "match_id", "contacted_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    contacted_on: Mapped[date] = mapped_column(Date)
    # vocab.CONTACT_MODES: phone, visit, group, online.
    mode: Mapped[str] = mapped_column(String(8))
    duration_min: Mapped[int | None]
    # Who the person was in contact with: a volunteer (person id) or a worker (user id).
    with_volunteer_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    with_worker_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Rhythm(_InRelationship, db.Model):
    """The agreed rhythm of a relationship (e.g. weekly, 30 minutes); the
    latest agreed is the one in force."""

    __tablename__ = "rhythms"
    __table_args__ = (Index("ix_rhythms_person", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # vocab.SUPPORT_FREQUENCIES without "once": weekly, fortnightly, monthly.
    frequency: Mapped[str] = mapped_column(String(12))
    duration_min: Mapped[int | None]
    agreed_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Feedback(_InRelationship, db.Model):
    """Feedback on a relationship from one side, on the six marks (1–5 each;
    empty: not answered)."""

    __tablename__ = "relationship_feedback"
    __table_args__ = (
        Index("ix_relationship_feedback_person", "person_id"),
        Index("ix_relationship_feedback_match", "match_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # vocab.FEEDBACK_SIDES: person, volunteer, worker.
    side: Mapped[str] = mapped_column(String(10))
    # vocab.FEEDBACK_OCCASIONS: first_review, six_monthly, other.
    occasion: Mapped[str] = mapped_column(String(12))
    given_on: Mapped[date] = mapped_column(Date)
    understanding: Mapped[int | None] = mapped_column(SmallInteger)
    collaboration: Mapped[int | None] = mapped_column(SmallInteger)
    commitment: Mapped[int | None] = mapped_column(SmallInteger)
    communication: Mapped[int | None] = mapped_column(SmallInteger)
    empowerment: Mapped[int | None] = mapped_column(SmallInteger)
    time_together: Mapped[int | None] = mapped_column(SmallInteger)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
