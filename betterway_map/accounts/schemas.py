"""Users as a site admin sees and changes them (pages and API alike)."""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from betterway_map.domain import vocab
from betterway_map.web.fields import EmailAddress, whole_number
from betterway_map.web.fields import text as text_field

__all__ = [
    "UserCreateSchema",
    "UserRolesSchema",
    "UserActiveSchema",
    "UserSchema",
    "AuditFilterSchema",
]

_ROLE_CHOICE = validate.OneOf(
    vocab.values(vocab.ROLES),
    labels=list(vocab.labels(vocab.ROLES).values()),
    error="{input!r} is not a role; accepted roles are {choices}.",
)


def _roles_field() -> fields.List:
    return fields.List(
        fields.String(validate=_ROLE_CHOICE),
        required=True,
        validate=validate.Length(min=1, error="Choose at least one role."),
        metadata={"label": "Roles", "widget": "checkboxes"},
    )


class UserCreateSchema(Schema):
    email = EmailAddress(
        required=True,
        validate=validate.Length(max=254),
        error_messages={"invalid": "{input!r} is not an email address."},
        metadata={"label": "Email address", "help": "The set-password link is sent here."},
    )
    display_name = fields.String(
        validate=validate.Length(max=100, error="Use at most 100 characters."),
        metadata={"label": "Name", "help": "What other people on the site see."},
    )
    roles = _roles_field()


class UserRolesSchema(Schema):
    roles = _roles_field()


class UserActiveSchema(Schema):
    active = fields.Boolean(
        required=True, metadata={"label": "Active", "help": "Inactive users cannot sign in."}
    )


class UserSchema(Schema):
    id = fields.Integer(dump_only=True)
    email = fields.Email(dump_only=True)
    display_name = fields.String(dump_only=True)
    roles = fields.Function(lambda user: sorted(user.role_names), dump_only=True)
    active = fields.Boolean(dump_only=True)
    two_factor = fields.Function(lambda user: bool(user.totp_secret), dump_only=True)
    last_login_at = fields.DateTime(dump_only=True, allow_none=True)
    created_at = fields.DateTime(dump_only=True)


def _day(label: str, data_key: str) -> fields.Date:
    return fields.Date(
        data_key=data_key,
        load_default=None,
        error_messages={"invalid": f"{label} must be a date like 2026-12-03, not {{input!r}}."},
        metadata={"label": label},
    )


class AuditFilterSchema(Schema):
    """The audit log's filters, as its page and its CSV read them from the
    query string (blank values are dropped before loading)."""

    class Meta:
        unknown = EXCLUDE

    date_from = _day("Date from", "from")
    date_to = _day("Date to", "to")
    action = text_field("Action", max_length=20)
    subject_type = text_field("Subject type", max_length=40)
    subject_id = whole_number("Subject number", min_value=1)
    user = text_field("User (email address or number)", max_length=254)
    text = text_field("Text in the detail", max_length=200)
    bulk = fields.Boolean(
        load_default=False,
        truthy={"1", "on", "yes", "true"},
        falsy={"0", "off", "no", "false"},
        error_messages={"invalid": "Bulk reads only must be on or off, not {input!r}."},
    )
    page = whole_number("Page", min_value=1)
