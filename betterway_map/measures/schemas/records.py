"""Contacts, agreed rhythms and feedback: what each takes (pages and API
alike) and what each looks like to its reader. No Flask here.

>>> ContactRecordSchema().validate({"mode": "phone", "duration_min": -5})["duration_min"]
['-5 minutes is not a duration: give the minutes the contact lasted, from 1 to 1440 (a whole day).']
>>> FeedbackSchema().validate({"side": "person", "commitment": 6})["commitment"]
['6 is not a mark for commitment: give a whole number from 1 (strongly disagree) to 5 (strongly agree), or leave it unanswered.']
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validates_schema

from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures.relationships import (
    MARK_SCALE,
    MARKS,
    RHYTHM_FREQUENCIES,
    contact_date_problem,
    duration_problem,
    mark_problem,
)
from betterway_map.web.fields import MAX_FREE_TEXT, WholeNumber, choice, text

__all__ = [
    "ContactRecordSchema",
    "ContactRecordChangeSchema",
    "ContactLineSchema",
    "RhythmSchema",
    "RhythmViewSchema",
    "FeedbackSchema",
    "FeedbackLineSchema",
    "MARK_NAMES",
]

MARK_NAMES = tuple(name for name, *_ in MARKS)


def _check(problem):
    def check(value):
        message = problem(value)
        if message:
            raise ValidationError(message)

    return check


def _not_in_future(day):
    return contact_date_problem(day, today_in_uk())


def _day(label: str, help_text: str) -> fields.Date:
    """A day that has happened, today unless given."""
    return fields.Date(
        load_default=today_in_uk,
        validate=_check(_not_in_future),
        error_messages={
            "invalid": "{input!r} is not a date: give the day as YYYY-MM-DD, e.g. 2024-03-31.",
            "null": f"Give the {label.lower()}.",
        },
        metadata={"label": label, "help": help_text, "widget": "date"},
    )


def _minutes(label: str, help_text: str) -> WholeNumber:
    return WholeNumber(
        allow_none=True,
        strict=False,
        validate=_check(duration_problem),
        error_messages={
            "invalid": "{input!r} is not a number of minutes: give a whole number, e.g. 30."
        },
        metadata={"label": label, "help": help_text, "widget": "number"},
    )


class ContactRecordSchema(Schema):
    """One contact within a relationship."""

    contacted_on = _day("When", "Today, unless you are recording an earlier contact.")
    mode = choice(
        "How", vocab.CONTACT_MODES, required=True, what="a way of being in touch", widget="radio"
    )
    duration_min = _minutes("How long, in minutes", "Leave empty if you do not know.")
    note = text(
        "Private note",
        max_length=MAX_FREE_TEXT,
        widget="textarea",
        help="Optional. Only the person and the community workers who support them can read it.",
    )


class ContactRecordChangeSchema(ContactRecordSchema):
    """Some fields of a contact, for a change through the API."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class ContactLineSchema(Schema):
    """A contact as its reader may see it."""

    id = fields.Integer()
    kind = fields.String(metadata={"description": "match, group or caseload"})
    person_id = fields.Integer()
    match_id = fields.Integer(allow_none=True)
    group_id = fields.Integer(allow_none=True)
    worker_id = fields.Integer(allow_none=True)
    contacted_on = fields.Date()
    mode = fields.String()
    duration_min = fields.Integer(allow_none=True)
    with_volunteer_id = fields.Integer(allow_none=True)
    with_worker_id = fields.Integer(allow_none=True)
    note = fields.String(
        allow_none=True,
        metadata={"description": "Only to the person, their workers and whoever wrote it."},
    )
    note_hidden = fields.Boolean(metadata={"description": "There is a note you may not read."})
    yours = fields.Boolean(metadata={"description": "You recorded it: you may change it."})
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.AwareDateTime()


class RhythmSchema(Schema):
    """The agreed rhythm of a relationship."""

    frequency = choice(
        "How often", RHYTHM_FREQUENCIES, required=True, what="a rhythm", widget="radio"
    )
    duration_min = _minutes("For how long each time, in minutes", "Leave empty if not agreed.")
    agreed_on = _day("Agreed on", "Today, unless it was agreed earlier.")


class RhythmViewSchema(Schema):
    frequency = fields.String(allow_none=True)
    duration_min = fields.Integer(allow_none=True)
    agreed_on = fields.Date(allow_none=True)
    agreed = fields.Boolean(
        metadata={"description": "False: nothing agreed yet; the figures are a suggestion."}
    )
    source = fields.String(
        metadata={"description": "agreed, request (the match's request) or group (its meetings)"}
    )


def _mark(name: str, label: str) -> WholeNumber:
    return WholeNumber(
        allow_none=True,
        strict=False,
        validate=_check(lambda value: mark_problem(name, value)),
        error_messages={"invalid": f"{{input!r}} is not a mark for {label.lower()}: give 1 to 5."},
        metadata={"label": label, "widget": "radio", "choices": MARK_SCALE},
    )


class FeedbackSchema(Schema):
    """Feedback from one side on the six marks (each 1 to 5, or not answered)."""

    side = choice("Whose view", vocab.FEEDBACK_SIDES, required=True, what="a side", widget="radio")
    occasion = choice("When", vocab.FEEDBACK_OCCASIONS, what="an occasion", widget="radio")
    given_on = _day("Given on", "Today, unless it was given earlier.")
    understanding = _mark("understanding", MARKS[0][1])
    collaboration = _mark("collaboration", MARKS[1][1])
    commitment = _mark("commitment", MARKS[2][1])
    communication = _mark("communication", MARKS[3][1])
    empowerment = _mark("empowerment", MARKS[4][1])
    time_together = _mark("time_together", MARKS[5][1])

    @validates_schema
    def _some_answer(self, data, **kwargs):
        if not any(data.get(name) is not None for name in MARK_NAMES):
            raise ValidationError(
                "Answer at least one of the six statements (leave out any you would rather not)."
            )


class FeedbackLineSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    person_id = fields.Integer()
    match_id = fields.Integer(allow_none=True)
    group_id = fields.Integer(allow_none=True)
    worker_id = fields.Integer(allow_none=True)
    side = fields.String()
    given_for_person = fields.Boolean(
        metadata={"description": "The person's view, recorded for them by a community worker."}
    )
    occasion = fields.String()
    given_on = fields.Date()
    understanding = fields.Integer(allow_none=True)
    collaboration = fields.Integer(allow_none=True)
    commitment = fields.Integer(allow_none=True)
    communication = fields.Integer(allow_none=True)
    empowerment = fields.Integer(allow_none=True)
    time_together = fields.Integer(allow_none=True)
    recorded_by_id = fields.Integer(allow_none=True)
    recorded_at = fields.AwareDateTime()
