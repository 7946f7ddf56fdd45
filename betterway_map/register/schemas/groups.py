"""Groups: what meets, when (a recurrence rule), where, who for and at what cost.

Single fields are checked by ``GroupSchema``; the rules that tie fields
together (age range, schedule, venue) are checked by ``check_group`` on the
whole record, so that a partial update is judged together with what is
already stored.
"""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates

from betterway_map.domain import vocab
from betterway_map.domain.clock import now_in_uk, today_in_uk
from betterway_map.domain.schedule.meetings import changes_of, meetings
from betterway_map.domain.schedule.recurrence import ScheduleError, describe, schedule_of
from betterway_map.web.fields import (
    ListQuerySchema,
    RegisterPaginationSchema,
    WholeNumber,
    choice,
    choices,
    email,
    phone,
    public_name,
    text,
    web_address,
    whole_number,
)

__all__ = [
    "GroupSchema",
    "GroupUpdateSchema",
    "GroupListQuerySchema",
    "GroupPageSchema",
    "GroupStatusSchema",
    "check_group",
    "AGE_MIN",
    "AGE_MAX",
]

AGE_MIN, AGE_MAX = 18, 120
MAX_TAGS = 10


def _date(label: str, *, required: bool = False, **metadata) -> fields.Date:
    return fields.Date(
        required=required,
        allow_none=not required,
        error_messages={
            "invalid": f"{label} must be a date like 2026-03-31, not {{input!r}}.",
            "required": f"Enter the {label.lower()}.",
        },
        metadata={"label": label, **metadata},
    )


def check_group(values: dict) -> dict[str, list[str]]:
    """The errors of a whole group record, by field; empty when it is sound.

    >>> check_group({"age_min": 70, "age_max": 60})["age_max"]
    ['The oldest age (60) must be at least the youngest age (70).']
    """
    errors: dict[str, list[str]] = {}
    low, high = values.get("age_min"), values.get("age_max")
    if low is not None and high is not None and low > high:
        errors["age_max"] = [f"The oldest age ({high}) must be at least the youngest age ({low})."]
    if values.get("online") and not values.get("online_url"):
        errors["online_url"] = ["Give the web address people use to join online."]
    if values.get("frequency") == "monthly" and values.get("nth") is None:
        errors["nth"] = ["A monthly group needs which week: first, second, third, fourth or last."]
    needed = ("frequency", "weekday", "start_time", "end_time", "starts_on")
    if not errors.get("nth") and all(values.get(name) is not None for name in needed):
        try:
            schedule_of(values)
        except ScheduleError as error:
            field = "ends_on" if "end date" in str(error) else "end_time"
            if "nth" in str(error):
                field = "nth"
            errors.setdefault(field, []).append(str(error)[0].upper() + str(error)[1:])
    return errors


