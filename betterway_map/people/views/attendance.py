"""Pages for groups attended.

A resident (about themself) or a worker (about a person assigned to them)
says which active groups the person goes to, and leaves them. An
organisation admin sees who comes to their own organisation's groups, by
first name only, records visits and adds people not on the register yet.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import InvalidInput
from betterway_map.inbox.schemas import MessageSchema
from betterway_map.inbox.views import limit_messages
from betterway_map.people.schemas.attendance import (
    AttendedSchema,
    JoinGroupSchema,
    NewAttendeeSchema,
)
from betterway_map.people.services import attendance as attendance_service
from betterway_map.people.services import organisers
from betterway_map.people.services.group_choices import GROUP_LIST_LIMIT, group_choices
from betterway_map.people.views.records import PEOPLE
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, submit_form

bp = Blueprint("attendance", __name__)


@bp.route("/people/<int:person_id>/groups", methods=["GET", "POST"])
@roles(*PEOPLE)
def person_groups(person_id: int):
    values, errors, posted = {}, {}, None
    if request.method == "POST":
        posted = request.form.get("form", "list")
        saved, values, errors = submit_form(
            JoinGroupSchema(),
            lambda data: attendance_service.join_group(current_user, person_id, data),
        )
        if saved:
            flash(f"Added: {saved.group.name}.", "success")
            return redirect(url_for(".person_groups", person_id=person_id))
    person, rows = attendance_service.person_groups(current_user, person_id)
    interest = request.args.get("interest") or None
    name = request.args.get("q", "")
    filter_errors = {}
    try:
        groups = group_choices(
            person, interest=interest, name=name, exclude_ids=[row.group_id for row in rows]
        )
    except InvalidInput as error:
        filter_errors, groups = error.errors, []
    return render_template(
        "people/attendance/person_groups.html",
        person=person,
        attendances=rows,
        groups=groups,
        interest=interest,
        name=name,
        filter_errors=filter_errors,
        values=values,
        errors=errors,
        posted=posted,
        needs_consent=attendance_service.needs_share_consent(current_user, person),
        limit=GROUP_LIST_LIMIT,
    ), (400 if errors or filter_errors else 200)


@bp.route("/people/<int:person_id>/groups/<int:group_id>/leave", methods=["POST"])
@roles(*PEOPLE)
def leave(person_id: int, group_id: int):
    row = attendance_service.leave_group(current_user, person_id, group_id)
    own = row.person.user_id == current_user.id
    flash(
        f"Done: {'you are' if own else row.person.first_name + ' is'} no longer on the list "
        f"of {row.group.name}.",
        "success",
    )
    return redirect(url_for(".person_groups", person_id=person_id))


def _attendees_page(group_id: int, values=None, errors=None, attended_errors=None):
    lists = organisers.group_lists(current_user, group_id)
    failed = bool(errors or attended_errors)
    return render_template(
        "people/attendance/attendees.html",
        group=lists.group,
        lists=lists,
        specs=fields_of(NewAttendeeSchema()),
        values=values or {},
        errors=errors or {},
        attended_errors=attended_errors or {},
        today=today_in_uk(),
    ), (400 if failed else 200)


@bp.route("/groups/<int:group_id>/attendees", methods=["GET", "POST"])
@roles("org_admin")
def attendees(group_id: int):
    if request.method == "GET":
        return _attendees_page(group_id)
    saved, values, errors = submit_form(
        NewAttendeeSchema(),
        lambda data: attendance_service.add_attendee(current_user, group_id, data),
    )
    if saved:
        flash(f"{saved.person.first_name} is on the list.", "success")
        return redirect(url_for(".attendees", group_id=group_id))
    return _attendees_page(group_id, values, errors)


@bp.route("/groups/<int:group_id>/attendees/<int:attendance_id>/attended", methods=["POST"])
@roles("org_admin")
def attended(group_id: int, attendance_id: int):
    saved, values, errors = submit_form(
        AttendedSchema(),
        lambda data: attendance_service.record_attended(
            current_user, group_id, attendance_id, data
        ),
    )
    if saved:
        flash(f"Recorded: {saved.person.first_name} came on {values['attended_on']}.", "success")
        return redirect(url_for(".attendees", group_id=group_id))
    return _attendees_page(group_id, attended_errors={attendance_id: errors})


@bp.route("/groups/<int:group_id>/attendees/<int:attendance_id>/welcome", methods=["GET", "POST"])
@roles("org_admin")
@limit_messages
def welcome(group_id: int, attendance_id: int):
    """Welcome someone who would like to come: a message to their inbox (or
    their worker's), suggested from when and where the group meets."""
    values, errors = {}, {}
    if request.method == "POST":
        saved, values, errors = submit_form(
            MessageSchema(),
            lambda data: organisers.welcome(current_user, group_id, attendance_id, data),
        )
        if saved:
            _, went_to = saved
            flash(f"Your welcome is sent to {went_to}: they read it in their messages.", "success")
            return redirect(url_for(".attendees", group_id=group_id))
    group, person, suggestion = organisers.welcome_draft(current_user, group_id, attendance_id)
    if request.method == "GET":
        values = {"body": suggestion}
    return render_template(
        "people/attendance/welcome.html",
        group=group,
        person=person,
        specs=fields_of(MessageSchema()),
        values=values,
        errors=errors,
    ), (400 if errors else 200)
