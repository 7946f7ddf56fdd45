"""Each person's ties, summed over numpy columns of the records.

``isolation.assess_people`` needs, for every person, three things about
their person edges (attendances, ties, matches; see ``edges``): how many
there are, the latest activity on any of them, and how many are active, by
kind. Building the whole typed ``networkx.MultiGraph`` only to read that
back costs seconds and hundreds of megabytes at a council's scale, so this
module works the same figures out from the records as arrays: the rules of
``edges`` (which records make an edge, when it is active, how repeated
records of one edge merge), applied column by column.

Both ways give the same answers: ``tests/unit/test_network_person_ties.py``
checks them against the graph on seeded random areas.

Dates are day ordinals inside (``date.toordinal``), 0 for "not known".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from betterway_map.domain.network.edges import ACTIVE_FREQUENCIES
from betterway_map.domain.network.inputs import Area

__all__ = ["TieSummary", "tie_summary"]

_UNKNOWN = 0  # no date


@dataclass(frozen=True)
class TieSummary:
    """Per person (rows aligned with ``ids``): the person edges and their state.

    ``recorded`` counts the person's edges, active or lapsed; ``last_active``
    is the latest day (an ordinal, 0 when never known) on any of them;
    ``active`` counts active edges by key: a tie kind, ``"group"`` or
    ``"match"`` (the keys of ``PersonAssessment.active_ties``).
    """

    ids: np.ndarray
    recorded: np.ndarray
    last_active: np.ndarray
    active: dict[str, np.ndarray]

    def row(self, person_id: int) -> tuple[dict[str, int], date | None, int]:
        """(active ties by kind, last active day, edges recorded) of one person."""
        at = int(np.searchsorted(self.ids, person_id))
        ties = {key: int(counts[at]) for key, counts in self.active.items() if counts[at]}
        last = int(self.last_active[at])
        return ties, (date.fromordinal(last) if last else None), int(self.recorded[at])


def _ordinals(days) -> np.ndarray:
    return np.fromiter(
        (_UNKNOWN if day is None else day.toordinal() for day in days), dtype=np.int64
    )


def _positions(known: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Position of each value in the sorted ``known`` ids, -1 where absent."""
    if len(known) == 0:
        return np.full(len(values), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(known, values), len(known) - 1)
    return np.where(known[at] == values, at, -1)


def _recent(last: np.ndarray, today: int, window_days: int) -> np.ndarray:
    """``edges.is_recent`` on a column of ordinals."""
    return (last != _UNKNOWN) & (today - last <= window_days)


def _ids(records, name: str) -> np.ndarray:
    return np.fromiter((getattr(r, name) for r in records), dtype=np.int64, count=len(records))


class _Edges:
    """Merged person edges as columns: ends (people rows; ``v`` -1 for a
    group or a contact), key, active, last day."""

    def __init__(self) -> None:
        self.parts: list[tuple[np.ndarray, ...]] = []

    def add(self, u, v, other, key: str, active, last) -> None:
        """Records of one key; ``other`` tells apart the edges of one person
        (the other person's row, a group's position, a contact's number):
        records with the same (u, other) are one edge and merge."""
        if len(u) == 0:
            return
        pair = u.astype(np.int64) * (int(other.max()) + 1) + other
        order = np.argsort(pair, kind="stable")
        pair = pair[order]
        starts = np.flatnonzero(np.r_[True, pair[1:] != pair[:-1]])
        self.parts.append(
            (
                u[order][starts],
                v[order][starts],
                key,
                np.logical_or.reduceat(active[order], starts),
                np.maximum.reduceat(last[order], starts),
            )
        )


def _attendances(area: Area, edges: _Edges, rows, today: int, window_days: int) -> None:
    records = [a for a in area.attendances if a.status != "interested"]
    groups = np.unique(_ids(area.groups, "id"))
    u = _positions(rows, _ids(records, "person_id"))
    group = _positions(groups, _ids(records, "group_id"))
    keep = (u >= 0) & (group >= 0)
    member = np.fromiter((a.status == "member" for a in records), dtype=bool, count=len(records))
    last = _ordinals(a.last_attended_on for a in records)
    active = member & _recent(last, today, window_days)
    edges.add(u[keep], np.full(keep.sum(), -1), group[keep], "group", active[keep], last[keep])


