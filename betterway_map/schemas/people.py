"""Schemas of people's profiles and their consent: the one description of valid
input for the resident's profile page, the worker's pages and the JSON API.

Every message names the bad value and says what is accepted. No Flask here.

>>> ProfileSchema().load({"first_name": " Ada ", "postcode": "zz1 1aa"})["postcode"]
'ZZ1 1AA'
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from marshmallow import Schema, ValidationError, fields, validate, validates

from .. import vocab
from ..geo.postcodes import PostcodeError, normalise_postcode

__all__ = [
    "ProfileSchema",
    "PersonSchema",
    "PersonSummarySchema",
    "ConsentSchema",
    "RegistrationConsentSchema",
    "RegisterPersonSchema",
    "ConsentOutSchema",
    "WithdrawConsentSchema",
    "PeopleQuerySchema",
    "today_in_uk",
    "flat_errors",
    "MAX_TRAVEL_KM",
    "MAX_FREE_TEXT",
]

MAX_TRAVEL_KM = 100
MAX_FREE_TEXT = 2000
UK = ZoneInfo("Europe/London")


def today_in_uk() -> date:
    """Today's date where the people on the register live (not the server's zone)."""
    return datetime.now(UK).date()


def flat_errors(messages) -> dict[str, list[str]]:
    """Marshmallow's nested messages as one list of text per field, for a page.

    Messages about one item of a list or a nested schema go to the field
    they belong to on the form.

    >>> flat_errors({"interests": {2: ["'zz' is not an interest."]}, "consent": {"method": ["Say how."]}})
    {'interests': ["'zz' is not an interest."], 'method': ['Say how.']}
    """
    flat: dict[str, list[str]] = {}

    def walk(name, value):
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(key if isinstance(key, str) and name in NESTED else name, inner)
        elif isinstance(value, list | tuple):
            for item in value:
                walk(name, item)
        else:
            flat.setdefault(name, []).append(str(value))

    for field, value in messages.items():
        walk(field, value)
    return flat


# Nested schemas whose fields appear on the same form as their parent's.
NESTED = ("consent",)


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _blank_to_none(value):
    """Strip text; empty text means "not given"."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _text(label: str, max_chars: int, *, required: bool = False, **metadata) -> fields.String:
    """Free text, stripped, at most ``max_chars`` characters; blank means not given."""
    checks = [
        validate.Length(
            max=max_chars, error=f"{label} can be at most {{max}} characters; this is longer."
        )
    ]
    if required:  # blank stays "" so that it fails here with a clear message
        checks.insert(0, validate.Length(min=1, error=f"Enter {label.lower()}."))
    return fields.String(
        required=required,
        allow_none=not required,
        pre_load=_strip if required else _blank_to_none,
        validate=checks,
        error_messages={
            "required": f"Enter {label.lower()}.",
            "null": f"Enter {label.lower()}.",
            "invalid": f"{label} must be text.",
        },
        metadata={"label": label, **metadata},
    )


def _one_of(vocabulary, what: str) -> validate.OneOf:
    return validate.OneOf(
        vocab.values(vocabulary),
        error=f"{{input!r}} is not {what}; choose one of: {{choices}}.",
    )


def _choice(vocabulary, label: str, what: str, **metadata) -> fields.String:
    return fields.String(
        allow_none=True,
        pre_load=_blank_to_none,
        validate=_one_of(vocabulary, what),
        metadata={"label": label, "choices": vocabulary, **metadata},
    )


def _choices(vocabulary, label: str, what: str, **metadata) -> fields.List:
    """Several values from a vocabulary; repeats are dropped, order kept."""
    return fields.List(
        fields.String(validate=_one_of(vocabulary, what)),
        load_default=list,
        post_load=lambda values: list(dict.fromkeys(values)),
        error_messages={"invalid": f"{label} must be a list of values."},
        metadata={"label": label, "choices": vocabulary, "widget": "checkboxes", **metadata},
    )