class GroupSchema(Schema):
    """Something that meets: a lunch club, a choir, a walking group."""

    id = fields.Integer(dump_only=True)
    organisation_id = WholeNumber(
        required=True,
        strict=False,
        error_messages={
            "required": "Say which organisation runs the group.",
            "invalid": "organisation_id must be a whole number, not {input!r}.",
        },
        metadata={"form": False, "description": "The organisation that runs the group."},
    )
    name = public_name("Name of the group", max_length=200)
    description = text("What happens at the group", max_length=5000, widget="textarea")
    interests = choices("Interests", vocab.INTERESTS, max_items=len(vocab.INTERESTS))
    tags = fields.List(
        fields.String(
            validate=validate.Length(min=1, max=40, error="Keep each tag under 40 characters.")
        ),
        load_default=list,
        validate=validate.Length(max=MAX_TAGS, error=f"Give at most {MAX_TAGS} tags."),
        metadata={
            "label": "Other tags",
            "widget": "tags",
            "help": "Words people might search for, separated by commas: e.g. knitting, tea.",
        },
    )
    audiences = choices("Who it is for", vocab.AUDIENCES)
    age_min = whole_number(
        "Youngest age", min_value=AGE_MIN, max_value=AGE_MAX, help="Leave empty if any adult."
    )
    age_max = whole_number("Oldest age", min_value=AGE_MIN, max_value=AGE_MAX)
    space_id = WholeNumber(
        allow_none=True,
        strict=False,
        error_messages={"invalid": "The space must be a space's number, not {input!r}."},
        metadata={
            "label": "Where it meets",
            "widget": "select",
            "help": "One of your organisation's spaces.",
        },
    )
    online = fields.Boolean(load_default=False, metadata={"label": "It meets online"})
    online_url = web_address("Web address to join online", help="Needed when it meets online.")
    frequency = choice("How often", vocab.RECURRENCE_FREQUENCIES, required=True)
    weekday = choice("Day of the week", vocab.WEEKDAYS, required=True)
    nth = WholeNumber(
        allow_none=True,
        strict=False,
        validate=validate.OneOf(
            [value for value, _ in vocab.NTH_WEEKDAY],
            labels=[label for _, label in vocab.NTH_WEEKDAY],
            error="Which week must be 1, 2, 3, 4 or -1 (the last), not {input}.",
        ),
        error_messages={
            "invalid": "Which week must be 1, 2, 3, 4 or -1 (the last), not {input!r}."
        },
        metadata={"label": "Which week of the month", "help": "Only for monthly groups."},
    )
    start_time = fields.Time(
        required=True,
        error_messages={
            "invalid": "Start time must be a time like 10:30, not {input!r}.",
            "required": "Enter the start time.",
        },
        metadata={"label": "Start time"},
    )
    end_time = fields.Time(
        required=True,
        error_messages={
            "invalid": "End time must be a time like 12:00, not {input!r}.",
            "required": "Enter the end time.",
        },
        metadata={"label": "End time"},
    )
    starts_on = _date(
        "First meeting on", required=True, help="Fortnights are counted from this date."
    )
    ends_on = _date("Last meeting on", help="Leave empty if it carries on.")
    cost_pence = whole_number(
        "Cost", min_value=0, max_value=1_000_000, form=False, description="Pence; 0 when free."
    )
    cost_note = text("About the cost", max_length=200, help="For example: includes lunch.")
    capacity = whole_number("Places", min_value=1, max_value=100_000)
    contact_email = email("Contact email", help="Shown to the public.")
    contact_phone = phone("Contact phone", help="Shown to the public.")
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(
            vocab.values(vocab.GROUP_STATUSES),
            labels=[label for _, label in vocab.GROUP_STATUSES],
            error="{input!r} is not a status: use active, paused or ended.",
        ),
        metadata={"label": "Status"},
    )
    details_checked_on = _date("Details last checked on", form=False)
    created_at = fields.DateTime(dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    schedule = fields.Method("_describe", dump_only=True)
    next_meetings = fields.Method("_next_meetings", dump_only=True)

    @validates("details_checked_on")
    def _not_in_future(self, value, **kwargs):
        if value is not None and value > today_in_uk():
            raise ValidationError(f"Details last checked on cannot be in the future ({value}).")

    @post_load
    def _tidy(self, data, **kwargs):
        for name in ("interests", "audiences"):
            if name in data:
                data[name] = list(dict.fromkeys(data[name]))
        if "tags" in data:
            data["tags"] = list(dict.fromkeys(tag.strip().lower() for tag in data["tags"]))
        if "cost_pence" in data and data["cost_pence"] is None:
            data["cost_pence"] = 0
        if data.get("frequency") in ("weekly", "fortnightly"):
            data["nth"] = None
        return data

    def _describe(self, group) -> str:
        return describe(schedule_of(group))

    def _next_meetings(self, group) -> list[str]:
        if group.status != "active":
            return []
        now = now_in_uk().replace(microsecond=0)
        found = meetings(schedule_of(group), changes_of(group), now, 3)
        return [meeting.starts_at.isoformat() for meeting in found]


class GroupUpdateSchema(GroupSchema):
    """The same, without ``organisation_id``: a group cannot move to another organisation."""

    class Meta:
        exclude = ("organisation_id",)


class GroupStatusSchema(Schema):
    status = fields.String(
        required=True,
        validate=validate.OneOf(
            vocab.values(vocab.GROUP_STATUSES),
            error="{input!r} is not a status: use active, paused or ended.",
        ),
        error_messages={"required": "Choose active, paused or ended."},
    )


class GroupListQuerySchema(ListQuerySchema):
    organisation_id = WholeNumber(
        validate=validate.Range(min=1, error="organisation_id must be 1 or more, not {input}."),
        error_messages={"invalid": "organisation_id must be a whole number, not {input!r}."},
        metadata={"description": "Only the groups of this organisation."},
    )
    interest = choice("Interest", vocab.INTERESTS, description="Only groups with this interest.")
    status = fields.String(
        load_default="active",
        validate=validate.OneOf(
            [*vocab.values(vocab.GROUP_STATUSES), "any"],
            error="{input!r} is not a status: use active, paused, ended or any.",
        ),
        metadata={"description": "active (the default), paused, ended or any."},
    )
    online = fields.Boolean(
        load_default=False,
        error_messages={"invalid": "online must be true or false, not {input!r}."},
        metadata={"description": "Only groups that meet online and at no space."},
    )


class GroupPageSchema(Schema):
    items = fields.List(fields.Nested(GroupSchema))
    pagination = fields.Nested(RegisterPaginationSchema)
