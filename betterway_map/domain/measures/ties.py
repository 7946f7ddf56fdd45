"""Network change: a person's active ties before and after a relationship
began, and who has an active tie today; over arrays, one entry per record.

**Active ties** (the network model's definition, ``domain.network.edges``:
ties, group attendance and matches active within the activity window). The
records hold the latest activity only, so a day in the past is read "as at"
that day: a record counts once it had begun (an
attendance's ``since``, a match's start, a tie's recording), and activity
later than that day is taken to have gone on through it. *Before* is the
day before the relationship started; *after* is ``FOLLOW_UP_WEEKS`` weeks
after (only when that day has come), the relationship itself included.
Repeated records of one edge count once.

The records come as columns (dicts of integer arrays, days as ordinals,
``NO_DAY`` when missing, ``-1`` for a missing other person, words as codes):

* ``attendances``: person, group, status (``STATUS_CODES``), since, last
  (last attended);
* ``ties``: person, other, frequency (``FREQUENCY_CODES``), last (last
  contact), kind (a number per kind of tie), id, recorded (the day it was
  recorded; ``NO_DAY``: counts from the start);
* ``matches``: person, volunteer, started, ended, last (last contact).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

import numpy as np

from betterway_map.domain.measures.arrays import distinct
from betterway_map.domain.measures.change import (
    FOLLOW_UP_WEEKS,
    ChangeFigure,
    figure_of,
    first_starts,
)
from betterway_map.domain.measures.records import (
    KIND_CODES,
    NO_DAY,
    Relationship,
    RelationshipColumns,
)
from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS
from betterway_map.domain.network.edges import ACTIVE_FREQUENCIES
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.suppression import MIN_CELL_COUNT

__all__ = [
    "NO_DAY",
    "STATUS_CODES",
    "FREQUENCY_CODES",
    "OTHER",
    "codes",
    "NetworkIndex",
    "network_change",
    "active_tie_people",
]

Columns = Mapping[str, np.ndarray]
# Words as the codes the columns carry; any other word is OTHER.
OTHER = -1
STATUS_CODES = {"member": 0, "left": 1, "interested": 2}
_ACTIVE, _NEVER = 0, 1
FREQUENCY_CODES = {name: _ACTIVE for name in sorted(ACTIVE_FREQUENCIES)} | {"never": _NEVER}
# The kinds of edge a person's active ties are told apart by.
_GROUP, _PERSON, _CONTACT, _MATCH = range(4)


def _ordinal(day: date | None) -> int:
    return NO_DAY if day is None else day.toordinal()


def _ints(values) -> np.ndarray:
    return np.array(list(values), dtype=np.int64)


def codes(words, table: Mapping[str, int]) -> np.ndarray:
    """Words as their codes in ``table`` (``OTHER`` when not in it).

    >>> codes(["member", "left", "gone"], STATUS_CODES).tolist()
    [0, 1, -1]
    """
    return np.array([table.get(word, OTHER) for word in words], dtype=np.int64)


class NetworkIndex:
    """An area's network records as columns, to count many people's active
    ties, each as at its own day, without building the network."""

    def __init__(self, area: Area, tie_recorded_on: Mapping[int, date] | None = None):
        recorded = tie_recorded_on or {}
        a, t, m = area.attendances, area.ties, area.matches
        kinds = {kind: number for number, kind in enumerate(sorted({r.kind for r in t}))}
        self._build(
            _ints(g.id for g in area.groups),
            attendances={
                "person": _ints(r.person_id for r in a),
                "group": _ints(r.group_id for r in a),
                "status": codes((r.status for r in a), STATUS_CODES),
                "since": _ints(_ordinal(r.since) for r in a),
                "last": _ints(_ordinal(r.last_attended_on) for r in a),
            },
            ties={
                "person": _ints(r.person_id for r in t),
                "other": _ints(-1 if r.other_person_id is None else r.other_person_id for r in t),
                "frequency": codes((r.contact_frequency for r in t), FREQUENCY_CODES),
                "last": _ints(_ordinal(r.last_contact_on) for r in t),
                "kind": codes((r.kind for r in t), kinds),
                # A tie without an id is told apart from every other.
                "id": _ints(-1 - i if r.id is None else r.id for i, r in enumerate(t)),
                "recorded": _ints(_ordinal(recorded.get(r.id)) for r in t),
            },
            matches={
                "person": _ints(r.person_id for r in m),
                "volunteer": _ints(r.volunteer_id for r in m),
                "started": _ints(_ordinal(r.started_on) for r in m),
                "ended": _ints(_ordinal(r.ended_on) for r in m),
                "last": _ints(_ordinal(r.last_contact_on) for r in m),
            },
        )

    @classmethod
    def from_columns(
        cls, groups: np.ndarray, attendances: Columns, ties: Columns, matches: Columns
    ) -> NetworkIndex:
        """From columns (see the module), as read from a database."""
        index = cls.__new__(cls)
        index._build(np.asarray(groups, dtype=np.int64), attendances, ties, matches)
        return index

    def _build(self, groups, attendances: Columns, ties: Columns, matches: Columns) -> None:
        a = attendances
        keep = np.isin(a["group"], groups) & (a["status"] != STATUS_CODES["interested"])
        self.attendances = _by_person(
            a["person"][keep],
            group=a["group"][keep],
            member=a["status"][keep] == STATUS_CODES["member"],
            since=a["since"][keep],
            last=a["last"][keep],
        )
        t = ties
        keep = (t["frequency"] != _NEVER) & (t["other"] != t["person"])
        with_other = keep & (t["other"] != -1)
        # Each tie under both its people: (whose, the other end).
        self.ties = _by_person(
            np.concatenate([t["person"][keep], t["other"][with_other]]),
            other=np.concatenate([t["other"][keep], t["person"][with_other]]),
            **{
                name: np.concatenate([values[keep], values[with_other]])
                for name, values in {
                    "active_frequency": t["frequency"] == _ACTIVE,
                    "last": t["last"],
                    "kind": t["kind"],
                    "id": t["id"],
                    "recorded": t["recorded"],
                }.items()
            },
        )
        m = matches
        keep = m["person"] != m["volunteer"]
        self.matches = _by_person(
            np.concatenate([m["person"][keep], m["volunteer"][keep]]),
            other=np.concatenate([m["volunteer"][keep], m["person"][keep]]),
            **{
                name: np.concatenate([m[name][keep], m[name][keep]])
                for name in ("started", "ended", "last")
            },
        )

    def active_ties(self, person_id: int, day: date, window_days: int) -> int:
        """The person's active ties as at ``day`` (see the module)."""
        found = self.active_ties_at(np.array([person_id]), np.array([day.toordinal()]), window_days)
        return int(found[0])

    def active_ties_at(self, persons: np.ndarray, days: np.ndarray, window_days: int) -> np.ndarray:
        """For each person, their active ties as at the day beside them
        (ordinals): the edges of their records as at that day (see the
        module) that ``domain.network.edges`` finds active, counted without
        building them (tests check the two agree)."""
        persons = np.asarray(persons, dtype=np.int64)
        days = np.asarray(days, dtype=np.int64)
        edges = [
            self._group_edges(persons, days, window_days),
            self._tie_edges(persons, days, window_days),
            self._match_edges(persons, days, window_days),
        ]
        query, kind, first, second = (np.concatenate(part) for part in zip(*edges, strict=True))
        if not len(query):
            return np.zeros(len(persons), dtype=np.int64)
        order = np.lexsort((second, first, kind, query))
        key = np.stack([query, kind, first, second])[:, order]
        distinct = np.r_[True, np.any(key[:, 1:] != key[:, :-1], axis=0)]
        return np.bincount(key[0][distinct], minlength=len(persons))

    def _group_edges(self, persons, days, window_days):
        query, a = _pairs(self.attendances, persons)
        day = days[query]
        begun = (a["since"] == NO_DAY) | (a["since"] <= day)
        last = a["last"]
        later = (last != NO_DAY) & (last > day)
        on = begun & (later | (a["member"] & _recent(last, day, window_days)))
        zero = np.zeros(int(on.sum()), dtype=np.int64)
        return query[on], zero + _GROUP, a["group"][on], zero

    def _tie_edges(self, persons, days, window_days):
        query, t = _pairs(self.ties, persons)
        day = days[query]
        begun = (t["recorded"] == NO_DAY) | (t["recorded"] <= day)
        last = t["last"]
        dated = last != NO_DAY
        on = begun & np.where(
            dated, (last > day) | _recent(last, day, window_days), t["active_frequency"]
        )
        alone = t["other"] == -1
        # No one else on the register: the tie itself; else the other person and the kind.
        kind = np.where(alone, _CONTACT, _PERSON)
        first = np.where(alone, t["id"], t["other"])
        second = np.where(alone, 0, t["kind"])
        return query[on], kind[on], first[on], second[on]

    def _match_edges(self, persons, days, window_days):
        query, m = _pairs(self.matches, persons)
        day = days[query]
        begun = m["started"] <= day
        ended = (m["ended"] != NO_DAY) & (m["ended"] <= day)
        last = np.where(m["last"] == NO_DAY, m["started"], np.minimum(m["last"], day))
        on = begun & ~ended & _recent(last, day, window_days)
        zero = np.zeros(int(on.sum()), dtype=np.int64)
        return query[on], zero + _MATCH, m["other"][on], zero


