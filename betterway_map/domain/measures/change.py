"""Change: loneliness before and after a relationship began.

These figures describe change among the people in relationships; they do
not say the relationship caused it (people's lives change for many reasons,
and there is no comparison group).

**Loneliness.** For each person and kind of relationship (their first match,
first group, first caseload), the *before* measure is the latest taken on or
before the day it started, and the *after* measure the first taken at least
``FOLLOW_UP_WEEKS`` weeks after. Three measures, never merged: the UCLA
3-item total (3-9), the direct question (ranked from "never" 0 to "often or
always" 4) and the De Jong Gierveld total (0-6); lower is less lonely for
each. A person *improved* when the after is lower than the before.

Active ties before and after a relationship are in ``ties``.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from betterway_map.domain.measures.published import breakdown, mean_or_none
from betterway_map.domain.measures.records import (
    KIND_CODES,
    NO_DAY,
    MeasureRecord,
    Relationship,
    RelationshipColumns,
)
from betterway_map.domain.suppression import MIN_CELL_COUNT, suppress

__all__ = [
    "FOLLOW_UP_WEEKS",
    "MEASURES",
    "DIRECT_RANK",
    "ChangeFigure",
    "MeasureSeries",
    "first_starts",
    "loneliness_pairs",
    "loneliness_change",
    "improved_people",
    "figure_of",
]

FOLLOW_UP_WEEKS = 12
MEASURES = ("ucla_total", "direct", "djg_total")
DIRECT_RANK = {
    "never": 0,
    "hardly_ever": 1,
    "occasionally": 2,
    "some_of_the_time": 3,
    "often_always": 4,
}
RELATIONSHIP_KINDS = ("match", "group", "caseload")


@dataclass(frozen=True, slots=True)
class ChangeFigure:
    """Before and after over ``people`` (None: too few to show): the means,
    the mean change (after − before; below 0 is less lonely or, for ties,
    fewer ties), and the shares improved, the same and worse."""

    kind: str  # match / group / caseload / all
    measure: str  # ucla_total / direct / djg_total / active_ties
    people: int | None
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    improved: float | None
    same: float | None
    worse: float | None


def first_starts(
    relationships: Sequence[Relationship] | RelationshipColumns,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each person's first start of each kind of relationship, as arrays by
    person then kind: person ids, kind codes (``KIND_CODES``), day ordinals.

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", 1), 4, 7, date(2025, 3, 1)), R(("match", 2), 4, 8, date(2025, 1, 1)),
    ...       R(("caseload", 4, 9), 4, 9, date(2025, 2, 1))]
    >>> [a.tolist() for a in first_starts(rs)]
    [[4, 4], [0, 2], [739252, 739283]]
    """
    c = RelationshipColumns.of(relationships)
    c = c.take(c.started != NO_DAY)
    order = np.lexsort((c.started, c.kind, c.person))
    person, kind, day = c.person[order], c.kind[order], c.started[order]
    first = np.ones(len(person), dtype=bool)
    first[1:] = (person[1:] != person[:-1]) | (kind[1:] != kind[:-1])
    return person[first], kind[first], day[first]


def _value(measure: MeasureRecord, name: str):
    value = getattr(measure, name)
    return DIRECT_RANK.get(value) if name == "direct" else value


def _by_person(measures: Sequence[MeasureRecord]) -> dict[int, list[MeasureRecord]]:
    found: dict[int, list[MeasureRecord]] = defaultdict(list)
    for m in sorted(measures, key=lambda m: m.measured_on):
        found[m.person_id].append(m)
    return found


def _series(measured: Mapping[int, list[MeasureRecord]], name: str) -> dict:
    """Each person's (days, values) of one measure, by date."""
    found = {}
    for person_id, rows in measured.items():
        days, values = [], []
        for m in rows:
            value = _value(m, name)
            if value is not None:
                days.append(m.measured_on)
                values.append(value)
        if days:
            found[person_id] = (days, values)
    return found


