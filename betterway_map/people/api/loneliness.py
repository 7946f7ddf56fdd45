"""API: a person's loneliness measures (the person themself or their workers)."""

from __future__ import annotations

from flask_login import current_user

from betterway_map.people.api import PEOPLE
from betterway_map.people.schemas.records import MeasureSchema
from betterway_map.people.services import loneliness as service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint(
    "api_measures", __name__, description="Loneliness measures (UCLA 3-item and direct question)"
)


@blp.route("/<int:person_id>/measures", methods=["GET"])
@roles(*PEOPLE)
@blp.response(200, MeasureSchema(many=True))
def list_measures(person_id: int):
    """A person's measures, oldest first: the UCLA total and the direct answer side by side."""
    _, measures = service.list_measures(current_user, person_id)
    return measures


@blp.route("/<int:person_id>/measures", methods=["POST"])
@roles(*PEOPLE)
@blp.arguments(MeasureSchema)
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(201, MeasureSchema)
def record_measure(data: dict, person_id: int):
    """Record one occasion's answers: all three UCLA items or none, and/or the direct answer."""
    return service.record_measure(current_user, person_id, data)
