"""Spaces: places where people meet, with their opening times and access."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from betterway_map.domain import vocab
from betterway_map.web.fields import (
    ListQuerySchema,
    Postcode,
    RegisterPaginationSchema,
    WholeNumber,
    public_name,
    text,
    whole_number,
)

__all__ = [
    "OpeningTimeSchema",
    "SpaceSchema",
    "SpaceUpdateSchema",
    "SpaceListQuerySchema",
    "SpacePageSchema",
    "check_opening_times",
]

_DAY_ORDER = {day: index for index, (day, _) in enumerate(vocab.WEEKDAYS)}


class ClockTime(fields.Time):
    """A time of day as "HH:MM", as a time input sends it."""

    def __init__(self, label: str, **kwargs):
        super().__init__(
            error_messages={
                "invalid": f"{label} must be a time like 09:30, not {{input!r}}.",
                "required": f"Enter the {label.lower()}.",
            },
            metadata={"label": label},
            **kwargs,
        )

    def _serialize(self, value, attr, obj, **kwargs):
        if isinstance(value, str):  # opening times are stored as "HH:MM" already
            return value
        return None if value is None else value.strftime("%H:%M")


class OpeningTimeSchema(Schema):
    """Open on ``day`` from ``opens`` until ``closes``."""

    day = fields.String(
        required=True,
        validate=validate.OneOf(
            list(_DAY_ORDER),
            error="{input!r} is not a day: use one of mon, tue, wed, thu, fri, sat, sun.",
        ),
        error_messages={"required": "Give the day (mon to sun)."},
    )
    opens = ClockTime("Opening time", required=True)
    closes = ClockTime("Closing time", required=True)

    @validates_schema
    def _complete(self, data, **kwargs):
        # A partial update (PATCH) leaves out fields of the space, never half a row.
        missing = [name for name in ("day", "opens", "closes") if name not in data]
        if missing:
            raise ValidationError(
                {name: [self.fields[name].error_messages["required"]] for name in missing}
            )

    @validates_schema
    def _opens_before_closes(self, data, **kwargs):
        if "opens" in data and "closes" in data and data["opens"] >= data["closes"]:
            raise ValidationError(
                f"On {vocab.labels(vocab.WEEKDAYS).get(data.get('day'), data.get('day'))} the closing time {data['closes']:%H:%M} must be after "
                f"the opening time {data['opens']:%H:%M}.",
                "closes",
            )


def check_opening_times(rows: list[dict]) -> list[dict]:
    """Loaded opening times as stored: sorted by day and time, "HH:MM", no overlaps.

    Raises ``ValidationError`` when two times on one day overlap.
    """
    ordered = sorted(rows, key=lambda row: (_DAY_ORDER[row["day"]], row["opens"]))
    for before, after in zip(ordered, ordered[1:]):
        if before["day"] == after["day"] and after["opens"] < before["closes"]:
            raise ValidationError(
                f"The times on {vocab.labels(vocab.WEEKDAYS)[after['day']]} overlap: "
                f"{before['opens']:%H:%M}–{before['closes']:%H:%M} and "
                f"{after['opens']:%H:%M}–{after['closes']:%H:%M}."
            )
    return [
        {"day": row["day"], "opens": f"{row['opens']:%H:%M}", "closes": f"{row['closes']:%H:%M}"}
        for row in ordered
    ]


class SpaceSchema(Schema):
    """A place where people meet: a hall, a library, a café, a garden."""

    id = fields.Integer(dump_only=True)
    organisation_id = WholeNumber(
        required=True,
        strict=False,
        error_messages={
            "required": "Say which organisation the space belongs to.",
            "invalid": "organisation_id must be a whole number, not {input!r}.",
        },
        metadata={"form": False, "description": "The organisation that runs the space."},
    )
    name = public_name("Name of the space", max_length=200)
    description = text("About the space", max_length=5000, widget="textarea")
    address = text(
        "Address", max_length=300, required=True, widget="textarea", help="Without the postcode."
    )
    postcode = Postcode(
        required=True,
        error_messages={"required": "Enter the postcode."},
        metadata={"label": "Postcode", "help": "For example E13 8QS."},
    )
    latitude = fields.Float(
        allow_none=True,
        validate=validate.Range(
            min=-90, max=90, error="Latitude must be between -90 and 90, not {input}."
        ),
        error_messages={"invalid": "Latitude must be a number, not {input!r}."},
        metadata={
            "label": "Latitude",
            "help": "Optional, with longitude: e.g. 51.5074. Leave both empty and the space is placed from its postcode.",
        },
    )
    longitude = fields.Float(
        allow_none=True,
        validate=validate.Range(
            min=-180, max=180, error="Longitude must be between -180 and 180, not {input}."
        ),
        error_messages={"invalid": "Longitude must be a number, not {input!r}."},
        metadata={"label": "Longitude", "help": "Optional, with latitude: e.g. -0.1278."},
    )
    capacity = whole_number(
        "Capacity", min_value=1, max_value=100_000, help="How many people fit in the space."
    )
    opening_times = fields.List(
        fields.Nested(OpeningTimeSchema),
        load_default=list,
        validate=validate.Length(max=50, error="Give at most 50 opening times."),
        metadata={"form": False, "description": "When it is open, per weekday."},
    )
    step_free = fields.Boolean(
        load_default=False, metadata={"label": "Step-free access to the space and its toilets"}
    )
    hearing_loop = fields.Boolean(load_default=False, metadata={"label": "Hearing loop"})
    accessible_toilet = fields.Boolean(load_default=False, metadata={"label": "Accessible toilet"})
    parking = fields.Boolean(load_default=False, metadata={"label": "Parking"})
    hire_cost_pence = whole_number(
        "Hire cost",
        min_value=0,
        max_value=10_000_000,
        form=False,
        description="Pence per hour; null when not for hire, 0 when free.",
    )
    hire_cost_note = text(
        "About hiring", max_length=200, help="For example: half price for community groups."
    )
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)

    @post_load
    def _tidy_opening_times(self, data, **kwargs):
        if data.get("opening_times"):
            try:
                data["opening_times"] = check_opening_times(data["opening_times"])
            except ValidationError as error:
                raise ValidationError(error.messages, "opening_times") from None
        return data


class SpaceUpdateSchema(SpaceSchema):
    """The same, without ``organisation_id``: a space cannot move to another organisation."""

    class Meta:
        exclude = ("organisation_id",)


class SpaceListQuerySchema(ListQuerySchema):
    organisation_id = WholeNumber(
        validate=validate.Range(min=1, error="organisation_id must be 1 or more, not {input}."),
        error_messages={"invalid": "organisation_id must be a whole number, not {input!r}."},
        metadata={"description": "Only the spaces of this organisation."},
    )
    step_free = fields.Boolean(
        error_messages={"invalid": "step_free must be true or false, not {input!r}."},
        metadata={"description": "Only step-free spaces."},
    )
    hearing_loop = fields.Boolean(
        error_messages={"invalid": "hearing_loop must be true or false, not {input!r}."},
        metadata={"description": "Only spaces with a hearing loop."},
    )


class SpacePageSchema(Schema):
    items = fields.List(fields.Nested(SpaceSchema))
    pagination = fields.Nested(RegisterPaginationSchema)
