"""The shapes figures are published in, each with the count it rests on.

Every figure about people comes with how many people it is about, and is
``None`` (no figure) when ``domain.suppression`` withholds it. These are
what the dashboards draw and the report writes as CSV.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from betterway_map.domain.suppression import (
    MIN_CELL_COUNT,
    hidden_keys,
    share_shown,
    suppress,
    too_few,
)

__all__ = [
    "Distribution",
    "Breakdown",
    "distribution",
    "breakdown",
    "share_or_none",
    "mean_or_none",
]


@dataclass(frozen=True, slots=True)
class Distribution:
    """The median and quartiles of a quantity (e.g. days), over ``people``.

    All four are None when the people are too few.
    """

    people: int | None
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None


def distribution(
    values: Sequence[float], people: int | None = None, min_count: int = MIN_CELL_COUNT
) -> Distribution:
    """The median and quartiles of ``values``, or nothing when they are about
    fewer than ``min_count`` people (``people``; by default one per value).

    >>> distribution([10, 20, 30, 40, 50], min_count=5)
    Distribution(people=5, median=30.0, lower_quartile=20.0, upper_quartile=40.0)
    >>> distribution([1, 2], min_count=5)
    Distribution(people=None, median=None, lower_quartile=None, upper_quartile=None)
    """
    people = len(values) if people is None else people
    if suppress(people, min_count) is None or not len(values):
        return Distribution(None, None, None, None)
    low, mid, high = np.percentile(np.asarray(values, dtype=float), [25, 50, 75])
    return Distribution(people, float(mid), float(low), float(high))


@dataclass(frozen=True, slots=True)
class Breakdown:
    """People (or things about people) by category, as published.

    ``counts`` and ``shares`` hold None for each withheld category; the
    shares are of ``total``.
    """

    counts: dict
    shares: dict
    total: int | None


def breakdown(
    counts: Mapping[Hashable, int], total: int | None = None, min_count: int = MIN_CELL_COUNT
) -> Breakdown:
    """Counts by category beside their total, with small and recoverable
    ones withheld (``suppression.hidden_keys``), and each shown one's share.

    >>> b = breakdown({"planned": 12, "unplanned": 3}, min_count=5)
    >>> b.counts, b.total
    ({'planned': None, 'unplanned': None}, 15)
    >>> breakdown({"planned": 12, "unplanned": 8}, min_count=5).shares
    {'planned': 0.6, 'unplanned': 0.4}
    """
    total = sum(counts.values()) if total is None else total
    rest = total - sum(counts.values())
    if rest < 0:
        raise ValueError(f"the total {total} is less than the sum of its parts")
    hidden = hidden_keys(counts, min_count, unpublished=rest) if counts else frozenset()
    shown_total = suppress(total, min_count)
    shown = {k: (None if k in hidden else v) for k, v in counts.items()}
    shares = {
        k: (None if v is None or shown_total is None else v / total) for k, v in shown.items()
    }
    return Breakdown(shown, shares, shown_total)


def share_or_none(part: int, whole: int, min_count: int = MIN_CELL_COUNT) -> float | None:
    """``part / whole`` when ``suppression.share_shown`` allows it.

    >>> share_or_none(6, 12, 5), share_or_none(3, 10, 5), share_or_none(6, 10, 5)
    (0.5, None, None)
    """
    return part / whole if share_shown(part, whole, min_count) else None


def mean_or_none(values: Sequence[float], people: int, min_count: int = MIN_CELL_COUNT):
    """The mean of ``values`` when they come from ``min_count`` people or more.

    >>> mean_or_none([1, 2, 3, 4, 5], 5, 5), mean_or_none([1, 2], 2, 5)
    (3.0, None)
    """
    if not len(values) or people < min_count or too_few(people, min_count):
        return None
    return float(np.mean(values))
