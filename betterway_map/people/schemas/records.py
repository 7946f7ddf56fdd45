"""What is recorded about one person: loneliness measures, ties, volunteering,
and help offered and asked for (groups attended: ``people.schemas.attendance``).

One schema per record, used by the pages' forms and by the API. Dates of
things that have happened (measured, last in touch, DBS checked, attended)
cannot be in the future. No Flask here.
"""

from __future__ import annotations

from datetime import date

from marshmallow import Schema, ValidationError, fields, validates_schema
from marshmallow.validate import Length, OneOf, Range

from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures import djg, loneliness
from betterway_map.web.fields import WholeNumber, one_of

__all__ = [
    "not_in_future",
    "dbs_status_on",
    "dbs_valid_until",
    "dbs_expiry_problem",
    "DBS_VALID_YEARS",
    "MeasureSchema",
    "TieSchema",
    "TieChangeSchema",
    "VolunteerSchema",
    "HelpListingSchema",
    "HelpListingChangeSchema",
    "HELP_DIRECTIONS",
]

# A DBS certificate carries no expiry date; befriending services commonly ask
# for a new check every three years, so an older one is shown as expired.
DBS_VALID_YEARS = 3
_CLEARED = ("basic", "enhanced")

_WHO = "Say who they are, in 1 to 100 characters."

HELP_DIRECTIONS = (("offer", "I can offer help"), ("request", "I would like help"))


def not_in_future(value: date) -> None:
    """Refuse a date after today: these dates record things that have happened.

    >>> not_in_future(date(2020, 1, 1))
    >>> not_in_future(date(2999, 1, 1))  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    ValidationError: 2999-01-01 is in the future ...
    """
    if value > today_in_uk():
        raise ValidationError(
            f"{value.isoformat()} is in the future; give today's date or an earlier one."
        )


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def dbs_valid_until(checked_on: date | None, expires_on: date | None = None) -> date | None:
    """The day a DBS check expires: the recorded expiry, else
    ``DBS_VALID_YEARS`` years after the certificate's date (None without one).

    >>> dbs_valid_until(date(2020, 5, 1)), dbs_valid_until(date(2020, 5, 1), date(2021, 1, 1))
    (datetime.date(2023, 5, 1), datetime.date(2021, 1, 1))
    """
    if expires_on is not None:
        return expires_on
    return _add_years(checked_on, DBS_VALID_YEARS) if checked_on else None


def dbs_status_on(
    status: str, checked_on: date | None, today: date, expires_on: date | None = None
) -> str:
    """The DBS status to show on ``today``: a clear check counts as expired
    from its expiry (``expires_on``, else ``DBS_VALID_YEARS`` years after it).

    >>> dbs_status_on("enhanced", date(2020, 5, 1), date(2023, 4, 30))
    'enhanced'
    >>> dbs_status_on("enhanced", date(2020, 5, 1), date(2023, 5, 1))
    'expired'
    >>> dbs_status_on("enhanced", date(2020, 5, 1), date(2021, 5, 1), date(2021, 4, 1))
    'expired'
    >>> dbs_status_on("applied", None, date(2023, 5, 1))
    'applied'
    """
    until = dbs_valid_until(checked_on, expires_on)
    if status in _CLEARED and until and today >= until:
        return "expired"
    return status


def dbs_expiry_problem(checked_on: date | None, expires_on: date | None) -> str | None:
    """Why a DBS expiry cannot be right (it is before the certificate's date), or None.

    >>> dbs_expiry_problem(date(2024, 3, 1), date(2023, 1, 1))
    'The expiry 2023-01-01 is before the date of the certificate, 2024-03-01: give a date on or after 2024-03-01, or leave it empty for 3 years after the certificate.'
    >>> dbs_expiry_problem(date(2024, 3, 1), None) is None
    True
    """
    if checked_on and expires_on and expires_on < checked_on:
        return (
            f"The expiry {expires_on.isoformat()} is before the date of the certificate, "
            f"{checked_on.isoformat()}: give a date on or after {checked_on.isoformat()}, "
            f"or leave it empty for {DBS_VALID_YEARS} years after the certificate."
        )
    return None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _ucla_item(index: int) -> fields.Integer:
    """One of the three questions about how you feel (the UCLA 3-item scale),
    answered 1, 2 or 3 (or not at all)."""
    return WholeNumber(
        allow_none=True,
        validate=OneOf(
            [value for value, _ in loneliness.UCLA_ANSWERS],
            labels=[label for _, label in loneliness.UCLA_ANSWERS],
            error="{input!r} is not an answer to this question; give 1, 2 or 3.",
        ),
        metadata={"label": loneliness.UCLA_ITEMS[index][1], "widget": "radio"},
    )


