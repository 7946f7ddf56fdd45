"""API: help offered and asked for by a person."""

from __future__ import annotations

from flask_login import current_user

from betterway_map.people.api import PEOPLE
from betterway_map.people.schemas.records import HelpListingChangeSchema, HelpListingSchema
from betterway_map.people.services import help as service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_help", __name__, description="Offers of help and requests for it")


@blp.route("/people/<int:person_id>/help", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, HelpListingSchema(many=True))
def list_listings(person_id: int):
    """A person's offers and requests, open ones first."""
    _, listings = service.list_listings(current_user, person_id)
    return listings


@blp.route("/people/<int:person_id>/help", methods=["POST"])
@roles(*PEOPLE)
@blp.arguments(HelpListingSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, HelpListingSchema)
def add_listing(data: dict, person_id: int):
    """Offer help or ask for it. Offering befriending visits needs a volunteer profile."""
    return service.add_listing(current_user, person_id, data)


@blp.route("/help/<int:listing_id>", methods=["PATCH"])
@roles(*PEOPLE)
@blp.arguments(HelpListingChangeSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, HelpListingSchema)
def update_listing(data: dict, listing_id: int):
    """Change an offer or request; ``{"status": "closed"}`` closes it."""
    return service.update_listing(current_user, listing_id, data)
