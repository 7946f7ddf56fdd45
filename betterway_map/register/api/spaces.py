"""Spaces: read by anyone, changed by the admins of their organisation."""

from __future__ import annotations

from flask_login import current_user

from betterway_map.register.schemas.spaces import (
    SpaceListQuerySchema,
    SpacePageSchema,
    SpaceSchema,
    SpaceUpdateSchema,
)
from betterway_map.register.services import spaces as service
from betterway_map.web.access import public, roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint, page_body

blp = Blueprint(
    "api_spaces",
    __name__,
    description="Places where people meet, with opening times and access. Public records.",
)


@blp.route("", methods=["GET"])
@public
@blp.arguments(SpaceListQuerySchema, location="query")
@blp.response(200, SpacePageSchema)
def list_spaces(args):
    """List spaces by name.

    Filter by ``organisation_id``, ``step_free`` or ``hearing_loop``;
    ``page`` from 1 and ``page_size`` up to 100.
    """
    return page_body(
        service.list_spaces(
            organisation_id=args.get("organisation_id"),
            step_free=args.get("step_free"),
            hearing_loop=args.get("hearing_loop"),
            page=args["page"],
            page_size=args["page_size"],
        )
    )


@blp.route("", methods=["POST"])
@roles("org_admin")
@blp.arguments(SpaceSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, SpaceSchema)
def create_space(data):
    """Add a space to an organisation the caller administers (403 otherwise).

    The postcode is checked and normalised; latitude and longitude come
    together or not at all; opening times are a list of ``{day, opens,
    closes}`` with opens before closes; the hire cost is in pence per hour.
    Bad input answers 422 with a message per field.
    """
    return service.create_space(current_user, data)


@blp.route("/<int:space_id>", methods=["GET"])
@public
@blp.response(200, SpaceSchema)
def get_space(space_id: int):
    """One space (404 when there is none with this id)."""
    return service.get_space(space_id)


@blp.route("/<int:space_id>", methods=["PATCH"])
@roles("org_admin")
@blp.arguments(SpaceUpdateSchema(partial=True))
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, SpaceSchema)
def update_space(data, space_id: int):
    """Change some of a space's details; fields left out stay as they are.

    Needs to be an admin of the space's organisation (403 otherwise). A
    space cannot move to another organisation. Bad input answers 422.
    """
    return service.update_space(current_user, space_id, data)


@blp.route("/<int:space_id>", methods=["DELETE"])
@roles("org_admin")
@blp.response(204)
def delete_space(space_id: int):
    """Delete a space; the groups that met there stay, with no venue.

    Needs to be an admin of the space's organisation (403 otherwise).
    """
    service.delete_space(current_user, space_id)
