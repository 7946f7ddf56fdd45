"""Organisations, their admins and partnerships, their spaces and groups, and
groups' cancelled, moved and one-off meetings."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from betterway_map.database import TimestampMixin, UtcDateTime
from betterway_map.extensions import db


class ImportedMixin:
    """Where an imported record came from, so that importing again updates it.

    ``source`` names the feed or spreadsheet kind ("oruk", "sheet") and
    ``source_ref`` the record's id there (an ORUK id, a spreadsheet's
    reference or its name and postcode); both empty for records made here.
    """

    source: Mapped[str | None] = mapped_column(String(60))
    source_ref: Mapped[str | None] = mapped_column(String(200))


class Organisation(ImportedMixin, TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (Index("uq_organisations_source_ref", "source", "source_ref", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    sector: Mapped[str] = mapped_column(String(20))
    charity_number: Mapped[str | None] = mapped_column(String(20))
    company_number: Mapped[str | None] = mapped_column(String(20))
    website: Mapped[str | None] = mapped_column(String(500))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text)

    admins: Mapped[list[OrganisationAdmin]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    spaces: Mapped[list[Space]] = relationship(back_populates="organisation")
    groups: Mapped[list[Group]] = relationship(back_populates="organisation")


class OrganisationAdmin(db.Model):
    __tablename__ = "organisation_admins"

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )

    organisation: Mapped[Organisation] = relationship(back_populates="admins")


class Partnership(TimestampMixin, db.Model):
    """A working relationship between two organisations.

    Recorded by ``organisation``; for referrals the direction is from
    ``organisation`` to ``partner``. It is pending, and shown to no one but
    the two organisations' admins, until an admin of ``partner`` confirms it
    (``confirmed_at``; ``confirmed_by`` is empty for those confirmed before
    confirmation was recorded, and when that account is gone).
    """

    __tablename__ = "partnerships"
    __table_args__ = (UniqueConstraint("organisation_id", "partner_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    partner_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    started_on: Mapped[date | None] = mapped_column(Date)
    last_active_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(foreign_keys=[organisation_id])
    partner: Mapped[Organisation] = relationship(foreign_keys=[partner_id])

    @property
    def status(self) -> str:
        """ "confirmed" (public) or "pending" (waiting for the partner to confirm)."""
        return "pending" if self.confirmed_at is None else "confirmed"


class Space(ImportedMixin, TimestampMixin, db.Model):
    """A place where people meet: a hall, a library, a café, a garden."""

    __tablename__ = "spaces"
    # One feed's location is one space per organisation that meets there.
    __table_args__ = (
        Index("ix_spaces_lat_lon", "latitude", "longitude"),
        Index("uq_spaces_source_ref", "organisation_id", "source", "source_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    address: Mapped[str] = mapped_column(String(300))
    postcode: Mapped[str] = mapped_column(String(8), index=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    # How the point was found: "postcode" (the gazetteer), "geocoder" (the
    # online geocoder) or "typed" (latitude and longitude given); None when
    # the space is not placed (or was placed before this was recorded).
    location_source: Mapped[str | None] = mapped_column(String(20))
    capacity: Mapped[int | None]
    # [{"day": "mon", "opens": "09:00", "closes": "17:00"}, ...]
    opening_times: Mapped[list] = mapped_column(JSON, default=list)
    step_free: Mapped[bool] = mapped_column(default=False)
    hearing_loop: Mapped[bool] = mapped_column(default=False)
    accessible_toilet: Mapped[bool] = mapped_column(default=False)
    parking: Mapped[bool] = mapped_column(default=False)
    # Pence per hour; None when the space is not for hire, 0 when free.
    hire_cost_pence: Mapped[int | None]
    hire_cost_note: Mapped[str | None] = mapped_column(String(200))

    organisation: Mapped[Organisation] = relationship(back_populates="spaces")
    groups: Mapped[list[Group]] = relationship(back_populates="space")


class Group(ImportedMixin, TimestampMixin, db.Model):
    """Something that meets: a lunch club, a choir, a walking group."""

    __tablename__ = "groups"
    __table_args__ = (
        Index("uq_groups_source_ref", "organisation_id", "source", "source_ref", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    interests: Mapped[list] = mapped_column(JSON, default=list)
    tags: Mapped[list] = mapped_column(JSON, default=list)
    audiences: Mapped[list] = mapped_column(JSON, default=list)
    age_min: Mapped[int | None]
    age_max: Mapped[int | None]
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    online: Mapped[bool] = mapped_column(default=False)
    online_url: Mapped[str | None] = mapped_column(String(500))
    frequency: Mapped[str] = mapped_column(String(12))
    weekday: Mapped[str] = mapped_column(String(3))
    nth: Mapped[int | None]
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    cost_pence: Mapped[int] = mapped_column(default=0)
    cost_note: Mapped[str | None] = mapped_column(String(200))
    capacity: Mapped[int | None]
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(30))
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    details_checked_on: Mapped[date | None] = mapped_column(Date)

    organisation: Mapped[Organisation] = relationship(back_populates="groups")
    space: Mapped[Space | None] = relationship(back_populates="groups")
    changes: Mapped[list[MeetingChange]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )
    one_offs: Mapped[list[OneOffMeeting]] = relationship(
        back_populates="group", cascade="all, delete-orphan", passive_deletes=True
    )


class MeetingChange(TimestampMixin, db.Model):
    """One meeting of a group's rule, cancelled or moved.

    ``occurs_on`` is the date the rule gives it (RFC 5545: the date of an
    ``EXDATE``, or of a ``RECURRENCE-ID``). A moved meeting happens on
    ``moved_on`` from ``start_time`` to ``end_time`` (UK wall-clock), at
    ``space_id``, at ``place`` (the calendar's words for a place that is none
    of the organisation's spaces) or, with neither, at the group's own place.
    ``source`` is empty for a change an admin made here, or the import it
    came from ("ical": importing the calendar again replaces those, never an
    admin's).
    """

    __tablename__ = "meeting_changes"
    __table_args__ = (UniqueConstraint("group_id", "occurs_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("groups.id", ondelete="CASCADE"))
    occurs_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(200))
    moved_on: Mapped[date | None] = mapped_column(Date)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    place: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(60))

    group: Mapped[Group] = relationship(back_populates="changes")
    space: Mapped[Space | None] = relationship()


class OneOffMeeting(ImportedMixin, TimestampMixin, db.Model):
    """A meeting or event on one day: an extra meeting of a group
    (``group_id``), or an event of the organisation's own.

    With no ``start_time`` it lasts all day. An imported one has its
    ``source`` ("ical") and, for an event of its own, ``source_ref`` (the
    calendar event's UID), so that importing again updates it.
    """

    __tablename__ = "one_off_meetings"
    __table_args__ = (
        Index(
            "uq_one_off_meetings_source_ref", "organisation_id", "source", "source_ref", unique=True
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("groups.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    occurs_on: Mapped[date] = mapped_column(Date, index=True)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    space_id: Mapped[int | None] = mapped_column(
        ForeignKey("spaces.id", ondelete="SET NULL"), index=True
    )
    place: Mapped[str | None] = mapped_column(String(300))

    organisation: Mapped[Organisation] = relationship()
    group: Mapped[Group | None] = relationship(back_populates="one_offs")
    space: Mapped[Space | None] = relationship()
