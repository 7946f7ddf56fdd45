"""A group's meetings as they will really happen, and the changes its admins
make: a meeting of its rule cancelled (and the cancellation undone), a
one-off meeting added or deleted; and an organisation's own one-off events.

Meetings are public, like the group: anyone may read them; only the admins
of the group's organisation change them. The rule and its changes are
combined by ``domain.schedule.meetings``, the one place that does, so that
the group's page, the API, nearby search, printed sheets and calendar feeds
agree. Each change is one use case with one commit, and is audited.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import now_in_uk, today_in_uk
from betterway_map.domain.dates import long_date
from betterway_map.domain.schedule.meetings import (
    Cancellation,
    Changes,
    Meeting,
    applicable,
    changes_of,
    is_meeting_day,
    meetings,
)
from betterway_map.domain.schedule.recurrence import describe, schedule_of
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting, Space
from betterway_map.register.services.groups import admin_group
from betterway_map.register.services.organisations import _commit, admin_organisation

__all__ = [
    "GroupMeetings",
    "group_meetings",
    "changes_by_group",
    "organisation_events",
    "MeetingsToManage",
    "meetings_to_manage",
    "cancel_meeting",
    "restore_meeting",
    "add_one_off",
    "delete_one_off",
]

# How many meetings the manage page lists, to choose one to cancel.
MANAGE_COUNT = 8


@dataclass(frozen=True)
class GroupMeetings:
    """What a group's page says about when it meets: the rule in words, the
    next meetings (none unless the group is active), the meetings of the
    rule that are cancelled from today on, and the spaces named by moved and
    extra meetings."""

    description: str
    meetings: list[Meeting]
    cancelled: list[Cancellation]
    spaces: dict[int, Space] = field(default_factory=dict)


def group_meetings(group: Group, *, now: datetime | None = None, count: int = 3) -> GroupMeetings:
    """The group's meetings from ``now`` (naive, UK wall-clock; default now)."""
    schedule = schedule_of(group)
    if group.status != "active":
        return GroupMeetings(describe(schedule), [], [])
    moment = now or now_in_uk().replace(second=0, microsecond=0)
    changes = applicable(schedule, changes_of(group))
    found = meetings(schedule, changes, moment, count)
    cancelled = [c for c in changes.cancelled if c.occurs_on >= moment.date()]
    return GroupMeetings(describe(schedule), found, cancelled, _spaces(found))


def _spaces(found: list[Meeting]) -> dict[int, Space]:
    ids = {meeting.space_id for meeting in found if meeting.space_id is not None}
    if not ids:
        return {}
    return {space.id: space for space in db.session.scalars(select(Space).where(Space.id.in_(ids)))}


def changes_by_group(group_ids=None) -> dict[int, Changes]:
    """The changes of each of these groups, in two queries (nearby search,
    feeds of many groups); a group with none is left out. ``None``: every
    group that has any (the nearby index keeps them all)."""
    changes, one_offs = select(MeetingChange), select(OneOffMeeting)
    if group_ids is None:
        one_offs = one_offs.where(OneOffMeeting.group_id.is_not(None))
    else:
        ids = list(dict.fromkeys(group_ids))
        if not ids:
            return {}
        changes = changes.where(MeetingChange.group_id.in_(ids))
        one_offs = one_offs.where(OneOffMeeting.group_id.in_(ids))
    rows: dict[int, _Rows] = defaultdict(_Rows)
    for change in db.session.scalars(changes):
        rows[change.group_id].changes.append(change)
    for one_off in db.session.scalars(one_offs):
        rows[one_off.group_id].one_offs.append(one_off)
    return {group_id: changes_of(found) for group_id, found in rows.items()}


@dataclass
class _Rows:
    changes: list = field(default_factory=list)
    one_offs: list = field(default_factory=list)


def organisation_events(organisation_id: int, *, today: date | None = None) -> list[OneOffMeeting]:
    """The organisation's own one-off events (not a group's) from today on, soonest first."""
    query = (
        select(OneOffMeeting)
        .where(
            OneOffMeeting.organisation_id == organisation_id,
            OneOffMeeting.group_id.is_(None),
            OneOffMeeting.occurs_on >= (today or today_in_uk()),
        )
        .order_by(OneOffMeeting.occurs_on, OneOffMeeting.start_time, OneOffMeeting.id)
    )
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class MeetingsToManage:
    """What the group's manage page shows about its meetings: the next
    meetings, the cancelled and moved ones from today on, the one-offs from
    today on, and the spaces a one-off may be at."""

    upcoming: list[Meeting]
    changes: list[MeetingChange]
    one_offs: list[OneOffMeeting]
    space_choices: tuple


