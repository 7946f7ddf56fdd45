"""The one set of field makers for every capability's schemas.

Every message names the value that was given and says what is accepted, so
the same text reads well beside a form field and in a JSON error. Text is
stripped, and an optional field left blank means "not given" (None), from a
page and from the API alike.

>>> from marshmallow import Schema
>>> class Example(Schema):
...     name = text("Name", max_length=5, required=True)
...     note = text("Note", max_length=20)
...     colour = choice("Colour", (("red", "Red"), ("blue", "Blue")))
>>> Example().load({"name": " Ada ", "note": "  ", "colour": ""})
{'name': 'Ada', 'note': None, 'colour': None}
>>> Example().validate({"name": "Adelaide", "colour": "green"})["colour"]
["'green' is not a choice for colour: choose one of red, blue."]
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate

from betterway_map.domain import vocab
from betterway_map.domain.geo.postcodes import PostcodeError, normalise_postcode

__all__ = [
    "MAX_FREE_TEXT",
    "PAGE_SIZE_MAX",
    "ListQuerySchema",
    "Postcode",
    "RegisterPaginationSchema",
    "blank_to_none",
    "choice",
    "choices",
    "email",
    "one_of",
    "phone",
    "text",
    "web_address",
    "whole_number",
]

MAX_FREE_TEXT = 2000
PAGE_SIZE_MAX = 100
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def blank_to_none(value):
    """Strip text; empty text means "not given".

    >>> blank_to_none("  "), blank_to_none(" Ada ")
    (None, 'Ada')
    """
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def text(label: str, *, max_length: int, required: bool = False, **metadata) -> fields.String:
    """Stripped text of at most ``max_length`` characters; an optional one left
    blank is None."""
    rules = [validate.Length(max=max_length, error=f"Use at most {max_length} characters.")]
    if required:  # blank stays "" so that it fails here with a clear message
        rules.insert(0, validate.Length(min=1, error=f"Enter the {label.lower()}."))
    return fields.String(
        required=required,
        allow_none=not required,
        pre_load=_strip if required else blank_to_none,
        validate=rules,
        error_messages={
            "required": f"Enter the {label.lower()}.",
            "null": f"Enter the {label.lower()}.",
            "invalid": f"{label} must be text.",
        },
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


def one_of(vocabulary, what: str) -> validate.OneOf:
    """A value of ``vocabulary`` (``(value, label)`` pairs); ``what`` names
    such a value in the message ("a kind of tie")."""
    values = vocab.values(vocabulary)
    return validate.OneOf(
        values,
        labels=[label for _, label in vocabulary],
        error=f"{{input!r}} is not {what}: choose one of {', '.join(values)}.",
    )


def choice(
    label: str, vocabulary, *, required: bool = False, what: str | None = None, **metadata
) -> fields.String:
    """One value of a controlled vocabulary (``vocab.*``); an optional one left blank is None."""
    return fields.String(
        required=required,
        allow_none=not required,
        pre_load=None if required else blank_to_none,
        validate=one_of(vocabulary, what or f"a choice for {label.lower()}"),
        error_messages={"required": f"Choose the {label.lower()}."},
        metadata={"label": label, **metadata},
    )


def choices(
    label: str, vocabulary, *, max_items: int | None = None, what: str | None = None, **metadata
) -> fields.List:
    """Any number of values of a vocabulary (at most 50, or all of a longer
    one); repeats are dropped, order kept."""
    max_items = max_items or max(50, len(vocabulary))
    inner = choice(label, vocabulary, required=True, what=what)
    return fields.List(
        inner,
        load_default=list,
        post_load=lambda values: list(dict.fromkeys(values)),
        validate=validate.Length(max=max_items, error=f"Choose at most {max_items}."),
        error_messages={"invalid": f"{label} must be a list of values."},
        metadata={"label": label, **metadata},
    )


def web_address(label: str, **metadata) -> fields.Url:
    """An http or https address (no javascript:, ftp: or bare names)."""
    return fields.Url(
        schemes={"http", "https"},
        require_tld=True,
        allow_none=True,
        pre_load=blank_to_none,
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
        pre_load=blank_to_none,
        validate=validate.Length(max=254, error="Use at most 254 characters."),
        error_messages={
            "invalid": "{input!r} is not an email address: expected something like name@example.org"
        },
        metadata={"label": label, **metadata},
    )


def phone(label: str, **metadata) -> fields.String:
    return fields.String(
        allow_none=True,
        pre_load=blank_to_none,
        validate=validate.Regexp(
            _PHONE,
            error="{input!r} is not a phone number: use digits, spaces, brackets, dashes "
            "and an optional + at the start (6 to 30 characters), e.g. 020 7946 0000",
        ),
        metadata={"label": label, "widget": "tel", **metadata},
    )


class Postcode(fields.String):
    """A UK postcode, loaded in its standard form ("E13 8QS")."""

    def _deserialize(self, value, attr, data, **kwargs):
        loaded = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_postcode(loaded)
        except PostcodeError as error:
            raise ValidationError(str(error)) from None


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
