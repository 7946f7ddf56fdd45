"""Equity: whether provision reaches the people who find relationships hardest.

For each age band, area (postcode district), need (kind of help asked
for), language, disability and for people not online, four figures, each
over its own people:

* **matched**: of the people who asked for support, the share whose
  request led to a match that started;
* **median wait**: of those matched, the median days from their first
  request (the day it was made, ``request_made_on``: reopening a request
  does not start the wait again) to their first match;
* **active tie**: of everyone, the share with at least one active tie
  (``domain.network``'s definition);
* **improved**: of the people with a loneliness measure before and after
  their first relationship (``change.improved_people``), the share less
  lonely after.

*Disability*: the register holds no disability field for the people it
supports; the one record bearing on it is a request asking for a volunteer
who knows disability from their own life (``lived_experience``), so that is
what this category is, and is labelled so. *Not online*: people without an
account of their own (a worker registered them).

Suppression: in each breakdown, each figure's categories go through
``suppression.hidden_with_rest`` with the people counted in no category as
unpublished, so that no withheld category's figure can be worked out from
the overall row minus the shown ones; a share is shown only when
``share_shown`` allows it. People with several languages or needs are in
several categories, so the overall row minus one category counts the
people not in it: a category is withheld when that is too few too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import chain

import numpy as np

from betterway_map.domain.clock import uk_wall_clock
from betterway_map.domain.measures.records import NO_DAY, PeopleColumns, PersonFacts
from betterway_map.domain.suppression import (
    MIN_CELL_COUNT,
    hidden_with_rest,
    share_shown,
    suppress,
)

__all__ = ["DIMENSIONS", "EquityRow", "ALL", "equity", "equity_breakdown", "request_made_on"]

ALL = "all"
DISABILITY_LABEL = "asked for a volunteer with lived experience of disability"


def request_made_on(opened_on: date | None, created_at: datetime | None) -> date | None:
    """The day a request for support was made: the day in the UK it was
    recorded (``created_at``, a moment), or the day it opened when that is
    earlier (a request recorded after the fact, e.g. imported). Reopening a
    request moves its ``opened_on`` on (the matcher counts waiting from
    there) but not the day it was made.

    >>> from datetime import UTC
    >>> request_made_on(date(2025, 9, 1), datetime(2025, 3, 10, 9, 0, tzinfo=UTC))
    datetime.date(2025, 3, 10)
    >>> request_made_on(date(2025, 7, 2), datetime(2025, 7, 1, 23, 30, tzinfo=UTC))  # BST
    datetime.date(2025, 7, 2)
    >>> request_made_on(date(2024, 1, 5), datetime(2025, 3, 10, 9, 0, tzinfo=UTC))
    datetime.date(2024, 1, 5)
    """
    made = None if created_at is None else uk_wall_clock(created_at).date()
    if opened_on is None or made is None:
        return made or opened_on
    return min(opened_on, made)


def _one(labels: dict):
    """One category a person is in, from a column of values and a label for each."""
    found = {value: (label,) for value, label in labels.items()}
    return lambda values: [found[v] for v in values]


def _age(c: PeopleColumns) -> list:
    return [(a or "not recorded",) for a in c.age_band]


def _district(c: PeopleColumns) -> list:
    return [(d or "not recorded",) for d in c.district]


def _needs(c: PeopleColumns) -> list:
    return c.needs


def _languages(c: PeopleColumns) -> list:
    return c.languages


_disabled = _one({True: DISABILITY_LABEL, False: "no record of disability"})
_on = _one({True: "online", False: "not online"})


def _disability(c: PeopleColumns) -> list:
    return _disabled(c.disability.tolist())


def _online(c: PeopleColumns) -> list:
    return _on(c.online.tolist())


# (name, label, the categories each person is in: one sequence per person)
DIMENSIONS: tuple[tuple[str, str, Callable[[PeopleColumns], Sequence]], ...] = (
    ("age_band", "Age band", _age),
    ("district", "Area (postcode district)", _district),
    ("need", "Need (help asked for)", _needs),
    ("language", "Language", _languages),
    ("disability", "Disability", _disability),
    ("online", "Online", _online),
)


@dataclass(frozen=True, slots=True)
class EquityRow:
    """One category's figures; each None when withheld."""

    dimension: str
    category: str
    people: int | None
    asked: int | None
    share_matched: float | None
    matched: int | None
    median_wait_days: float | None
    share_active_tie: float | None
    measured: int | None
    share_improved: float | None


@dataclass
class _Tally:
    """One category's counts, and the waits of its people matched."""

    people: int = 0
    asked: int = 0
    matched: int = 0
    with_tie: int = 0
    measured: int = 0
    improved: int = 0
    waits: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))


