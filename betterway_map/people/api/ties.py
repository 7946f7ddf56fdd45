"""API: a person's ties (the person themself or their workers)."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from betterway_map.people.api import PEOPLE
from betterway_map.people.schemas.records import TieChangeSchema, TieSchema
from betterway_map.people.services import ties as service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_ties", __name__, description="Who a person is in touch with, and how often")


def _dump(ties, person_id: int, many: bool):
    # A link to another person on the register is the worker's to see: it
    # would tell a resident that someone else is on the register.
    exclude = () if service.can_link(current_user, person_id) else ("other_person_id",)
    return TieSchema(many=many, exclude=exclude).dump(ties)


@blp.route("/<int:person_id>/ties", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, TieSchema(many=True))
def list_ties(person_id: int):
    """A person's ties. ``other_person_id`` is shown to their workers only."""
    _, ties = service.list_ties(current_user, person_id)
    return jsonify(_dump(ties, person_id, many=True))


@blp.route("/<int:person_id>/ties", methods=["POST"])
@roles(*PEOPLE)
@blp.arguments(TieSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, TieSchema)
def add_tie(data: dict, person_id: int):
    """Record a tie; ``other_person_id`` only for someone the same worker looks after."""
    tie = service.add_tie(current_user, person_id, data)
    response = jsonify(_dump(tie, person_id, many=False))
    response.status_code = 201
    return response


@blp.route("/<int:person_id>/ties/<int:tie_id>", methods=["PATCH"])
@roles(*PEOPLE)
@blp.arguments(TieChangeSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, TieSchema)
def update_tie(data: dict, person_id: int, tie_id: int):
    """Change some fields of a tie."""
    tie = service.update_tie(current_user, person_id, tie_id, data)
    return jsonify(_dump(tie, person_id, many=False))


@blp.route("/<int:person_id>/ties/<int:tie_id>", methods=["DELETE"])
@roles(*PEOPLE)
@blp.response(204)
def remove_tie(person_id: int, tie_id: int):
    """Remove a tie."""
    service.remove_tie(current_user, person_id, tie_id)
