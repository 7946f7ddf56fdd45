"""A volunteer's offer for matching, and a worker's safeguarding restrictions.

Capacity and the lived experience a volunteer will share are kept on
``people.models.VolunteerProfile`` (with their DBS check) and saved through
``people.services.volunteers``; they are loaded here with the offer so that
the volunteer fills in one form. No Flask here.

>>> OfferSchema().validate({"kinds": ["juggling"], "languages": ["en"], "capacity": -1})["capacity"]
['Number of people to support at once must be between 1 and 10, not -1.']
"""

from __future__ import annotations

from marshmallow import Schema, fields

from betterway_map.domain import vocab
from betterway_map.matching.schemas.common import at_least_one, availability, person_ids, travel_km
from betterway_map.web.fields import (
    MAX_FREE_TEXT,
    Postcode,
    blank_to_none,
    choice,
    choices,
    text,
    whole_number,
)

__all__ = ["OfferSchema", "SafeguardingSchema", "MAX_CAPACITY"]

MAX_CAPACITY = 10


class OfferSchema(Schema):
    """What a volunteer will do, when, how far from where, and for how many."""

    person_id = fields.Integer(dump_only=True)
    kinds = at_least_one(
        choices(
            "Kinds of support they will give",
            vocab.HELP_KINDS,
            what="a kind of support",
            label_own="What will you help with?",
        ),
        "Choose at least one kind of support.",
    )
    capacity = whole_number(
        "Number of people to support at once",
        min_value=1,
        max_value=MAX_CAPACITY,
        required=True,
        help=f"From 1 to {MAX_CAPACITY}.",
    )
    availability = availability(
        "When are they free to volunteer?",
        "Tick each part of the week when they could usually meet or talk.",
        label_own="When are you free to volunteer?",
        help_own="Tick each part of the week when you could usually meet or talk.",
    )
    languages = at_least_one(
        choices(
            "Languages they speak",
            vocab.LANGUAGES,
            what="a language",
            label_own="Languages you speak",
        ),
        "Choose at least one language.",
    )
    interests = choices("Interests", vocab.INTERESTS, what="an interest")
    lived_experience = choices(
        "Lived experience they are willing to share",
        vocab.LIVED_EXPERIENCE,
        what="a kind of lived experience",
        label_own="Lived experience you are willing to share",
        help="Only if wanted: it helps to match people who have been through the same.",
    )
    travel_km = travel_km(
        "How far they will travel (km)",
        required=True,
        label_own="How far will you travel (km)?",
    )
    from_postcode = Postcode(
        allow_none=True,
        pre_load=blank_to_none,
        error_messages={"invalid": "A postcode must be text."},
        metadata={
            "label": "Travelling from (postcode)",
            "help": "Leave empty to travel from home. Never shown to anyone else.",
        },
    )
    gender = choice(
        "Gender",
        vocab.VOLUNTEER_GENDERS,
        what="a gender",
        help="Optional: used only when a person asks for a woman or a man volunteer.",
    )
    available_since = fields.Date(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class SafeguardingSchema(Schema):
    """Restrictions a community worker records on a volunteer."""

    restricted_kinds = choices(
        "Kinds of support they may not give",
        vocab.HELP_KINDS,
        what="a kind of support",
    )
    excluded_person_ids = person_ids(
        "People they may never be matched with",
        "Their numbers, separated by commas, e.g. 12, 40. Leave empty if none.",
    )
    restriction_notes = text(
        "Why (for workers only)",
        max_length=MAX_FREE_TEXT,
        widget="textarea",
        help="Seen only by community workers. The volunteer is not shown this note.",
    )
    restrictions_recorded_by_id = fields.Integer(dump_only=True)
