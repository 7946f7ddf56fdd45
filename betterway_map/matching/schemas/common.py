"""Fields shared by requests for support and volunteers' offers.

The availability grid is ``vocab.AVAILABILITY`` (a morning, afternoon or
evening of each day, e.g. ``"tue_pm"``); a value outside it is refused with
a message that names it and lists the accepted ones. No Flask here.
"""

from __future__ import annotations

from marshmallow import fields, validate

from betterway_map.domain import vocab
from betterway_map.web.fields import MAX_WHOLE_NUMBER, WholeNumber, blank_to_none, choices

__all__ = [
    "MAX_TRAVEL_KM",
    "availability",
    "at_least_one",
    "person_ids",
    "travel_km",
]

# A volunteer's or a person's journey, as far as matching goes: a county is
# not a neighbourhood, and befriending works best close to home.
MAX_TRAVEL_KM = 50


def availability(label: str, help_text: str, **metadata) -> fields.List:
    """Times of the week from the grid; rendered by ``matching/_availability_grid.html``."""
    return choices(
        label,
        vocab.AVAILABILITY,
        what="a time of the week",
        help=help_text,
        widget="grid",
        **metadata,
    )


def at_least_one(field: fields.List, message: str) -> fields.List:
    """``field`` (a list) refusing an empty list with ``message``."""
    field.validators.append(validate.Length(min=1, error=message))
    return field


def travel_km(label: str, *, required: bool = False, **metadata) -> fields.Float:
    """A distance from 0 to ``MAX_TRAVEL_KM`` km."""
    message = f"{{input}} km is not accepted: enter a distance from 0 to {MAX_TRAVEL_KM} km."
    return fields.Float(
        required=required,
        allow_none=not required,
        pre_load=blank_to_none,
        validate=validate.Range(min=0, max=MAX_TRAVEL_KM, error=message),
        error_messages={
            "invalid": f"{{input!r}} is not a distance: enter a number of kilometres from 0 "
            f"to {MAX_TRAVEL_KM}.",
            "special": f"Enter a number of kilometres from 0 to {MAX_TRAVEL_KM}.",
            "required": f"Enter a distance from 0 to {MAX_TRAVEL_KM} km.",
            "null": f"Enter a distance from 0 to {MAX_TRAVEL_KM} km.",
        },
        metadata={
            "label": label,
            "help": f"In kilometres, from 0 to {MAX_TRAVEL_KM}. A mile is about 1.6 km.",
            **metadata,
        },
    )


def person_ids(label: str, help_text: str) -> fields.List:
    """People's numbers (ids), typed separated by commas on a page; repeats dropped."""
    inner = WholeNumber(
        strict=False,
        validate=validate.Range(
            min=1,
            max=MAX_WHOLE_NUMBER,
            error=f"{{input}} is not a person's number: numbers run from 1 to {MAX_WHOLE_NUMBER}.",
        ),
        error_messages={"invalid": "{input!r} is not a person's number: use digits, like 42."},
    )
    return fields.List(
        inner,
        load_default=list,
        post_load=lambda values: list(dict.fromkeys(values)),
        validate=validate.Length(max=100, error="Give at most 100 numbers."),
        error_messages={"invalid": f"{label} must be a list of numbers."},
        metadata={"label": label, "help": help_text, "widget": "tags"},
    )
