"""Organisation pages: the public list and page, and what an admin manages.

Organisations are public; registering one needs the org_admin role, and
changing one needs to be one of its admins (checked in the services). There
is no page to delete an organisation in this version.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from betterway_map.errors import BetterWayError, Conflict, InvalidInput
from betterway_map.register.permissions import administers_organisation
from betterway_map.register.schemas.organisations import (
    CoAdminSchema,
    OrganisationListQuerySchema,
    OrganisationSchema,
    PartnershipSchema,
)
from betterway_map.register.services import groups as group_service
from betterway_map.register.services import meetings as meeting_service
from betterway_map.register.services import organisations as service
from betterway_map.register.services import partnerships as partnership_service
from betterway_map.register.services import spaces as space_service
from betterway_map.register.services.partner_choices import PartnerChoices, partner_choices
from betterway_map.register.views.pages import form_values, list_args, render_form
from betterway_map.web.access import public, roles
from betterway_map.web.forms import fields_of, flat_errors, load_form, values_for_form

bp = Blueprint("organisations", __name__, url_prefix="/organisations")


@bp.route("/")
@public
def index():
    try:
        args = list_args(OrganisationListQuerySchema())
    except InvalidInput as error:
        return render_template(
            "register/organisations/index.html", page=None, args=request.args, errors=error.errors
        ), 400
    page = service.list_organisations(
        sector=args.get("sector"), q=args.get("q"), page=args["page"], page_size=args["page_size"]
    )
    return render_template("register/organisations/index.html", page=page, args=args, errors={})


@bp.route("/<int:organisation_id>")
@public
def detail(organisation_id: int):
    organisation = service.get_organisation(organisation_id)
    return render_template(
        "register/organisations/detail.html",
        organisation=organisation,
        spaces=space_service.list_spaces(organisation_id=organisation_id, page_size=100),
        groups=group_service.list_groups(
            organisation_id=organisation_id, status="any", page_size=100
        ),
        partnerships=partnership_service.list_partnerships(organisation_id),
        events=meeting_service.organisation_events(organisation_id),
        is_admin=current_user.is_authenticated
        and administers_organisation(current_user, organisation_id),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles("org_admin")
def new():
    schema = OrganisationSchema()
    values, errors = {}, {}
    if request.method == "POST":
        values = form_values(schema, request.form)
        try:
            organisation = service.create_organisation(
                current_user, load_form(schema, request.form)
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            flash(f"{organisation.name} is registered. You are its admin.", "success")
            return redirect(url_for(".manage", organisation_id=organisation.id))
    return render_form(
        "register/organisations/form.html", schema, values=values, errors=errors, organisation=None
    )


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@roles("org_admin")
def edit(organisation_id: int):
    organisation = service.admin_organisation(current_user, organisation_id)
    schema = OrganisationSchema()
    values, errors = values_for_form(schema, organisation), {}
    if request.method == "POST":
        values = form_values(schema, request.form)
        try:
            service.update_organisation(
                current_user, organisation_id, load_form(schema, request.form)
            )
        except InvalidInput as error:
            errors = error.errors
        else:
            flash("The organisation's details are saved.", "success")
            return redirect(url_for(".manage", organisation_id=organisation_id))
    return render_form(
        "register/organisations/form.html",
        schema,
        values=values,
        errors=errors,
        organisation=organisation,
    )


def _manage_page(organisation_id: int, *, admin_errors=None, admin_values=None):
    organisation = service.admin_organisation(current_user, organisation_id)
    errors = admin_errors or {}
    return render_template(
        "register/organisations/manage.html",
        organisation=organisation,
        admins=service.list_admins(current_user, organisation_id),
        spaces=space_service.list_spaces(organisation_id=organisation_id, page_size=100),
        groups=group_service.list_groups(
            organisation_id=organisation_id, status="any", page_size=100
        ),
        partnerships=partnership_service.partnerships_to_manage(current_user, organisation_id),
        events=meeting_service.organisation_events(organisation_id),
        admin_specs=fields_of(CoAdminSchema()),
        admin_values=admin_values or {},
        admin_errors=errors,
    ), (400 if errors else 200)


@bp.route("/<int:organisation_id>/manage")
@roles("org_admin")
def manage(organisation_id: int):
    return _manage_page(organisation_id)


@bp.route("/<int:organisation_id>/admins", methods=["POST"])
@roles("org_admin", fresh=True)
def add_admin(organisation_id: int):
    service.admin_organisation(current_user, organisation_id)
    email = request.form.get("email", "").strip()
    try:
        CoAdminSchema().load({"email": email})
        added = service.add_admin(current_user, organisation_id, email)
    except ValidationError as error:
        return _manage_page(
            organisation_id, admin_errors=flat_errors(error.messages), admin_values={"email": email}
        )
    except InvalidInput as error:
        return _manage_page(
            organisation_id, admin_errors=error.errors, admin_values={"email": email}
        )
    flash(f"{added.display_name} ({added.email}) is now an admin too.", "success")
    return redirect(url_for(".manage", organisation_id=organisation_id))


@bp.route("/<int:organisation_id>/admins/<int:user_id>/remove", methods=["POST"])
@roles("org_admin", fresh=True)
def remove_admin(organisation_id: int, user_id: int):
    try:
        service.remove_admin(current_user, organisation_id, user_id)
    except InvalidInput as error:
        flash(error.message, "error")
    else:
        flash("That admin has been removed.", "success")
    if user_id == current_user.id and not administers_organisation(current_user, organisation_id):
        return redirect(url_for(".detail", organisation_id=organisation_id))
    return redirect(url_for(".manage", organisation_id=organisation_id))


def _partner_search(organisation_id: int) -> tuple[PartnerChoices, dict]:
    """The search-then-choose list of the partnership form, from ``?q=``."""
    try:
        return partner_choices(organisation_id, request.args.get("q", "")), {}
    except InvalidInput as error:
        return PartnerChoices(name=""), error.errors


@bp.route("/<int:organisation_id>/partnerships/new", methods=["GET", "POST"])
@roles("org_admin")
def new_partnership(organisation_id: int):
    organisation = service.admin_organisation(current_user, organisation_id)
    schema = PartnershipSchema()
    values, errors = {}, {}
    if request.method == "POST":
        values = form_values(schema, request.form)
        try:
            partnership = partnership_service.create_partnership(
                current_user, organisation_id, load_form(schema, request.form)
            )
        except BetterWayError as error:
            if not error.errors:
                raise
            errors = error.errors
        else:
            partner = partnership.partner.name
            flash(
                f"The partnership with {partner} is recorded and is waiting for {partner} to "
                "confirm it. Until they do, only your admins and theirs can see it; then it is "
                "shown on both organisations' pages.",
                "success",
            )
            return redirect(url_for(".manage", organisation_id=organisation_id))
    choices, search_errors = _partner_search(organisation_id)
    page, status = render_form(
        "register/organisations/partnership_form.html",
        schema,
        values=values,
        errors=errors,
        specs=[spec for spec in fields_of(schema) if spec.name != "partner_id"],
        organisation=organisation,
        choices=choices,
        search_errors=search_errors,
    )
    return page, (400 if search_errors else status)


@bp.route("/<int:organisation_id>/partnerships/<int:partnership_id>/confirm", methods=["POST"])
@roles("org_admin")
def confirm_partnership(organisation_id: int, partnership_id: int):
    try:
        partnership = partnership_service.confirm_partnership(
            current_user, organisation_id, partnership_id
        )
    except Conflict as error:  # confirmed already, e.g. by another admin
        flash(error.message, "error")
    else:
        flash(
            f"Confirmed: {partnership.organisation.name} and {partnership.partner.name} are "
            "shown as working together on both organisations' pages.",
            "success",
        )
    return redirect(url_for(".manage", organisation_id=organisation_id))


@bp.route("/<int:organisation_id>/partnerships/<int:partnership_id>/decline", methods=["POST"])
@roles("org_admin")
def decline_partnership(organisation_id: int, partnership_id: int):
    try:
        removed = partnership_service.decline_partnership(
            current_user, organisation_id, partnership_id
        )
    except Conflict as error:
        flash(error.message, "error")
    else:
        flash(
            f"Declined: the partnership {removed.other_name} recorded is deleted. "
            "It was never shown publicly.",
            "success",
        )
    return redirect(url_for(".manage", organisation_id=organisation_id))


@bp.route("/<int:organisation_id>/partnerships/<int:partnership_id>/remove", methods=["POST"])
@roles("org_admin")
def remove_partnership(organisation_id: int, partnership_id: int):
    removed = partnership_service.delete_partnership(current_user, organisation_id, partnership_id)
    if removed.was_confirmed:
        flash(f"The partnership with {removed.other_name} has been removed.", "success")
    else:
        flash(
            f"The partnership with {removed.other_name} is withdrawn. It was never shown publicly.",
            "success",
        )
    return redirect(url_for(".manage", organisation_id=organisation_id))
