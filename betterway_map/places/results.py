"""The results of a nearby search, as the list, the map and the API show them.

``places.search`` finds and sorts the matches; this module turns the ones on
the page asked for into ``NearbyItem``s (with a group's next meeting in London
time) and holds the shapes of the whole answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from betterway_map.domain import vocab
from betterway_map.domain.clock import UK
from betterway_map.domain.geo.place import Place
from betterway_map.domain.money import format_pence
from betterway_map.domain.schedule.meetings import NO_CHANGES, Changes, meetings
from betterway_map.domain.schedule.recurrence import (
    Schedule,
    ScheduleError,
    describe,
    fast_forward,
    schedule_of,
)
from betterway_map.people.services.consent import helper_name
from betterway_map.places.candidates import Filters
from betterway_map.web.paging import Paged

__all__ = [
    "Match",
    "NearbyItem",
    "NearbySearch",
    "Explanation",
    "OnlineGroups",
    "build_item",
    "fast_forward",
]

_HELP_LABELS = vocab.labels(vocab.HELP_KINDS)
_ACCESS_LABELS = (
    ("step_free", "Step-free access"),
    ("hearing_loop", "Hearing loop"),
    ("accessible_toilet", "Accessible toilet"),
    ("parking", "Parking"),
)


# Match and NearbyItem are made twenty or more times at every search, so
# they are not frozen: a frozen dataclass's ``__init__`` sets each field
# through ``object.__setattr__``, four times the cost (about 3 µs an item;
# benchmarks/README.md, nearby under load). Nothing changes them once made.
@dataclass(order=True, slots=True)
class Match:
    """A result before its details are read: enough to sort and page."""

    key: tuple
    kind: str = field(compare=False)
    distance_km: float = field(compare=False)
    row: Any = field(compare=False, repr=False)


@dataclass(slots=True)
class Shown:
    """What a space or group shows as a result that is the same at every
    search (all but its distance and its next meeting), worked out once for
    an index (``RegisterIndex.shown``) rather than at every search.

    ``fields`` are ``NearbyItem``'s; ``body`` is the API's body of them,
    made the first time the API answers with the result (``schemas.result_body``);
    ``meetings`` is a group's ``(day, starts)`` as ``_day_of`` gives them for
    that day (one value, so that it is replaced whole).
    """

    fields: dict
    body: dict | None = None
    meetings: tuple | None = None


@dataclass(slots=True)
class NearbyItem:
    """One result, as the list, the map and the API show it."""

    kind: str
    id: int
    name: str
    latitude: float | None
    longitude: float | None
    distance_km: float
    where: str
    cost_label: str
    approximate: bool = False
    next_meeting: datetime | None = None
    schedule: str | None = None
    step_free: bool | None = None
    hearing_loop: bool | None = None
    accessible_toilet: bool | None = None
    parking: bool | None = None
    cost_pence: int | None = None
    offered_by: str | None = None
    space_id: int | None = None

    # The path of the result's own page, added by the view (offers have none).
    url: str | None = None
    # What of it stays the same from search to search (None for offers).
    shown: Shown | None = field(default=None, compare=False, repr=False)

    @property
    def access_features(self) -> list[str]:
        return [label for name, label in _ACCESS_LABELS if getattr(self, name)]


@dataclass(frozen=True)
class OnlineGroups:
    """How many online-only groups pass the filters, and where to see them."""

    count: int
    interest: str | None = None
    # Where to see them, added by the view.
    url: str = ""


@dataclass(frozen=True)
class Explanation:
    """Why nothing was found, and what would find something."""

    message: str
    filtered: bool
    unfiltered_count: int | None
    wider_radius_km: float | None
    wider_count: int | None


@dataclass(frozen=True)
class NearbySearch(Paged):
    origin: Place
    radius_km: float
    filters: Filters
    items: list[NearbyItem]
    page: int
    page_size: int
    total: int
    online_groups: OnlineGroups | None = None
    explanation: Explanation | None = None


def build_item(
    match: Match, now: datetime, changes: Changes = NO_CHANGES, kept: dict | None = None
) -> NearbyItem:
    """The full result for a match, with its next meeting after ``now``
    (naive London time); a group's cancelled, moved and extra meetings are
    ``changes``. ``kept``: where what a space or group shows at every search
    is kept between searches (``RegisterIndex.shown``), by kind and id."""
    row = match.row
    if match.kind == "offer":
        label = _HELP_LABELS.get(row.kind, row.kind)
        return NearbyItem(
            kind="offer",
            id=row.id,
            name=label,
            latitude=None,
            longitude=None,
            distance_km=match.distance_km,
            approximate=True,
            where="Arranged with you: a volunteer's home is never shown.",
            cost_label="Free",
            cost_pence=0,
            offered_by=helper_name(row.first_name, bool(row.published)),
        )
    space, group = row
    key = (match.kind, space.space_id if group is None else group.group_id)
    shown = None if kept is None else kept.get(key)
    if shown is None:
        shown = Shown(_shown_fields(match.kind, space, group))
        if kept is not None:
            kept[key] = shown
    next_meeting = None if group is None else _next_meeting(shown, group, changes, now)
    return NearbyItem(
        **shown.fields, distance_km=match.distance_km, next_meeting=next_meeting, shown=shown
    )


def _shown_fields(kind: str, space, group) -> dict:
    """``NearbyItem``'s fields for a space (``group`` None) or a group at
    ``space``, but its distance and next meeting."""
    place = {
        "latitude": space.latitude,
        "longitude": space.longitude,
        "step_free": space.step_free,
        "hearing_loop": space.hearing_loop,
        "accessible_toilet": space.accessible_toilet,
        "parking": space.parking,
        "space_id": space.space_id,
    }
    if kind == "space":
        return {
            "kind": "space",
            "id": space.space_id,
            "name": space.space_name,
            "where": f"{space.address}, {space.postcode}",
            "cost_label": _hire_label(space.hire_cost_pence),
            "cost_pence": space.hire_cost_pence,
            **place,
        }
    cost = format_pence(group.cost_pence)
    return {
        "kind": "group",
        "id": group.group_id,
        "name": group.group_name,
        "where": f"{space.space_name}, {space.address}, {space.postcode}"
        + (" (and online)" if group.online else ""),
        "cost_label": f"{cost} ({group.cost_note})" if group.cost_note else cost,
        "cost_pence": group.cost_pence,
        "schedule": _schedule(_when_of(group))[0],
        **place,
    }


def _when_of(row) -> tuple:
    """A group's schedule as ``_schedule`` reads it."""
    return (row.frequency, row.weekday, row.start_time, row.end_time, row.starts_on, row.nth,
            row.ends_on)  # fmt: skip


