"""What is on near me? Groups, spaces and offers of help near a place.

The search reads candidates through the spatial index (a bounding box that
contains the whole geodesic circle, ``domain.geo.distance.bounding_box``), measures the
exact geodesic distance to those candidates only, keeps the ones within the
radius and sorts them nearest first (ties by kind, then id). The answer is the
same as measuring every row with geopy; ``tests/test_nearby_property.py``
proves it and ``benchmarks/nearby.py`` times it.

Groups are placed at their space. Groups that meet only online are near
nothing: they are counted, not listed. Offers of help are measured from a
blurred home (``domain.geo.distance.coarse_point``) and shown with an approximate
distance only: never a place, an address or a marker.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from betterway_map.domain.clock import now_in_uk, uk_wall_clock
from betterway_map.domain.geo.distance import (
    OFFER_MARGIN_KM,
    approximate_km,
    bounding_box,
    coarse_point,
    distance_km,
    distances_within,
    next_radius_km,
    sort_key,
)
from betterway_map.domain.geo.place import Place
from betterway_map.domain.schedule.meetings import NO_CHANGES
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.locate import locate, place_at
from betterway_map.places.candidates import (
    Filters,
    group_rows,
    offer_rows,
    online_group_count,
    space_rows,
)
from betterway_map.places.results import (
    Explanation,
    Match,
    NearbyItem,
    NearbySearch,
    OnlineGroups,
    build_item,
    fast_forward,
)
from betterway_map.places.schemas import DEFAULT_WHAT
from betterway_map.register.models import Space
from betterway_map.register.services.meetings import changes_by_group
from betterway_map.web.paging import page_count

__all__ = [
    "map_start",
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
]


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
    pages = page_count(len(found), page_size)
    if page > pages:
        message = (
            f"page {page} is past the last page of results ({pages}); "
            f"choose a page from 1 to {pages}."
        )
        raise InvalidInput(message, {"page": [message]})
    now = (uk_wall_clock(now) if now else now_in_uk()).replace(microsecond=0)
    start = (page - 1) * page_size
    shown = found[start : start + page_size]
    changes = changes_by_group(match.row[1].group_id for match in shown if match.kind == "group")
    items = [
        build_item(match, now, changes.get(match.row[1].group_id, NO_CHANGES))
        if match.kind == "group"
        else build_item(match, now)
        for match in shown
    ]
    online = None
    if "group" in filters.what:
        online = OnlineGroups(online_group_count(filters), filters.interest)
    explanation = None if found else _explain(origin, radius_km, filters)
    return NearbySearch(
        origin, radius_km, filters, items, page, page_size, len(found), online, explanation
    )


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


# Where a map starts when there is nothing to centre it on: Great Britain.
GREAT_BRITAIN = (54.5, -2.5, 6)


def map_start() -> tuple[float, float, int]:
    """``(lat, lon, zoom)`` for a map to choose a point on: the middle of the
    area's spaces (public places, never a person's home), else Great Britain."""
    lat, lon = db.session.execute(
        select(func.avg(Space.latitude), func.avg(Space.longitude)).where(
            Space.latitude.is_not(None)
        )
    ).one()
    if lat is None:
        return GREAT_BRITAIN
    return round(float(lat), 5), round(float(lon), 5), 13
