"""Area figures for council viewers: the same counts as the /council page."""

from __future__ import annotations

from dataclasses import asdict

import marshmallow as ma

from betterway_map.network.summary import area_summary
from betterway_map.web.access import roles
from betterway_map.web.api import Blueprint

blp = Blueprint("api_area", __name__, description="Counts for the whole area (aggregates only)")


class FigureSchema(ma.Schema):
    key = ma.fields.String(metadata={"description": "The stored value, e.g. a sector or kind"})
    label = ma.fields.String()
    count = ma.fields.Integer(
        allow_none=True,
        metadata={"description": "null when suppressed (a small count about people)"},
    )
    suppressed = ma.fields.Boolean()


class BreakdownSchema(ma.Schema):
    total = ma.fields.Nested(FigureSchema)
    parts = ma.fields.List(ma.fields.Nested(FigureSchema))


class AreaSummarySchema(ma.Schema):
    min_cell_count = ma.fields.Integer(
        metadata={"description": "Counts about people below this are suppressed"}
    )
    organisations = ma.fields.Nested(BreakdownSchema, metadata={"description": "By sector"})
    spaces = ma.fields.Nested(FigureSchema)
    step_free_spaces = ma.fields.Nested(FigureSchema)
    active_groups = ma.fields.Nested(BreakdownSchema, metadata={"description": "By interest"})
    open_offers = ma.fields.Nested(BreakdownSchema, metadata={"description": "By kind of help"})
    open_requests = ma.fields.Nested(BreakdownSchema, metadata={"description": "By kind of help"})
    people = ma.fields.Nested(FigureSchema)


@blp.route("/summary", methods=["GET"])
@roles("council", "site_admin")
@blp.response(200, AreaSummarySchema)
def summary():
    """Counts for the area; small counts about people are null with ``suppressed: true``."""
    return asdict(area_summary())
