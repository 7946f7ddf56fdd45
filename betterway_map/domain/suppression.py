"""Small-number suppression: no published figure is about fewer than
``min_count`` people, and none can be worked out by subtraction.

Two rules, used by the area cells and by coverage:

* **Primary suppression** (``suppress``): a figure about fewer than
  ``min_count`` people is not published at all: not a zero, not "<5", but
  ``None``, which pages, the API, exports and maps show as no figure.
* **Complementary suppression** (``hidden_keys``): when parts are shown
  beside a total of all of them (cells beside the area's at-risk total and
  coverage, age bands beside the overall coverage), the total minus the
  shown parts is the sum of the hidden parts. So the hidden parts together
  must hold either nobody or at least ``min_count`` people; if they hold
  between 1 and ``min_count - 1``, the smallest shown parts are hidden too,
  one at a time (smallest first, then by key, so the choice repeats), until
  they hold enough. A total over everything is itself suppressed by
  ``suppress`` when it is below ``min_count``.

What this does not cover: figures published at different times (monthly
snapshots) can still be subtracted from each other when the same cell is
shown one month and not the next; the snapshots keep only totals and
shares, never a suppressed cell's figure.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

__all__ = ["MIN_CELL_COUNT", "suppress", "hidden_keys", "check_min_count"]

# The default: DESIGN.md's MIN_CELL_COUNT (people), also in config.py.
MIN_CELL_COUNT = 5


def check_min_count(min_count: int) -> int:
    """Return ``min_count`` if it is a whole number of at least 1, else raise.

    >>> check_min_count(5)
    5
    >>> check_min_count(0)
    Traceback (most recent call last):
    ...
    ValueError: min_count must be a whole number of at least 1, not 0
    """
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise ValueError(f"min_count must be a whole number of at least 1, not {min_count!r}")
    return min_count


def suppress(count: int | None, min_count: int = MIN_CELL_COUNT) -> int | None:
    """``count`` when it is at least ``min_count``, else ``None`` (no figure).

    Parameters
    ----------
    count : int or None
        A number of people (``None`` stays ``None``).
    min_count : int
        The fewest people a published figure may be about.

    Examples
    --------
    >>> suppress(5, 5), suppress(4, 5), suppress(0, 5), suppress(None, 5)
    (5, None, None, None)
    """
    check_min_count(min_count)
    if count is None or count < min_count:
        return None
    return count


def hidden_keys(
    sizes: Mapping[Hashable, int], min_count: int = MIN_CELL_COUNT, unpublished: int = 0
) -> frozenset:
    """The parts to hide so that no part, and no difference, is about too few.

    Parameters
    ----------
    sizes : mapping
        Part (a cell, an age band) to the number of people it is about.
    min_count : int
        The fewest people a published figure may be about.
    unpublished : int
        People counted in the total but in no published part (e.g. people
        with no age band): they are hidden from the start.

    Returns
    -------
    frozenset
        Every part with fewer than ``min_count`` people, plus the smallest
        others needed so that the hidden people number 0 or at least
        ``min_count`` (or every part is hidden).

    Examples
    --------
    Cells of 9, 6 and 3 people: the 3 is hidden, and then the 6 as well,
    since the total minus the 9 would otherwise give the 3 away.

    >>> sorted(hidden_keys({"a": 9, "b": 6, "c": 3}, 5))
    ['b', 'c']
    >>> sorted(hidden_keys({"a": 9, "b": 6, "c": 3, "d": 2}, 5))
    ['c', 'd']
    >>> sorted(hidden_keys({"a": 9, "b": 6}, 5, unpublished=1))
    ['b']
    """
    check_min_count(min_count)
    hidden = {key for key, size in sizes.items() if size < min_count}
    hidden_people = unpublished + sum(sizes[key] for key in hidden)
    shown = sorted((key for key in sizes if key not in hidden), key=lambda k: (sizes[k], str(k)))
    for key in shown:
        if hidden_people == 0 or hidden_people >= min_count:
            break
        hidden.add(key)
        hidden_people += sizes[key]
    return frozenset(hidden)
