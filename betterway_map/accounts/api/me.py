"""Who am I: the API's own account endpoint."""

from __future__ import annotations

import marshmallow as ma
from flask_login import current_user

from betterway_map.web.access import signed_in
from betterway_map.web.api import Blueprint

blp = Blueprint("api_meta", __name__, description="The signed-in account")


class MeSchema(ma.Schema):
    id = ma.fields.Integer()
    email = ma.fields.Email()
    display_name = ma.fields.String()
    roles = ma.fields.List(ma.fields.String())


@blp.route("/me", methods=["GET"])
@signed_in
@blp.response(200, MeSchema)
def me():
    """The account that made this request, and its roles."""
    return {
        "id": current_user.id,
        "email": current_user.email,
        "display_name": current_user.display_name,
        "roles": sorted(current_user.role_names),
    }