@dataclass(frozen=True)
class _Outcomes:
    """Everyone's outcomes as arrays, one entry per person (in the order given)."""

    asked: np.ndarray
    matched: np.ndarray
    wait_days: np.ndarray
    with_tie: np.ndarray
    measured: np.ndarray
    improved: np.ndarray

    @classmethod
    def of(cls, c: PeopleColumns) -> _Outcomes:
        asked = c.requested != NO_DAY
        matched = asked & (c.matched != NO_DAY)
        return cls(
            asked=asked,
            matched=matched,
            wait_days=np.where(matched, np.maximum(0, c.matched - c.requested), 0),
            with_tie=c.active_tie,
            measured=c.improved != -1,
            improved=c.improved == 1,
        )

    def tally(self, at: np.ndarray) -> _Tally:
        """The counts of the people at positions ``at``."""
        matched = self.matched[at].astype(bool)
        return _Tally(
            people=len(at),
            asked=int(self.asked[at].sum()),
            matched=int(matched.sum()),
            with_tie=int(self.with_tie[at].sum()),
            measured=int(self.measured[at].sum()),
            improved=int(self.improved[at].sum()),
            waits=self.wait_days[at][matched],
        )


def _hidden(tallies: dict, none: _Tally, overall: _Tally, counts, min_count: int) -> frozenset:
    sizes = {k: counts(t) for k, t in tallies.items()}
    return hidden_with_rest(sizes, counts(overall), min_count, counts(none))


# The people each figure is about, by the kinds that must each be safe to tell.
_FIGURE_COUNTS = {
    "people": lambda t: t.people,
    "tie": lambda t: (t.with_tie, t.people - t.with_tie),
    "asked": lambda t: (t.matched, t.asked - t.matched),
    "wait": lambda t: t.matched,
    "measured": lambda t: (t.improved, t.measured - t.improved),
}


def _share(part: int, whole: int, hidden: bool, min_count: int) -> float | None:
    if hidden or not share_shown(part, whole, min_count):
        return None
    return part / whole


def _row(dimension, category, t: _Tally, hidden: dict, min_count: int) -> EquityRow:
    def shown(name, value):
        return None if category in hidden[name] else suppress(value, min_count)

    wait_hidden = category in hidden["wait"] or suppress(len(t.waits), min_count) is None
    return EquityRow(
        dimension=dimension,
        category=category,
        people=shown("people", t.people),
        asked=shown("asked", t.asked),
        share_matched=_share(t.matched, t.asked, category in hidden["asked"], min_count),
        matched=shown("wait", t.matched),
        median_wait_days=None if wait_hidden else float(np.median(t.waits)),
        share_active_tie=_share(t.with_tie, t.people, category in hidden["tie"], min_count),
        measured=shown("measured", t.measured),
        share_improved=_share(t.improved, t.measured, category in hidden["measured"], min_count),
    )


def equity_breakdown(
    people: Sequence[PersonFacts],
    dimension: str,
    categories_of: Callable[[PersonFacts], Sequence],
    min_count: int = MIN_CELL_COUNT,
) -> list[EquityRow]:
    """The figures for each category of one dimension (``categories_of``
    a person), then ``"all"``."""
    outcomes = _Outcomes.of(PeopleColumns.of(people))
    return _breakdown(outcomes, dimension, [categories_of(p) for p in people], min_count)


def _breakdown(
    outcomes: _Outcomes, dimension: str, found: list[Sequence], min_count: int
) -> list[EquityRow]:
    """The rows of one dimension, ``found`` giving each person's categories."""
    # One (person, category) pair per category a person is in, each once.
    found = [c if len(c) < 2 else list(dict.fromkeys(c)) for c in found]
    sizes = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
    numbers: dict = {}
    codes = np.fromiter(
        (numbers.setdefault(c, len(numbers)) for c in chain.from_iterable(found)),
        dtype=np.int64,
        count=int(sizes.sum()),
    )
    positions = np.repeat(np.arange(len(found)), sizes)
    by_code = np.argsort(codes, kind="stable")
    bounds = np.searchsorted(codes[by_code], np.arange(len(numbers) + 1))
    tallies = {
        name: outcomes.tally(positions[by_code[bounds[i] : bounds[i + 1]]])
        for name, i in numbers.items()
    }
    overall = outcomes.tally(np.arange(len(found)))
    none = outcomes.tally(np.flatnonzero(sizes == 0))
    hidden = {
        name: _hidden(tallies, none, overall, counts, min_count)
        for name, counts in _FIGURE_COUNTS.items()
    }
    rows = [_row(dimension, c, tallies[c], hidden, min_count) for c in sorted(tallies)]
    nothing = {name: frozenset() for name in hidden}
    rows.append(_row(dimension, ALL, overall, nothing, min_count))
    return rows


def equity(
    people: Sequence[PersonFacts] | PeopleColumns, min_count: int = MIN_CELL_COUNT
) -> dict[str, list[EquityRow]]:
    """Every dimension's breakdown (see the module), keyed by dimension name.

    >>> from datetime import date
    >>> people = [PersonFacts(i, "75-84" if i < 10 else "85+", "LS6", online=i % 2 == 0,
    ...                       requested_on=date(2025, 1, 1),
    ...                       matched_on=date(2025, 1, 11) if i < 15 else None,
    ...                       active_tie=i < 12) for i in range(20)]
    >>> rows = equity(people, 5)["age_band"]
    >>> [(r.category, r.people, r.share_matched, r.median_wait_days) for r in rows]
    [('75-84', 10, 1.0, 10.0), ('85+', 10, 0.5, 10.0), ('all', 20, 0.75, 10.0)]
    """
    columns = PeopleColumns.of(people)
    outcomes = _Outcomes.of(columns)
    return {
        name: _breakdown(outcomes, name, categories_of(columns), min_count)
        for name, _, categories_of in DIMENSIONS
    }
