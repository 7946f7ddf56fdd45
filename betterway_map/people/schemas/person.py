"""Schemas of people's profiles: the one description of valid input for the
resident's profile page, the worker's pages and the JSON API.

The resident's schema speaks to them ("When are you free?"); the worker's
speaks about the person ("When are they free?"); the rules are the same.
Every message names the bad value and says what is accepted. No Flask here.

>>> ProfileSchema().load({"first_name": " Ada ", "postcode": "zz1 1aa"})["postcode"]
'ZZ1 1AA'
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from betterway_map.domain import vocab
from betterway_map.people.schemas.consent import RegistrationConsentSchema
from betterway_map.web.fields import (
    MAX_FREE_TEXT,
    Postcode,
    WholeNumber,
    blank_to_none,
    choice,
    choices,
    phone,
    text,
)

__all__ = [
    "ProfileSchema",
    "PersonSchema",
    "RegisterPersonSchema",
    "PeopleQuerySchema",
    "MAX_TRAVEL_KM",
]

MAX_TRAVEL_KM = 100


def _availability(label: str, who: str) -> fields.List:
    return choices(
        label,
        vocab.AVAILABILITY,
        what="a time of the week",
        help=f"Tick the times {who} could usually meet someone or go to a group.",
    )


def _travel_km(label: str) -> fields.Float:
    return fields.Float(
        allow_none=True,
        pre_load=blank_to_none,
        validate=validate.Range(
            min=0,
            max=MAX_TRAVEL_KM,
            error="{input} km is not accepted: enter a distance from {min} to {max} km.",
        ),
        error_messages={
            "invalid": "{input!r} is not a distance: enter a number of kilometres from 0 to 100.",
            "special": "Enter a number of kilometres from 0 to 100.",
        },
        metadata={"label": label, "help": "In kilometres, from 0 to 100. A mile is about 1.6 km."},
    )


def _lives_alone(label: str) -> fields.Boolean:
    return fields.Boolean(
        allow_none=True,
        pre_load=blank_to_none,
        error_messages={"invalid": "{input!r} is not an answer: answer yes or no."},
        metadata={
            "label": label,
            "widget": "select",
            "choices": (("True", "Yes"), ("False", "No")),
        },
    )


def _sensitive(vocabulary, label: str, what: str, whose: str) -> fields.String:
    """Marital status and health: optional, with the reason we ask and who sees it."""
    return choice(
        label,
        vocabulary,
        what=what,
        help="Optional. We ask because loneliness is more common after losing a partner "
        f"and in poor health, so this helps us offer the right support. Only {whose} sees it.",
    )


class ProfileSchema(Schema):
    """What a resident says about themself."""

    id = fields.Integer(dump_only=True)
    first_name = text("First name", max_length=60, required=True)
    age_band = choice("Age", vocab.AGE_BANDS, what="an age band")
    postcode = Postcode(
        allow_none=True,
        pre_load=blank_to_none,
        error_messages={"invalid": "A postcode must be text."},
        metadata={
            "label": "Postcode",
            "help": "Used to find what is near. The full postcode is never shown to others.",
        },
    )
    interests = choices("Interests", vocab.INTERESTS, what="an interest")
    languages = choices("Languages spoken", vocab.LANGUAGES, what="a language")
    availability = _availability("When are you free?", "you")
    travel_km = _travel_km("How far can you travel (km)?")
    lives_alone = _lives_alone("Do you live alone?")
    marital_status = _sensitive(
        vocab.MARITAL_STATUSES, "Marital status", "a marital status", "your community worker"
    )
    general_health = _sensitive(
        vocab.GENERAL_HEALTH,
        "How is your health in general?",
        "an answer about general health",
        "your community worker",
    )
    what_would_help = text(
        "What would help",
        max_length=MAX_FREE_TEXT,
        widget="textarea",
        help="In your own words: company, a lift to a group, help with shopping…",
    )
    phone = phone("Phone number", help="Private: only you and your community worker see this.")
    address = text(
        "Address",
        max_length=300,
        widget="textarea",
        help="Private: only you and your community worker see this.",
    )
    has_account = fields.Function(lambda person: person.user_id is not None, dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PersonSchema(ProfileSchema):
    """A person as a worker records them: the profile plus a last name."""

    last_name = text("Last name", max_length=60)
    availability = _availability("When are they free?", "they")
    travel_km = _travel_km("How far can they travel (km)?")
    lives_alone = _lives_alone("Do they live alone?")
    marital_status = _sensitive(
        vocab.MARITAL_STATUSES, "Marital status", "a marital status", "their community worker"
    )
    general_health = _sensitive(
        vocab.GENERAL_HEALTH,
        "How is their health in general?",
        "an answer about general health",
        "their community worker",
    )
    what_would_help = text(
        "What would help",
        max_length=MAX_FREE_TEXT,
        widget="textarea",
        help="In their own words: company, a lift to a group, help with shopping…",
    )
    phone = phone("Phone number", help="Private: only they and their community workers see this.")
    address = text(
        "Address",
        max_length=300,
        widget="textarea",
        help="Private: only they and their community workers see this.",
    )

    class Meta:
        # The order of the form: last name straight after first name.
        fields = (
            "id",
            "first_name",
            "last_name",
            *[name for name in ProfileSchema._declared_fields if name not in ("id", "first_name")],
        )


class RegisterPersonSchema(PersonSchema):
    """A worker's registration of a person who is not online, with their consent."""

    consent = fields.Nested(
        RegistrationConsentSchema,
        required=True,
        load_only=True,
        error_messages={"required": "Record the person's consent to be registered."},
    )

    class Meta:
        fields = (*PersonSchema.Meta.fields, "consent")


class PeopleQuerySchema(Schema):
    """Searching and paging a list of people."""

    q = fields.String(
        load_default="",
        validate=validate.Length(max=60, error="Search for at most {max} characters."),
        metadata={"label": "First name"},
    )
    page = WholeNumber(
        load_default=1,
        validate=validate.Range(min=1, error="{input} is not a page number: pages start at 1."),
        error_messages={"invalid": "{input!r} is not a page number: use 1, 2, 3…"},
    )
    per_page = WholeNumber(
        load_default=25,
        validate=validate.Range(
            min=1, max=100, error="{input} people per page is not accepted: use 1 to 100."
        ),
        error_messages={"invalid": "{input!r} is not a number of people per page: use 1 to 100."},
    )
