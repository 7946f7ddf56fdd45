"""The changes an organisation's admins make to a group's meetings: cancel a
meeting of its rule, move one to another day, time or place, undo either,
and add or delete a one-off meeting (or an organisation's own event).

Each change is one use case with one commit, is audited, and gives the
group a new ``updated_at``: the feeds that carry its meetings (OpenActive's
``modified``, ORUK's ``last_modified``) then carry a new version of it, so
that their consumers read it again. A refusal names the value and what
would be accepted, and writes nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import now_in_uk, today_in_uk, utcnow
from betterway_map.domain.dates import clock_time, long_date
from betterway_map.domain.schedule.meetings import (
    Cancellation,
    Changes,
    Meeting,
    changes_of,
    is_meeting_day,
    meetings,
)
from betterway_map.domain.schedule.recurrence import Schedule, describe, schedule_of
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting, Space
from betterway_map.register.services.groups import admin_group
from betterway_map.register.services.organisations import _commit, admin_organisation

__all__ = [
    "cancel_meeting",
    "move_meeting",
    "restore_meeting",
    "add_one_off",
    "delete_one_off",
]

# How many of the group's meetings around a new time are checked for a clash:
# more than a group has in two days.
_NEARBY_MEETINGS = 20


def _refuse(field_name: str, message: str):
    raise InvalidInput(message, {field_name: [message]})


def _changed(group: Group) -> None:
    """The group's meetings changed: a new version of the group for the feeds."""
    group.updated_at = utcnow()


def _check_meeting_of_rule(group: Group, schedule: Schedule, day: date, today: date) -> None:
    """Refuse ``day`` unless it is a meeting of the group's rule from today on."""
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


def _change_on(group: Group, day: date) -> MeetingChange | None:
    return db.session.scalar(
        select(MeetingChange).where(
            MeetingChange.group_id == group.id, MeetingChange.occurs_on == day
        )
    )


def _space_problem(group: Group, space_id: int | None) -> str | None:
    """Why ``space_id`` cannot be where the group meets (None: it can)."""
    if space_id is None:
        return None
    space = db.session.get(Space, space_id)
    if space is None or space.organisation_id != group.organisation_id:
        return f"Space {space_id} is not one of {group.organisation.name}'s spaces."
    return None


def cancel_meeting(user: User, group_id: int, data: dict, today: date | None = None):
    """Cancel the meeting of the group's rule on ``data["occurs_on"]`` (with
    an optional ``reason``, shown to the public). A moved meeting is cancelled
    outright. Refused, naming the date, for a day the group does not meet,
    a day in the past, or a meeting already cancelled."""
    group = admin_group(user, group_id)
    day = data["occurs_on"]
    _check_meeting_of_rule(group, schedule_of(group), day, today or today_in_uk())
    existing = _change_on(group, day)
    if existing is not None and existing.kind == "cancelled":
        _refuse("occurs_on", f"The meeting on {long_date(day)} is already cancelled.")

    def action():
        change = existing or MeetingChange(group_id=group.id, occurs_on=day)
        change.kind, change.reason, change.source = "cancelled", data.get("reason"), None
        change.moved_on = change.start_time = change.end_time = change.space_id = None
        change.place = None
        db.session.add(change)
        _changed(group)
        audit.record(user.id, "cancel_meeting", "group", group.id, day.isoformat())
        return change

    return _commit(action)


def _clash(group: Group, schedule: Schedule, day: date, starts: datetime, ends: datetime):
    """Another meeting of the group that overlaps ``starts`` to ``ends``, when
    the meeting of the rule on ``day`` is moved there (None: none does)."""
    changes = changes_of(group)
    others = Changes(
        cancelled=(
            *(c for c in changes.cancelled if c.occurs_on != day),
            Cancellation(day),
        ),
        moved=tuple(m for m in changes.moved if m.occurs_on != day),
        extra=changes.extra,
    )
    for meeting in meetings(schedule, others, starts - timedelta(days=1), _NEARBY_MEETINGS):
        if meeting.starts_at >= ends:
            return None
        if meeting.ends_at > starts:
            return meeting
    return None


