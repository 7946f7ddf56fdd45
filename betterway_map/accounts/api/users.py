"""Users, for site admins: list, add (with a set-password link), roles, activation.

Adding a user, changing roles and (de)activating need a fresh sign-in, so
they work from a browser session whose password was typed in the last few
minutes, and never with an API token alone.
"""

from __future__ import annotations

import marshmallow as ma
from flask import session
from flask_login import current_user

from betterway_map.accounts.schemas import (
    UserActiveSchema,
    UserCreateSchema,
    UserRolesSchema,
    UserSchema,
)
from betterway_map.accounts.services import admin as users
from betterway_map.accounts.services import users as accounts
from betterway_map.accounts.views.links import password_link
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint
from betterway_map.web.fields import WholeNumber

blp = Blueprint("api_accounts", __name__, description="Users and their roles (site admins)")


class UserQuerySchema(ma.Schema):
    q = ma.fields.String(load_default="", validate=ma.validate.Length(max=users.MAX_QUERY_LENGTH))
    page = WholeNumber(load_default=1, validate=ma.validate.Range(min=1))
    per_page = WholeNumber(load_default=25, validate=ma.validate.Range(min=1, max=100))


class UserPageSchema(ma.Schema):
    items = ma.fields.List(ma.fields.Nested(UserSchema))
    total = ma.fields.Integer()
    page = WholeNumber()
    pages = ma.fields.Integer()


class CreatedUserSchema(ma.Schema):
    user = ma.fields.Nested(UserSchema)
    set_password_link = ma.fields.String(
        metadata={"description": "Shown once; also emailed to the user"}
    )


@blp.route("", methods=["GET"])
@roles("site_admin")
@blp.arguments(UserQuerySchema, location="query")
@blp.response(200, UserPageSchema)
def list_users(args):
    """Users whose email or name contains ``q``, newest first."""
    page = users.list_users(args["q"], args["page"], args["per_page"])
    return {"items": page.users, "total": page.total, "page": page.page, "pages": page.pages}


@blp.route("", methods=["POST"])
@roles("site_admin", fresh=True)
@blp.arguments(UserCreateSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, CreatedUserSchema)
def create_user(data):
    """Add a user; they choose their password through the link."""
    user, link = users.invite_user(
        data["email"], data["roles"], data.get("display_name"), current_user.id, password_link
    )
    return {"user": user, "set_password_link": link}


@blp.route("/<int:user_id>", methods=["GET"])
@roles("site_admin")
@blp.response(200, UserSchema)
def get_user(user_id: int):
    """One user's account (the viewing is audited)."""
    return users.view_user(user_id, current_user.id)


@blp.route("/<int:user_id>/roles", methods=["PUT"])
@roles("site_admin", fresh=True)
@blp.arguments(UserRolesSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, UserSchema)
def set_roles(data, user_id: int):
    """Replace the user's roles; their sessions end."""
    users.get_user(user_id)
    return accounts.set_roles(user_id, data["roles"], current_user.id, session.get("sid"))


@blp.route("/<int:user_id>/active", methods=["PUT"])
@roles("site_admin", fresh=True)
@blp.arguments(UserActiveSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, UserSchema)
def set_active(data, user_id: int):
    """Activate or deactivate the user; deactivating ends their sessions."""
    return users.set_active(user_id, data["active"], current_user.id)
