"""Quality: the six marks of a good relationship, as the people in it rate them.

Each mark is rated 1 (not at all) to 5 (very much) by the person supported
and by their volunteer or worker, at reviews. A figure over several
relationships is the mean of every answer to that mark, with how many
answers and how many people it rests on; it is withheld when the people are
too few (``domain.suppression``). Where the two sides differ: for each
relationship rated by both, the latest answer of each side to each mark,
the other side's minus the person's; the marks are listed by how far apart
the two sides are on average, furthest first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from betterway_map.domain.measures.arrays import count_distinct
from betterway_map.domain.measures.records import FeedbackRecord
from betterway_map.domain.suppression import MIN_CELL_COUNT, suppress

__all__ = [
    "MARKS",
    "MARK_LABELS",
    "MarkFigure",
    "MarkDifference",
    "RelationshipQuality",
    "per_relationship",
    "marks",
    "marks_by",
    "marks_by_label",
    "differences",
    "FeedbackColumns",
    "NO_ANSWER",
]

# The order of FeedbackRecord.marks (and of measures.models.QUALITY_MARKS).
MARKS = (
    "understanding",
    "collaboration",
    "commitment",
    "communication",
    "empowerment",
    "time_together",
)
MARK_LABELS = {
    "understanding": "Understanding",
    "collaboration": "Working things out together",
    "commitment": "Commitment",
    "communication": "Communication",
    "empowerment": "Feeling more in control",
    "time_together": "Time together",
}


@dataclass(frozen=True, slots=True)
class MarkFigure:
    """The mean of one mark's answers (1-5), the answers and people behind
    it; ``mean`` and the counts are None when the people are too few."""

    mark: str
    mean: float | None
    answers: int | None
    people: int | None


@dataclass(frozen=True, slots=True)
class MarkDifference:
    """How far the volunteer's or worker's view of a mark is from the
    person's: the mean of (theirs − the person's) and of its size."""

    mark: str
    mean_difference: float | None
    mean_gap: float | None
    relationships: int | None
    people: int | None


@dataclass(frozen=True, slots=True)
class RelationshipQuality:
    """One relationship's marks (not suppressed: for those who may see the
    person): the mean of each mark's answers, by side, and answers counted."""

    person_side: dict
    other_side: dict
    answers: int


def _mean(values: list[int]) -> float | None:
    return float(np.mean(values)) if values else None


def per_relationship(feedback: Sequence[FeedbackRecord]) -> dict[Hashable, RelationshipQuality]:
    """Each relationship's marks, the person's and the other side's apart.

    >>> from datetime import date
    >>> f = [FeedbackRecord(("match", 1), 3, "person", date(2025, 1, 1), (4, 5, 5, 4, 3, 2)),
    ...      FeedbackRecord(("match", 1), 3, "volunteer", date(2025, 1, 1), (5,) * 6)]
    >>> q = per_relationship(f)[("match", 1)]
    >>> q.person_side["time_together"], q.other_side["time_together"], q.answers
    (2.0, 5.0, 12)
    """
    sides: dict = defaultdict(lambda: ({m: [] for m in MARKS}, {m: [] for m in MARKS}))
    for f in feedback:
        person, other = sides[f.relationship]
        target = person if f.side == "person" else other
        for mark, value in zip(MARKS, f.marks, strict=True):
            if value is not None:
                target[mark].append(value)
    result = {}
    for key, (person, other) in sides.items():
        answers = sum(len(v) for v in person.values()) + sum(len(v) for v in other.values())
        result[key] = RelationshipQuality(
            {m: _mean(v) for m, v in person.items()},
            {m: _mean(v) for m, v in other.items()},
            answers,
        )
    return result


@dataclass(frozen=True)
class FeedbackColumns:
    """Feedback as parallel arrays, one entry per answer sheet, for figures
    over many: ``relationship`` a number per relationship (equal keys,
    equal numbers), ``person_side`` True for the person's own answers,
    ``given`` the day's ordinal, ``answers`` one column per mark in the
    order of ``MARKS`` (``NO_ANSWER``: not answered)."""

    relationship: np.ndarray
    person: np.ndarray
    person_side: np.ndarray
    given: np.ndarray
    answers: np.ndarray

    @classmethod
    def of(cls, feedback: Feedback, numbers: Mapping | None = None) -> FeedbackColumns:
        """The columns of a list of feedback records (given columns, the
        same); ``numbers``: each relationship key's number (records of a
        relationship not in it are left out), else numbers in order of
        first appearance."""
        if isinstance(feedback, FeedbackColumns):
            return feedback
        if numbers is not None:
            feedback = [f for f in feedback if f.relationship in numbers]
        else:
            numbers = {}
            for f in feedback:
                numbers.setdefault(f.relationship, len(numbers))
        # None becomes NaN as a float, then NO_ANSWER.
        answers = np.array([f.marks for f in feedback], dtype=float).reshape(-1, len(MARKS))
        return cls(
            relationship=np.array([numbers[f.relationship] for f in feedback], dtype=np.int64),
            person=np.array([f.person_id for f in feedback], dtype=np.int64),
            person_side=np.array([f.side == "person" for f in feedback], dtype=bool),
            given=np.array([f.given_on.toordinal() for f in feedback], dtype=np.int64),
            answers=np.where(np.isnan(answers), NO_ANSWER, answers).astype(np.int64),
        )

    def take(self, at: np.ndarray) -> FeedbackColumns:
        """The answer sheets at ``at`` (an index or a mask), in that order."""
        return FeedbackColumns(*(getattr(self, name)[at] for name in self.__dataclass_fields__))


