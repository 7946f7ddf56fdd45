"""Distinct values of integer arrays, by sorting.

numpy 2's ``np.unique`` without ``return_index`` / ``return_inverse`` /
``return_counts`` goes through a hash table, which on the large integer
arrays the measures count (a person per contact, a relationship per gap)
is many times slower than sorting them; these sort.
"""

from __future__ import annotations

import numpy as np

__all__ = ["distinct", "count_distinct"]


def distinct(values) -> np.ndarray:
    """The distinct values, ascending (as ``np.unique``).

    >>> distinct(np.array([3, 1, 3, 2, 1])).tolist()
    [1, 2, 3]
    """
    ordered = np.sort(np.asarray(values))
    if len(ordered) < 2:
        return ordered
    return ordered[np.r_[True, ordered[1:] != ordered[:-1]]]


def count_distinct(values) -> int:
    """How many distinct values there are.

    >>> count_distinct(np.array([7, 7, 9])), count_distinct(np.array([], dtype=np.int64))
    (2, 0)
    """
    return len(distinct(values))
