"""Groups: read by anyone, changed by the admins of their organisation."""

from __future__ import annotations

from flask_login import current_user

from betterway_map.register.schemas.groups import (
    GroupListQuerySchema,
    GroupPageSchema,
    GroupSchema,
    GroupUpdateSchema,
)
from betterway_map.register.services import groups as service
from betterway_map.web.access import public, roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint, page_body

blp = Blueprint(
    "api_groups",
    __name__,
    description="Groups that meet, with their schedule as a recurrence rule. Public records.",
)


@blp.route("", methods=["GET"])
@public
@blp.arguments(GroupListQuerySchema, location="query")
@blp.response(200, GroupPageSchema)
def list_groups(args):
    """List groups by name.

    Filter by ``organisation_id``, ``interest``, ``status`` (``active`` by
    default, or ``paused``, ``ended``, ``any``) and ``online`` (only groups
    that meet online and at no space); ``page`` from 1 and
    ``page_size`` up to 100. Each group carries its schedule in plain English
    and its next meetings.
    """
    return page_body(
        service.list_groups(
            organisation_id=args.get("organisation_id"),
            interest=args.get("interest"),
            status=args["status"],
            online_only=args["online"],
            page=args["page"],
            page_size=args["page_size"],
        )
    )


@blp.route("", methods=["POST"])
@roles("org_admin")
@blp.arguments(GroupSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, GroupSchema)
def create_group(data):
    """Add a group to an organisation the caller administers (403 otherwise).

    It meets at one of that organisation's spaces (``space_id``; another
    organisation's space answers 422 naming it) or online (``online`` with
    ``online_url``). The schedule is ``frequency`` weekly, fortnightly or
    monthly (with ``nth`` 1–4 or -1 for the last), ``weekday``,
    ``start_time`` before ``end_time`` and ``starts_on``. Ages 18–120 with
    ``age_min`` ≤ ``age_max``; cost in pence. Bad input answers 422.
    """
    return service.create_group(current_user, data)


@blp.route("/<int:group_id>", methods=["GET"])
@public
@blp.response(200, GroupSchema)
def get_group(group_id: int):
    """One group (404 when there is none with this id)."""
    return service.get_group(group_id)


@blp.route("/<int:group_id>", methods=["PATCH"])
@roles("org_admin")
@blp.arguments(GroupUpdateSchema(partial=True))
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, GroupSchema)
def update_group(data, group_id: int):
    """Change some of a group's details, e.g. ``{"status": "paused"}`` or
    ``{"details_checked_on": "2026-03-02"}``.

    The change is checked together with the stored details (schedule, ages,
    venue). Needs to be an admin of the group's organisation (403 otherwise).
    """
    return service.update_group(current_user, group_id, data)


@blp.route("/<int:group_id>", methods=["DELETE"])
@roles("org_admin")
@blp.response(204)
def delete_group(group_id: int):
    """Delete a group and its attendance records.

    Needs to be an admin of the group's organisation (403 otherwise).
    """
    service.delete_group(current_user, group_id)