def _clash_message(group: Group, meeting: Meeting) -> str:
    what = f" ({meeting.title})" if meeting.title else ""
    return (
        f"{group.name} already meets on {long_date(meeting.starts_at)} from "
        f"{clock_time(meeting.starts_at)} to {clock_time(meeting.ends_at)}{what}: "
        "choose a time that does not overlap it."
    )


def move_meeting(user: User, group_id: int, data: dict, now: datetime | None = None):
    """Move the meeting of the group's rule on ``data["occurs_on"]`` to
    ``moved_on`` from ``start_time`` to ``end_time`` (left out: the rule's
    usual times), at ``space_id`` (None: the group's usual place), with an
    optional public ``reason``. A cancelled or already moved meeting is moved
    instead (the last word counts, as a cancellation replaces a move).

    Refused, each beside its field: a day that is not a meeting of the rule
    or is in the past; a new time in the past, ending before it starts, the
    same as the usual one, or overlapping another of the group's meetings;
    a space not the organisation's. ``now``: naive UK wall-clock."""
    group = admin_group(user, group_id)
    now = now or now_in_uk().replace(second=0, microsecond=0)
    schedule, day = schedule_of(group), data["occurs_on"]
    _check_meeting_of_rule(group, schedule, day, now.date())
    start = data.get("start_time") or schedule.start_time
    usual = datetime.combine(day, schedule.end_time) - datetime.combine(day, schedule.start_time)
    starts = datetime.combine(data["moved_on"], start)
    ends = (
        datetime.combine(data["moved_on"], data["end_time"])
        if data.get("end_time")
        else starts + usual
    )
    space_id = data.get("space_id")
    errors: dict[str, list[str]] = {}
    if ends <= starts:
        errors["end_time"] = [
            f"The end time {clock_time(ends)} must be after the start time {clock_time(starts)}."
        ]
    elif starts < now:
        errors["moved_on"] = [
            f"{long_date(starts)} at {clock_time(starts)} is in the past: "
            "choose a new time from now on."
        ]
    elif (
        starts == datetime.combine(day, schedule.start_time)
        and ends == starts + usual
        and space_id is None
    ):
        errors["moved_on"] = [
            f"{long_date(day)} at {clock_time(starts)} is when the meeting is anyway: "
            "give it a new date, time or place."
        ]
    elif (clash := _clash(group, schedule, day, starts, ends)) is not None:
        errors["moved_on"] = [_clash_message(group, clash)]
    if (problem := _space_problem(group, space_id)) is not None:
        errors["space_id"] = [problem]
    if errors:
        raise InvalidInput("Some of the details need correcting.", errors)
    existing = _change_on(group, day)

    def action():
        change = existing or MeetingChange(group_id=group.id, occurs_on=day)
        change.kind, change.reason, change.source = "moved", data.get("reason"), None
        change.moved_on, change.start_time, change.end_time = (
            starts.date(),
            starts.time(),
            ends.time(),
        )
        change.space_id, change.place = space_id, None
        db.session.add(change)
        _changed(group)
        detail = f"{day.isoformat()} to {starts.isoformat(timespec='minutes')}"
        audit.record(user.id, "move_meeting", "group", group.id, detail)
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
        _changed(group)
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
    if (problem := _space_problem(group, data.get("space_id"))) is not None:
        errors["space_id"] = [problem]
    if errors:
        raise InvalidInput("Some of the details need correcting.", errors)

    def action():
        one_off = OneOffMeeting(organisation_id=group.organisation_id, group_id=group.id, **data)
        db.session.add(one_off)
        db.session.flush()
        _changed(group)
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
        if one_off.group is not None:
            _changed(one_off.group)
        db.session.delete(one_off)
        audit.record(
            user.id, "delete_one_off", "organisation", one_off.organisation_id, str(one_off_id)
        )
        return one_off

    return _commit(action)
