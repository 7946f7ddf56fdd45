"""What is on near me? Groups, spaces and offers of help near a place.

The search reads the register's index (``places.index``: placed spaces and
active groups as arrays, kept in each process until either is written),
finds the spaces within the radius with exact geodesic distances where it
matters (``domain.geo.nearest``: a k-d tree, great-circle bounds, and the
exact geodesic only for spaces near the radius's edge), applies the filters
(``places.candidates``, the one rule each) and counts what it found, all in
arrays. Only the results on the page asked for are put in order (nearest
first; ties by kind, then id), measured exactly and read in full. The answer
is the same as measuring every row with geopy; ``tests/places/test_nearby_property.py``
proves it and ``benchmarks/nearby.py`` times it.

Groups are placed at their space. Groups that meet only online are near
nothing: they are counted, not listed. Offers of help are measured from a
blurred home (``domain.geo.distance.coarse_point``) and shown with an approximate
distance only: never a place, an address or a marker.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np
from sqlalchemy import func, select

from betterway_map.domain.clock import now_in_uk, uk_wall_clock
from betterway_map.domain.geo.distance import (
    KIND_ORDER,
    OFFER_MARGIN_KM,
    approximate_km,
    bounding_box,
    coarse_point,
    distance_km,
    next_radius_km,
    sort_key,
)
from betterway_map.domain.geo.nearest import Around, nearest_first
from betterway_map.domain.geo.place import Place
from betterway_map.domain.schedule.meetings import NO_CHANGES, Changes
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.locate import locate, place_at
from betterway_map.places.candidates import (
    Filters,
    group_passes,
    offer_rows,
    online_group_count,
    space_passes,
)
from betterway_map.places.index import RegisterIndex, register_index
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
    "space_ids_within",
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


_GROUP, _SPACE = KIND_ORDER["group"], KIND_ORDER["space"]


@dataclass(frozen=True)
class _Found:
    """What a search found, in arrays: each result's place (an index into
    ``around``), kind, id and row (a group's position in the index's groups,
    a space's in its places); and the offers of help, already in order."""

    index: RegisterIndex
    around: Around
    points: np.ndarray
    kinds: np.ndarray
    ids: np.ndarray
    rows: np.ndarray
    offers: list[Match]

    @property
    def total(self) -> int:
        return len(self.ids) + len(self.offers)

    def first(self, count: int) -> list[Match]:
        """The first ``count`` results, nearest first."""
        picked, exact_km = nearest_first(self.around, self.points, self.kinds, self.ids, count)
        space_rows, group_rows = self.index.space_rows, self.index.group_rows
        places = self.around.positions[self.points[picked]].tolist()
        found = []
        for km, kind, item_id, row, place in zip(
            exact_km.tolist(),
            self.kinds[picked].tolist(),
            self.ids[picked].tolist(),
            self.rows[picked].tolist(),
            places,
            strict=True,
        ):
            if kind == _GROUP:
                pair = (space_rows[place], group_rows[row])
                found.append(Match(sort_key(km, "group", item_id), "group", km, pair))
            else:
                pair = (space_rows[row], None)
                found.append(Match(sort_key(km, "space", item_id), "space", km, pair))
        if self.offers:
            found = sorted(found + self.offers)[:count]
        return found


def _find(
    lat: float, lon: float, radius_km: float, filters: Filters, index: RegisterIndex
) -> _Found:
    around = index.places.around(lat, lon, radius_km)
    at = around.positions
    groups, points = index.groups_at(at)
    keep = group_passes(index, filters)[groups]
    places_pass = space_passes(index, filters)
    if places_pass is not None:
        keep &= places_pass[at][points]
    groups, group_points = groups[keep], points[keep]
    parts = []  # (points, kind, ids, rows)
    if "group" in filters.what:
        parts.append((group_points, _GROUP, index.group_ids[groups], groups))
    if "space" in filters.what:
        shown = np.ones(len(at), dtype=bool) if places_pass is None else places_pass[at].copy()
        if filters.about_groups:  # only where a group passing the filters meets
            hosts = np.zeros(len(at), dtype=bool)
            hosts[group_points] = True
            shown &= hosts
        if filters.free:
            shown &= index.free_to_hire[at]
        space_points = np.flatnonzero(shown)
        parts.append((space_points, _SPACE, index.space_ids[at[space_points]], at[space_points]))
    offers = _offer_matches(lat, lon, radius_km) if "offer" in filters.what else []
    if not parts:  # offers only
        none = np.empty(0, dtype=np.intp)
        parts.append((none, _SPACE, none, none))
    points_of, kind_of, ids_of, rows_of = zip(*parts, strict=True)
    return _Found(
        index,
        around,
        np.concatenate(points_of, dtype=np.intp),
        np.repeat(np.array(kind_of, dtype=np.int8), [len(each) for each in points_of]),
        np.concatenate(ids_of),
        np.concatenate(rows_of, dtype=np.intp),
        sorted(offers),
    )


def matches(
    lat: float, lon: float, radius_km: float, filters: Filters, limit: int | None = None
) -> list[Match]:
    """The results within ``radius_km`` of (lat, lon), nearest first: all of
    them, or the first ``limit``."""
    found = _find(lat, lon, radius_km, filters, register_index())
    return found.first(found.total if limit is None else limit)


def space_ids_within(lat: float, lon: float, radius_km: float) -> list[int]:
    """The ids of the placed spaces within ``radius_km`` of (lat, lon), in id order."""
    index = register_index()
    return index.space_ids[index.places.around(lat, lon, radius_km).positions].tolist()


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
    index = register_index()
    found = _find(origin.latitude, origin.longitude, radius_km, filters, index)
    pages = page_count(found.total, page_size)
    if page > pages:
        message = (
            f"page {page} is past the last page of results ({pages}); "
            f"choose a page from 1 to {pages}."
        )
        raise InvalidInput(message, {"page": [message]})
    now = (uk_wall_clock(now) if now else now_in_uk()).replace(microsecond=0)
    start = (page - 1) * page_size
    items = [
        build_item(match, now, _changes(match, index), index.shown)
        for match in found.first(start + page_size)[start:]
    ]
    online = None
    if "group" in filters.what:
        online = OnlineGroups(online_group_count(index, filters), filters.interest)
    explanation = None if found.total else _explain(origin, radius_km, filters, index)
    return NearbySearch(
        origin, radius_km, filters, items, page, page_size, found.total, online, explanation
    )


def _changes(match: Match, index: RegisterIndex) -> Changes:
    """A group's cancelled, moved and one-off meetings (none for the others)."""
    return index.changes_of(match.row[1].group_id) if match.kind == "group" else NO_CHANGES


def _things(count: int) -> str:
    return "group or space" if count == 1 else "groups and spaces"


def _explain(
    origin: Place, radius_km: float, filters: Filters, index: RegisterIndex
) -> Explanation:
    """Why a search found nothing, with counts that show what would."""
    lat, lon = origin.latitude, origin.longitude
    filtered = filters != Filters()
    unfiltered = _find(lat, lon, radius_km, Filters(), index).total if filtered else None
    wider = next_radius_km(radius_km)
    wider_count = _find(lat, lon, wider, filters, index).total if wider else None
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