def _djg_item(index: int) -> fields.String:
    """One statement of the De Jong Gierveld 6-item scale (optional):
    yes, more or less, or no."""
    name, statement, _ = djg.DJG_ITEMS[index]
    return fields.String(
        allow_none=True,
        validate=one_of(djg.DJG_ANSWERS, f"an answer to “{statement}”"),
        metadata={"label": statement, "widget": "radio", "choices": djg.DJG_ANSWERS},
    )


class MeasureSchema(Schema):
    """One occasion's answers to the ONS loneliness questions, and optionally
    the De Jong Gierveld 6-item scale (``domain.measures.djg``)."""

    id = fields.Integer(dump_only=True)
    measured_on = fields.Date(
        required=True,
        validate=not_in_future,
        metadata={"label": "Date the questions were answered", "help": "For example 2024-03-31."},
    )
    ucla_companionship = _ucla_item(0)
    ucla_left_out = _ucla_item(1)
    ucla_isolated = _ucla_item(2)
    direct = fields.String(
        allow_none=True,
        validate=one_of(loneliness.DIRECT_ANSWERS, "an answer to the direct question"),
        metadata={"label": loneliness.DIRECT_QUESTION, "widget": "radio"},
    )
    djg_emptiness = _djg_item(0)
    djg_rely_on = _djg_item(1)
    djg_trust = _djg_item(2)
    djg_close = _djg_item(3)
    djg_miss_people = _djg_item(4)
    djg_rejected = _djg_item(5)
    ucla_total = fields.Integer(dump_only=True)
    djg_total = fields.Integer(
        dump_only=True,
        metadata={
            "description": "De Jong Gierveld total, 0 (not lonely) to 6; null when more than "
            "one of its six answers is missing."
        },
    )
    recorded_by_id = fields.Integer(dump_only=True)
    recorded_at = fields.DateTime(dump_only=True)

    @validates_schema
    def _check_answers(self, data, **kwargs):
        names = [name for name, _ in loneliness.UCLA_ITEMS]
        answers = [data.get(name) for name in names]
        djg_given = any(data.get(name) is not None for name, _, _ in djg.DJG_ITEMS)
        if djg_given and not any(a is not None for a in answers) and data.get("direct") is None:
            return  # the De Jong Gierveld scale on its own is an answer too
        try:
            loneliness.score(*answers, direct=data.get("direct"))
        except loneliness.MeasureError as error:
            missing = [name for name, answer in zip(names, answers) if answer is None]
            if 0 < len(missing) < len(names):
                raise ValidationError({name: [str(error)] for name in missing}) from None
            raise ValidationError(str(error)) from None


class TieSchema(Schema):
    """Someone a person is in touch with."""

    id = fields.Integer(dump_only=True)
    kind = fields.String(
        required=True,
        validate=one_of(vocab.TIE_KINDS, "a kind of tie"),
        metadata={"label": "Who are they to the person?", "label_own": "Who are they to you?"},
    )
    other_label = fields.String(
        required=True,
        validate=Length(1, 100, error=_WHO),
        error_messages={"required": _WHO},
        metadata={
            "label": "Who",
            "help": 'In the person\'s own words, e.g. "daughter Sue".',
            "help_own": 'In your own words, e.g. "daughter Sue".',
        },
    )
    # Offered on the page as a list of the worker's own people.
    other_person_id = WholeNumber(
        allow_none=True, metadata={"form": False, "label": "Also on the register"}
    )
    contact_frequency = fields.String(
        required=True,
        validate=one_of(vocab.CONTACT_FREQUENCIES, "a contact frequency"),
        metadata={"label": "How often are they in touch?"},
    )
    last_contact_on = fields.Date(
        allow_none=True,
        validate=not_in_future,
        metadata={
            "label": "Last in touch on",
            "help": "For example 2024-03-31. Leave empty if not known.",
        },
    )
    recorded_by_id = fields.Integer(dump_only=True)


