"""Group pages: the public list and page; adding, editing, pausing, ending,
marking as checked and deleting a group."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from betterway_map.errors import InvalidInput
from betterway_map.register.permissions import administers_organisation
from betterway_map.register.schemas.groups import (
    GroupListQuerySchema,
    GroupSchema,
    GroupStatusSchema,
    GroupUpdateSchema,
)
from betterway_map.register.services import groups as service
from betterway_map.register.services import meetings as meeting_service
from betterway_map.register.services import organisations as organisation_service
from betterway_map.register.views.manage import group_specs, manage_group_page, space_choices
from betterway_map.register.views.pages import form_values, list_args, render_form
from betterway_map.web.access import public, roles
from betterway_map.web.forms import flat_errors, load_form

bp = Blueprint("groups", __name__)

_MONEY = {"cost_pence": ("cost", "Cost")}
_STATUS_DONE = {
    "active": "The group is active again.",
    "paused": "The group is paused: it shows as not meeting at the moment.",
    "ended": "The group is marked as ended.",
}


@bp.route("/groups/")
@public
def index():
    try:
        args = list_args(GroupListQuerySchema())
    except InvalidInput as error:
        return render_template(
            "register/groups/index.html", page=None, args=request.args, errors=error.errors
        ), 400
    page = service.list_groups(
        organisation_id=args.get("organisation_id"),
        interest=args.get("interest"),
        status=args["status"],
        online_only=args["online"],
        page=args["page"],
        page_size=args["page_size"],
    )
    return render_template("register/groups/index.html", page=page, args=args, errors={})


@bp.route("/groups/<int:group_id>")
@public
def detail(group_id: int):
    group = service.get_group(group_id)
    return render_template(
        "register/groups/detail.html",
        group=group,
        when=meeting_service.group_meetings(group),
        is_admin=current_user.is_authenticated
        and administers_organisation(current_user, group.organisation_id),
    )


@bp.route("/organisations/<int:organisation_id>/groups/new", methods=["GET", "POST"])
@roles("org_admin")
def new(organisation_id: int):
    organisation = organisation_service.admin_organisation(current_user, organisation_id)
    schema = GroupSchema()
    values, errors = {"status": "active"}, {}
    if request.method == "POST":
        values = form_values(schema, request.form)
        try:
            group = service.create_group(
                current_user,
                load_form(
                    schema, request.form, money=_MONEY, extra={"organisation_id": organisation_id}
                ),
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            flash(f"{group.name} is added.", "success")
            return redirect(url_for(".detail", group_id=group.id))
    return render_form(
        "register/groups/form.html",
        schema,
        specs=group_specs(schema, space_choices(organisation_id)),
        values=values,
        errors=errors,
        organisation=organisation,
        group=None,
    )


@bp.route("/groups/<int:group_id>/edit", methods=["GET", "POST"])
@roles("org_admin")
def edit(group_id: int):
    values, errors = None, {}
    if request.method == "POST":
        schema = GroupUpdateSchema()
        values = form_values(schema, request.form)
        try:
            service.update_group(
                current_user, group_id, load_form(schema, request.form, money=_MONEY)
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            flash("The group's details are saved.", "success")
            return redirect(url_for(".detail", group_id=group_id))
    return manage_group_page(group_id, values=values, errors=errors)


@bp.route("/groups/<int:group_id>/status", methods=["POST"])
@roles("org_admin")
def status(group_id: int):
    service.admin_group(current_user, group_id)
    try:
        wanted = GroupStatusSchema().load({"status": request.form.get("status", "")})["status"]
    except ValidationError as error:
        errors = flat_errors(error.messages)
        raise InvalidInput(" ".join(errors["status"]), errors) from None
    service.set_status(current_user, group_id, wanted)
    flash(_STATUS_DONE[wanted], "success")
    return redirect(url_for(".edit", group_id=group_id))


@bp.route("/groups/<int:group_id>/checked", methods=["POST"])
@roles("org_admin")
def checked(group_id: int):
    group = service.mark_checked(current_user, group_id)
    flash(f"Thank you: {group.name} was checked today.", "success")
    return redirect(url_for(".edit", group_id=group_id))


@bp.route("/groups/<int:group_id>/delete", methods=["GET", "POST"])
@roles("org_admin")
def delete(group_id: int):
    group = service.admin_group(current_user, group_id)
    if request.method == "POST":
        organisation_id, name = group.organisation_id, group.name
        service.delete_group(current_user, group_id)
        flash(f"{name} is deleted.", "success")
        return redirect(url_for("organisations.manage", organisation_id=organisation_id))
    return render_template("register/groups/delete.html", group=group)
