""" "I'd like to go": a resident's interest in a group, from the nearby search.

The resident's own person record gets an attendance with status
"interested"; the group's organisers see it on their attendees page as
"would like to come", by first name only (``organisers.group_lists``).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.people.models import Attendance
from betterway_map.people.permissions import own_person
from betterway_map.register.models import Group

__all__ = ["say_interested", "interest_states"]


def say_interested(user: User, group_id: int) -> tuple[Group, str] | None:
    """A resident says "I'd like to go" to an active group: an attendance
    with status "interested", which the group's organisers see.

    Idempotent: returns ``(group, outcome)`` with outcome "added", "already
    interested" or "already a member" (a member stays a member). Returns None
    when the resident has no profile yet (there is no person to record).
    """
    group = db.session.get(Group, group_id)
    if group is None:
        raise NotFound(f"There is no group number {group_id}.")
    if group.status != "active":
        message = (
            f"{group.name!r} is {group.status}, so it is not meeting at the moment; "
            "choose another group."
        )
        raise InvalidInput(message, {"group_id": [message]})
    person = own_person(user)
    if person is None:
        return None
    row = db.session.scalar(
        select(Attendance).where(Attendance.person_id == person.id, Attendance.group_id == group.id)
    )
    if row is not None and row.status in ("member", "interested"):
        return group, "already a member" if row.status == "member" else "already interested"
    if row is None:
        row = Attendance(person_id=person.id, group_id=group.id)
        db.session.add(row)
    row.status = "interested"
    row.recorded_by_id = user.id
    try:
        db.session.flush()
    except IntegrityError:  # the same request twice at once: the other one recorded it
        db.session.rollback()
        return group, "already interested"
    audit.record(
        user.id, "interested", "attendance", row.id, f"person={person.id} group={group.id}"
    )
    db.session.commit()
    return group, "added"


def interest_states(user: User, group_ids) -> dict[int, str]:
    """``{group_id: status}`` of the signed-in resident for these groups
    ("member" or "interested"); empty without a profile."""
    person = own_person(user)
    if person is None or not group_ids:
        return {}
    rows = db.session.execute(
        select(Attendance.group_id, Attendance.status).where(
            Attendance.person_id == person.id,
            Attendance.group_id.in_(list(group_ids)),
            Attendance.status != "left",
        )
    )
    return {group_id: status for group_id, status in rows}
