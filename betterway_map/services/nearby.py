"""What is on near me? Groups, spaces and offers of help near a place.

The search reads candidates through the spatial index (a bounding box that
contains the whole geodesic circle, ``geo.nearby.bounding_box``), measures the
exact geodesic distance to those candidates only, keeps the ones within the
radius and sorts them nearest first (ties by kind, then id). The answer is the
same as measuring every row with geopy; ``tests/test_nearby_property.py``
proves it and ``benchmarks/nearby.py`` times it.

Groups are placed at their space. Groups that meet only online are near
nothing: they are counted, not listed. Offers of help are measured from a
blurred home (``geo.nearby.coarse_point``) and shown with an approximate
distance only: never a place, an address or a marker.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import url_for

from .. import vocab
from ..errors import InvalidInput
from ..geo.nearby import (
    OFFER_MARGIN_KM,
    approximate_km,
    bounding_box,
    coarse_point,
    distance_km,
    distances_within,
    next_radius_km,
    sort_key,
)
from ..schedule.recurrence import Schedule, ScheduleError, describe, next_meetings
from ..schemas.groups import schedule_of
from ..schemas.nearby import DEFAULT_WHAT
from ..schemas.register_fields import format_pence
from .geocoding import Place, locate, place_at
from .nearby_candidates import Filters, group_rows, offer_rows, online_group_count, space_rows

__all__ = [
    "NearbyItem",
    "NearbySearch",
    "Explanation",
    "OnlineGroups",
    "Filters",
    "filters_from",
    "find_place",
    "matches",
    "search",
    "fast_forward",
    "LONDON",
]

LONDON = ZoneInfo("Europe/London")
_HELP_LABELS = vocab.labels(vocab.HELP_KINDS)
_ACCESS_LABELS = (
    ("step_free", "Step-free access"),
    ("hearing_loop", "Hearing loop"),
    ("accessible_toilet", "Accessible toilet"),
    ("parking", "Parking"),
)


@dataclass(frozen=True, order=True)
class Match:
    """A result before its details are read: enough to sort and page."""

    key: tuple
    kind: str = field(compare=False)
    distance_km: float = field(compare=False)
    row: Any = field(compare=False, repr=False)


@dataclass(frozen=True)
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

    @property
    def url(self) -> str | None:
        """The path of the result's own page (offers have none)."""
        if self.kind == "group":
            return url_for("groups.detail", group_id=self.id)
        if self.kind == "space":
            return url_for("spaces.detail", space_id=self.id)
        return None

    @property
    def access_features(self) -> list[str]:
        return [label for name, label in _ACCESS_LABELS if getattr(self, name)]


@dataclass(frozen=True)
class OnlineGroups:
    """How many online-only groups pass the filters, and where to see them."""

    count: int
    interest: str | None = None

    @property
    def url(self) -> str:
        return url_for("groups.index", interest=self.interest)


@dataclass(frozen=True)
class Explanation:
    """Why nothing was found, and what would find something."""

    message: str
    filtered: bool
    unfiltered_count: int | None
    wider_radius_km: float | None
    wider_count: int | None


@dataclass(frozen=True)
class NearbySearch:
    origin: Place
    radius_km: float
    filters: Filters
    items: list[NearbyItem]
    page: int
    page_size: int
    total: int
    online_groups: OnlineGroups | None = None
    explanation: Explanation | None = None

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def pagination(self) -> dict:
        return {
            "page": self.page,
            "page_size": self.page_size,
            "total": self.total,
            "pages": self.pages,
        }


def filters_from(args: dict) -> Filters:
    """The filters of a query loaded by ``NearbyQuerySchema``."""
    return Filters(
        what=frozenset(args.get("what") or DEFAULT_WHAT),
        interest=args.get("interest"),
        days=tuple(dict.fromkeys(args.get("day") or ())),
        times=tuple(dict.fromkeys(args.get("time_of_day") or ())),
        free=bool(args.get("free")),
        step_free=bool(args.get("step_free")),
        audience=args.get("audience"),
    )


