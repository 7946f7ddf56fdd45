"""API: groups a person goes to, and a group's attendees for its organisers."""

from __future__ import annotations

from flask_login import current_user

from betterway_map.people.api import PEOPLE
from betterway_map.people.schemas.attendance import (
    AttendanceSchema,
    AttendedSchema,
    AttendeeSchema,
    JoinGroupSchema,
    NewAttendeeSchema,
)
from betterway_map.people.services import attendance as service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_attendance", __name__, description="Groups attended")


@blp.route("/people/<int:person_id>/groups", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, AttendanceSchema(many=True))
def person_groups(person_id: int):
    """The groups a person goes to."""
    _, rows = service.person_groups(current_user, person_id)
    return rows


@blp.route("/people/<int:person_id>/groups", methods=["POST"])
@roles(*PEOPLE)
@blp.arguments(JoinGroupSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, AttendanceSchema)
def join_group(data: dict, person_id: int):
    """Say that a person goes to an active group. A worker adding someone who has not
    yet agreed to share their first name with groups sends ``consent_to_share: true``
    and ``consent_method``."""
    return service.join_group(current_user, person_id, data)


@blp.route("/people/<int:person_id>/groups/<int:group_id>", methods=["DELETE"])
@roles(*PEOPLE)
@blp.response(204)
def leave_group(person_id: int, group_id: int):
    """The person no longer goes to the group."""
    service.leave_group(current_user, person_id, group_id)


@blp.route("/groups/<int:group_id>/attendees", methods=["GET"])
@roles("org_admin")
@blp.response(200, AttendeeSchema(many=True))
def group_attendees(group_id: int):
    """Attendees of a group of your organisation: first name, since, last attended."""
    _, rows = service.group_attendees(current_user, group_id)
    return rows


@blp.route("/groups/<int:group_id>/attendees", methods=["POST"])
@roles("org_admin")
@blp.arguments(NewAttendeeSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, AttendeeSchema)
def add_attendee(data: dict, group_id: int):
    """Add someone not on the register: first name and their consent (``consent: true``)."""
    return service.add_attendee(current_user, group_id, data)


@blp.route("/groups/<int:group_id>/attendees/<int:attendance_id>/attended", methods=["POST"])
@roles("org_admin")
@blp.arguments(AttendedSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, AttendeeSchema)
def record_attended(data: dict, group_id: int, attendance_id: int):
    """Record that an attendee came on ``attended_on`` (not in the future)."""
    return service.record_attended(current_user, group_id, attendance_id, data)
