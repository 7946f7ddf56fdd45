"""People, and what is recorded about them: consent, measures, ties, help.

Everything in this module is personal data. Only the person themselves and
the workers assigned to them see it (see ``services.access``); area figures
are aggregated and suppressed elsewhere.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from betterway_map.database import TimestampMixin, UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db


class Person(TimestampMixin, db.Model):
    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Set when the person has their own account; None when a worker registered them.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), unique=True
    )
    first_name: Mapped[str] = mapped_column(String(60))
    last_name: Mapped[str | None] = mapped_column(String(60))
    age_band: Mapped[str | None] = mapped_column(String(8))
    postcode: Mapped[str | None] = mapped_column(String(8))
    # The home location: never drawn, exported or sent beyond the person's workers.
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    address: Mapped[str | None] = mapped_column(String(300))
    phone: Mapped[str | None] = mapped_column(String(30))
    email: Mapped[str | None] = mapped_column(String(254))
    interests: Mapped[list] = mapped_column(JSON, default=list)
    languages: Mapped[list] = mapped_column(JSON, default=list)
    availability: Mapped[list] = mapped_column(JSON, default=list)
    travel_km: Mapped[float | None]
    lives_alone: Mapped[bool | None]
    marital_status: Mapped[str | None] = mapped_column(String(12))
    general_health: Mapped[str | None] = mapped_column(String(10))
    what_would_help: Mapped[str | None] = mapped_column(Text)
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )

    volunteer: Mapped[VolunteerProfile | None] = relationship(
        back_populates="person", cascade="all, delete-orphan", uselist=False
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="person", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(cascade="all, delete-orphan")
    measures: Mapped[list[LonelinessMeasure]] = relationship(
        cascade="all, delete-orphan", order_by="LonelinessMeasure.measured_on"
    )
    ties: Mapped[list[Tie]] = relationship(
        cascade="all, delete-orphan", foreign_keys="Tie.person_id"
    )
    attendances: Mapped[list[Attendance]] = relationship(cascade="all, delete-orphan")
    listings: Mapped[list[HelpListing]] = relationship(cascade="all, delete-orphan")


class Assignment(db.Model):
    """A community worker responsible for a person."""

    __tablename__ = "assignments"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    worker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(back_populates="assignments")


class Consent(db.Model):
    """Consent given by a person registered by someone else: what, when, by whom."""

    __tablename__ = "consents"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    method: Mapped[str] = mapped_column(String(10))
    given_on: Mapped[date] = mapped_column(Date)
    withdrawn_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class LonelinessMeasure(db.Model):
    """One occasion's answers to the ONS loneliness questions."""

    __tablename__ = "loneliness_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    measured_on: Mapped[date] = mapped_column(Date)
    ucla_companionship: Mapped[int | None]
    ucla_left_out: Mapped[int | None]
    ucla_isolated: Mapped[int | None]
    ucla_total: Mapped[int | None]
    direct: Mapped[str | None] = mapped_column(String(20))
    # The De Jong Gierveld 6-item scale (optional): each "yes", "more_or_less"
    # or "no"; the total 0-6 is empty when more than one item is missing.
    djg_emptiness: Mapped[str | None] = mapped_column(String(12))
    djg_miss_people: Mapped[str | None] = mapped_column(String(12))
    djg_rejected: Mapped[str | None] = mapped_column(String(12))
    djg_rely_on: Mapped[str | None] = mapped_column(String(12))
    djg_trust: Mapped[str | None] = mapped_column(String(12))
    djg_close: Mapped[str | None] = mapped_column(String(12))
    djg_total: Mapped[int | None]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class Tie(db.Model):
    """Someone a person is in touch with, and how often."""

    __tablename__ = "ties"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    # The other person when they are on the register too.
    other_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL"), index=True
    )
    # Who they are, in the person's own words ("daughter", "Mo next door").
    other_label: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(12))
    contact_frequency: Mapped[str] = mapped_column(String(8))
    last_contact_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)


class VolunteerProfile(TimestampMixin, db.Model):
    """A person who offers support: their checks, experience and capacity."""

    __tablename__ = "volunteer_profiles"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    dbs_status: Mapped[str] = mapped_column(String(10), default="none")
    dbs_checked_on: Mapped[date | None] = mapped_column(Date)
    # When the check is due for renewal; empty: DBS_VALID_YEARS after dbs_checked_on.
    dbs_expires_on: Mapped[date | None] = mapped_column(Date)
    # Who recorded the DBS status: a volunteer cannot vouch for their own check.
    dbs_recorded_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    lived_experience: Mapped[list] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(default=1)
    active: Mapped[bool] = mapped_column(default=True)

    person: Mapped[Person] = relationship(back_populates="volunteer")


class Attendance(TimestampMixin, db.Model):
    """A person who goes to a group (or would like to)."""

    __tablename__ = "attendances"
    __table_args__ = (UniqueConstraint("person_id", "group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"), index=True)
    # "member" (goes), "interested" (would like to go), "left".
    status: Mapped[str] = mapped_column(String(10), default="member")
    since: Mapped[date | None] = mapped_column(Date)
    last_attended_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    person: Mapped[Person] = relationship(back_populates="attendances")
    group = relationship("Group")


class HelpListing(TimestampMixin, db.Model):
    """An offer of help, or a request for it."""

    __tablename__ = "help_listings"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(7), index=True)  # offer | request
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(8), default="open", index=True)

    person: Mapped[Person] = relationship(back_populates="listings")