def find_place(args: dict) -> Place:
    """Where the search starts: the postcode, or the point (lat, lon)."""
    if args.get("postcode"):
        return locate(args["postcode"], field="postcode")
    return place_at(args.get("lat"), args.get("lon"))


def matches(lat: float, lon: float, radius_km: float, filters: Filters) -> list[Match]:
    """Every result within ``radius_km`` of (lat, lon), nearest first."""
    spaces = {row.space_id: row for row in space_rows(bounding_box(lat, lon, radius_km), filters)}
    distance = distances_within(
        lat, lon, radius_km, ((key, row.latitude, row.longitude) for key, row in spaces.items())
    )
    found: list[Match] = []
    hosts: set[int] = set()  # spaces where a group passing the filters meets
    if distance and ("group" in filters.what or filters.about_groups):
        for group in group_rows(distance, filters):
            hosts.add(group.space_id)
            if "group" in filters.what:
                space_km = distance[group.space_id]
                key = sort_key(space_km, "group", group.group_id)
                found.append(Match(key, "group", space_km, (spaces[group.space_id], group)))
    if "space" in filters.what:
        for space_id, space_km in distance.items():
            row = spaces[space_id]
            if filters.about_groups and space_id not in hosts:
                continue
            if filters.free and row.hire_cost_pence != 0:
                continue
            key = sort_key(space_km, "space", space_id)
            found.append(Match(key, "space", space_km, (row, None)))
    if "offer" in filters.what:
        found.extend(_offer_matches(lat, lon, radius_km))
    found.sort()
    return found


def _offer_matches(lat: float, lon: float, radius_km: float) -> list[Match]:
    # A blurred home lies within OFFER_MARGIN_KM of the home, so a box that
    # much wider holds every offer whose blurred home is within the radius.
    found = []
    for row in offer_rows(bounding_box(lat, lon, radius_km + OFFER_MARGIN_KM)):
        blurred = distance_km(lat, lon, *coarse_point(row.latitude, row.longitude))
        if blurred <= radius_km:
            shown_km = approximate_km(blurred)
            found.append(Match(sort_key(shown_km, "offer", row.id), "offer", shown_km, row))
    return found


def search(args: dict, now: datetime | None = None) -> NearbySearch:
    """The page of results asked for by ``args`` (loaded by ``NearbyQuerySchema``).

    Raises ``InvalidInput`` (keyed by query field) for an unknown place or a
    page past the last.
    """
    origin = find_place(args)
    radius_km, filters = args["radius_km"], filters_from(args)
    page, page_size = args["page"], args["page_size"]
    found = matches(origin.latitude, origin.longitude, radius_km, filters)
    pages = max(1, math.ceil(len(found) / page_size))
    if page > pages:
        message = (
            f"page {page} is past the last page of results ({pages}); "
            f"choose a page from 1 to {pages}."
        )
        raise InvalidInput(message, {"page": [message]})
    now = (now or datetime.now(LONDON)).astimezone(LONDON).replace(tzinfo=None, microsecond=0)
    start = (page - 1) * page_size
    items = [_item(match, now) for match in found[start : start + page_size]]
    online = None
    if "group" in filters.what:
        online = OnlineGroups(online_group_count(filters), filters.interest)
    explanation = None if found else _explain(origin, radius_km, filters)
    return NearbySearch(
        origin, radius_km, filters, items, page, page_size, len(found), online, explanation
    )


