"""Changing a group's meetings from its manage page: cancel a meeting of its
rule, move one, undo a cancellation or a move, add a one-off meeting, delete
one (a group's, or an organisation's own event).

Each view calls one service; a refused form is shown again on the manage
page, beside its fields (400).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, url_for
from flask_login import current_user

from betterway_map.domain.dates import clock_time, long_date
from betterway_map.register.services import meeting_changes as service
from betterway_map.register.views.manage import MEETING_FORMS, MeetingForms, manage_group_page
from betterway_map.web.access import roles
from betterway_map.web.forms import submit_form

bp = Blueprint("meetings", __name__)


def _manage(group_id: int) -> str:
    return url_for("groups.edit", group_id=group_id, _anchor="meetings")


def _change(group_id: int, form: str, change: Callable, done: Callable[[object], str]):
    """Post the meeting form ``form`` (a name in ``MEETING_FORMS``) to
    ``change(user, group_id, data)``; say ``done(result)`` and go back to the
    page, or show the page again with the form's errors."""
    schema = MEETING_FORMS[form][0]()
    result, values, errors = submit_form(schema, lambda data: change(current_user, group_id, data))
    if errors:
        return manage_group_page(group_id, forms=MeetingForms(form, values, errors))
    flash(done(result), "success")
    return redirect(_manage(group_id))


@bp.route("/groups/<int:group_id>/meetings/cancel", methods=["POST"])
@roles("org_admin")
def cancel(group_id: int):
    return _change(
        group_id,
        "cancel",
        service.cancel_meeting,
        lambda change: (
            f"The meeting on {long_date(change.occurs_on)} is cancelled: it is gone "
            "from the group's page and from calendars that subscribe to it."
        ),
    )


@bp.route("/groups/<int:group_id>/meetings/move", methods=["POST"])
@roles("org_admin")
def move(group_id: int):
    return _change(
        group_id,
        "move",
        service.move_meeting,
        lambda change: (
            f"The meeting on {long_date(change.occurs_on)} is moved to "
            f"{long_date(change.moved_on)}, {clock_time(change.start_time)} to "
            f"{clock_time(change.end_time)}: the group's page and calendars show it there."
        ),
    )


@bp.route("/groups/<int:group_id>/meetings/<int:change_id>/restore", methods=["POST"])
@roles("org_admin")
def restore(group_id: int, change_id: int):
    change = service.restore_meeting(current_user, group_id, change_id)
    flash(f"The meeting on {long_date(change.occurs_on)} is back as usual.", "success")
    return redirect(_manage(group_id))


@bp.route("/groups/<int:group_id>/one-offs", methods=["POST"])
@roles("org_admin")
def add_one_off(group_id: int):
    return _change(
        group_id,
        "one_off",
        service.add_one_off,
        lambda one_off: f"{one_off.title} on {long_date(one_off.occurs_on)} is added.",
    )


@bp.route("/one-offs/<int:one_off_id>/delete", methods=["POST"])
@roles("org_admin")
def delete_one_off(one_off_id: int):
    one_off = service.delete_one_off(current_user, one_off_id)
    flash(f"{one_off.title} on {long_date(one_off.occurs_on)} is deleted.", "success")
    if one_off.group_id is not None:
        return redirect(_manage(one_off.group_id))
    return redirect(
        url_for("organisations.manage", organisation_id=one_off.organisation_id, _anchor="events")
    )
