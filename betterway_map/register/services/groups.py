"""Groups: list, show, add, edit, pause or end, mark as checked, delete.

Anyone may read groups; only the admins of the group's organisation change
them, and a group meets at one of its own organisation's spaces or online.
A whole record is checked (``register.schemas.groups.check_group``) after a partial
change is merged with what is stored, so no change can leave a group with an
impossible schedule or age range.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.database import json_list_contains
from betterway_map.domain.clock import now_in_uk, today_in_uk
from betterway_map.domain.schedule.meetings import changes_of, meetings
from betterway_map.domain.schedule.recurrence import describe, schedule_of
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.register.models import Group, Space
from betterway_map.register.schemas.groups import check_group
from betterway_map.register.services.organisations import _apply, _commit, admin_organisation
from betterway_map.web.paging import Page, paginate

__all__ = [
    "list_groups",
    "get_group",
    "admin_group",
    "create_group",
    "update_group",
    "set_status",
    "mark_checked",
    "delete_group",
    "schedule_summary",
]

_COLUMNS = [column.key for column in Group.__table__.columns]


def list_groups(
    *,
    organisation_id: int | None = None,
    interest: str | None = None,
    status: str | None = "active",
    online_only: bool = False,
    page: int = 1,
    page_size: int = 20,
) -> Page:
    """Groups by name; ``status`` "any" (or None) lists every status;
    ``online_only`` keeps the groups that meet online and at no space."""
    query = (
        select(Group)
        .options(
            selectinload(Group.space),
            selectinload(Group.organisation),
            selectinload(Group.changes),
            selectinload(Group.one_offs),
        )
        .order_by(func.lower(Group.name), Group.id)
    )
    if organisation_id is not None:
        query = query.where(Group.organisation_id == organisation_id)
    if status and status != "any":
        query = query.where(Group.status == status)
    if online_only:
        query = query.where(Group.online.is_(True), Group.space_id.is_(None))
    if interest:
        query = query.where(json_list_contains(Group.interests, interest))
    return paginate(query, page, page_size)


def get_group(group_id: int) -> Group:
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(f"There is no group with the number {group_id}.")
    return group


def admin_group(user: User, group_id: int) -> Group:
    """The group, when ``user`` administers its organisation (else NotFound/Forbidden)."""
    group = get_group(group_id)
    admin_organisation(user, group.organisation_id)
    return group


def _check(organisation_id: int, values: dict, *, venue_required: bool) -> None:
    """Raise InvalidInput with every problem of the whole record."""
    errors = check_group(values)
    space_id = values.get("space_id")
    if space_id is not None:
        space = db.session.get(Space, space_id)
        if space is None:
            errors["space_id"] = [f"There is no space with the number {space_id}."]
        elif space.organisation_id != organisation_id:
            errors["space_id"] = [
                f"Space {space_id} ({space.name}) belongs to another organisation: "
                "a group can meet only at one of its own organisation's spaces, or online."
            ]
    elif venue_required and not values.get("online"):
        errors["space_id"] = ["Choose where the group meets, or say that it meets online."]
    if errors:
        raise InvalidInput("Some of the details need correcting.", errors)


def create_group(user: User, data: dict) -> Group:
    """Add a group to an organisation that ``user`` administers."""
    data = dict(data)
    organisation_id = data.pop("organisation_id")
    admin_organisation(user, organisation_id)
    _check(organisation_id, data, venue_required=True)

    def action():
        group = Group(organisation_id=organisation_id, **data)
        db.session.add(group)
        db.session.flush()
        audit.record(user.id, "create", "group", group.id)
        return group

    return _commit(action)


def update_group(user: User, group_id: int, data: dict) -> Group:
    """Change some or all of a group's details (checked together with the rest)."""
    group = admin_group(user, group_id)
    merged = {name: getattr(group, name) for name in _COLUMNS} | data
    _check(group.organisation_id, merged, venue_required="space_id" in data or "online" in data)

    def action():
        _apply(group, data)
        audit.record(user.id, "update", "group", group.id, ",".join(sorted(data)))
        return group

    return _commit(action)


def set_status(user: User, group_id: int, status: str) -> Group:
    """Pause, end or restart a group."""
    return update_group(user, group_id, {"status": status})


def mark_checked(user: User, group_id: int, today: date | None = None) -> Group:
    """Record that the group's details were checked today."""
    group = admin_group(user, group_id)

    def action():
        group.details_checked_on = today or today_in_uk()
        audit.record(user.id, "checked", "group", group.id)
        return group

    return _commit(action)


def delete_group(user: User, group_id: int) -> None:
    group = admin_group(user, group_id)

    def action():
        db.session.delete(group)
        audit.record(user.id, "delete", "group", group_id)

    _commit(action)


def schedule_summary(
    group: Group, *, now: datetime | None = None, count: int = 3
) -> tuple[str, list[datetime]]:
    """The schedule in plain English and when the next ``count`` meetings
    start (none unless active), cancelled, moved and one-off meetings
    included (``register.services.meetings.group_meetings`` has the details)."""
    schedule = schedule_of(group)
    if group.status != "active":
        return describe(schedule), []
    moment = now or now_in_uk().replace(second=0, microsecond=0)
    found = meetings(schedule, changes_of(group), moment, count)
    return describe(schedule), [meeting.starts_at for meeting in found]