def _by_person(person: np.ndarray, **columns: np.ndarray) -> dict[str, np.ndarray]:
    """Columns sorted by person, to find each person's records by bisection."""
    order = np.argsort(person, kind="stable")
    return {"person": person[order]} | {name: np.asarray(v)[order] for name, v in columns.items()}


def _pairs(records: dict[str, np.ndarray], persons: np.ndarray):
    """Each (query, record) pair of a queried person and one of their
    records: the query positions, and the records' columns, one per pair."""
    low = np.searchsorted(records["person"], persons, side="left")
    high = np.searchsorted(records["person"], persons, side="right")
    sizes = high - low
    query = np.repeat(np.arange(len(persons)), sizes)
    # Each pair's record: its query's first record plus its place among them.
    starts = np.repeat(low - np.cumsum(sizes) + sizes, sizes)
    at = starts + np.arange(int(sizes.sum()))
    return query, {name: values[at] for name, values in records.items()}


def _recent(days: np.ndarray, today, window_days: int) -> np.ndarray:
    """``edges.is_recent`` over day ordinals (``NO_DAY``: not known)."""
    return (days != NO_DAY) & (today - days <= window_days)


def network_change(
    relationships: Sequence[Relationship] | RelationshipColumns,
    index: NetworkIndex,
    today: date,
    weeks: int = FOLLOW_UP_WEEKS,
    window_days: int = ACTIVITY_WINDOW_DAYS,
    min_count: int = MIN_CELL_COUNT,
) -> list[ChangeFigure]:
    """Active ties before and after each person's first match and first
    group (more ties is better here)."""
    persons, kinds, days = first_starts(relationships)
    figures = []
    for kind in ("match", "group"):
        mine = (kinds == KIND_CODES[kind]) & (days + 7 * weeks <= today.toordinal())
        before = index.active_ties_at(persons[mine], days[mine] - 1, window_days)
        after = index.active_ties_at(persons[mine], days[mine] + 7 * weeks, window_days)
        figures.append(
            figure_of(kind, "active_ties", before, after, min_count, lower_is_better=False)
        )
    return figures


