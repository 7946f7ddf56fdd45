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
from dataclasses import dataclass, field
from datetime import datetime
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
from ..schedule.recurrence import ScheduleError, describe, next_meetings
from ..schemas.groups import schedule_of
from ..schemas.nearby import DEFAULT_WHAT
from ..schemas.register_fields import format_pence
from .geocoding import Place, locate, place_at
from .nearby_candidates import Filters, located_rows, offer_rows, online_group_count

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
    rows = located_rows(bounding_box(lat, lon, radius_km), filters)
    spaces = {row.space_id: (row.latitude, row.longitude) for row in rows}
    distance = distances_within(
        lat, lon, radius_km, ((key, point[0], point[1]) for key, point in spaces.items())
    )
    found: list[Match] = []
    hosts: set[int] = set()  # spaces where a group passing the filters meets
    located: dict[int, Any] = {}  # space id -> one of its rows
    wants_groups = "group" in filters.what or filters.about_groups
    for row in rows:
        space_km = distance.get(row.space_id)
        if space_km is None:
            continue
        located.setdefault(row.space_id, row)
        if wants_groups and row.group_id is not None:
            hosts.add(row.space_id)
            if "group" in filters.what:
                found.append(
                    Match(sort_key(space_km, "group", row.group_id), "group", space_km, row)
                )
    if "space" in filters.what:
        for space_id, row in located.items():
            if filters.about_groups and space_id not in hosts:
                continue
            if filters.free and row.hire_cost_pence != 0:
                continue
            space_km = distance[space_id]
            found.append(Match(sort_key(space_km, "space", space_id), "space", space_km, row))
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
    place = {
        "latitude": row.latitude,
        "longitude": row.longitude,
        "distance_km": match.distance_km,
        "step_free": row.step_free,
        "hearing_loop": row.hearing_loop,
        "accessible_toilet": row.accessible_toilet,
        "parking": row.parking,
        "space_id": row.space_id,
    }
    if match.kind == "space":
        return NearbyItem(
            kind="space",
            id=row.space_id,
            name=row.space_name,
            where=f"{row.address}, {row.postcode}",
            cost_label=_hire_label(row.hire_cost_pence),
            cost_pence=row.hire_cost_pence,
            **place,
        )
    description, next_meeting = _when(row, now)
    cost = format_pence(row.cost_pence)
    return NearbyItem(
        kind="group",
        id=row.group_id,
        name=row.group_name,
        where=f"{row.space_name}, {row.address}, {row.postcode}"
        + (" (and online)" if row.online else ""),
        cost_label=f"{cost} ({row.cost_note})" if row.cost_note else cost,
        cost_pence=row.cost_pence,
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
    found = next_meetings(schedule, now, 1)
    return describe(schedule), (found[0].replace(tzinfo=LONDON) if found else None)


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
