"""Schemas of the rights: the reason for an erasure, one's own consents,
and what the API answers. No Flask here.

>>> ErasureSchema().load({"reason": "asked"})
{'reason': 'asked'}
"""

from __future__ import annotations

from marshmallow import Schema, fields

from betterway_map.domain import vocab
from betterway_map.web.fields import choice, choices

__all__ = [
    "ErasureSchema",
    "ErasedSchema",
    "OwnConsentSchema",
    "PurposeStateSchema",
    "SubjectAccessSchema",
    "ReviewRowSchema",
]


class ErasureSchema(Schema):
    reason = choice(
        "Why the records are erased",
        vocab.ERASURE_REASONS,
        required=True,
        what="a reason for erasure",
        widget="radio",
        choices=vocab.ERASURE_REASONS,
        help="Only the reason is kept, with who erased the records and when.",
    )


class ErasedSchema(Schema):
    erased = fields.Boolean(metadata={"description": "Always true."})
    account_deleted = fields.Boolean(
        metadata={"description": "The person's own resident account was deleted too."}
    )
    counts = fields.Dict(
        keys=fields.String(),
        values=fields.Integer(),
        metadata={"description": "How many records of each kind were removed."},
    )


class OwnConsentSchema(Schema):
    purposes = choices(
        "What you agree to",
        vocab.CONSENT_PURPOSES_OWN,
        what="something to agree to",
        widget="checkboxes",
        choices=vocab.CONSENT_PURPOSES_OWN,
    )


class PurposeStateSchema(Schema):
    purpose = fields.String()
    label = fields.String()
    given = fields.Boolean()
    given_on = fields.Date(allow_none=True)
    withdrawn_on = fields.Date(allow_none=True)


class SubjectAccessSchema(Schema):
    exported_at = fields.String()
    account = fields.Dict()
    person = fields.Dict()
    note = fields.String()


class ReviewRowSchema(Schema):
    person_id = fields.Integer()
    first_name = fields.String()
    last_name = fields.String(allow_none=True)
    last_activity = fields.Date(allow_none=True)
    reviewed_on = fields.Date(allow_none=True)