def active_tie_people(
    today: date,
    window_days: int,
    people: np.ndarray,
    groups: np.ndarray,
    attendances: Columns,
    ties: Columns,
    matches: Columns,
) -> np.ndarray:
    """The people with at least one active tie today: the people at either
    end of an active person edge (``domain.network.edges``: attends, tie,
    match) of the area, worked out over arrays rather than edge by edge.
    Repeated records of one edge are active when any is, so each record
    can be read on its own. Columns as in the module; ``attendances`` need
    no ``since``, ``ties`` no kind, id or recorded day.
    """
    day = today.toordinal()
    people = np.asarray(people, dtype=np.int64)
    found = []
    a = attendances
    on = (
        (a["status"] == STATUS_CODES["member"])
        & np.isin(a["person"], people)
        & np.isin(a["group"], groups)
        & _recent(a["last"], day, window_days)
    )
    found.append(a["person"][on])
    t = ties
    dated = t["last"] != NO_DAY
    on = (t["frequency"] != _NEVER) & np.where(
        dated, _recent(t["last"], day, window_days), t["frequency"] == _ACTIVE
    )
    on &= np.isin(t["person"], people)
    alone = t["other"] == -1
    with_other = ~alone & np.isin(t["other"], people) & (t["other"] != t["person"])
    found.append(t["person"][on & (alone | with_other)])
    found.append(t["other"][on & with_other])
    m = matches
    last = np.where(m["last"] != NO_DAY, m["last"], m["started"])
    on = (
        (m["ended"] == NO_DAY)
        & _recent(last, day, window_days)
        & np.isin(m["person"], people)
        & np.isin(m["volunteer"], people)
        & (m["person"] != m["volunteer"])
    )
    found.append(m["person"][on])
    found.append(m["volunteer"][on])
    return distinct(np.concatenate([np.asarray(f, dtype=np.int64) for f in found]))
