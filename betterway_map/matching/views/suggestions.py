"""Group suggestions on pages: a resident's own, and a worker's for one of
their people, with a printable sheet (``interop.sheets``) for people who are
not online.

The page is a plain GET form: how far, the access needed, the most they can
pay, and whether to include groups only for carers or parents. A bad value
answers 400 with the form's messages and no suggestions.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_login import current_user
from marshmallow import ValidationError

from betterway_map.domain.geo.distance import RADIUS_STEPS_KM
from betterway_map.matching.schemas.suggestions import SuggestionQuerySchema
from betterway_map.matching.services import suggestions as service
from betterway_map.places.views import query_payload
from betterway_map.web.access import roles
from betterway_map.web.forms import fields_of, flat_errors

__all__ = ["bp", "suggestion_query"]

bp = Blueprint("matching_groups", __name__)


def suggestion_query() -> tuple[service.Options | None, dict, dict]:
    """This request's query, as the page loads it: ``(options, values, {})``,
    or ``(None, values, errors)`` with messages by field."""
    schema = SuggestionQuerySchema()
    payload = query_payload(schema, request.args)
    try:
        return service.Options.from_args(schema.load(payload)), payload, {}
    except ValidationError as error:
        return None, payload, flat_errors(error.messages)


def _page(find):
    options, values, errors = suggestion_query()
    result = None if errors else find(options)
    wider_url = None
    if result and result.wider_count:
        wider = {**request.args.to_dict(flat=False), "radius_km": f"{result.wider_radius_km:g}"}
        wider_url = url_for(request.endpoint, **request.view_args, **wider)
    return render_template(
        "matching/suggestions/show.html",
        result=result,
        specs=fields_of(SuggestionQuerySchema()),
        values=values,
        errors=errors,
        radius_steps=[km for km in RADIUS_STEPS_KM if km <= service.RADIUS_RANGE_KM[1]],
        query_args=request.args.to_dict(flat=False),
        wider_url=wider_url,
    ), (400 if errors else 200)


@bp.route("/me/group-suggestions")
@roles("resident")
def mine():
    """The signed-in resident's own suggestions (asks for a profile first)."""
    return _page(lambda options: service.own_suggestions(current_user, options))


@bp.route("/people/<int:person_id>/group-suggestions")
@roles("worker", "resident")
def person(person_id: int):
    """A person's suggestions, for their worker (or the person themself)."""
    return _page(lambda options: service.suggestions_for(current_user, person_id, options))