class TieChangeSchema(TieSchema):
    """Some fields of a tie, for a partial update."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)


class VolunteerSchema(Schema):
    """A person's offer to volunteer; the DBS fields are a worker's to record."""

    lived_experience = fields.List(
        fields.String(validate=one_of(vocab.LIVED_EXPERIENCE, "a kind of lived experience")),
        load_default=list,
        metadata={
            "label": "Experience to share",
            "help": "Only if wanted: it helps to match volunteers with people who have been through the same.",
        },
    )
    capacity = WholeNumber(
        required=True,
        strict=False,
        validate=Range(1, 10, error="{input} is not between 1 and 10 people."),
        metadata={"label": "Number of people to support at once", "help": "From 1 to 10."},
    )
    active = fields.Boolean(
        load_default=True,
        metadata={"label": "Active: can take on someone now (untick to pause)"},
    )
    dbs_status = fields.String(
        validate=one_of(vocab.DBS_STATUSES, "a DBS status"),
        metadata={
            "label": "DBS check",
            "help": "Recorded by a community worker who has seen the certificate.",
        },
    )
    dbs_checked_on = fields.Date(
        allow_none=True,
        validate=not_in_future,
        metadata={"label": "Date of the DBS certificate", "help": "For example 2024-03-31."},
    )
    dbs_expires_on = fields.Date(
        allow_none=True,
        metadata={
            "label": "DBS check expires on",
            "help": f"For example 2027-03-31. Leave empty for {DBS_VALID_YEARS} years after "
            "the date of the certificate.",
        },
    )
    dbs_status_now = fields.Function(
        lambda profile: dbs_status_on(
            profile.dbs_status, profile.dbs_checked_on, today_in_uk(), profile.dbs_expires_on
        ),
        dump_only=True,
    )
    dbs_valid_until = fields.Function(
        lambda profile: _iso(dbs_valid_until(profile.dbs_checked_on, profile.dbs_expires_on)),
        dump_only=True,
        metadata={"description": "The expiry, or 3 years after the certificate if none is given."},
    )
    dbs_recorded_by_id = fields.Integer(dump_only=True)

    @validates_schema
    def _cleared_check_has_a_date(self, data, **kwargs):
        if data.get("dbs_status") in _CLEARED and not data.get("dbs_checked_on"):
            label = vocab.labels(vocab.DBS_STATUSES)[data["dbs_status"]]
            raise ValidationError(
                {"dbs_checked_on": [f"Give the date of the certificate for {label!r}."]}
            )

    @validates_schema
    def _expiry_after_the_check(self, data, **kwargs):
        problem = dbs_expiry_problem(data.get("dbs_checked_on"), data.get("dbs_expires_on"))
        if problem:
            raise ValidationError({"dbs_expires_on": [problem]})


class HelpListingSchema(Schema):
    """An offer of help or a request for it."""

    id = fields.Integer(dump_only=True)
    person_id = fields.Integer(dump_only=True)
    direction = fields.String(
        required=True,
        validate=one_of(HELP_DIRECTIONS, "a direction (offer or request)"),
        metadata={"label": "Offer or ask", "widget": "radio"},
    )
    kind = fields.String(
        required=True,
        validate=one_of(vocab.HELP_KINDS, "a kind of help"),
        metadata={"label": "Kind of help"},
    )
    description = fields.String(
        allow_none=True,
        validate=Length(max=2000, error="Use at most 2000 characters."),
        metadata={
            "label": "More about it",
            "widget": "textarea",
            "help": "Optional. Please do not write addresses or phone numbers here.",
        },
    )
    status = fields.String(
        load_default="open",
        validate=one_of(vocab.LISTING_STATUSES, "a status"),
        metadata={"label": "Status"},
    )


class HelpListingChangeSchema(HelpListingSchema):
    """Some fields of an offer or request, for a partial update."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("partial", True)
        super().__init__(*args, **kwargs)
