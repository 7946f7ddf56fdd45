"""The register as nearby search reads it: every placed space and every
active group, as arrays, kept in each process until a space or a group is
written (``database.Versioned``: one small query a search to know).

Only what finding, filtering and ordering need is held here (a space's
place, step-free access and whether it is free to hire; a group's space,
interests, audiences, day, part of the day and whether it is free); the
details shown for a page of results are read from the database by id
(``candidates.space_details``, ``candidates.group_details``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import select

from betterway_map.database import Versioned
from betterway_map.domain import vocab
from betterway_map.domain.geo.distance import PARTS_OF_DAY, part_of_day
from betterway_map.domain.geo.nearest import PlaceIndex
from betterway_map.extensions import db
from betterway_map.register.models import Group, Space

__all__ = [
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


@dataclass(frozen=True)
class RegisterIndex:
    """Placed spaces (``places``, in id order) and active groups (in id order).

    ``group_place`` is the position of a group's space in ``places``, or -1
    when its space is not placed or it has none; ``place_groups`` lists the
    groups of each place in turn (``place_first`` and ``place_count`` say
    where each place's run starts and how long it is).
    """

    places: PlaceIndex
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
    # Masks worked out once per set of filters (see candidates.py).
    masks: dict = field(default_factory=dict, compare=False, repr=False)

    def groups_at(self, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The groups meeting at these places: (group indices, and for each
        the index into ``positions`` of its place).

        >>> index = build_index([(1, 52.5, -1.5, True, 0), (2, 52.6, -1.5, False, None)],
        ...                     [(7, 2, False, [], [], "mon", None, 0)])
        >>> [a.tolist() for a in index.groups_at(np.array([1, 0]))]
        [[0], [0]]
        """
        counts = self.place_count[positions]
        total = int(counts.sum())
        if total == 0:
            return np.empty(0, dtype=np.intp), np.empty(0, dtype=np.intp)
        ends = np.cumsum(counts)
        offsets = np.arange(total) + np.repeat(
            self.place_first[positions] - (ends - counts), counts
        )
        return self.place_groups[offsets], np.repeat(np.arange(len(positions)), counts)


def build_index(spaces, groups) -> RegisterIndex:
    """The index of these rows.

    ``spaces``: (id, latitude, longitude, step_free, hire_cost_pence) of placed
    spaces; ``groups``: (id, space_id, online, interests, audiences, weekday,
    start_time, cost_pence) of active groups.
    """
    space_ids = np.fromiter((row[0] for row in spaces), dtype=np.int64, count=len(spaces))
    places = PlaceIndex([row[1] for row in spaces], [row[2] for row in spaces])
    position = {space_id: p for p, space_id in enumerate(space_ids.tolist())}
    group_place = np.fromiter(
        (position.get(row[1], -1) for row in groups), dtype=np.intp, count=len(groups)
    )
    order = np.lexsort((np.arange(len(groups)), group_place))
    order = order[group_place[order] >= 0]
    place_count = np.bincount(group_place[order], minlength=len(space_ids)).astype(np.intp)
    return RegisterIndex(
        places=places,
        space_ids=space_ids,
        step_free=np.array([bool(row[3]) for row in spaces], dtype=bool),
        free_to_hire=np.array([row[4] == 0 for row in spaces], dtype=bool),
        group_ids=np.fromiter((row[0] for row in groups), dtype=np.int64, count=len(groups)),
        group_place=group_place,
        online_only=np.array([bool(row[2]) and row[1] is None for row in groups], dtype=bool),
        interests=np.array([bits(row[3], INTEREST_ORDER) for row in groups], dtype=np.int64),
        audiences=np.array([bits(row[4], AUDIENCE_ORDER) for row in groups], dtype=np.int64),
        weekday=np.array([code_of(row[5], WEEKDAY_ORDER) for row in groups], dtype=np.int8),
        part_of_day=np.array(
            [
                code_of(part_of_day(row[6]), PART_ORDER) if row[6] is not None else -1
                for row in groups
            ],
            dtype=np.int8,
        ),
        free=np.array([row[7] == 0 for row in groups], dtype=bool),
        place_groups=order.astype(np.intp),
        place_first=(np.cumsum(place_count) - place_count).astype(np.intp),
        place_count=place_count,
    )


def _read() -> RegisterIndex:
    spaces = db.session.execute(
        select(Space.id, Space.latitude, Space.longitude, Space.step_free, Space.hire_cost_pence)
        .where(Space.latitude.is_not(None), Space.longitude.is_not(None))
        .order_by(Space.id)
    ).all()
    groups = db.session.execute(
        select(
            Group.id,
            Group.space_id,
            Group.online,
            Group.interests,
            Group.audiences,
            Group.weekday,
            Group.start_time,
            Group.cost_pence,
        )
        .where(Group.status == "active")
        .order_by(Group.id)
    ).all()
    return build_index(spaces, groups)


_INDEX = Versioned((Space.__tablename__, Group.__tablename__), _read)


def register_index() -> RegisterIndex:
    """The index of the register as it is now (built again after any write
    to spaces or groups)."""
    return _INDEX.get()
