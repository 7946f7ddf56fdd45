"""API: the groups that suit a person, with the reasons."""

from __future__ import annotations

from flask import url_for
from flask_login import current_user

from betterway_map.matching.schemas.suggestions import (
    GroupSuggestionsSchema,
    SuggestionQuerySchema,
)
from betterway_map.matching.services import suggestions as service
from betterway_map.web.access import roles
from betterway_map.web.api import BUSINESS_RULE, Blueprint

blp = Blueprint("api_group_suggestions", __name__, description="Group suggestions")


@blp.route("/people/<int:person_id>/group-suggestions", methods=["GET"])
@roles("resident", "worker")
@blp.arguments(SuggestionQuerySchema, location="query")
@blp.alt_response(422, response=BUSINESS_RULE)
@blp.response(200, GroupSuggestionsSchema)
def group_suggestions(args: dict, person_id: int):
    """The groups that suit a person, best first, each with its reasons.

    For the person themself or a worker assigned to them (anyone else: 404).
    Hard filters: active, meets at a place within ``radius_km`` of home (the
    person's travel distance, else 2 km), when they are free (their
    availability, when recorded), costing at most ``max_cost`` (pounds, e.g.
    ``2.50``), with every access feature in ``needs`` (repeat the key), and
    open to them (groups only for older people from age 50; only for carers
    or parents when ``groups_for`` says so; an age range must hold their age
    band). Groups they already go to are left out. With none,
    ``explanation`` says why and ``wider_count`` how many a wider search
    would suggest. Bad input answers 422 with ``errors.query``.
    """
    result = service.suggestions_for(current_user, person_id, service.Options.from_args(args))
    return {
        "person_id": result.person_id,
        "radius_km": result.radius_km,
        "suggestions": [
            {**item.__dict__, "url": url_for("groups.detail", group_id=item.group_id)}
            for item in result.items
        ],
        "explanation": result.explanation,
        "wider_radius_km": result.wider_radius_km,
        "wider_count": result.wider_count,
    }