class Postcode(fields.String):
    """A UK postcode, stored in its standard form ("E13 8QS")."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_postcode(text)
        except PostcodeError as error:
            raise ValidationError(str(error)) from None


PRIVATE = "Private: only you and your community worker see this."
WHY_WE_ASK = (
    "Optional. We ask because loneliness is more common after losing a partner "
    "and in poor health, so this helps us offer the right support. "
    "Only your community worker sees it."
)


class ProfileSchema(Schema):
    """What a resident says about themself (and a worker records for someone)."""

    id = fields.Integer(dump_only=True)
    first_name = _text("First name", 60, required=True)
    age_band = _choice(vocab.AGE_BANDS, "Age", "an age band")
    postcode = Postcode(
        allow_none=True,
        pre_load=_blank_to_none,
        error_messages={"invalid": "A postcode must be text."},
        metadata={
            "label": "Postcode",
            "help": "Used to find what is near you. Your full postcode is never shown to others.",
        },
    )
    interests = _choices(vocab.INTERESTS, "Interests", "an interest")
    languages = _choices(vocab.LANGUAGES, "Languages spoken", "a language")
    availability = _choices(
        vocab.AVAILABILITY,
        "When are you free?",
        "a time of the week",
        help="Tick the times you could usually meet someone or go to a group.",
    )
    travel_km = fields.Float(
        allow_none=True,
        pre_load=_blank_to_none,
        validate=validate.Range(
            min=0,
            max=MAX_TRAVEL_KM,
            error="{input} km is not accepted: enter a distance from {min} to {max} km.",
        ),
        error_messages={
            "invalid": "{input!r} is not a distance: enter a number of kilometres from 0 to 100.",
            "special": "Enter a number of kilometres from 0 to 100.",
        },
        metadata={
            "label": "How far can you travel (km)?",
            "help": "In kilometres, from 0 to 100. One mile is about 1.6 km.",
        },
    )
    lives_alone = fields.Boolean(
        allow_none=True,
        pre_load=_blank_to_none,
        error_messages={"invalid": "{input!r} is not an answer: answer yes or no."},
        metadata={
            "label": "Do you live alone?",
            "widget": "select",
            "choices": (("True", "Yes"), ("False", "No")),
        },
    )
    marital_status = _choice(
        vocab.MARITAL_STATUSES, "Marital status", "a marital status", help=WHY_WE_ASK
    )
    general_health = _choice(
        vocab.GENERAL_HEALTH,
        "How is your health in general?",
        "an answer about general health",
        help=WHY_WE_ASK,
    )
    what_would_help = _text(
        "What would help",
        MAX_FREE_TEXT,
        widget="textarea",
        help="In your own words: company, a lift to a group, help with shopping…",
    )
    phone = fields.String(
        allow_none=True,
        pre_load=_blank_to_none,
        validate=validate.Regexp(
            r"^\+?[0-9][0-9 ()-]{5,28}$",
            error="{input!r} is not a phone number: use digits, spaces, brackets, "
            "dashes and an optional + at the start (6 to 30 characters).",
        ),
        metadata={"label": "Phone number", "widget": "tel", "help": PRIVATE},
    )
    address = _text("Address", 300, widget="textarea", help=PRIVATE)
    has_account = fields.Function(lambda person: person.user_id is not None, dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class PersonSchema(ProfileSchema):
    """A person as a worker records them: the profile plus a last name."""

    last_name = _text("Last name", 60)

    class Meta:
        fields = (
            "id",
            "first_name",
            "last_name",
            *[name for name in ProfileSchema._declared_fields if name not in ("id", "first_name")],
        )


class PersonSummarySchema(Schema):
    """One line of a list: enough to find the person, nothing private."""

    id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String()
    age_band = fields.String()


class ConsentSchema(Schema):
    """Consent given by a person, recorded by the worker who heard it."""

    purposes = fields.List(
        fields.String(validate=_one_of(vocab.CONSENT_PURPOSES, "a consent purpose")),
        required=True,
        validate=validate.Length(min=1, error="Choose at least one thing they agreed to."),
        post_load=lambda values: list(dict.fromkeys(values)),
        error_messages={"required": "Choose at least one thing they agreed to."},
        metadata={
            "label": "What they agreed to",
            "choices": vocab.CONSENT_PURPOSES,
            "widget": "checkboxes",
        },
    )
    method = fields.String(
        required=True,
        validate=_one_of(vocab.CONSENT_METHODS, "a way of giving consent"),
        error_messages={"required": "Say how they gave consent."},
        metadata={
            "label": "How they gave consent",
            "choices": vocab.CONSENT_METHODS,
            "widget": "radio",
        },
    )
    given_on = fields.Date(
        required=True,
        error_messages={
            "required": "Enter the date they gave consent.",
            "invalid": "{input!r} is not a date: use the form 2025-03-31.",
        },
        metadata={"label": "Date they gave consent", "help": "Not in the future."},
    )
    notes = _text("Notes", MAX_FREE_TEXT, widget="textarea")

    @validates("given_on")
    def _not_in_future(self, value: date, **kwargs) -> None:
        if value > today_in_uk():
            raise ValidationError(
                f"{value.isoformat()} is in the future: consent can only be recorded once given."
            )


class RegistrationConsentSchema(ConsentSchema):
    """Consent recorded with a new registration: keeping them on the register is a must."""

    @validates("purposes")
    def _includes_register(self, value: list, **kwargs) -> None:
        if "register" not in value:
            label = vocab.labels(vocab.CONSENT_PURPOSES)["register"]
            raise ValidationError(
                f"To register someone they must agree to this: {label.lower()} ('register')."
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


class ConsentOutSchema(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    purpose = fields.String()
    method = fields.String()
    given_on = fields.Date()
    withdrawn_on = fields.Date(allow_none=True)
    notes = fields.String(allow_none=True)
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.DateTime()
    active = fields.Function(lambda consent: consent.withdrawn_on is None)


class WithdrawConsentSchema(Schema):
    withdrawn_on = fields.Date(
        load_default=today_in_uk,
        error_messages={"invalid": "{input!r} is not a date: use the form 2025-03-31."},
        metadata={"label": "Date they withdrew consent", "help": "Not in the future."},
    )

    @validates("withdrawn_on")
    def _not_in_future(self, value: date, **kwargs) -> None:
        if value > today_in_uk():
            raise ValidationError(f"{value.isoformat()} is in the future.")


class PeopleQuerySchema(Schema):
    """Searching and paging a list of people."""

    q = fields.String(
        load_default="",
        validate=validate.Length(max=60, error="Search for at most {max} characters."),
        metadata={"label": "First name"},
    )
    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, error="{input} is not a page number: pages start at 1."),
        error_messages={"invalid": "{input!r} is not a page number: use 1, 2, 3…"},
    )
    per_page = fields.Integer(
        load_default=25,
        validate=validate.Range(
            min=1, max=100, error="{input} people per page is not accepted: use 1 to 100."
        ),
        error_messages={"invalid": "{input!r} is not a number of people per page: use 1 to 100."},
    )
