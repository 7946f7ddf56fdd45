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

Whole numbers are bounded by what the database can hold, and a value of the
wrong type is refused with a message of its own, whatever the field:

>>> class Paged(Schema):
...     page = whole_number("Page", min_value=1)
...     site = web_address("Web site")
>>> Paged().validate({"page": 10**20, "site": 123})
{'page': ['Page must be between 1 and 2147483647, not 100000000000000000000.'], 'site': ['Web site must be text.']}
"""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate

from betterway_map.domain import text as text_rules
from betterway_map.domain import vocab
from betterway_map.domain.geo.postcodes import PostcodeError, normalise_postcode

__all__ = [
    "MAX_FREE_TEXT",
    "MAX_WHOLE_NUMBER",
    "PAGE_SIZE_MAX",
    "EmailAddress",
    "ListQuerySchema",
    "Postcode",
    "RegisterPaginationSchema",
    "WebAddress",
    "WholeNumber",
    "blank_to_none",
    "choice",
    "choices",
    "email",
    "one_of",
    "page_number",
    "phone",
    "public_name",
    "text",
    "web_address",
    "whole_number",
]

MAX_FREE_TEXT = 2000
PAGE_SIZE_MAX = 100
# The largest number a PostgreSQL ``integer`` column holds (ids, counts,
# pages): anything larger is refused as input, never sent to the database.
MAX_WHOLE_NUMBER = 2**31 - 1
_PHONE = re.compile(r"^\+?[0-9 ()\-]{6,30}$")


def _label(field: fields.Field) -> str:
    return field.metadata.get("label") or field.name or "This"


class WholeNumber(fields.Integer):
    """An integer that the database can hold: every loaded whole number is
    one of these, so that 10**20 is a clear message, not a failed query.

    The range in the message is the field's own ``Range`` within
    ±``MAX_WHOLE_NUMBER``.
    """

    def _validated(self, value):
        number = super()._validated(value)
        if -MAX_WHOLE_NUMBER <= number <= MAX_WHOLE_NUMBER:
            return number
        low, high = -MAX_WHOLE_NUMBER, MAX_WHOLE_NUMBER
        for rule in self.validators:
            if isinstance(rule, validate.Range):
                low = low if rule.min is None else max(low, rule.min)
                high = high if rule.max is None else min(high, rule.max)
        raise ValidationError(f"{_label(self)} must be between {low} and {high}, not {number}.")


class _TextOnly(fields.String):
    """Refuses a value that is not text before any message quotes it.

    marshmallow formats a string field's ``invalid`` message without the
    value when the value has the wrong type, so a message that quotes the
    value (``{input!r}``) would fail; it is used for badly formed text only.
    """

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, str):
            raise ValidationError(f"{_label(self)} must be text.")
        return super()._deserialize(value, attr, data, **kwargs)


class WebAddress(_TextOnly, fields.Url):
    """A web address; its ``invalid`` message may quote the value."""


class EmailAddress(_TextOnly, fields.Email):
    """An email address; its ``invalid`` message may quote the value."""


def _no_control_characters(label: str, *, multiline: bool):
    where = "" if multiline else " (it must fit on one line)"

    def check(value):
        char = value and text_rules.first_control_character(value, multiline=multiline)
        if char:
            raise ValidationError(
                f"{label} contains the control character {text_rules.describe(char)}{where}: "
                "remove it and try again."
            )

    return check


def _public_name_rules(label: str):
    def check(value):
        problem = value and text_rules.public_name_problem(label, value)
        if problem:
            raise ValidationError(problem)

    return check


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
    rules = [
        validate.Length(max=max_length, error=f"Use at most {max_length} characters."),
        _no_control_characters(label, multiline=metadata.get("widget") == "textarea"),
    ]
    if required:  # blank stays "" so that it fails here with a clear message
        rules.insert(0, validate.Length(min=1, error=f"Enter the {label.lower()}."))
    return _TextOnly(
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


def public_name(label: str, *, max_length: int, **metadata) -> fields.String:
    """A name everyone sees (an organisation's, a space's, a group's): required
    text that shows something and holds no bidirectional control characters."""
    field = text(label, max_length=max_length, required=True, **metadata)
    field.validators.append(_public_name_rules(label))
    return field


def whole_number(
    label: str, *, min_value: int, max_value: int | None = None, required: bool = False, **metadata
) -> fields.Integer:
    """An integer in a range, with messages that quote the value given; without
    ``max_value``, at most ``MAX_WHOLE_NUMBER``."""
    max_value = MAX_WHOLE_NUMBER if max_value is None else max_value
    message = f"{label} must be between {min_value} and {max_value}, not {{input}}."
    return WholeNumber(
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


def page_number(raw: str | None) -> int | None:
    """A page number from a query string (1 when blank), or None when ``raw``
    is not a whole number from 1 to ``MAX_WHOLE_NUMBER``.

    >>> page_number(None), page_number(" 3 "), page_number("0"), page_number("²"), page_number("9" * 20)
    (1, 3, None, None, None)
    """
    raw = (raw or "").strip() or "1"
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 10:
        return None
    return int(raw) if 1 <= int(raw) <= MAX_WHOLE_NUMBER else None


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
    return _TextOnly(
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
    return WebAddress(
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
    return EmailAddress(
        allow_none=True,
        pre_load=blank_to_none,
        validate=validate.Length(max=254, error="Use at most 254 characters."),
        error_messages={
            "invalid": "{input!r} is not an email address: expected something like name@example.org"
        },
        metadata={"label": label, **metadata},
    )


def phone(label: str, **metadata) -> fields.String:
    return _TextOnly(
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

    page = WholeNumber(
        load_default=1,
        validate=validate.Range(min=1, error="page must be 1 or more, not {input}."),
        error_messages={"invalid": "page must be a whole number, not {input!r}."},
        metadata={"description": "Which page of results, from 1."},
    )
    page_size = WholeNumber(
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
