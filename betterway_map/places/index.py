"""The register as nearby search reads it: every placed space and every
active group, as arrays, kept in each process until a space, a group or a
group's meeting changes are written (``database.Versioned``: one small query
a search to know).

What finding, filtering and ordering need is held as arrays (a space's
place, step-free access and whether it is free to hire; a group's space,
interests, audiences, day, part of the day and whether it is free); what a
result shows (names, addresses, schedules, costs: ``SPACE_COLUMNS``,
``GROUP_COLUMNS``) as the rows read, so that a page of results needs no
further query; and the cancelled, moved and one-off meetings of the groups
that have any (``changes``, as ``domain.schedule.meetings`` reads them), so
that a result's next meeting is the one the group's page shows. About 1 KB
a space or group: some 17 MB a process for the
17,000 groups and spaces of the 100,000-people demo.
"""

from __future__ import annotations

import json
from collections import namedtuple
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from sqlalchemy import Text, cast, select

from betterway_map.database import Versioned
from betterway_map.domain import vocab
from betterway_map.domain.geo.distance import PARTS_OF_DAY, part_of_day
from betterway_map.domain.geo.nearest import PlaceIndex
from betterway_map.domain.schedule.meetings import NO_CHANGES, Changes
from betterway_map.extensions import db
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting, Space
from betterway_map.register.services.meetings import changes_by_group

__all__ = [
    "SPACE_COLUMNS",
    "GROUP_COLUMNS",
    "SpaceRecord",
    "GroupRecord",
    "INDEX_TABLES",
    "RegisterIndex",
    "register_index",
    "build_index",
    "bits",
    "code_of",
    "INTEREST_ORDER",
    "AUDIENCE_ORDER",
    "WEEKDAY_ORDER",
    "PART_ORDER",
]

# How values are numbered in the arrays: a bit (interests, audiences) or a
# code (the day, the part of the day) for each, by its place in these.
INTEREST_ORDER = vocab.values(vocab.INTERESTS)
AUDIENCE_ORDER = vocab.values(vocab.AUDIENCES)
WEEKDAY_ORDER = vocab.values(vocab.WEEKDAYS)
PART_ORDER = tuple(value for value, _ in PARTS_OF_DAY)


def bits(values, vocabulary: tuple) -> int:
    """One bit for each of ``values`` that is in ``vocabulary`` (others are ignored).

    >>> bits(["books", "music", "knitting"], ("books", "cooking", "music"))
    5
    """
    found = 0
    for value in values if isinstance(values, list | tuple) else ():
        if value in vocabulary:
            found |= 1 << vocabulary.index(value)
    return found


def code_of(value, vocabulary: tuple) -> int:
    """The position of ``value`` in ``vocabulary``, or -1.

    >>> code_of("wed", ("mon", "tue", "wed")), code_of("xyz", ("mon",))
    (2, -1)
    """
    return vocabulary.index(value) if value in vocabulary else -1


# What a result shows of a space and of a group, and what the index needs.
SPACE_COLUMNS = (
    Space.id.label("space_id"),
    Space.name.label("space_name"),
    Space.address,
    Space.postcode,
    Space.latitude,
    Space.longitude,
    Space.step_free,
    Space.hearing_loop,
    Space.accessible_toilet,
    Space.parking,
    Space.hire_cost_pence,
)
GROUP_COLUMNS = (
    Group.id.label("group_id"),
    Group.name.label("group_name"),
    Group.space_id,
    Group.online,
    # As the JSON text stored: far fewer different lists than groups.
    cast(Group.interests, Text).label("interests_json"),
    cast(Group.audiences, Text).label("audiences_json"),
    Group.frequency,
    Group.weekday,
    Group.nth,
    Group.start_time,
    Group.end_time,
    Group.starts_on,
    Group.ends_on,
    Group.cost_pence,
    Group.cost_note,
)


# The rows as the index keeps them: plain named tuples, whose fields a page
# of results reads some 25 times a result (ten times faster than a Row's).
SpaceRecord = namedtuple("SpaceRecord", select(*SPACE_COLUMNS).selected_columns.keys())
GroupRecord = namedtuple("GroupRecord", select(*GROUP_COLUMNS).selected_columns.keys())