def meetings_to_manage(user: User, group_id: int, today: date | None = None) -> MeetingsToManage:
    group = admin_group(user, group_id)
    today = today or today_in_uk()
    now = datetime.combine(today, datetime.min.time())
    spaces = db.session.scalars(
        select(Space).where(Space.organisation_id == group.organisation_id).order_by(Space.name)
    )
    schedule = schedule_of(group)
    return MeetingsToManage(
        upcoming=meetings(schedule, changes_of(group), now, MANAGE_COUNT),
        changes=sorted(
            (c for c in group.changes if max(c.occurs_on, c.moved_on or c.occurs_on) >= today),
            key=lambda c: c.occurs_on,
        ),
        one_offs=sorted(
            (o for o in group.one_offs if o.occurs_on >= today),
            key=lambda o: (o.occurs_on, o.start_time or datetime.min.time()),
        ),
        space_choices=tuple((space.id, f"{space.name}, {space.postcode}") for space in spaces),
    )


def _refuse(field_name: str, message: str):
    raise InvalidInput(message, {field_name: [message]})


def cancel_meeting(user: User, group_id: int, data: dict, today: date | None = None):
    """Cancel the meeting of the group's rule on ``data["occurs_on"]`` (with
    an optional ``reason``, shown to the public). A moved meeting is cancelled
    outright. Refused, naming the date, for a day the group does not meet,
    a day in the past, or a meeting already cancelled."""
    group = admin_group(user, group_id)
    day, today = data["occurs_on"], today or today_in_uk()
    schedule = schedule_of(group)
    if day < today:
        _refuse("occurs_on", f"{long_date(day)} is in the past: choose a meeting from today on.")
    if not is_meeting_day(schedule, day):
        upcoming = meetings(schedule, Changes(), datetime.combine(today, datetime.min.time()), 1)
        example = f", such as {long_date(upcoming[0].starts_at)}" if upcoming else ""
        _refuse(
            "occurs_on",
            f"{group.name} does not meet on {long_date(day)} ({describe(schedule)}): "
            f"choose one of its meetings{example}.",
        )
    existing = db.session.scalar(
        select(MeetingChange).where(
            MeetingChange.group_id == group.id, MeetingChange.occurs_on == day
        )
    )
    if existing is not None and existing.kind == "cancelled":
        _refuse("occurs_on", f"The meeting on {long_date(day)} is already cancelled.")

    def action():
        change = existing or MeetingChange(group_id=group.id, occurs_on=day)
        change.kind, change.reason, change.source = "cancelled", data.get("reason"), None
        change.moved_on = change.start_time = change.end_time = change.space_id = None
        change.place = None
        db.session.add(change)
        audit.record(user.id, "cancel_meeting", "group", group.id, day.isoformat())
        return change

    return _commit(action)


def restore_meeting(user: User, group_id: int, change_id: int) -> MeetingChange:
    """Undo a cancellation or a move: the meeting is as the rule says again."""
    group = admin_group(user, group_id)
    change = db.session.get(MeetingChange, change_id)
    if change is None or change.group_id != group.id:
        raise NotFound(f"{group.name} has no cancelled or moved meeting numbered {change_id}.")

    def action():
        db.session.delete(change)
        audit.record(user.id, "restore_meeting", "group", group.id, change.occurs_on.isoformat())
        return change

    return _commit(action)


def add_one_off(user: User, group_id: int, data: dict, today: date | None = None) -> OneOffMeeting:
    """Add a meeting of the group on a day of its own (``title``,
    ``occurs_on``, ``start_time``, ``end_time``, optional ``space_id`` of the
    organisation's; none: the group's usual place)."""
    group = admin_group(user, group_id)
    errors: dict[str, list[str]] = {}
    if data["occurs_on"] < (today or today_in_uk()):
        errors["occurs_on"] = [f"{long_date(data['occurs_on'])} is in the past."]
    if data["end_time"] <= data["start_time"]:
        errors["end_time"] = [
            f"The end time {data['end_time']:%H:%M} must be after the start time "
            f"{data['start_time']:%H:%M}."
        ]
    space_id = data.get("space_id")
    if space_id is not None:
        space = db.session.get(Space, space_id)
        if space is None or space.organisation_id != group.organisation_id:
            errors["space_id"] = [
                f"Space {space_id} is not one of {group.organisation.name}'s spaces."
            ]
    if errors:
        raise InvalidInput("Some of the details need correcting.", errors)

    def action():
        one_off = OneOffMeeting(organisation_id=group.organisation_id, group_id=group.id, **data)
        db.session.add(one_off)
        db.session.flush()
        audit.record(user.id, "add_one_off", "group", group.id, data["occurs_on"].isoformat())
        return one_off

    return _commit(action)


def delete_one_off(user: User, one_off_id: int) -> OneOffMeeting:
    """Delete a one-off meeting of a group, or an event of an organisation,
    that ``user`` administers."""
    one_off = db.session.get(OneOffMeeting, one_off_id)
    if one_off is None:
        raise NotFound(f"There is no one-off meeting numbered {one_off_id}.")
    admin_organisation(user, one_off.organisation_id)

    def action():
        db.session.delete(one_off)
        audit.record(
            user.id, "delete_one_off", "organisation", one_off.organisation_id, str(one_off_id)
        )
        return one_off

    return _commit(action)
