"""API: requests for support and volunteers' offers (under /api/v1/matching).

The same rules as the pages: a person's requests and offer are theirs and
their assigned workers'; safeguarding restrictions are an assigned worker's
(never the volunteer's own).
"""

from __future__ import annotations

from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields

from betterway_map.matching.schemas.offers import OfferSchema, SafeguardingSchema
from betterway_map.matching.schemas.requests import (
    RequestListQuerySchema,
    SupportRequestSchema,
)
from betterway_map.matching.services import offers as offers_service
from betterway_map.matching.services import requests as requests_service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint
from betterway_map.web.fields import RegisterPaginationSchema

blp = Blueprint(
    "api_matching_records", __name__, description="Requests for support and volunteers' offers"
)

PEOPLE = ("resident", "worker")


class RequestPageSchema(Schema):
    items = fields.List(fields.Nested(SupportRequestSchema))
    pagination = fields.Nested(RegisterPaginationSchema)


@blp.route("/requests", methods=["GET"])
@roles(*PEOPLE)
@blp.arguments(RequestListQuerySchema, location="query")
@blp.response(200, RequestPageSchema)
def list_requests(args: dict):
    """Requests the caller may see: a resident's own; a worker's people's, newest first."""
    page = requests_service.list_requests(
        current_user,
        page=args["page"],
        page_size=args["page_size"],
        status=args.get("status"),
        person_id=args.get("person_id"),
    )
    return {"items": page.items, "pagination": page.pagination}


@blp.route("/people/<int:person_id>/requests", methods=["POST"])
@roles(*PEOPLE)
@blp.arguments(SupportRequestSchema)
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, SupportRequestSchema)
def create_request(data: dict, person_id: int):
    """Ask for support for a person: the caller's own, or one assigned to them
    (then 409 without the person's consent to matching)."""
    return requests_service.create_request(current_user, person_id, data)


@blp.route("/requests/<int:request_id>", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, SupportRequestSchema)
def get_request(request_id: int):
    """One request for support."""
    return requests_service.get_request(current_user, request_id)


@blp.route("/requests/<int:request_id>", methods=["PUT"])
@roles(*PEOPLE)
@blp.arguments(SupportRequestSchema)
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, SupportRequestSchema)
def update_request(data: dict, request_id: int):
    """Replace a request's details."""
    return requests_service.update_request(current_user, request_id, data)


@blp.route("/requests/<int:request_id>/close", methods=["POST"])
@roles(*PEOPLE)
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.response(200, SupportRequestSchema)
def close_request(request_id: int):
    """Close a request (409 while a match both sides agreed to holds it)."""
    return requests_service.close_request(current_user, request_id)


@blp.route("/requests/<int:request_id>/reopen", methods=["POST"])
@roles(*PEOPLE)
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.response(200, SupportRequestSchema)
def reopen_request(request_id: int):
    """Open a closed request again: its wait (``opened_on``) starts today."""
    return requests_service.reopen_request(current_user, request_id)


@blp.route("/offers/<int:person_id>", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, OfferSchema)
def get_offer(person_id: int):
    """A volunteer's offer, with their capacity and the lived experience they will share."""
    _, offer = offers_service.get_offer(current_user, person_id)
    if offer is None:
        abort(404, message=f"Person {person_id} has not offered to volunteer for matching yet.")
    return offer


@blp.route("/offers/<int:person_id>", methods=["PUT"])
@roles(*PEOPLE)
@blp.arguments(OfferSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, OfferSchema)
def save_offer(data: dict, person_id: int):
    """Make or replace a volunteer's offer (the volunteer, or a worker assigned to them)."""
    return offers_service.save_offer(current_user, person_id, data)


@blp.route("/offers/<int:person_id>/safeguarding", methods=["GET"])
@roles("worker")
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.response(200, SafeguardingSchema)
def get_safeguarding(person_id: int):
    """A worker's safeguarding restrictions on a volunteer assigned to them."""
    _, offer = offers_service.get_safeguarding(current_user, person_id)
    return offer


@blp.route("/offers/<int:person_id>/safeguarding", methods=["PUT"])
@roles("worker")
@blp.arguments(SafeguardingSchema)
@blp.alt_response(409, response=BUSINESS_RULE)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, SafeguardingSchema)
def save_safeguarding(data: dict, person_id: int):
    """Replace the restrictions (an assigned worker who is not the volunteer; else 403)."""
    return offers_service.save_safeguarding(current_user, person_id, data)
