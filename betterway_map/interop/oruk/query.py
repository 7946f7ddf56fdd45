"""The query string of ORUK lists, read and checked.

Every parameter is checked before anything is looked up; a bad value
raises ``BadFilter`` (400) whose message names the parameter, quotes the
value and says what is accepted. Parameters ORUK defines that we do not
use (``full``, ``minimal``, ...) and unknown ones are ignored.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time

from betterway_map.domain import vocab
from betterway_map.errors import InvalidInput
from betterway_map.interop.oruk.ids import our_number
from betterway_map.interop.oruk.taxonomies import TAXONOMIES_BY_ID, TERMS_BY_ID, Taxonomy, Term

__all__ = ["BadFilter", "Filters", "Paging", "read_filters", "read_paging", "DAYS"]

DEFAULT_PER_PAGE, MAX_PER_PAGE = 50, 200
MAX_PROXIMITY_M = 50_000
MAX_AGE = 120
MAX_TEXT = 200
# Each weekday by its RFC 5545 code, its English name or our stored value.
DAYS = {
    alias: value
    for value, label in vocab.WEEKDAYS
    for alias in (value, label.lower(), label[:2].lower())
}


class BadFilter(InvalidInput):
    """A query parameter with a value we cannot use: answered 400."""

    status_code = 400

    def __init__(self, name: str, message: str):
        super().__init__(message, {name: [message]})


@dataclass(frozen=True)
class Paging:
    page: int = 1
    per_page: int = DEFAULT_PER_PAGE


@dataclass(frozen=True)
class Filters:
    """What a list of services (or of services at locations) is narrowed to."""

    text: str | None = None
    postcode: str | None = None
    proximity_m: float | None = None
    term: Term | None = None
    taxonomy: Taxonomy | None = None
    day: str | None = None
    start_time: time | None = None
    end_time: time | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    modified_after: datetime | None = None
    organisation_id: int | None = None


def _given(args: Mapping, name: str) -> str | None:
    value = args.get(name)
    if value is None:
        return None
    value = value.strip()
    if "\x00" in value:  # PostgreSQL refuses it in text: a 400 here, not a 500 there
        raise BadFilter(name, f"{name} must not contain a NUL character, as {value!r} does.")
    return value or None


def _whole(args: Mapping, name: str, low: int, high: int, default: int) -> int:
    raw = _given(args, name)
    if raw is None:
        return default
    accepted = f"a whole number from {low} to {high}"
    try:
        value = int(raw)
    except ValueError:
        raise BadFilter(name, f"{name} must be {accepted}, not {raw!r}.") from None
    if not low <= value <= high:
        raise BadFilter(name, f"{name} must be {accepted}, not {value}.")
    return value


def read_paging(args: Mapping) -> Paging:
    """``page`` (from 1) and ``per_page`` (1 to 200, 50 unless given)."""
    return Paging(
        page=_whole(args, "page", 1, 1_000_000, 1),
        per_page=_whole(args, "per_page", 1, MAX_PER_PAGE, DEFAULT_PER_PAGE),
    )


def _number(args: Mapping, name: str, low: float, high: float, unit: str) -> float | None:
    raw = _given(args, name)
    if raw is None:
        return None
    accepted = f"a number of {unit} from {low:g} to {high:g}"
    try:
        value = float(raw)
    except ValueError:
        raise BadFilter(name, f"{name} must be {accepted}, not {raw!r}.") from None
    if not low <= value <= high:  # also refuses nan
        raise BadFilter(name, f"{name} must be {accepted}, not {raw!r}.")
    return value


def _clock(args: Mapping, name: str) -> time | None:
    raw = _given(args, name)
    if raw is None:
        return None
    try:
        return time.fromisoformat(raw)
    except ValueError:
        raise BadFilter(
            name, f"{name} must be a time of day like 10:00 or 18:30:00, not {raw!r}."
        ) from None


def _moment(args: Mapping, name: str) -> datetime | None:
    raw = _given(args, name)
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise BadFilter(
            name,
            f"{name} must be a date or date-time like 2026-03-01 or "
            f"2026-03-01T09:00:00Z, not {raw!r}.",
        ) from None
    if moment.tzinfo is None:  # a date, or a time with no zone: UTC
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC)
    except OverflowError:
        raise BadFilter(name, f"{name} {raw!r} is out of range.") from None


def _lookup(args: Mapping, name: str, table: dict, where: str):
    raw = _given(args, name)
    if raw is None:
        return None
    found = table.get(raw.lower())
    if found is None:
        raise BadFilter(name, f"{name} {raw!r} is not one of ours: take an id from {where}.")
    return found


def _day(args: Mapping) -> str | None:
    raw = _given(args, "day")
    if raw is None:
        return None
    day = DAYS.get(raw.lower())
    if day is None:
        raise BadFilter(
            "day",
            f"day must be a weekday, as MO, TU, WE, TH, FR, SA, SU or its name (Monday), "
            f"not {raw!r}.",
        )
    return day


def _organisation(args: Mapping) -> int | None:
    raw = _given(args, "organization_id")
    if raw is None:
        return None
    number = our_number("organization", raw)
    if number is None:
        raise BadFilter(
            "organization_id",
            f"organization_id {raw!r} is not an organization id of this API: "
            "take one from a service's organization_id.",
        )
    return number


def read_filters(args: Mapping) -> Filters:
    """The filters in a query string (``search`` or its other name ``text``)."""
    text = _given(args, "search") or _given(args, "text")
    if text is not None and len(text) > MAX_TEXT:
        raise BadFilter("search", f"search is {len(text)} characters; at most {MAX_TEXT}.")
    postcode = _given(args, "postcode")
    proximity = _number(args, "proximity", 1, MAX_PROXIMITY_M, "metres")
    if proximity is not None and postcode is None:
        raise BadFilter(
            "proximity", "proximity is a distance in metres from a postcode: give postcode too."
        )
    if postcode is not None and len(postcode) > 10:
        raise BadFilter(
            "postcode", f"postcode must be a UK postcode like ZZ1 1AA, not {postcode!r}."
        )
    start, end = _clock(args, "start_time"), _clock(args, "end_time")
    return Filters(
        text=text,
        postcode=postcode,
        proximity_m=proximity,
        term=_lookup(args, "taxonomy_term_id", TERMS_BY_ID, "/taxonomy_terms"),
        taxonomy=_lookup(args, "taxonomy_id", TAXONOMIES_BY_ID, "/taxonomies"),
        day=_day(args),
        start_time=start,
        end_time=end,
        minimum_age=_number(args, "minimum_age", 0, MAX_AGE, "years"),
        maximum_age=_number(args, "maximum_age", 0, MAX_AGE, "years"),
        modified_after=_moment(args, "modified_after"),
        organisation_id=_organisation(args),
    )
