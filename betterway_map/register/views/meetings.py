"""Changing a group's meetings from its manage page: cancel a meeting of its
rule, undo a cancellation or a move, add a one-off meeting, delete one
(a group's, or an organisation's own event).

A refused form is shown again on the manage page, beside its fields (400).
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for
from flask_login import current_user

from betterway_map.domain.dates import long_date
from betterway_map.errors import InvalidInput
from betterway_map.register.schemas.meetings import CancelMeetingSchema, OneOffSchema
from betterway_map.register.services import groups as group_service
from betterway_map.register.services import meetings as service
from betterway_map.register.views.manage import MeetingForms, manage_group_page
from betterway_map.register.views.pages import form_values
from betterway_map.web.access import roles
from betterway_map.web.forms import load_form

bp = Blueprint("meetings", __name__)


def _manage(group_id: int) -> str:
    return url_for("groups.edit", group_id=group_id, _anchor="meetings")


def _form_keys(schema, errors: dict) -> dict:
    """A service's errors (by schema field) under the form's own field names."""
    keys = {name: field.data_key or name for name, field in schema.fields.items()}
    return {keys.get(name, name): messages for name, messages in errors.items()}


@bp.route("/groups/<int:group_id>/meetings/cancel", methods=["POST"])
@roles("org_admin")
def cancel(group_id: int):
    group = group_service.admin_group(current_user, group_id)
    schema = CancelMeetingSchema()
    try:
        change = service.cancel_meeting(current_user, group_id, load_form(schema, request.form))
    except InvalidInput as error:
        forms = MeetingForms(
            cancel_values=form_values(schema, request.form),
            cancel_errors=_form_keys(schema, error.errors),
        )
        return manage_group_page(group, forms=forms)
    flash(
        f"The meeting on {long_date(change.occurs_on)} is cancelled: it is gone from the "
        "group's page and from calendars that subscribe to it.",
        "success",
    )
    return redirect(_manage(group_id))


@bp.route("/groups/<int:group_id>/meetings/<int:change_id>/restore", methods=["POST"])
@roles("org_admin")
def restore(group_id: int, change_id: int):
    change = service.restore_meeting(current_user, group_id, change_id)
    flash(f"The meeting on {long_date(change.occurs_on)} is back as usual.", "success")
    return redirect(_manage(group_id))


@bp.route("/groups/<int:group_id>/one-offs", methods=["POST"])
@roles("org_admin")
def add_one_off(group_id: int):
    group = group_service.admin_group(current_user, group_id)
    schema = OneOffSchema()
    try:
        one_off = service.add_one_off(current_user, group_id, load_form(schema, request.form))
    except InvalidInput as error:
        forms = MeetingForms(
            one_off_values=form_values(schema, request.form),
            one_off_errors=_form_keys(schema, error.errors),
        )
        return manage_group_page(group, forms=forms)
    flash(f"{one_off.title} on {long_date(one_off.occurs_on)} is added.", "success")
    return redirect(_manage(group_id))


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
