"""Which groups people go to.

A person (or their worker) says which active groups they attend and leaves
them. An organisation admin sees the attendees of their own organisation's
groups by first name only, records that someone came on a date, and adds
someone who is not on the register yet with their consent to keeping their
first name on the group's list.
"""

from __future__ import annotations

from sqlalchemy import exists, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Attendance, Consent, Person
from betterway_map.people.permissions import require_person_access
from betterway_map.register.models import Group
from betterway_map.register.permissions import require_organisation_admin

__all__ = [
    "person_groups",
    "needs_share_consent",
    "join_group",
    "leave_group",
    "group_attendees",
    "administered_group",
    "listed_attendees",
    "named_members",
    "add_attendee",
    "record_attended",
]

SHARE_PURPOSE = "share_with_groups"


def _has_share_consent(person_id: int):
    return exists().where(
        Consent.person_id == person_id,
        Consent.purpose == SHARE_PURPOSE,
        Consent.withdrawn_on.is_(None),
    )


def needs_share_consent(user: User, person: Person) -> bool:
    """True when someone other than the person adds them to a group and the
    person has not yet agreed to their first name being shared with groups."""
    if person.user_id == user.id:
        return False
    return not db.session.scalar(select(_has_share_consent(person.id)))


def person_groups(user: User, person_id: int) -> tuple[Person, list[Attendance]]:
    """The groups a person goes to (not those they left), by name; audited."""
    person = require_person_access(user, person_id)
    rows = list(
        db.session.scalars(
            select(Attendance)
            .join(Group, Group.id == Attendance.group_id)
            .where(Attendance.person_id == person.id, Attendance.status != "left")
            .options(selectinload(Attendance.group))
            .order_by(Group.name, Group.id)
        )
    )
    audit.record(user.id, "view", "person", person.id, "groups attended")
    db.session.commit()
    return person, rows


def _active_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        message = f"There is no group number {group_id}; choose an active group from the list."
    elif group.status != "active":
        message = (
            f"{group.name!r} (group {group_id}) is {group.status}, so it cannot be joined; "
            "choose an active group."
        )
    else:
        return group
    raise InvalidInput(message, {"group_id": [message]})


def _already_goes(user: User, person: Person, group: Group) -> str:
    who = "You already go" if person.user_id == user.id else f"{person.first_name} already goes"
    return f"{who} to {group.name!r}."


def join_group(user: User, person_id: int, data: dict) -> Attendance:
    """Say that a person goes to a group (data loaded by ``JoinGroupSchema``)."""
    person = require_person_access(user, person_id)
    group = _active_group(data["group_id"])
    row = db.session.scalar(
        select(Attendance).where(Attendance.person_id == person.id, Attendance.group_id == group.id)
    )
    if row is not None and row.status == "member":
        message = _already_goes(user, person, group)
        raise Conflict(message, {"group_id": [message]})
    if needs_share_consent(user, person):
        if not data.get("consent_to_share") or not data.get("consent_method"):
            message = (
                f"Record that {person.first_name} agreed to their first name being shared with "
                "the groups they go to, and how they agreed."
            )
            raise InvalidInput(message, {"consent_to_share": [message]})
        db.session.add(
            Consent(
                person_id=person.id,
                purpose=SHARE_PURPOSE,
                method=data["consent_method"],
                given_on=today_in_uk(),
                recorded_by_id=user.id,
            )
        )
        audit.record(user.id, "consent", "person", person.id, SHARE_PURPOSE)
    if row is None:
        row = Attendance(person_id=person.id, group_id=group.id)
        db.session.add(row)
    row.status = "member"
    row.since = data.get("since")
    row.recorded_by_id = user.id
    try:
        db.session.flush()
    except IntegrityError:  # the same join sent twice at once
        db.session.rollback()
        message = _already_goes(user, person, group)
        raise Conflict(message, {"group_id": [message]}) from None
    audit.record(user.id, "create", "attendance", row.id, f"person={person.id} group={group.id}")
    db.session.commit()
    return row


