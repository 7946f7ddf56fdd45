"""What a group's organisers see of the people who come, and their welcome.

Organisers always see how many people come and how many would like to come;
they see a first name only where the person joined themselves or agreed to
it being shared with groups. They can welcome someone who would like to come
with a message through the platform, whether or not they see the name: it
reaches the person's inbox, or, for someone with no account, the inboxes of
the community workers who look after them. Nobody's contact details are
shown to the organisers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.dates import moment
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.inbox.services import deliver, sent_about
from betterway_map.people.models import Assignment, Attendance, Person
from betterway_map.people.services.attendance import (
    administered_group,
    listed_attendees,
    named_members,
)
from betterway_map.register.models import Group
from betterway_map.register.services.groups import schedule_summary

__all__ = [
    "GroupLists",
    "Interested",
    "group_lists",
    "welcome_draft",
    "welcome",
    "WELCOME_ABOUT",
]

WELCOME_ABOUT = "attendance"


@dataclass(frozen=True)
class Interested:
    """Someone who said they would like to come.

    ``first_name`` is None when they have not agreed to it being shared;
    ``welcomed_at`` is when the organisers last welcomed them (or None);
    ``reachable`` says whether a welcome can reach them (their own account,
    or a community worker who looks after them).
    """

    attendance_id: int
    person_id: int
    first_name: str | None
    since: datetime | None
    welcomed_at: datetime | None
    reachable: bool


@dataclass(frozen=True)
class GroupLists:
    """A group's lists as its organisers see them: counts always, names where
    shared."""

    group: Group
    members: list[Attendance]  # named members, by first name
    member_count: int  # every member, named or not
    interested: list[Interested]  # everyone who would like to come, newest first

    @property
    def unnamed_member_count(self) -> int:
        return self.member_count - len(self.members)


def _count(group_id: int, status: str) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Attendance)
            .where(Attendance.group_id == group_id, Attendance.status == status)
        )
        or 0
    )


def _recipients(person: Person) -> list[int]:
    """Whose inbox a message for ``person`` goes to: theirs, or their workers'."""
    if person.user_id is not None:
        return [person.user_id]
    return list(
        db.session.scalars(
            select(Assignment.worker_id)
            .where(Assignment.person_id == person.id)
            .order_by(Assignment.worker_id)
        )
    )


def _interested(group_id: int, attendance_id: int | None = None) -> list[Interested]:
    """Who would like to come to the group (or only ``attendance_id``), newest first."""
    query = select(Attendance).where(
        Attendance.group_id == group_id, Attendance.status == "interested"
    )
    if attendance_id is not None:
        query = query.where(Attendance.id == attendance_id)
    rows = list(
        db.session.scalars(
            query.options(
                selectinload(Attendance.person).selectinload(Person.assignments)
            ).order_by(Attendance.updated_at.desc(), Attendance.id.desc())
        )
    )
    named = set(
        db.session.scalars(
            listed_attendees(group_id, "interested")
            .where(Attendance.id.in_([row.id for row in rows]))
            .with_only_columns(Attendance.id)
        )
    )
    welcomes = sent_about(WELCOME_ABOUT, [row.id for row in rows])
    return [
        Interested(
            attendance_id=row.id,
            person_id=row.person_id,
            first_name=row.person.first_name if row.id in named else None,
            since=row.updated_at,
            welcomed_at=welcomes[row.id].sent_at if row.id in welcomes else None,
            reachable=row.person.user_id is not None or bool(row.person.assignments),
        )
        for row in rows
    ]


def group_lists(user: User, group_id: int) -> GroupLists:
    """A group of the organiser's organisation: its members by first name
    (where shared), how many there are, and who would like to come."""
    group = administered_group(user, group_id)
    members = named_members(group.id)
    interested = _interested(group.id)
    # Those whose first name is shown; the others are only counted.
    named = [row.person_id for row in members]
    named += [item.person_id for item in interested if item.first_name is not None]
    detail = audit.people_detail(named, "members and interested, by first name")
    audit.record(user.id, "view", "group_attendees", group.id, detail)
    db.session.commit()
    return GroupLists(group, members, _count(group.id, "member"), interested)


def welcome(user: User, group_id: int, attendance_id: int, data: dict) -> tuple[Attendance, str]:
    """Send a welcome (``data["body"]``, loaded by ``MessageSchema``) to
    someone who would like to come to a group of the organiser's organisation.

    Returns the attendance and who it went to, in words ("Ann" or "the
    community worker who looks after them").
    """
    group = administered_group(user, group_id)
    row = db.session.scalar(
        select(Attendance).where(
            Attendance.id == attendance_id,
            Attendance.group_id == group.id,
            Attendance.status == "interested",
        )
    )
    if row is None:
        raise NotFound(
            f"Nobody with the number {attendance_id} would like to come to {group.name!r}: "
            "they may have joined or left since."
        )
    person = row.person
    recipients = _recipients(person)
    if not recipients:
        message = (
            "This person has no account and no community worker, so a message cannot reach "
            "them through Better Way Map. Welcome them when they come."
        )
        raise InvalidInput(message, {"body": [message]})
    label = f"{user.display_name}, for {group.name}"
    if person.user_id is not None:
        subject, body, went_to = f"A welcome from {group.name}", data["body"], "them"
    else:
        subject = f"For {person.first_name}: a welcome from {group.name}"
        body = (
            f"{person.first_name}, whom you look after, said they would like to come to "
            f"{group.name}. The organisers ask you to pass this on:\n\n{data['body']}"
        )
        went_to = "the community worker who looks after them"
    for recipient_id in recipients:
        deliver(
            recipient_id,
            sender=user,
            sender_label=label,
            subject=subject,
            body=body,
            about=(WELCOME_ABOUT, row.id),
        )
    audit.record(user.id, "welcome", "attendance", row.id, f"group={group.id}")
    db.session.commit()
    return row, went_to


def welcome_draft(user: User, group_id: int, attendance_id: int) -> tuple[Group, Interested, str]:
    """The group, the person who would like to come, and a welcome the
    organiser can send as it is or change (``NotFound`` when they no longer
    would like to come)."""
    group = administered_group(user, group_id)
    found = _interested(group.id, attendance_id)
    if not found:
        raise NotFound(
            f"Nobody with the number {attendance_id} would like to come to {group.name!r}: "
            "they may have joined or left since."
        )
    return group, found[0], _suggestion(user, group)


def _suggestion(user: User, group: Group) -> str:
    """When and where the group meets, and whom to ask for."""
    description, meetings = schedule_summary(group, count=1)
    where = (
        f" at {group.space.name}"
        if group.space is not None
        else (" online" if group.online else "")
    )
    lines = [
        f"Hello, and thank you for saying you would like to come to {group.name}.",
        f"We meet {description[0].lower()}{description[1:]}{where}.",
    ]
    if meetings:
        lines.append(f"The next meeting is on {moment(meetings[0])}.")
    lines.append(
        f"Just come along, and ask for {user.display_name} when you arrive: "
        "we look forward to meeting you."
    )
    return " ".join(lines)
