"""Space pages: the public list and page; adding, editing and deleting a space.

Opening times are a row per weekday with two time inputs; the hire cost is
typed in pounds and pence. Both become the same data the API takes.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user

from betterway_map.errors import InvalidInput
from betterway_map.register.permissions import administers_organisation
from betterway_map.register.schemas.spaces import (
    SpaceListQuerySchema,
    SpaceSchema,
    SpaceUpdateSchema,
)
from betterway_map.register.services import organisations as organisation_service
from betterway_map.register.services import spaces as service
from betterway_map.register.views.pages import (
    form_values,
    list_args,
    money_spec,
    opening_rows,
    opening_times_from_form,
    render_form,
)
from betterway_map.web.access import public, roles
from betterway_map.web.forms import fields_of, load_form, values_for_form

bp = Blueprint("spaces", __name__)

_MONEY = {"hire_cost_pence": ("hire_cost", "Hire cost")}


def _specs(schema) -> list:
    specs = fields_of(schema)
    cost = money_spec(
        "hire_cost",
        "Hire cost per hour (£)",
        "In pounds and pence, e.g. 12.50. Put 0 if it is free; leave empty if it is not for hire.",
    )
    at = next(i for i, spec in enumerate(specs) if spec.name == "hire_cost_note")
    return [*specs[:at], cost, *specs[at:]]


@bp.route("/spaces/")
@public
def index():
    organisations = organisation_service.list_organisations(page_size=100).items
    try:
        args = list_args(SpaceListQuerySchema())
    except InvalidInput as error:
        return render_template(
            "register/spaces/index.html",
            page=None,
            args=request.args,
            errors=error.errors,
            organisations=organisations,
        ), 400
    page = service.list_spaces(
        organisation_id=args.get("organisation_id"),
        step_free=args.get("step_free"),
        hearing_loop=args.get("hearing_loop"),
        page=args["page"],
        page_size=args["page_size"],
    )
    return render_template(
        "register/spaces/index.html", page=page, args=args, errors={}, organisations=organisations
    )


@bp.route("/spaces/<int:space_id>")
@public
def detail(space_id: int):
    space = service.get_space(space_id)
    return render_template(
        "register/spaces/detail.html",
        space=space,
        location_note=service.location_note(space),
        groups=[group for group in space.groups if group.status != "ended"],
        is_admin=current_user.is_authenticated
        and administers_organisation(current_user, space.organisation_id),
    )


@bp.route("/organisations/<int:organisation_id>/spaces/new", methods=["GET", "POST"])
@roles("org_admin")
def new(organisation_id: int):
    organisation = organisation_service.admin_organisation(current_user, organisation_id)
    schema = SpaceSchema()
    values, errors, rows = {}, {}, opening_rows([])
    if request.method == "POST":
        values, rows = form_values(schema, request.form), opening_rows([], request.form)
        try:
            space = service.create_space(
                current_user,
                load_form(
                    schema,
                    request.form,
                    money=_MONEY,
                    readers={"opening_times": opening_times_from_form},
                    extra={"organisation_id": organisation_id},
                ),
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            flash(f"{space.name} is added. {service.location_note(space)}", "success")
            return redirect(url_for(".detail", space_id=space.id))
    return render_form(
        "register/spaces/form.html",
        schema,
        specs=_specs(schema),
        values=values,
        errors=errors,
        rows=rows,
        organisation=organisation,
        space=None,
    )


@bp.route("/spaces/<int:space_id>/edit", methods=["GET", "POST"])
@roles("org_admin")
def edit(space_id: int):
    space = service.admin_space(current_user, space_id)
    schema = SpaceUpdateSchema()
    values = values_for_form(schema, space)
    values["hire_cost"] = (
        "" if space.hire_cost_pence is None else f"{space.hire_cost_pence / 100:.2f}"
    )
    errors, rows = {}, opening_rows(space.opening_times)
    if request.method == "POST":
        values, rows = form_values(schema, request.form), opening_rows([], request.form)
        try:
            space = service.update_space(
                current_user,
                space_id,
                load_form(
                    schema,
                    request.form,
                    money=_MONEY,
                    readers={"opening_times": opening_times_from_form},
                ),
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            flash(f"The space's details are saved. {service.location_note(space)}", "success")
            return redirect(url_for(".detail", space_id=space_id))
    return render_form(
        "register/spaces/form.html",
        schema,
        specs=_specs(schema),
        values=values,
        errors=errors,
        rows=rows,
        organisation=space.organisation,
        space=space,
    )


@bp.route("/spaces/<int:space_id>/delete", methods=["GET", "POST"])
@roles("org_admin")
def delete(space_id: int):
    space = service.admin_space(current_user, space_id)
    if request.method == "POST":
        organisation_id, name = space.organisation_id, space.name
        moved = service.delete_space(current_user, space_id)
        note = f" {moved} group(s) that met there now say 'venue to be confirmed'." if moved else ""
        flash(f"{name} is deleted.{note}", "success")
        return redirect(url_for("organisations.manage", organisation_id=organisation_id))
    return render_template("register/spaces/delete.html", space=space)