def leave_group(user: User, person_id: int, group_id: int) -> Attendance:
    """The person no longer goes to the group; the group's list no longer shows them."""
    person = require_person_access(user, person_id)
    row = db.session.scalar(
        select(Attendance).where(
            Attendance.person_id == person.id,
            Attendance.group_id == group_id,
            Attendance.status != "left",
        )
    )
    if row is None:
        raise NotFound(f"Person {person_id} does not go to group {group_id}.")
    row.status = "left"
    row.recorded_by_id = user.id
    audit.record(user.id, "update", "attendance", row.id, "left")
    db.session.commit()
    return row


def administered_group(user: User, group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(f"There is no group {group_id}.")
    require_organisation_admin(user, group.organisation_id)
    return group


def listed_attendees(group_id: int, status: str = "member"):
    """Attendees a group's organisers may see: members (or, with ``status``
    "interested", people who would like to come) who joined themselves or
    agreed to their first name being shared with groups."""
    consented = exists().where(
        Consent.person_id == Attendance.person_id,
        Consent.purpose == SHARE_PURPOSE,
        Consent.withdrawn_on.is_(None),
    )
    return (
        select(Attendance)
        .join(Person, Person.id == Attendance.person_id)
        .where(
            Attendance.group_id == group_id,
            Attendance.status == status,
            or_(Person.user_id.is_not(None), consented),
        )
    )


def named_members(group_id: int) -> list[Attendance]:
    """The group's members its organisers may see, by first name."""
    return list(
        db.session.scalars(
            listed_attendees(group_id)
            .options(selectinload(Attendance.person))
            .order_by(Person.first_name, Attendance.id)
        )
    )


def group_attendees(user: User, group_id: int) -> tuple[Group, list[Attendance]]:
    """A group of the admin's organisation and its attendees, by first name."""
    group = administered_group(user, group_id)
    rows = named_members(group.id)
    detail = audit.people_detail([row.person_id for row in rows], "attendees")
    audit.record(user.id, "view", "group_attendees", group.id, detail)
    db.session.commit()
    return group, rows


def add_attendee(user: User, group_id: int, data: dict) -> Attendance:
    """Add someone not yet on the register (``NewAttendeeSchema``): a person
    with a first name only, their consent, and their place in the group."""
    group = administered_group(user, group_id)
    person = Person(first_name=data["first_name"].strip(), registered_by_id=user.id)
    db.session.add(person)
    db.session.flush()
    db.session.add(
        Consent(
            person_id=person.id,
            purpose=SHARE_PURPOSE,
            method=data["consent_method"],
            given_on=today_in_uk(),
            notes=f"Given to the organisers of group {group.id}.",
            recorded_by_id=user.id,
        )
    )
    row = Attendance(
        person_id=person.id,
        group_id=group.id,
        status="member",
        since=data.get("since"),
        recorded_by_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    audit.record(user.id, "create", "person", person.id, f"attendee of group {group.id}")
    audit.record(user.id, "create", "attendance", row.id, f"group={group.id}")
    db.session.commit()
    return row


def record_attended(user: User, group_id: int, attendance_id: int, data: dict) -> Attendance:
    """Record that an attendee came on ``data["attended_on"]`` (not in the future)."""
    group = administered_group(user, group_id)
    row = db.session.scalar(listed_attendees(group.id).where(Attendance.id == attendance_id))
    if row is None:
        raise NotFound(f"Group {group_id} has no attendee {attendance_id}.")
    attended_on = data["attended_on"]
    if row.last_attended_on is None or attended_on > row.last_attended_on:
        row.last_attended_on = attended_on
    if row.since is None or attended_on < row.since:
        row.since = attended_on
    audit.record(user.id, "attended", "attendance", row.id, attended_on.isoformat())
    db.session.commit()
    return row
