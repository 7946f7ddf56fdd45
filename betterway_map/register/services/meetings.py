"""A group's meetings as they will really happen, an organisation's own
one-off events, and what the group's manage page shows of its meetings.

Meetings are public, like the group: anyone may read them; only the admins
of the group's organisation change them (``register.services.meeting_changes``).
The rule and its changes are combined by ``domain.schedule.meetings``, the
one place that does, so that the group's page, the API, nearby search,
printed sheets and calendar feeds agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.domain.clock import now_in_uk, today_in_uk
from betterway_map.domain.schedule.meetings import (
    Cancellation,
    Changes,
    Meeting,
    applicable,
    changes_of,
    meetings,
)
from betterway_map.domain.schedule.recurrence import describe, schedule_of
from betterway_map.extensions import db
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting, Space
from betterway_map.register.services.groups import admin_group

__all__ = [
    "GroupMeetings",
    "group_meetings",
    "changes_by_group",
    "organisation_events",
    "MeetingsToManage",
    "meetings_to_manage",
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
    """What the group's manage page shows: the group (its admin may manage
    it), its next meetings, the cancelled and moved ones from today on, the
    one-offs from today on, and the organisation's spaces (where the group,
    a moved meeting or a one-off may be)."""

    group: Group
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
        group=group,
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
