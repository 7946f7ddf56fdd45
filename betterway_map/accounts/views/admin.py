"""Site admins manage users: list and search, invite, roles, activation."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from marshmallow import ValidationError

from betterway_map.accounts.schemas import UserCreateSchema, UserRolesSchema
from betterway_map.accounts.services import admin as users
from betterway_map.accounts.services import two_factor
from betterway_map.accounts.services import users as accounts
from betterway_map.accounts.services.two_factor_policy import is_required
from betterway_map.accounts.views.links import password_link
from betterway_map.errors import BetterWayError, InvalidInput
from betterway_map.web.access import roles
from betterway_map.web.fields import MAX_WHOLE_NUMBER, page_number
from betterway_map.web.forms import fields_of, payload_from_form

bp = Blueprint("admin", __name__, url_prefix="/admin/users")

PER_PAGE = 25


def _page_number(raw: str | None) -> int:
    page = page_number(raw)
    if page is None:
        message = (
            f"Page {raw!r} is not a page number: use a whole number from 1 to {MAX_WHOLE_NUMBER}."
        )
        raise InvalidInput(message, {"page": [message]})
    return page


@bp.route("")
@roles("site_admin")
def index():
    query = request.args.get("q", "")
    page = users.list_users(query, _page_number(request.args.get("page")), PER_PAGE)
    return render_template(
        "accounts/admin/users.html",
        page=page,
        query=query,
        mail_configured=bool(current_app.config.get("MAIL_SERVER")),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles("site_admin", fresh=True)  # giving roles, as changing them, needs a fresh sign-in
def new_user():
    schema = UserCreateSchema()
    values, errors = {"roles": []}, {}
    if request.method == "POST":
        values = payload_from_form(schema, request.form)
        try:
            data = schema.load(values)
            user, link = users.invite_user(
                data["email"],
                data["roles"],
                data.get("display_name"),
                current_user.id,
                password_link,
            )
        except ValidationError as error:
            errors = error.messages
        except BetterWayError as error:
            errors = error.errors or {"_schema": [error.message]}
        else:
            response = current_app.make_response(
                render_template("accounts/admin/user_created.html", user=user, link=link)
            )
            response.headers["Cache-Control"] = "no-store"
            return response
    status = 400 if errors else 200
    return render_template(
        "accounts/admin/new_user.html", specs=fields_of(schema), values=values, errors=errors
    ), status


def _detail(user, errors=None, status: int = 200):
    return render_template(
        "accounts/admin/user.html",
        user=user,
        role_specs=fields_of(UserRolesSchema()),
        values={"roles": sorted(user.role_names)},
        errors=errors or {},
        is_self=user.id == current_user.id,
        two_factor_required=is_required(user),
    ), status


@bp.route("/<int:user_id>")
@roles("site_admin")
def detail(user_id: int):
    return _detail(users.view_user(user_id, current_user.id))


@bp.route("/<int:user_id>/roles", methods=["POST"])
@roles("site_admin", fresh=True)
def set_roles(user_id: int):
    user = users.get_user(user_id)
    schema = UserRolesSchema()
    try:
        data = schema.load(payload_from_form(schema, request.form))
        accounts.set_roles(user.id, data["roles"], current_user.id, session.get("sid"))
    except ValidationError as error:
        return _detail(user, error.messages, 400)
    except BetterWayError as error:
        return _detail(user, error.errors or {"_schema": [error.message]}, 400)
    if user.id == current_user.id:
        flash("Your roles are changed.", "success")
    else:
        flash(f"The roles of {user.email} are changed; they have been signed out.", "success")
    return redirect(url_for("admin.detail", user_id=user.id))


@bp.route("/<int:user_id>/active", methods=["POST"])
@roles("site_admin", fresh=True)
def set_active(user_id: int):
    user = users.get_user(user_id)
    raw = request.form.get("active", "")
    if raw not in ("yes", "no"):
        return _detail(user, {"active": [f"{raw!r} is not an answer: send yes or no."]}, 400)
    try:
        users.set_active(user.id, raw == "yes", current_user.id)
    except BetterWayError as error:
        return _detail(user, error.errors or {"_schema": [error.message]}, 400)
    flash(
        f"{user.email} is {'active' if raw == 'yes' else 'deactivated and signed out'}.", "success"
    )
    return redirect(url_for("admin.detail", user_id=user.id))


@bp.route("/<int:user_id>/two-factor/reset", methods=["POST"])
@roles("site_admin", fresh=True)
def reset_two_factor(user_id: int):
    """For someone who has lost the phone with their authenticator app: they
    are signed out, and set it up again at their next sign-in where their
    roles need it."""
    user = users.get_user(user_id)
    try:
        two_factor.reset(user.id, current_user.id)
    except BetterWayError as error:
        return _detail(user, error.errors or {"_schema": [error.message]}, 400)
    flash(f"Two-factor sign-in is reset for {user.email}; they have been signed out.", "success")
    return redirect(url_for("admin.detail", user_id=user.id))
