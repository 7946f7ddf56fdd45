"""Matching: requests for support, volunteers' offers, runs and matches.

Everything here is personal data. A request belongs to one person and is
seen in full by that person and the workers assigned to them; an offer
likewise belongs to its volunteer. A match joins the two: until a worker
approves it, each side sees only the other's first name and approximate
area (``services.journey``), and every reveal of an address or phone is
audited.

The volunteer's DBS check, capacity and the lived experience they are
willing to share stay on ``people.models.VolunteerProfile`` (one record of
a volunteer's checks); what they will do and when is the ``VolunteerOffer``.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from betterway_map.database import TimestampMixin, UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db

__all__ = [
    "SupportRequest",
    "VolunteerOffer",
    "MatchingRun",
    "Match",
    "MatchEvent",
    "MatchingWeight",
]


class SupportRequest(TimestampMixin, db.Model):
    """A request for support for one person (``vocab.HELP_KINDS``)."""

    __tablename__ = "support_requests"
    __table_args__ = (Index("ix_support_requests_status_kind", "status", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    # vocab.SUPPORT_FREQUENCIES: weekly, fortnightly, monthly, once.
    frequency: Mapped[str] = mapped_column(String(12), default="weekly")
    duration_min: Mapped[int] = mapped_column(default=60)
    # vocab.AVAILABILITY values, e.g. ["tue_pm", "thu_am"].
    availability: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    # vocab.LIVED_EXPERIENCE the person would value in a volunteer.
    lived_experience: Mapped[list] = mapped_column(JSON, default=list)
    # Preferences, kept as hard constraints: vocab.VOLUNTEER_GENDERS or None.
    volunteer_gender: Mapped[str | None] = mapped_column(String(10))
    similar_age: Mapped[bool] = mapped_column(default=False)
    # Person ids of volunteers this person is never to be matched with.
    excluded_volunteer_ids: Mapped[list] = mapped_column(JSON, default=list)
    # True: the support must come to the person; False: they can travel travel_km.
    comes_to_me: Mapped[bool] = mapped_column(default=True)
    travel_km: Mapped[float | None] = mapped_column(Float)
    notes: Mapped[str | None] = mapped_column(Text)
    # vocab.REQUEST_STATUSES: open, matched, closed.
    status: Mapped[str] = mapped_column(String(10), default="open")
    # Waiting since: set when the request opens, and again when it reopens.
    opened_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    person = relationship("Person")


class VolunteerOffer(TimestampMixin, db.Model):
    """What a volunteer will do for matching, when and how far from where."""

    __tablename__ = "volunteer_offers"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    availability: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    travel_km: Mapped[float] = mapped_column(Float, default=3.0)
    # Where they travel from; empty: from their home (the person's location).
    from_postcode: Mapped[str | None] = mapped_column(String(8))
    from_latitude: Mapped[float | None]
    from_longitude: Mapped[float | None]
    # Used only for a person's stated preference; empty: not said.
    gender: Mapped[str | None] = mapped_column(String(10))
    # Safeguarding, recorded by a worker only: kinds they may not do and
    # people they may not be matched with, with the worker's note.
    restricted_kinds: Mapped[list] = mapped_column(JSON, default=list)
    excluded_person_ids: Mapped[list] = mapped_column(JSON, default=list)
    restriction_notes: Mapped[str | None] = mapped_column(Text)
    restrictions_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Waiting for a match since.
    available_since: Mapped[date] = mapped_column(Date)

    person = relationship("Person")


class MatchingRun(db.Model):
    """One run of the matcher over an area: what went in and what came out."""

    __tablename__ = "matching_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Postcode districts ("LS6") the run covered; empty: everywhere.
    area: Mapped[list] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    request_count: Mapped[int] = mapped_column(default=0)
    offer_count: Mapped[int] = mapped_column(default=0)
    proposal_count: Mapped[int] = mapped_column(default=0)
    total_score: Mapped[float] = mapped_column(Float, default=0.0)
    weights: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"request_id": 1, "reason": "..."}]: why each request went unmatched.
    unmatched: Mapped[list] = mapped_column(JSON, default=list)
    # [{"reason": "...", "count": 3}]: the unmatched reasons, most common first.
    unmatched_summary: Mapped[list] = mapped_column(JSON, default=list)
    # [{"volunteer_id": 7, "waiting_days": 40}]: volunteers with room left
    # and no proposal, longest waiting first.
    waiting_volunteers: Mapped[list] = mapped_column(JSON, default=list)


class Match(db.Model):
    """A volunteer and a request, from proposal to its end.

    ``vocab.MATCH_STATUSES``: proposed → (volunteer and person respond) →
    agreed → active (a worker approved) → ended; or declined, withdrawn by a
    worker before approval, or superseded when another match for the same
    request was approved. A run never takes back a proposal already sent.
    """

    __tablename__ = "matches"
    __table_args__ = (
        Index("ix_matches_status", "status"),
        Index("ix_matches_volunteer_status", "volunteer_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("support_requests.id", ondelete="CASCADE"), index=True
    )
    # The volunteer's person id.
    volunteer_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("matching_runs.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(12), default="proposed")
    score: Mapped[float] = mapped_column(Float, default=0.0)
    # The plain-English reasons shown with the proposal.
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    distance_km: Mapped[float | None] = mapped_column(Float)
    # "accepted" | "declined" | None (not yet answered), with the reason given.
    volunteer_response: Mapped[str | None] = mapped_column(String(10))
    volunteer_reason: Mapped[str | None] = mapped_column(Text)
    person_response: Mapped[str | None] = mapped_column(String(10))
    person_reason: Mapped[str | None] = mapped_column(Text)
    # The user who answered for the person (the person, or their worker).
    person_answered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    started_on: Mapped[date | None] = mapped_column(Date)
    next_review_on: Mapped[date | None] = mapped_column(Date)
    # "volunteer" | "person" when either side has asked to end it.
    end_requested_by: Mapped[str | None] = mapped_column(String(10))
    end_requested_reason: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # vocab.MATCH_ENDINGS: planned | unplanned.
    end_kind: Mapped[str | None] = mapped_column(String(10))
    end_reason: Mapped[str | None] = mapped_column(Text)
    # Whether it ended well: counts for continuity when the person returns.
    ended_well: Mapped[bool | None]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)

    request: Mapped[SupportRequest] = relationship()
    volunteer = relationship("Person", foreign_keys=[volunteer_id])
    events: Mapped[list[MatchEvent]] = relationship(
        back_populates="match", cascade="all, delete-orphan", order_by="MatchEvent.id"
    )


class MatchEvent(db.Model):
    """One step in a match's history: who did what, when, and why."""

    __tablename__ = "match_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    match_id: Mapped[int] = mapped_column(ForeignKey("matches.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # proposed, volunteer_accepted, volunteer_declined, person_accepted,
    # person_declined, approved, reviewed, end_requested, ended, superseded,
    # withdrawn.
    step: Mapped[str] = mapped_column(String(24))
    note: Mapped[str | None] = mapped_column(Text)

    match: Mapped[Match] = relationship(back_populates="events")


class MatchingWeight(db.Model):
    """A site admin's weight for one soft score (``domain.matching.Weights``)."""

    __tablename__ = "matching_weights"

    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    value: Mapped[float] = mapped_column(Float)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)
