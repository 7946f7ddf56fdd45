"""Group suggestions: what the page and the API may ask, and what they answer.

``SuggestionQuerySchema`` reads the query string of the pages, the printed
sheet and ``GET /api/v1/people/<person_id>/group-suggestions`` alike. The
register holds no access needs, no budget and no caring or parenting for a
person, so these are asked here each time (nothing is stored).
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate

from betterway_map.domain.matching.groups import ACCESS_NEEDS, CIRCUMSTANCES, RADIUS_RANGE_KM
from betterway_map.domain.money import MoneyError, pounds_to_pence
from betterway_map.web.fields import choices

__all__ = ["SuggestionQuerySchema", "GroupSuggestionsSchema"]

_LOW, _HIGH = RADIUS_RANGE_KM
MAX_POUNDS_CHARS = 12


class Pounds(fields.String):
    """An amount typed in pounds ("2.50", "£3"), loaded as whole pence."""

    def _deserialize(self, value, attr, data, **kwargs):
        typed = super()._deserialize(value, attr, data, **kwargs)
        if len(typed) > MAX_POUNDS_CHARS:
            raise ValidationError(f"Use at most {MAX_POUNDS_CHARS} characters for an amount.")
        try:
            return pounds_to_pence(typed, self.metadata.get("label", "Amount"))
        except MoneyError as error:
            raise ValidationError(str(error)) from None


class SuggestionQuerySchema(Schema):
    """How far to look, and what the person needs of a group."""

    radius_km = fields.Float(
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(
            min=_LOW,
            max=_HIGH,
            error=f"radius_km must be between {_LOW:g} and {_HIGH:g} km, not {{input}}.",
        ),
        error_messages={
            "invalid": "radius_km must be a number of kilometres like 2 or 0.5, not {input!r}.",
            "special": "radius_km must be a number of kilometres like 2 or 0.5.",
        },
        metadata={
            "label": "How far (km)",
            "help": f"From {_LOW:g} to {_HIGH:g}; how far the person said they can travel, "
            "or 2, unless given.",
        },
    )
    needs = choices(
        "Access needed",
        ACCESS_NEEDS,
        what="an access need",
        help="Only groups meeting at a place that has each of these.",
        widget="checkboxes",
    )
    max_cost = Pounds(
        allow_none=True,
        metadata={
            "label": "Most you can pay each time (£)",
            "help": "In pounds, like 2.50; 0 for free groups only. Blank: any cost.",
        },
    )
    groups_for = choices(
        "Also groups only for",
        CIRCUMSTANCES,
        what="a choice of groups",
        help="Groups only for carers or parents are suggested to those who say they are one.",
        widget="checkboxes",
    )


class SuggestedGroupSchema(Schema):
    group_id = fields.Integer()
    name = fields.String()
    url = fields.String(metadata={"description": "The group's public page."})
    when = fields.String(metadata={"description": "When it meets, in words."})
    where = fields.String(metadata={"description": "The place's name, address and postcode."})
    distance_km = fields.Float(metadata={"description": "Geodesic, from the person's home."})
    cost = fields.String()
    access = fields.List(fields.String(), metadata={"description": "What the place has."})
    reasons = fields.List(
        fields.String(), metadata={"description": "Why it suits the person, in plain English."}
    )


class GroupSuggestionsSchema(Schema):
    person_id = fields.Integer()
    radius_km = fields.Float(metadata={"description": "How far the suggestions looked."})
    suggestions = fields.List(
        fields.Nested(SuggestedGroupSchema), metadata={"description": "Best first."}
    )
    explanation = fields.String(
        allow_none=True, metadata={"description": "Why there are none (null when there are)."}
    )
    wider_radius_km = fields.Float(allow_none=True)
    wider_count = fields.Integer(
        allow_none=True, metadata={"description": "How many a search that far would suggest."}
    )