def _ties(area: Area, edges: _Edges, rows, today: int, window_days: int) -> None:
    ties = area.ties
    u = _positions(rows, _ids(ties, "person_id"))
    other_ids = np.fromiter(
        (-1 if t.other_person_id is None else t.other_person_id for t in ties),
        dtype=np.int64,
        count=len(ties),
    )
    contact = np.fromiter((t.other_person_id is None for t in ties), dtype=bool, count=len(ties))
    v = np.where(contact, -1, _positions(rows, other_ids))
    frequency = [t.contact_frequency for t in ties]
    last = _ordinals(t.last_contact_on for t in ties)
    dated = last != _UNKNOWN
    never = np.fromiter((f == "never" for f in frequency), dtype=bool, count=len(ties))
    often = np.fromiter((f in ACTIVE_FREQUENCIES for f in frequency), dtype=bool, count=len(ties))
    active = ~never & np.where(dated, _recent(last, today, window_days), often)
    # A tie with someone on the register joins the two (self-ties and ties
    # to someone not on the register make no edge); the lower row leads.
    paired = ~contact & (v >= 0) & (v != u)
    keep = (u >= 0) & (contact | paired)
    low, high = np.minimum(u, v), np.maximum(u, v)
    first = np.where(paired, low, u)
    second = np.where(paired, high, -1)
    # A contact is its own edge: told apart by its place in the list.
    other = np.where(paired, high, len(rows) + np.arange(len(ties)))
    kinds = np.array([t.kind for t in ties], dtype=object)
    for kind in sorted(set(kinds[keep])):
        chosen = keep & (kinds == kind)
        edges.add(first[chosen], second[chosen], other[chosen], kind, active[chosen], last[chosen])


def _matches(area: Area, edges: _Edges, rows, today: int, window_days: int) -> None:
    matches = area.matches
    u = _positions(rows, _ids(matches, "volunteer_id"))
    v = _positions(rows, _ids(matches, "person_id"))
    keep = (u >= 0) & (v >= 0) & (u != v)
    last = _ordinals(m.last_contact_on or m.started_on for m in matches)
    ended = np.fromiter((m.ended_on is not None for m in matches), dtype=bool, count=len(matches))
    active = ~ended & _recent(last, today, window_days)
    low, high = np.minimum(u, v)[keep], np.maximum(u, v)[keep]
    edges.add(low, high, high, "match", active[keep], last[keep])


def tie_summary(area: Area, window_days: int, today: date) -> TieSummary:
    """Every person's edges, counted by the rules of ``edges``, without a graph.

    >>> from betterway_map.domain.network.inputs import PersonRecord, TieRecord
    >>> day = date(2025, 6, 1)
    >>> area = Area(day, people=[PersonRecord(1, "Ann", None, None, None, True),
    ...                          PersonRecord(2, "Bob", None, None, None, False)],
    ...             ties=[TieRecord(1, "friend", "weekly", day, other_person_id=2)])
    >>> tie_summary(area, 90, day).row(2)
    ({'friend': 1}, datetime.date(2025, 6, 1), 1)
    """
    rows = np.unique(_ids(area.people, "id"))
    count = len(rows)
    ordinal = today.toordinal()
    edges = _Edges()
    _attendances(area, edges, rows, ordinal, window_days)
    _ties(area, edges, rows, ordinal, window_days)
    _matches(area, edges, rows, ordinal, window_days)
    recorded = np.zeros(count, dtype=np.int64)
    last_active = np.zeros(count, dtype=np.int64)
    active: dict[str, np.ndarray] = {}
    for u, v, key, on, last in edges.parts:
        ends = np.concatenate([u, v[v >= 0]])
        ends_on = np.concatenate([on, on[v >= 0]])
        ends_last = np.concatenate([last, last[v >= 0]])
        recorded += np.bincount(ends, minlength=count)
        np.maximum.at(last_active, ends, ends_last)
        counts = np.bincount(ends[ends_on], minlength=count)
        active[key] = active[key] + counts if key in active else counts
    return TieSummary(rows, recorded, last_active, active)