NO_ANSWER = -1
Feedback = Sequence[FeedbackRecord] | FeedbackColumns


def marks(
    feedback: Feedback,
    min_count: int = MIN_CELL_COUNT,
    side: str | None = None,
) -> list[MarkFigure]:
    """The six marks over ``feedback`` (of one ``side`` only: "person", or
    "other" for volunteers and workers), each withheld below ``min_count`` people.

    >>> from datetime import date
    >>> f = [FeedbackRecord(("match", p), p, "person", date(2025, 1, 1), (p % 5 + 1,) * 6)
    ...      for p in range(5)]
    >>> marks(f, 5)[0]
    MarkFigure(mark='understanding', mean=3.0, answers=5, people=5)
    >>> marks(f[:4], 5)[0].mean is None
    True
    """
    c = FeedbackColumns.of(feedback)
    if side is not None:
        c = c.take(c.person_side == (side == "person"))
    figures = []
    for column, mark in enumerate(MARKS):
        given = c.answers[:, column] != NO_ANSWER
        shown = suppress(count_distinct(c.person[given]), min_count)
        if shown is None:
            figures.append(MarkFigure(mark, None, None, None))
        else:
            values = c.answers[given, column]
            mean = float(np.mean(values)) if len(values) else None
            figures.append(MarkFigure(mark, mean, len(values), shown))
    return figures


def marks_by(
    feedback: Sequence[FeedbackRecord],
    group_of: Callable[[FeedbackRecord], Hashable | None],
    min_count: int = MIN_CELL_COUNT,
) -> dict[Hashable, list[MarkFigure]]:
    """The six marks for each group (an organisation, an area) that
    ``group_of`` puts feedback in (None: in none)."""
    return marks_by_label(FeedbackColumns.of(feedback), [group_of(f) for f in feedback], min_count)


def marks_by_label(
    feedback: FeedbackColumns, labels: Sequence[Hashable | None], min_count: int = MIN_CELL_COUNT
) -> dict[Hashable, list[MarkFigure]]:
    """The six marks for each group, ``labels`` giving each answer sheet's
    (None: in none)."""
    grouped: dict[Hashable, list[int]] = defaultdict(list)
    for at, group in enumerate(labels):
        if group is not None:
            grouped[group].append(at)
    # In the order of str((group, rows)), as always, without writing out the rows.
    return {
        group: marks(feedback.take(np.asarray(at, dtype=np.int64)), min_count)
        for group, at in sorted(grouped.items(), key=lambda item: f"({item[0]!r}, [")
    }


def _latest(c: FeedbackColumns, column: int, person_side: bool) -> tuple[np.ndarray, np.ndarray]:
    """Each relationship's latest answer of one side to one mark (the last
    given, of one day the last in the list): relationship numbers, ascending,
    and the answers."""
    mine = (c.answers[:, column] != NO_ANSWER) & (c.person_side == person_side)
    order = np.flatnonzero(mine)[np.argsort(c.given[mine], kind="stable")]
    rel, value = c.relationship[order][::-1], c.answers[order, column][::-1]
    found, first = np.unique(rel, return_index=True)
    return found, value[first]


def differences(feedback: Feedback, min_count: int = MIN_CELL_COUNT) -> list[MarkDifference]:
    """Where the volunteer's or worker's view and the person's differ most:
    the marks, furthest apart first (withheld ones last).

    >>> from datetime import date
    >>> f = []
    >>> for p in range(5):
    ...     f.append(FeedbackRecord(("match", p), p, "person", date(2025, 1, 1), (3,) * 6))
    ...     f.append(FeedbackRecord(("match", p), p, "volunteer", date(2025, 1, 1),
    ...                             (5, 3, 3, 3, 3, 2)))
    >>> [(d.mark, d.mean_difference) for d in differences(f, 5)[:2]]
    [('understanding', 2.0), ('time_together', -1.0)]
    """
    c = FeedbackColumns.of(feedback)
    # Each relationship's person: the one its earliest feedback is about.
    order = np.argsort(c.given, kind="stable")
    rels, first = np.unique(c.relationship[order], return_index=True)
    persons = c.person[order][first]
    figures = []
    for column, mark in enumerate(MARKS):
        person_rels, person_values = _latest(c, column, True)
        other_rels, other_values = _latest(c, column, False)
        both, at_person, at_other = np.intersect1d(
            person_rels, other_rels, assume_unique=True, return_indices=True
        )
        people = count_distinct(persons[np.searchsorted(rels, both)])
        if suppress(people, min_count) is None:
            figures.append(MarkDifference(mark, None, None, None, None))
            continue
        values = (other_values[at_other] - person_values[at_person]).astype(float)
        figures.append(
            MarkDifference(
                mark, float(values.mean()), float(np.abs(values).mean()), len(values), people
            )
        )
    figures.sort(key=lambda d: (d.mean_gap is None, -(d.mean_gap or 0.0), MARKS.index(d.mark)))
    return figures