def _item(match: Match, now: datetime) -> NearbyItem:
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
            offered_by=row.first_name,
        )
    space, group = row
    place = {
        "latitude": space.latitude,
        "longitude": space.longitude,
        "distance_km": match.distance_km,
        "step_free": space.step_free,
        "hearing_loop": space.hearing_loop,
        "accessible_toilet": space.accessible_toilet,
        "parking": space.parking,
        "space_id": space.space_id,
    }
    if match.kind == "space":
        return NearbyItem(
            kind="space",
            id=space.space_id,
            name=space.space_name,
            where=f"{space.address}, {space.postcode}",
            cost_label=_hire_label(space.hire_cost_pence),
            cost_pence=space.hire_cost_pence,
            **place,
        )
    description, next_meeting = _when(group, now)
    cost = format_pence(group.cost_pence)
    return NearbyItem(
        kind="group",
        id=group.group_id,
        name=group.group_name,
        where=f"{space.space_name}, {space.address}, {space.postcode}"
        + (" (and online)" if group.online else ""),
        cost_label=f"{cost} ({group.cost_note})" if group.cost_note else cost,
        cost_pence=group.cost_pence,
        schedule=description,
        next_meeting=next_meeting,
        **place,
    )


def _when(row, now: datetime) -> tuple[str | None, datetime | None]:
    """The schedule in words and the next meeting (London time) from now."""
    try:
        schedule = schedule_of(row)
    except ScheduleError:  # stored before a rule tightened: show no date rather than fail
        return None, None
    found = next_meetings(fast_forward(schedule, now.date()), now, 1)
    return describe(schedule), (found[0].replace(tzinfo=LONDON) if found else None)


def fast_forward(schedule: Schedule, today: date) -> Schedule:
    """The same schedule with its first date moved forward by whole periods to
    shortly before ``today``: the meetings from ``today`` on are the same, and
    finding the next one no longer walks every week since the group began.

    >>> from datetime import time
    >>> s = Schedule("fortnightly", "tue", time(10), time(11), date(2020, 1, 7))
    >>> fast_forward(s, date(2026, 6, 1)).starts_on
    datetime.date(2026, 5, 5)
    """
    first = schedule.starts_on
    if first >= today - timedelta(days=62):
        return schedule
    if schedule.ends_on is not None and schedule.ends_on < today:
        return schedule  # over: nothing to walk towards
    if schedule.frequency == "monthly":  # the first of last month
        return replace(
            schedule, starts_on=(today.replace(day=1) - timedelta(days=1)).replace(day=1)
        )
    period_days = 7 if schedule.frequency == "weekly" else 14
    periods = (today - first).days // period_days - 1
    return replace(schedule, starts_on=first + timedelta(days=period_days * periods))


def _hire_label(pence: int | None) -> str:
    if pence is None:
        return "Not for hire"
    if pence == 0:
        return "Free to hire"
    return f"{format_pence(pence)} an hour to hire"


def _things(count: int) -> str:
    return "group or space" if count == 1 else "groups and spaces"


def _explain(origin: Place, radius_km: float, filters: Filters) -> Explanation:
    """Why a search found nothing, with counts that show what would."""
    lat, lon = origin.latitude, origin.longitude
    filtered = filters != Filters()
    unfiltered = len(matches(lat, lon, radius_km, Filters())) if filtered else None
    wider = next_radius_km(radius_km)
    wider_count = len(matches(lat, lon, wider, filters)) if wider else None
    where = f"within {radius_km:g} km of {origin.label}"
    if unfiltered:
        verb = "is" if unfiltered == 1 else "are"
        message = (
            f"Nothing {where} matches your choices, though {unfiltered} {_things(unfiltered)} "
            f"{verb} within {radius_km:g} km: try removing some of your choices."
        )
    else:
        matching = " that matches your choices" if filtered else ""
        message = f"There is nothing on the register {where}{matching}."
    if wider_count:
        verb = "is" if wider_count == 1 else "are"
        matching = " that match your choices" if filtered else ""
        message += f" Within {wider:g} km there {verb} {wider_count}{matching}: widen the search."
    elif wider is not None:
        message += f" There is nothing within {wider:g} km either."
    else:
        message += f" {radius_km:g} km is as far as a search goes."
    return Explanation(message, filtered, unfiltered, wider, wider_count)