class MeasureSeries:
    """Each measure's values by person and date, as sorted arrays, worked
    out once for the several figures that read them.

    For each measure name: ``(keys, values)`` where ``keys`` are
    ``person_id * 2**32 + day ordinal`` in ascending order (records of one
    day in the order given) and ``values`` the measure's values (the
    direct question as its rank), missing values left out.
    """

    def __init__(self, measures: Sequence[MeasureRecord] = ()):
        measures = list(measures)
        direct = [DIRECT_RANK.get(m.direct) if m.direct is not None else None for m in measures]
        self.by_name = self._sorted(
            np.array([m.person_id for m in measures], dtype=np.int64),
            np.array([m.measured_on.toordinal() for m in measures], dtype=np.int64),
            {
                "ucla_total": _column([m.ucla_total for m in measures]),
                "direct": _column(direct),
                "djg_total": _column([m.djg_total for m in measures]),
            },
        )

    @classmethod
    def from_columns(
        cls, person: np.ndarray, day: np.ndarray, values: Mapping[str, np.ndarray]
    ) -> MeasureSeries:
        """From parallel arrays (day ordinals; each measure's values with -1
        for missing, the direct question already as its rank), in record order."""
        series = cls.__new__(cls)
        series.by_name = cls._sorted(
            np.asarray(person, dtype=np.int64), np.asarray(day, dtype=np.int64), values
        )
        return series

    @staticmethod
    def _sorted(person: np.ndarray, day: np.ndarray, values: Mapping[str, np.ndarray]) -> dict:
        keys = person * _DAY_SPAN + day
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        found = {}
        for name in MEASURES:
            column = np.asarray(values[name], dtype=np.int64)[order]
            present = column != _MISSING
            found[name] = (keys[present], column[present])
        return found

    def pairs(
        self, persons: np.ndarray, starts: np.ndarray, name: str, weeks: int = FOLLOW_UP_WEEKS
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """For each person (array) and start (day ordinals): whether they
        have a before and after of ``name`` (see ``loneliness_pairs``), and
        the before and after values (meaningful only where they have)."""
        keys, values = self.by_name[name]
        persons = np.asarray(persons, dtype=np.int64)
        starts = np.asarray(starts, dtype=np.int64)
        if not len(keys) or not len(persons):
            empty = np.zeros(len(persons), dtype=np.int64)
            return np.zeros(len(persons), dtype=bool), empty, empty
        base = persons * _DAY_SPAN
        before = np.searchsorted(keys, base + starts, side="right") - 1
        after = np.searchsorted(keys, base + starts + 7 * weeks, side="left")
        has_before = (before >= 0) & (keys[np.clip(before, 0, None)] >= base)
        inside = np.clip(after, 0, len(keys) - 1)
        has_after = (after < len(keys)) & (keys[inside] < base + _DAY_SPAN)
        found = has_before & has_after
        return found, values[np.clip(before, 0, None)], values[inside]


_DAY_SPAN = 1 << 32
_MISSING = -1


def _column(values: list) -> np.ndarray:
    return np.array([_MISSING if v is None else v for v in values], dtype=np.int64)


def _prepared(measures) -> MeasureSeries:
    return measures if isinstance(measures, MeasureSeries) else MeasureSeries(measures)


def loneliness_pairs(
    starts: Mapping[int, date],
    measures: Sequence[MeasureRecord] | Mapping[int, tuple],
    name: str,
    weeks: int = FOLLOW_UP_WEEKS,
) -> dict[int, tuple[float, float]]:
    """Each person's (before, after) of measure ``name`` around their start.

    ``measures`` are the records, or already ``_series(_by_person(...), name)``.

    >>> m = [MeasureRecord(1, date(2025, 1, 1), ucla_total=8),
    ...      MeasureRecord(1, date(2025, 3, 1), ucla_total=7),
    ...      MeasureRecord(1, date(2025, 6, 1), ucla_total=5)]
    >>> loneliness_pairs({1: date(2025, 2, 1)}, m, "ucla_total")
    {1: (8, 5)}
    """
    series = measures if isinstance(measures, Mapping) else _series(_by_person(measures), name)
    follow_up = timedelta(weeks=weeks)
    pairs = {}
    for person_id, start in starts.items():
        found = series.get(person_id)
        if found is None:
            continue
        days, values = found
        before = bisect.bisect_right(days, start) - 1
        after = bisect.bisect_left(days, start + follow_up)
        if before >= 0 and after < len(days):
            pairs[person_id] = (values[before], values[after])
    return pairs


def figure_of(
    kind: str, measure: str, before, after, min_count: int, lower_is_better=True
) -> ChangeFigure:
    """The figure over parallel arrays of befores and afters (one per person)."""
    people = len(before)
    if suppress(people, min_count) is None:
        return ChangeFigure(kind, measure, None, None, None, None, None, None, None)
    before = np.asarray(before, dtype=float)
    after = np.asarray(after, dtype=float)
    better = after < before if lower_is_better else after > before
    counts = {
        "improved": int(better.sum()),
        "same": int((after == before).sum()),
        "worse": int(people - better.sum() - (after == before).sum()),
    }
    shares = breakdown(counts, people, min_count).shares
    return ChangeFigure(
        kind,
        measure,
        people,
        mean_or_none(before, people, min_count),
        mean_or_none(after, people, min_count),
        float((after - before).mean()),
        shares["improved"],
        shares["same"],
        shares["worse"],
    )


def loneliness_change(
    relationships: Sequence[Relationship] | RelationshipColumns,
    measures: Sequence[MeasureRecord] | MeasureSeries,
    weeks: int = FOLLOW_UP_WEEKS,
    min_count: int = MIN_CELL_COUNT,
) -> list[ChangeFigure]:
    """Loneliness before and after, for each kind of relationship and
    measure (see the module); figures about too few people are withheld."""
    persons, kinds, days = first_starts(relationships)
    prepared = _prepared(measures)
    figures = []
    for kind in RELATIONSHIP_KINDS:
        mine = kinds == KIND_CODES[kind]
        for name in MEASURES:
            found, before, after = prepared.pairs(persons[mine], days[mine], name, weeks)
            figures.append(figure_of(kind, name, before[found], after[found], min_count))
    return figures


def improved_people(
    relationships: Sequence[Relationship] | RelationshipColumns,
    measures: Sequence[MeasureRecord],
    weeks: int = FOLLOW_UP_WEEKS,
) -> dict[int, bool]:
    """For each person with a before and after around their first
    relationship of any kind: whether they were less lonely after, read on
    the UCLA total, else the De Jong Gierveld total, else the direct question."""
    persons, _, days = first_starts(relationships)
    # The first start of any kind: the earliest of each person's (by person).
    at = np.flatnonzero(np.r_[True, persons[1:] != persons[:-1]]) if len(persons) else persons
    persons, days = persons[at], np.minimum.reduceat(days, at) if len(at) else days
    found: dict[int, bool] = {}
    prepared = _prepared(measures)
    todo = np.ones(len(persons), dtype=bool)
    for name in ("ucla_total", "djg_total", "direct"):
        has, before, after = prepared.pairs(persons, days, name, weeks)
        has &= todo
        found.update(zip(persons[has].tolist(), (after[has] < before[has]).tolist()))
        todo &= ~has
    return found
