"""Groups attended: a person joining a group, and what its organisers see.

Organisers see an attendee's first name, since when they come and when they
last came: never contact details, age or postcode. No Flask here.
"""

from __future__ import annotations

from marshmallow import Schema, fields
from marshmallow.validate import Length, OneOf

from betterway_map.domain import vocab
from betterway_map.people.schemas.records import not_in_future
from betterway_map.web.fields import WholeNumber, one_of

__all__ = [
    "JoinGroupSchema",
    "AttendanceSchema",
    "AttendeeSchema",
    "NewAttendeeSchema",
    "AttendedSchema",
]


class JoinGroupSchema(Schema):
    """A person says they go to a group."""

    group_id = WholeNumber(
        required=True,
        strict=False,
        metadata={
            "label": "Group number",
            "help": "The number at the end of the group's web address, e.g. 12 in /groups/12.",
        },
    )
    since = fields.Date(
        allow_none=True,
        validate=not_in_future,
        metadata={
            "label": "Going since",
            "help": "For example 2024-03-31. Leave empty if not known.",
        },
    )
    # Only asked when a worker adds someone who has not yet agreed to this.
    consent_to_share = fields.Boolean(load_default=False, metadata={"form": False})
    consent_method = fields.String(
        allow_none=True,
        validate=one_of(vocab.CONSENT_METHODS, "a way of giving consent"),
        metadata={"form": False},
    )


class AttendanceSchema(Schema):
    """A person's place in a group, as they (or their worker) see it."""

    id = fields.Integer(dump_only=True)
    group_id = WholeNumber(dump_only=True)
    group_name = fields.Function(lambda row: row.group.name, dump_only=True)
    status = fields.String(dump_only=True)
    since = fields.Date(dump_only=True)
    last_attended_on = fields.Date(dump_only=True)


class AttendeeSchema(Schema):
    """What a group's organisers see of an attendee: first name only."""

    id = fields.Integer(dump_only=True)
    first_name = fields.Function(lambda row: row.person.first_name, dump_only=True)
    since = fields.Date(dump_only=True)
    last_attended_on = fields.Date(dump_only=True)


class NewAttendeeSchema(Schema):
    """Someone who comes to the group but is not on the register yet."""

    first_name = fields.String(
        required=True,
        validate=Length(1, 60, error="Use between 1 and 60 characters."),
        metadata={"label": "First name", "help": "First name only: no surname, address or phone."},
    )
    consent = fields.Boolean(
        required=True,
        validate=OneOf(
            [True],
            error="Tick this only when they have agreed; without it we cannot keep their name.",
        ),
        metadata={"label": "They agreed to their first name being kept on our group list"},
    )
    consent_method = fields.String(
        required=True,
        validate=one_of(vocab.CONSENT_METHODS, "a way of giving consent"),
        metadata={"label": "How did they agree?", "widget": "radio"},
    )
    since = fields.Date(
        allow_none=True,
        validate=not_in_future,
        metadata={
            "label": "Coming since",
            "help": "For example 2024-03-31. Leave empty if not known.",
        },
    )


class AttendedSchema(Schema):
    attended_on = fields.Date(
        required=True,
        validate=not_in_future,
        metadata={"label": "Came on", "help": "For example 2024-03-31."},
    )
