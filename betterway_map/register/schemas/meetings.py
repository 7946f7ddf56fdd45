"""The forms on a group's manage page that change its meetings: cancel one
meeting of its rule, move one, and add a one-off meeting.

Their fields have keys of their own (``cancel_date``, ``move_to``,
``one_off_start``...) because they share the page with the group's own
form. Fields are checked here; whether the date is one of the group's
meetings, in the past, already cancelled or clashing with another meeting
is checked by the service against the group
(``register.services.meeting_changes``).
"""

from __future__ import annotations

from marshmallow import Schema, fields

from betterway_map.web.fields import WholeNumber, public_name, text

__all__ = ["CancelMeetingSchema", "MoveMeetingSchema", "OneOffSchema"]


def _date(label: str, key: str, **metadata) -> fields.Date:
    return fields.Date(
        required=True,
        data_key=key,
        error_messages={
            "invalid": f"{label} must be a date like 2026-03-31, not {{input!r}}.",
            "required": f"Enter the {label.lower()}.",
        },
        metadata={"label": label, **metadata},
    )


def _keyed(field: fields.Field, key: str) -> fields.Field:
    field.data_key = key
    return field


def _time(label: str, key: str, example: str, *, required: bool = True, **metadata) -> fields.Time:
    return fields.Time(
        required=required,
        allow_none=not required,
        data_key=key,
        error_messages={
            "invalid": f"{label} must be a time like {example}, not {{input!r}}.",
            "required": f"Enter the {label.lower()}.",
        },
        metadata={"label": label, **metadata},
    )


def _space(label: str, key: str) -> WholeNumber:
    return WholeNumber(
        allow_none=True,
        data_key=key,
        strict=False,
        error_messages={"invalid": "The place must be a space's number, not {input!r}."},
        metadata={
            "label": label,
            "widget": "select",
            "help": "Leave as it is for the group's usual place.",
        },
    )


class CancelMeetingSchema(Schema):
    """One meeting of the group's rule that will not happen."""

    occurs_on = _date(
        "Date of the meeting", "cancel_date", help="One of the dates the group meets on."
    )
    reason = _keyed(
        text(
            "Why (optional)",
            max_length=200,
            help="Shown on the group's page and in calendars: for example, the hall is closed.",
        ),
        "cancel_reason",
    )


class MoveMeetingSchema(Schema):
    """One meeting of the group's rule that happens at another time or place."""

    occurs_on = _date(
        "The meeting's usual date",
        "move_date",
        help="One of the dates the group meets on.",
    )
    moved_on = _date("New date", "move_to", help="The same date, to change only the time or place.")
    start_time = _time(
        "New start time",
        "move_start",
        "10:30",
        required=False,
        help="Leave empty for the usual time.",
    )
    end_time = _time(
        "New end time",
        "move_end",
        "12:00",
        required=False,
        help="Leave empty for the meeting's usual length.",
    )
    space_id = _space("New place", "move_space")
    reason = _keyed(
        text(
            "Why it is moved (optional)",
            max_length=200,
            help="Shown on the group's page and in calendars: for example, the hall is booked.",
        ),
        "move_reason",
    )


class OneOffSchema(Schema):
    """A meeting of the group on a day its rule does not have."""

    title = _keyed(
        public_name(
            "Name of the meeting",
            max_length=200,
            help="For example: Christmas lunch, or Extra meeting.",
        ),
        "one_off_title",
    )
    occurs_on = _date("Date", "one_off_date")
    start_time = _time("Start time", "one_off_start", "10:30")
    end_time = _time("End time", "one_off_end", "12:00")
    space_id = _space("Where", "one_off_space")
