"""Schemas of consent: what a person agreed to, how and when. No Flask here.

>>> ConsentSchema().load({"purposes": ["matching"], "method": "verbal", "given_on": "2025-01-06"})["purposes"]
['matching']
"""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validate, validates

from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.web.fields import MAX_FREE_TEXT, one_of, text

__all__ = [
    "ConsentSchema",
    "RegistrationConsentSchema",
    "ConsentOutSchema",
    "WithdrawConsentSchema",
]

DATE_INVALID = "{input!r} is not a date: use the form 2025-03-31."


class ConsentSchema(Schema):
    """Consent given by a person, recorded by the worker who heard it."""

    purposes = fields.List(
        fields.String(validate=one_of(vocab.CONSENT_PURPOSES, "a consent purpose")),
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
        validate=one_of(vocab.CONSENT_METHODS, "a way of giving consent"),
        error_messages={"required": "Say how they gave consent."},
        metadata={
            "label": "How they gave consent",
            "choices": vocab.CONSENT_METHODS,
            "widget": "radio",
        },
    )
    given_on = fields.Date(
        required=True,
        error_messages={"required": "Enter the date they gave consent.", "invalid": DATE_INVALID},
        metadata={"label": "Date they gave consent", "help": "Not in the future."},
    )
    notes = text("Notes", max_length=MAX_FREE_TEXT, widget="textarea")

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
        error_messages={"invalid": DATE_INVALID},
        metadata={"label": "Date they withdrew consent", "help": "Not in the future."},
    )

    @validates("withdrawn_on")
    def _not_in_future(self, value: date, **kwargs) -> None:
        if value > today_in_uk():
            raise ValidationError(f"{value.isoformat()} is in the future.")
