"""What each step of a match's journey takes, for the pages and the API alike;
and what a match looks like to whoever reads it (the API's answers)."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from betterway_map.domain import vocab
from betterway_map.web.fields import choice, text

__all__ = [
    "ANSWERS",
    "AnswerSchema",
    "ReviewSchema",
    "WithdrawSchema",
    "AskToEndSchema",
    "EndSchema",
    "MatchSchema",
    "MatchLineSchema",
    "ContactViewSchema",
]

ANSWERS = (("accept", "Yes, I accept"), ("decline", "No, I decline"))
REASON_MAX = 1000


def _yes_no(label: str, message: str, **metadata) -> fields.Boolean:
    """A yes/no question with no answer chosen for the person: two radio buttons."""
    return fields.Boolean(
        required=True,
        error_messages={"required": message, "null": message},
        metadata={
            "label": label,
            "widget": "radio",
            "choices": (("true", "Yes"), ("false", "No")),
            **metadata,
        },
    )


class AnswerSchema(Schema):
    """Accepting or declining a proposed match; a decline says why."""

    answer = choice("Your answer", ANSWERS, required=True, what="an answer", widget="radio")
    reason = text(
        "Reason",
        max_length=REASON_MAX,
        widget="textarea",
        help="Needed when declining; seen only by the community workers who arrange matches.",
    )

    @validates_schema
    def _decline_says_why(self, data, **kwargs):
        if data.get("answer") == "decline" and not data.get("reason"):
            raise ValidationError({"reason": ["Say why, in a few words, when declining."]})


class WithdrawSchema(Schema):
    """A worker withdrawing a proposal not yet approved, saying why. (``note``,
    not ``reason``: the page may show this form beside an answer's, whose
    ``reason`` field would otherwise share its id.)"""

    note = text(
        "Why it is withdrawn",
        max_length=REASON_MAX,
        required=True,
        widget="textarea",
        help="Seen only by community workers. The volunteer is told it is withdrawn, not why.",
    )


class ReviewSchema(Schema):
    """A worker's review of an active match."""

    note = text(
        "How it is going",
        max_length=REASON_MAX,
        required=True,
        widget="textarea",
        help="What both said, and anything to follow up. Seen only by community workers.",
    )


class AskToEndSchema(Schema):
    """A volunteer or a person asking to end their match."""

    reason = text(
        "Why you would like to end it",
        max_length=REASON_MAX,
        required=True,
        widget="textarea",
        help="A community worker will read this and talk it through with you.",
    )


class EndSchema(Schema):
    """A worker ending an active match."""

    end_kind = choice(
        "How it ended", vocab.MATCH_ENDINGS, required=True, what="a kind of ending", widget="radio"
    )
    reason = text("Reason", max_length=REASON_MAX, required=True, widget="textarea")
    ended_well = _yes_no(
        "Did it end well?",
        "Say whether it ended well (it counts in favour of matching them again).",
    )
    still_wants_support = _yes_no(
        "Does the person still want support?",
        "Say whether the person still wants support: if so their request opens again.",
    )


# What a match looks like to its reader (the API's answers).
class PartySchema(Schema):
    first_name = fields.String()
    area = fields.String(allow_none=True, metadata={"description": "The postcode district."})
    last_name = fields.String(allow_none=True)
    postcode = fields.String(allow_none=True)
    person_id = fields.Integer(
        allow_none=True, metadata={"description": "Only to those who look after them."}
    )


class RequestDetailSchema(Schema):
    frequency = fields.String()
    duration_min = fields.Integer()
    availability = fields.List(fields.String())
    languages = fields.List(fields.String())
    interests = fields.List(fields.String())
    lived_experience = fields.List(fields.String())
    comes_to_me = fields.Boolean()
    travel_km = fields.Float(allow_none=True)
    notes = fields.String(allow_none=True)
    status = fields.String()


class EventSchema(Schema):
    at = fields.AwareDateTime()
    step = fields.String()
    note = fields.String(allow_none=True)


class MatchSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    kind = fields.String()
    frequency = fields.String()
    reasons = fields.List(fields.String())
    roles = fields.List(fields.String(), metadata={"description": "Your parts in this match."})
    actions = fields.List(fields.String(), metadata={"description": "The steps you may take now."})
    volunteer = fields.Nested(PartySchema)
    person = fields.Nested(PartySchema)
    request = fields.Nested(RequestDetailSchema, allow_none=True)
    volunteer_response = fields.String(allow_none=True)
    person_response = fields.String(allow_none=True)
    started_on = fields.Date(allow_none=True)
    next_review_on = fields.Date(allow_none=True)
    end_requested_by = fields.String(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    end_kind = fields.String(allow_none=True)
    ended_well = fields.Boolean(allow_none=True)
    events = fields.List(fields.Nested(EventSchema))
    contact_available = fields.Boolean(
        metadata={
            "description": "You may ask for the other side's address and phone "
            "(GET .../contact, with a fresh sign-in)."
        }
    )


class ContactSchema(Schema):
    side = fields.String(metadata={"description": "volunteer or person"})
    first_name = fields.String()
    area = fields.String(allow_none=True, metadata={"description": "The postcode district."})
    address = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)


class ContactViewSchema(Schema):
    id = fields.Integer()
    kind_label = fields.String()
    volunteer_first_name = fields.String()
    person_first_name = fields.String()
    contacts = fields.List(fields.Nested(ContactSchema))


class MatchLineSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    kind = fields.String()
    volunteer_first_name = fields.String()
    volunteer_area = fields.String(allow_none=True)
    person_first_name = fields.String()
    person_area = fields.String(allow_none=True)
    waiting_for = fields.String(metadata={"description": "Who must act next, in words."})
    needs_you = fields.Boolean(metadata={"description": "Whether it waits for your answer."})
    next_review_on = fields.Date(allow_none=True)
