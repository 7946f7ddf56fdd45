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
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass

import numpy as np

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
    "differences",
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


def marks(
    feedback: Sequence[FeedbackRecord],
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
    if side is not None:
        person_side = side == "person"
        feedback = [f for f in feedback if (f.side == "person") == person_side]
    # One row per answer sheet, one column per mark (_NO_ANSWER: not answered).
    answers = np.array(
        [[_NO_ANSWER if v is None else v for v in f.marks] for f in feedback], dtype=np.int64
    ).reshape(-1, len(MARKS))
    person = np.fromiter((f.person_id for f in feedback), dtype=np.int64, count=len(feedback))
    figures = []
    for column, mark in enumerate(MARKS):
        given = answers[:, column] != _NO_ANSWER
        shown = suppress(len(np.unique(person[given])), min_count)
        if shown is None:
            figures.append(MarkFigure(mark, None, None, None))
        else:
            values = answers[given, column]
            mean = float(np.mean(values)) if len(values) else None
            figures.append(MarkFigure(mark, mean, len(values), shown))
    return figures


_NO_ANSWER = -1


def marks_by(
    feedback: Sequence[FeedbackRecord],
    group_of: Callable[[FeedbackRecord], Hashable | None],
    min_count: int = MIN_CELL_COUNT,
) -> dict[Hashable, list[MarkFigure]]:
    """The six marks for each group (an organisation, an area) that
    ``group_of`` puts feedback in (None: in none)."""
    grouped: dict[Hashable, list[FeedbackRecord]] = defaultdict(list)
    for f in feedback:
        group = group_of(f)
        if group is not None:
            grouped[group].append(f)
    # In the order of str((group, rows)), as always, without writing out the rows.
    return {
        group: marks(rows, min_count)
        for group, rows in sorted(grouped.items(), key=lambda item: f"({item[0]!r}, [")
    }


def _latest_by_side(feedback: Sequence[FeedbackRecord]) -> dict:
    """For each relationship: person id and, per side ("person"/"other"), the
    latest answer to each mark."""
    latest: dict = {}
    for f in sorted(feedback, key=lambda f: f.given_on):
        person_id, sides = latest.setdefault(f.relationship, (f.person_id, ({}, {})))
        target = sides[0] if f.side == "person" else sides[1]
        for mark, value in zip(MARKS, f.marks, strict=True):
            if value is not None:
                target[mark] = value
    return latest


def differences(
    feedback: Sequence[FeedbackRecord], min_count: int = MIN_CELL_COUNT
) -> list[MarkDifference]:
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
    diffs: dict[str, list[int]] = {m: [] for m in MARKS}
    people: dict[str, set[int]] = {m: set() for m in MARKS}
    for person_id, (person, other) in _latest_by_side(feedback).values():
        for mark in MARKS:
            if mark in person and mark in other:
                diffs[mark].append(other[mark] - person[mark])
                people[mark].add(person_id)
    figures = []
    for mark in MARKS:
        if suppress(len(people[mark]), min_count) is None:
            figures.append(MarkDifference(mark, None, None, None, None))
            continue
        values = np.asarray(diffs[mark], dtype=float)
        figures.append(
            MarkDifference(
                mark,
                float(values.mean()),
                float(np.abs(values).mean()),
                len(values),
                len(people[mark]),
            )
        )
    figures.sort(key=lambda d: (d.mean_gap is None, -(d.mean_gap or 0.0), MARKS.index(d.mark)))
    return figures