@dataclass(frozen=True)
class RegisterIndex:
    """Placed spaces (``places``, in id order) and active groups (in id order),
    with their rows (``space_rows``, ``group_rows``: ``SpaceRecord``s and
    ``GroupRecord``s of ``SPACE_COLUMNS`` and
    ``GROUP_COLUMNS``), and the meeting changes of the groups that have any
    (``changes``: group id to ``Changes``; ``changes_of`` gives a group's).

    ``group_place`` is the position of a group's space in ``places``, or -1
    when its space is not placed or it has none; ``place_groups`` lists the
    groups of each place in turn (``place_first`` and ``place_count`` say
    where each place's run starts and how long it is).
    """

    places: PlaceIndex
    space_rows: list
    group_rows: list
    space_ids: np.ndarray
    step_free: np.ndarray
    free_to_hire: np.ndarray
    group_ids: np.ndarray
    group_place: np.ndarray
    online_only: np.ndarray
    interests: np.ndarray
    audiences: np.ndarray
    weekday: np.ndarray
    part_of_day: np.ndarray
    free: np.ndarray
    place_groups: np.ndarray
    place_first: np.ndarray
    place_count: np.ndarray
    changes: dict = field(default_factory=dict)
    # Masks worked out once per set of filters (see candidates.py).
    masks: dict = field(default_factory=dict, compare=False, repr=False)
    # What each space and group shows as a result, by kind and id, worked
    # out when first shown (``results.Shown``; at most one a space and one a
    # group of the index).
    shown: dict = field(default_factory=dict, compare=False, repr=False)

    def groups_at(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The groups meeting at these places: (group indices, and for each
        the index into ``positions`` of its place)."""
        counts = self.place_count[positions]
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        ends = np.cumsum(counts)
        offsets = np.arange(total) + np.repeat(
            self.place_first[positions] - (ends - counts), counts
        )
        return self.place_groups[offsets], np.repeat(np.arange(len(positions)), counts)

    def changes_of(self, group_id: int) -> Changes:
        """The group's cancelled, moved and one-off meetings (``NO_CHANGES``: none)."""
        return self.changes.get(group_id, NO_CHANGES)


def build_index(spaces: list, groups: list, changes: dict | None = None) -> RegisterIndex:
    """The index of these rows: placed spaces (``SPACE_COLUMNS``) and active
    groups (``GROUP_COLUMNS``), each in id order, with the meeting changes
    of groups (``{group id: Changes}``; those of other groups are left out)."""
    space_ids = np.fromiter((row.space_id for row in spaces), dtype=np.int64, count=len(spaces))
    places = PlaceIndex([row.latitude for row in spaces], [row.longitude for row in spaces])
    position = {space_id: p for p, space_id in enumerate(space_ids.tolist())}
    group_place = np.fromiter(
        (position.get(row.space_id, -1) for row in groups), dtype=np.intp, count=len(groups)
    )
    order = np.lexsort((np.arange(len(groups)), group_place))
    order = order[group_place[order] >= 0]
    place_count = np.bincount(group_place[order], minlength=len(space_ids)).astype(np.intp)
    return RegisterIndex(
        places=places,
        space_rows=spaces,
        group_rows=groups,
        space_ids=space_ids,
        step_free=np.array([bool(row.step_free) for row in spaces], dtype=bool),
        free_to_hire=np.array([row.hire_cost_pence == 0 for row in spaces], dtype=bool),
        group_ids=np.fromiter((row.group_id for row in groups), dtype=np.int64, count=len(groups)),
        group_place=group_place,
        online_only=np.array([bool(row.online) and row.space_id is None for row in groups], bool),
        interests=np.array([_interest_bits(row.interests_json) for row in groups], np.int64),
        audiences=np.array([_audience_bits(row.audiences_json) for row in groups], np.int64),
        weekday=np.array([code_of(row.weekday, WEEKDAY_ORDER) for row in groups], np.int8),
        part_of_day=np.array([_part_code(row.start_time) for row in groups], np.int8),
        free=np.array([row.cost_pence == 0 for row in groups], dtype=bool),
        place_groups=order.astype(np.intp),
        place_first=(np.cumsum(place_count) - place_count).astype(np.intp),
        place_count=place_count,
        changes=_changes_of_these(groups, changes or {}),
    )


def _changes_of_these(groups: list, changes: dict) -> dict:
    ids = {row.group_id for row in groups}
    return {group_id: found for group_id, found in changes.items() if group_id in ids}


@lru_cache(maxsize=4096)
def _interest_bits(text: str | None) -> int:
    return bits(json.loads(text) if text else [], INTEREST_ORDER)


@lru_cache(maxsize=4096)
def _audience_bits(text: str | None) -> int:
    return bits(json.loads(text) if text else [], AUDIENCE_ORDER)


def _part_code(start) -> int:
    return -1 if start is None else code_of(part_of_day(start), PART_ORDER)


def _read() -> RegisterIndex:
    spaces = db.session.execute(
        select(*SPACE_COLUMNS)
        .where(Space.latitude.is_not(None), Space.longitude.is_not(None))
        .order_by(Space.id)
    )
    groups = db.session.execute(
        select(*GROUP_COLUMNS).where(Group.status == "active").order_by(Group.id)
    )
    return build_index(
        list(map(SpaceRecord._make, spaces)),
        list(map(GroupRecord._make, groups)),
        changes_by_group(),
    )


# The tables the index is read from: it is built again when one is written.
INDEX_TABLES = (
    Space.__tablename__,
    Group.__tablename__,
    MeetingChange.__tablename__,
    OneOffMeeting.__tablename__,
)
_INDEX = Versioned(INDEX_TABLES, _read)


def register_index() -> RegisterIndex:
    """The index of the register as it is now (built again after any write
    to spaces, groups, meeting changes or one-off meetings)."""
    return _INDEX.get()
