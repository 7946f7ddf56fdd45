"""Schemas of matching runs, weights and the feasibility of a draft request."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from betterway_map.domain import vocab
from betterway_map.domain.matching.model import WEIGHT_NAMES
from betterway_map.web.fields import choice, choices, whole_number

__all__ = ["RunSchema", "RunOutSchema", "WeightsSchema", "FeasibilityQuerySchema"]


class RunSchema(Schema):
    area = fields.List(
        fields.String(validate=validate.Length(max=8)),
        load_default=list,
        validate=validate.Length(max=500, error="Give at most 500 postcode districts."),
        metadata={"description": "Postcode districts, e.g. ['LS6']; empty: everywhere."},
    )


class RunOutSchema(Schema):
    id = fields.Integer()
    area = fields.List(fields.String())
    request_count = fields.Integer()
    offer_count = fields.Integer()
    proposal_count = fields.Integer()
    total_score = fields.Float()
    weights = fields.Dict(keys=fields.String(), values=fields.Float())
    proposals = fields.List(fields.Dict())
    unmatched = fields.List(fields.Dict())
    unmatched_summary = fields.List(fields.Dict())
    waiting_volunteers = fields.List(fields.Dict())


class WeightsSchema(Schema):
    """Each weight a number from 0 to 10 (checked by the service, which names the value)."""

    class Meta:
        unknown = "include"

    for _name in WEIGHT_NAMES:
        locals()[_name] = fields.Raw(metadata={"type": "number", "minimum": 0, "maximum": 10})
    del _name


class FeasibilityQuerySchema(Schema):
    person_id = whole_number("Person", min_value=1, required=True)
    kind = choice("Kind of support", vocab.HELP_KINDS, required=True)
    frequency = choice("How often", vocab.SUPPORT_FREQUENCIES)
    availability = choices("When they are free", vocab.AVAILABILITY)
    languages = choices("Languages", vocab.LANGUAGES)
    interests = choices("Interests", vocab.INTERESTS)
    lived_experience = choices("Lived experience", vocab.LIVED_EXPERIENCE)
    volunteer_gender = choice("Volunteer's gender", vocab.VOLUNTEER_GENDERS)
    similar_age = fields.Boolean(load_default=False)
    excluded_volunteer_ids = fields.List(fields.Integer(), load_default=list)
    comes_to_me = fields.Boolean(load_default=True)
    travel_km = fields.Float(
        load_default=0.0,
        validate=validate.Range(min=0, max=100, error="Travel must be 0 to 100 km, not {input}."),
    )
