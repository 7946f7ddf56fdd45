"""Field makers and helpers shared by the organisation, space and group schemas.

Every message names the value that was given and says what is accepted, so
the same text reads well beside a form field and in a JSON error.
"""

from __future__ import annotations

import re

from marshmallow import Schema, fields, validate

__all__ = [
    "PAGE_SIZE_MAX",
    "text",
    "whole_number",
    "choice",
    "choices",
    "web_address",
    "email",
    "phone",
    "ListQuerySchema",
    "RegisterPaginationSchema",
]

PAGE_SIZE_MAX = 100
_PHONE = re.compile(r"^\+?[0-9 ()\-]{7,25}$")


def text(label: str, *, max_length: int, required: bool = False, **metadata) -> fields.String:
    """A trimmed string of at most ``max_length`` characters (optional ones may be null)."""
    rules = [validate.Length(max=max_length, error=f"Use at most {max_length} characters.")]
    if required:
        rules.append(validate.Length(min=1, error=f"Enter the {label.lower()}."))
    return fields.String(
        required=required,
        allow_none=not required,
        validate=rules,
        error_messages={"required": f"Enter the {label.lower()}."},
        metadata={"label": label, **metadata},
    )


def whole_number(
    label: str, *, min_value: int, max_value: int | None = None, required: bool = False, **metadata
) -> fields.Integer:
    """An integer in a range, with messages that quote the value given."""
    if max_value is None:
        message = f"{label} must be {min_value} or more, not {{input}}."
    else:
        message = f"{label} must be between {min_value} and {max_value}, not {{input}}."
    return fields.Integer(
        required=required,
        allow_none=not required,
        strict=False,
        validate=validate.Range(min=min_value, max=max_value, error=message),
        error_messages={
            "invalid": f"{label} must be a whole number, not {{input!r}}.",
            "required": f"Enter the {label.lower()}.",
        },
        metadata={"label": label, **metadata},
    )


def choice(label: str, vocabulary, *, required: bool = False, **metadata) -> fields.String:
    """One value of a controlled vocabulary (``vocab.*``)."""
    values = [value for value, _ in vocabulary]
    return fields.String(
        required=required,
        allow_none=not required,
        validate=validate.OneOf(
            values,
            labels=[label_ for _, label_ in vocabulary],
            error=f"{{input!r}} is not a choice for {label.lower()}: choose one of {', '.join(values)}.",
        ),
        error_messages={"required": f"Choose the {label.lower()}."},
        metadata={"label": label, **metadata},
    )


def choices(label: str, vocabulary, *, max_items: int = 50, **metadata) -> fields.List:
    """Any number of values of a vocabulary; duplicates are dropped on load."""
    inner = choice(label, vocabulary, required=True)
    return fields.List(
        inner,
        load_default=list,
        validate=validate.Length(max=max_items, error=f"Choose at most {max_items}."),
        metadata={"label": label, **metadata},
    )


def web_address(label: str, **metadata) -> fields.Url:
    """An http or https address (no javascript:, ftp: or bare names)."""
    return fields.Url(
        schemes={"http", "https"},
        require_tld=True,
        allow_none=True,
        validate=validate.Length(max=500, error="Use at most 500 characters."),
        error_messages={
            "invalid": "{input!r} is not a web address: give the full address, "
            "starting http:// or https://, e.g. https://example.org.uk"
        },
        metadata={"label": label, **metadata},
    )


def email(label: str, **metadata) -> fields.Email:
    return fields.Email(
        allow_none=True,
        validate=validate.Length(max=254, error="Use at most 254 characters."),
        error_messages={
            "invalid": "{input!r} is not an email address: expected something like name@example.org"
        },
        metadata={"label": label, **metadata},
    )


def phone(label: str, **metadata) -> fields.String:
    return fields.String(
        allow_none=True,
        validate=validate.Regexp(
            _PHONE,
            error="{input!r} is not a phone number: use digits, spaces and an optional "
            "leading +, e.g. 020 7946 0000",
        ),
        metadata={"label": label, **metadata},
    )


class ListQuerySchema(Schema):
    """Paging arguments of every list (pages and API)."""

    page = fields.Integer(
        load_default=1,
        validate=validate.Range(min=1, error="page must be 1 or more, not {input}."),
        error_messages={"invalid": "page must be a whole number, not {input!r}."},
        metadata={"description": "Which page of results, from 1."},
    )
    page_size = fields.Integer(
        load_default=20,
        validate=validate.Range(
            min=1,
            max=PAGE_SIZE_MAX,
            error=f"page_size must be between 1 and {PAGE_SIZE_MAX}, not {{input}}.",
        ),
        error_messages={"invalid": "page_size must be a whole number, not {input!r}."},
        metadata={"description": f"How many results per page, 1 to {PAGE_SIZE_MAX}."},
    )


class RegisterPaginationSchema(Schema):
    """Where a page of results sits in the whole list."""

    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer(metadata={"description": "How many records match, on all pages."})
    pages = fields.Integer()
