"""Organisations, their partnerships and co-admins: the one description of
valid input, used by the pages and the JSON API alike."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate

from betterway_map.domain import vocab
from betterway_map.web.fields import (
    EmailAddress,
    ListQuerySchema,
    RegisterPaginationSchema,
    WholeNumber,
    choice,
    email,
    phone,
    public_name,
    text,
    web_address,
)

__all__ = [
    "normalise_charity_number",
    "normalise_company_number",
    "OrganisationSchema",
    "OrganisationListQuerySchema",
    "OrganisationPageSchema",
    "PartnershipSchema",
    "CoAdminSchema",
]

# England and Wales: 6 to 8 digits, with an optional "-n" for a linked charity;
# Scotland (OSCR): SC and 6 digits; Northern Ireland: NIC and digits.
_CHARITY = re.compile(r"^(?:\d{6,8}(?:-\d{1,3})?|SC\d{6}|NIC\d{1,8})$")
# Companies House: 8 characters, either 8 digits or 2 letters and 6 digits.
_COMPANY = re.compile(r"^(?:\d{8}|[A-Z]{2}\d{6})$")


def normalise_charity_number(value: str) -> str:
    """A registered charity number in its standard form.

    >>> normalise_charity_number(" sc 012345 ")
    'SC012345'
    >>> normalise_charity_number("1123456-1")
    '1123456-1'
    """
    cleaned = re.sub(r"\s+", "", value or "").upper()
    if not _CHARITY.match(cleaned):
        raise ValidationError(
            f"{value!r} is not a charity number: England and Wales numbers are 6 to 8 digits "
            "(e.g. 1123456, or 1123456-1 for a linked charity), Scottish ones SC and 6 digits "
            "(SC012345), Northern Irish ones NIC and digits (NIC100002)."
        )
    return cleaned


def normalise_company_number(value: str) -> str:
    """A Companies House number in its standard form.

    >>> normalise_company_number("sc123456")
    'SC123456'
    """
    cleaned = re.sub(r"\s+", "", value or "").upper()
    if not _COMPANY.match(cleaned):
        raise ValidationError(
            f"{value!r} is not a company number: it has 8 characters, either 8 digits "
            "(01234567) or 2 letters and 6 digits (SC123456)."
        )
    return cleaned


class NormalisedString(fields.String):
    """A string checked and put into standard form by ``normaliser``."""

    def __init__(self, normaliser, **kwargs):
        super().__init__(**kwargs)
        self.normaliser = normaliser

    def _deserialize(self, value, attr, data, **kwargs):
        return self.normaliser(super()._deserialize(value, attr, data, **kwargs))


class OrganisationSchema(Schema):
    """An organisation: a charity, a faith group, a council service, a café."""

    id = fields.Integer(dump_only=True)
    name = public_name("Name", max_length=200)
    sector = choice("Sector", vocab.SECTORS, required=True)
    charity_number = NormalisedString(
        normalise_charity_number,
        allow_none=True,
        metadata={
            "label": "Charity number",
            "help": "If it is a registered charity: e.g. 1123456, SC012345 or NIC100002.",
        },
    )
    company_number = NormalisedString(
        normalise_company_number,
        allow_none=True,
        metadata={
            "label": "Company number",
            "help": "If it is a company: 8 characters, e.g. 01234567 or SC123456.",
        },
    )
    website = web_address("Website", help="The full address, e.g. https://example.org.uk")
    contact_email = email("Contact email", help="Shown to the public.")
    contact_phone = phone("Contact phone", help="Shown to the public.")
    description = text(
        "What the organisation does",
        max_length=5000,
        widget="textarea",
        help="Shown to the public.",
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)


class OrganisationListQuerySchema(ListQuerySchema):
    sector = choice("Sector", vocab.SECTORS, metadata={"description": "Only this sector."})
    q = fields.String(
        validate=validate.Length(max=100, error="Search for at most 100 characters."),
        metadata={"description": "Part of the organisation's name."},
    )


class OrganisationPageSchema(Schema):
    items = fields.List(fields.Nested(OrganisationSchema))
    pagination = fields.Nested(RegisterPaginationSchema)


class PartnershipSchema(Schema):
    """A working relationship with another organisation.

    For referrals the direction matters: this organisation refers people to
    the partner. It is public only once the partner has confirmed it.
    """

    id = fields.Integer(dump_only=True)
    organisation_id = fields.Integer(
        dump_only=True, metadata={"description": "The organisation that recorded it."}
    )
    partner_id = WholeNumber(
        required=True,
        strict=False,
        error_messages={
            "required": "Choose the partner organisation.",
            "invalid": "Partner must be an organisation's number, not {input!r}.",
        },
        metadata={
            "label": "Partner organisation",
            "description": "The partner organisation's id: find it by name with "
            "GET /organisations?q=part of its name.",
        },
    )
    kind = choice(
        "Kind of partnership",
        vocab.PARTNERSHIP_KINDS,
        required=True,
        help="For referrals: your organisation refers people to the partner.",
    )
    started_on = fields.Date(
        allow_none=True,
        error_messages={"invalid": "Started on must be a date like 2025-03-31, not {input!r}."},
        metadata={"label": "Started on"},
    )
    last_active_on = fields.Date(
        allow_none=True,
        error_messages={"invalid": "Last active must be a date like 2025-03-31, not {input!r}."},
        metadata={"label": "Last worked together on"},
    )
    notes = text(
        "Notes",
        max_length=2000,
        widget="textarea",
        help="Shown to the public: no personal details about anyone.",
    )
    status = fields.String(
        dump_only=True,
        metadata={
            "description": '"pending" until an admin of the partner confirms it (shown to the '
            'two organisations\' admins only), then "confirmed" (public).'
        },
    )
    confirmed_at = fields.DateTime(
        dump_only=True, metadata={"description": "When the partner confirmed it; null if not yet."}
    )
    partner_name = fields.Function(lambda p: p.partner.name, dump_only=True)
    organisation_name = fields.Function(lambda p: p.organisation.name, dump_only=True)


class CoAdminSchema(Schema):
    email = EmailAddress(
        required=True,
        error_messages={
            "required": "Enter their email address.",
            "invalid": "{input!r} is not an email address.",
        },
        metadata={
            "label": "Their email address",
            "help": "They must already have an account as an organisation admin.",
        },
    )