def _next_meeting(shown: Shown, group, changes: Changes, now: datetime) -> datetime | None:
    """The group's next meeting (London time) from ``now``, with its
    cancelled, moved and extra meetings (``changes``); the day's starts are
    kept in ``shown``."""
    day = now.date()
    kept = shown.meetings
    if kept is None or kept[0] != day:
        kept = shown.meetings = (day, _day_of(_when_of(group), changes, day)[1])
    upcoming = next((start for start in kept[1] if start[0] >= now), None)
    return upcoming[1] if upcoming else None


@lru_cache(maxsize=20_000)
def _schedule(when: tuple) -> tuple[str | None, Schedule | None]:
    """A schedule (a group's frequency, weekday, start and end time, first
    and last date, as ``_when_of`` gives them) in words, and as a ``Schedule``;
    ``(None, None)`` for one stored before a rule tightened (no date is
    shown rather than fail)."""
    frequency, weekday, start_time, end_time, starts_on, nth, ends_on = when
    fields = {"frequency": frequency, "weekday": weekday, "start_time": start_time,
              "end_time": end_time, "starts_on": starts_on, "nth": nth, "ends_on": ends_on}  # fmt: skip
    try:
        schedule = schedule_of(fields)
    except ScheduleError:
        return None, None
    return describe(schedule), schedule


@lru_cache(maxsize=20_000)
def _day_of(
    when: tuple, changes: Changes, day: date
) -> tuple[str | None, tuple[tuple[datetime, datetime], ...]]:
    """A schedule (as ``_schedule`` reads it) in words, and the starts of
    enough of its meetings from the start of ``day`` (``domain.schedule.meetings``:
    with its changes) that the first at or after any moment of ``day`` is
    among them, if there is one: worked out once a day per group, not for
    every search. Each start is given naive and in London time.

    Before a moment of ``day``, that day holds at most one meeting of the
    rule (a week or more apart) and the moved and extra meetings; so of
    ``2 + moved + extra`` meetings, at least one is at or after it, or there
    are no more.
    """
    words, schedule = _schedule(when)
    if schedule is None:
        return None, ()
    count = 2 + len(changes.moved) + len(changes.extra)
    found = meetings(schedule, changes, datetime.combine(day, time()), count)
    return words, tuple((m.starts_at, m.starts_at.replace(tzinfo=UK)) for m in found)


def _hire_label(pence: int | None) -> str:
    if pence is None:
        return "Not for hire"
    if pence == 0:
        return "Free to hire"
    return f"{format_pence(pence)} an hour to hire"
