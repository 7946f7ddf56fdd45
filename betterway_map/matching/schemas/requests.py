"""A request for support: the one description of valid input for the pages
and the API. Every message names the bad value and says what is accepted.

>>> data = SupportRequestSchema().load({"kind": "befriending_phone", "frequency": "weekly",
...     "duration_min": 60, "availability": ["tue_pm"], "languages": ["en"]})
>>> data["comes_to_me"], data["availability"]
(True, ['tue_pm'])
>>> SupportRequestSchema().validate({"kind": "juggling"})["kind"]
["'juggling' is not a kind of support: choose one of befriending_phone, befriending_visit, shopping, lifts, digital, go_along, gardening, other."]
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from betterway_map.domain import vocab
from betterway_map.domain.matching.model import REGULAR_FREQUENCIES
from betterway_map.matching.schemas.common import (
    MAX_TRAVEL_KM,
    at_least_one,
    availability,
    person_ids,
    travel_km,
)
from betterway_map.web.fields import (
    MAX_FREE_TEXT,
    ListQuerySchema,
    choice,
    choices,
    text,
    whole_number,
)

__all__ = ["SupportRequestSchema", "RequestListQuerySchema"]

MIN_DURATION_MIN = 15
MAX_DURATION_MIN = 480


class SupportRequestSchema(Schema):
    """What a person would like, when, and from whom."""

    id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True)
    kind = choice(
        "Kind of support",
        vocab.HELP_KINDS,
        required=True,
        what="a kind of support",
        label_own="What would you like help with?",
    )
    frequency = choice(
        "How often",
        vocab.SUPPORT_FREQUENCIES,
        required=True,
        what="a frequency",
        widget="radio",
    )
    duration_min = whole_number(
        "How long each time (minutes)",
        min_value=MIN_DURATION_MIN,
        max_value=MAX_DURATION_MIN,
        required=True,
        help=f"From {MIN_DURATION_MIN} to {MAX_DURATION_MIN} minutes; an hour is 60.",
    )
    availability = availability(
        "When are they free?",
        "Tick each part of the week when they could usually meet or talk.",
        label_own="When are you free?",
        help_own="Tick each part of the week when you could usually meet or talk.",
    )
    languages = at_least_one(
        choices(
            "Languages they speak",
            vocab.LANGUAGES,
            what="a language",
            label_own="Languages you speak",
        ),
        "Choose at least one language: a volunteer must share one.",
    )
    interests = choices(
        "Interests",
        vocab.INTERESTS,
        what="an interest",
        help="Optional: a volunteer who shares one is preferred.",
    )
    lived_experience = choices(
        "Lived experience they would value in a volunteer",
        vocab.LIVED_EXPERIENCE,
        what="a kind of lived experience",
        label_own="Would it help if your volunteer had been through any of these?",
        help="Optional: someone who has been through the same is preferred.",
    )
    volunteer_gender = choice(
        "A woman or a man volunteer",
        vocab.VOLUNTEER_GENDERS,
        what="a volunteer's gender",
        help="Only if it matters to them; leave as not given otherwise.",
        help_own="Only if it matters to you; leave as not given otherwise.",
    )
    similar_age = fields.Boolean(
        load_default=False,
        metadata={
            "label": "A volunteer of a similar age",
            "label_own": "I would like a volunteer of a similar age",
        },
    )
    excluded_volunteer_ids = person_ids(
        "Volunteers never to be matched with",
        "Their numbers, separated by commas, e.g. 12, 40. Leave empty if none.",
    )
    comes_to_me = fields.Boolean(
        load_default=True,
        metadata={
            "label": "The support must come to them (they cannot travel)",
            "label_own": "The support must come to me (I cannot travel)",
        },
    )
    travel_km = travel_km(
        "How far they can travel (km)",
        label_own="How far you can travel (km)",
        help=f"Needed if they can travel: from 0 to {MAX_TRAVEL_KM} km. A mile is about 1.6 km.",
    )
    notes = text(
        "Notes for the worker who matches",
        max_length=MAX_FREE_TEXT,
        widget="textarea",
        help="Optional. Please do not write addresses or phone numbers here.",
    )
    status = fields.String(dump_only=True)
    opened_on = fields.Date(dump_only=True)
    created_by_id = fields.Integer(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _travel_when_not_at_home(self, data, **kwargs):
        if data.get("comes_to_me") is False and data.get("travel_km") is None:
            raise ValidationError(
                {
                    "travel_km": [
                        "Say how far they can travel, from 0 to "
                        f"{MAX_TRAVEL_KM} km, or tick that the support must come to them."
                    ]
                }
            )

    @validates_schema
    def _regular_support_has_a_time(self, data, **kwargs):
        if data.get("frequency") in REGULAR_FREQUENCIES and "availability" in data:
            if not data["availability"]:
                raise ValidationError(
                    {
                        "availability": [
                            "Tick at least one time of the week: regular support needs a "
                            "time when both are free."
                        ]
                    }
                )


class RequestListQuerySchema(ListQuerySchema):
    """Filters and paging of the list of requests."""

    status = choice("Status", vocab.REQUEST_STATUSES, what="a request status")
    person_id = whole_number("person_id", min_value=1)
