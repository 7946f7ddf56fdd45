"""Building blocks of the people and consent schemas: stripped text, choices
from a vocabulary, postcodes, today's date in the UK. No Flask here.
"""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from betterway_map.domain import vocab
from betterway_map.domain.geo.postcodes import PostcodeError, normalise_postcode

__all__ = [
    "MAX_FREE_TEXT",
    "Postcode",
    "blank_to_none",
    "choice",
    "choices",
    "one_of",
    "text",
]

MAX_FREE_TEXT = 2000


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


def text(label: str, max_chars: int, *, required: bool = False, **metadata) -> fields.String:
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
        pre_load=_strip if required else blank_to_none,
        validate=checks,
        error_messages={
            "required": f"Enter {label.lower()}.",
            "null": f"Enter {label.lower()}.",
            "invalid": f"{label} must be text.",
        },
        metadata={"label": label, **metadata},
    )


def one_of(vocabulary, what: str) -> validate.OneOf:
    return validate.OneOf(
        vocab.values(vocabulary),
        error=f"{{input!r}} is not {what}; choose one of: {{choices}}.",
    )


def choice(vocabulary, label: str, what: str, **metadata) -> fields.String:
    """One optional value from a vocabulary."""
    return fields.String(
        allow_none=True,
        pre_load=blank_to_none,
        validate=one_of(vocabulary, what),
        metadata={"label": label, "choices": vocabulary, **metadata},
    )


def choices(vocabulary, label: str, what: str, **metadata) -> fields.List:
    """Several values from a vocabulary; repeats are dropped, order kept."""
    return fields.List(
        fields.String(validate=one_of(vocabulary, what)),
        load_default=list,
        post_load=lambda values: list(dict.fromkeys(values)),
        error_messages={"invalid": f"{label} must be a list of values."},
        metadata={"label": label, "choices": vocabulary, "widget": "checkboxes", **metadata},
    )


class Postcode(fields.String):
    """A UK postcode, loaded in its standard form ("E13 8QS")."""

    def _deserialize(self, value, attr, data, **kwargs):
        loaded = super()._deserialize(value, attr, data, **kwargs)
        try:
            return normalise_postcode(loaded)
        except PostcodeError as error:
            raise ValidationError(str(error)) from None
