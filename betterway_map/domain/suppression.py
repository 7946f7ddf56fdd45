"""Small-number suppression: the one rule for every published figure about people.

No published figure is about 1 to ``min_count - 1`` people (DESIGN.md's
``MIN_CELL_COUNT``, default 5): not a count, not a count of a kind of person
within it, not a share whose part or whose rest is such a count, and no
such count can be worked out by subtracting shown figures from a shown
total. Zero is no person: a zero that can be worked out gives nobody away.

* **Primary suppression** (``suppress``): a figure standing on its own (a
  total, a cell's population, a share's denominator) is shown only from
  ``min_count``; below that, zero included, it is ``None``, which pages, the
  API, exports and maps show as no figure (not a zero, not "<5").
* **Shares** (``share_shown``): a share is shown only when its whole is, and
  neither its part nor its rest is ``too_few``. A share of 0 or 1 is fine.
* **Complementary suppression** (``hidden_keys``): when parts are shown
  beside a total of all of them (cells beside the area's totals, age bands
  beside overall coverage, kinds of help beside all open offers), the total
  minus the shown parts is the sum of the hidden parts. So the hidden parts
  together must hold nobody or at least ``min_count`` people (of each kind,
  when a part is counts of several kinds); the smallest shown parts are
  hidden too, one at a time, until they do.
* ``suppress_breakdown`` puts the two together for a total and its parts.

What this does not cover: figures published at different times (monthly
snapshots) can still be subtracted from each other when the same cell is
shown one month and not the next; the snapshots keep only totals and
shares, never a suppressed cell's figure.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping

__all__ = [
    "MIN_CELL_COUNT",
    "check_min_count",
    "too_few",
    "suppress",
    "share_shown",
    "hidden_keys",
    "suppress_breakdown",
]

# The default: DESIGN.md's MIN_CELL_COUNT (people), also in config.py.
MIN_CELL_COUNT = 5

Counts = int | tuple[int, ...]


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


def too_few(count: int, min_count: int = MIN_CELL_COUNT) -> bool:
    """Whether ``count`` people is a number no figure may show or give away.

    Parameters
    ----------
    count : int
        A number of people.
    min_count : int
        The fewest people a published figure may be about.

    Returns
    -------
    bool
        True for 1 to ``min_count - 1``; zero (nobody) and ``min_count`` or
        more are not too few.

    Examples
    --------
    >>> too_few(0, 5), too_few(1, 5), too_few(4, 5), too_few(5, 5)
    (False, True, True, False)
    """
    check_min_count(min_count)
    return 0 < count < min_count


def suppress(count: int | None, min_count: int = MIN_CELL_COUNT) -> int | None:
    """``count`` when it is at least ``min_count``, else ``None`` (no figure).

    A figure standing on its own is withheld at zero too: "nobody here" is
    not worth a figure, and the two former rules both withheld it.

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


def share_shown(part: int, whole: int, min_count: int = MIN_CELL_COUNT) -> bool:
    """Whether the share ``part / whole`` (of people) may be published.

    Parameters
    ----------
    part : int
        People in the share (e.g. at-risk people with a group nearby).
    whole : int
        People the share is of; ``0 <= part <= whole``.
    min_count : int
        The fewest people a published figure may be about.

    Returns
    -------
    bool
        True when ``whole`` is at least ``min_count`` and neither ``part``
        nor ``whole - part`` is ``too_few``.

    Examples
    --------
    3 of 6 tells about 3 people; 0 of 5 and 6 of 6 tell about nobody apart
    from the whole; 5 of 6 leaves 1 person out.

    >>> [share_shown(p, w, 5) for p, w in [(3, 6), (0, 5), (6, 6), (5, 6), (5, 10)]]
    [False, True, True, False, True]
    """
    if not 0 <= part <= whole:
        raise ValueError(f"a share's part must be from 0 to its whole {whole}, not {part!r}")
    return (
        suppress(whole, min_count) is not None
        and not too_few(part, min_count)
        and not too_few(whole - part, min_count)
    )


def _as_counts(value: Counts) -> tuple[int, ...]:
    return value if isinstance(value, tuple) else (value,)


def _part_shown(counts: tuple[int, ...], min_count: int) -> bool:
    return sum(counts) >= min_count and not any(too_few(c, min_count) for c in counts)


def hidden_keys(
    sizes: Mapping[Hashable, Counts],
    min_count: int = MIN_CELL_COUNT,
    unpublished: Counts | None = None,
) -> frozenset:
    """The parts to hide so that no part, and no difference, is about too few.

    Parameters
    ----------
    sizes : mapping
        Part (a cell, an age band, a kind of help) to the number of people
        it is about, or to a tuple of the numbers of disjoint kinds of
        people in it (e.g. ``(covered, not_covered)`` for a share).
    min_count : int
        The fewest people a published figure may be about.
    unpublished : int or tuple, optional
        People counted in the total but in no published part (e.g. people
        with no age band), in the same shape as ``sizes``: hidden from the
        start. Nobody by default.

    Returns
    -------
    frozenset
        Every part about fewer than ``min_count`` people or with a kind
        that is ``too_few``, plus the smallest others needed (smallest
        first, then by key, so the choice repeats) until the hidden people
        of each kind number 0 or at least ``min_count``, or every part is
        hidden.

    Examples
    --------
    Cells of 9, 6 and 3 people: the 3 is hidden, and then the 6 as well,
    since the total minus the 9 would otherwise give the 3 away. A hidden 0
    gives nobody away, so it hides nothing more.

    >>> sorted(hidden_keys({"a": 9, "b": 6, "c": 3}, 5))
    ['b', 'c']
    >>> sorted(hidden_keys({"a": 9, "b": 6, "c": 0}, 5))
    ['c']
    >>> sorted(hidden_keys({"a": 9, "b": 6}, 5, unpublished=1))
    ['b']

    Age bands as (covered, not covered): 2 covered in "c" is too few, and
    the overall share minus "b" would still give it away, so the smaller
    band "a" goes too.

    >>> sorted(hidden_keys({"a": (6, 0), "b": (5, 5), "c": (2, 5)}, 5))
    ['a', 'c']
    """
    check_min_count(min_count)
    parts = {key: _as_counts(size) for key, size in sizes.items()}
    if unpublished is None:
        width = len(next(iter(parts.values()), (0,)))
        unpublished = (0,) * width
    held = list(_as_counts(unpublished))
    hidden = set()
    for key, counts in parts.items():
        if len(counts) != len(held):
            raise ValueError(f"part {key!r} has {len(counts)} counts, not {len(held)}")
        if not _part_shown(counts, min_count):
            hidden.add(key)
            held = [h + c for h, c in zip(held, counts, strict=True)]
    shown = sorted(
        (key for key in parts if key not in hidden), key=lambda k: (sum(parts[k]), str(k))
    )
    for key in shown:
        if not any(too_few(h, min_count) for h in held):
            break
        hidden.add(key)
        held = [h + c for h, c in zip(held, parts[key], strict=True)]
    return frozenset(hidden)


def suppress_breakdown(
    counts: Mapping[Hashable, int], total: int, min_count: int = MIN_CELL_COUNT
) -> tuple[dict, int | None]:
    """A total and its parts as published: ``None`` for each withheld figure.

    Parameters
    ----------
    counts : mapping
        Part to the number of people (or of things about people) in it.
    total : int
        The number over all parts; more than their sum when some of it is in
        no part (that rest is never shown, and counts as hidden).
    min_count : int
        The fewest people a published figure may be about.

    Returns
    -------
    tuple of (dict, int or None)
        Each part's count or ``None`` (``hidden_keys``), and the total or
        ``None`` (``suppress``).

    Examples
    --------
    >>> suppress_breakdown({"a": 10, "b": 2, "c": 7}, 19, 5)
    ({'a': 10, 'b': None, 'c': None}, 19)
    >>> suppress_breakdown({"a": 10, "b": 0, "c": 7}, 17, 5)
    ({'a': 10, 'b': None, 'c': 7}, 17)
    >>> suppress_breakdown({"a": 3, "b": 1}, 4, 5)
    ({'a': None, 'b': None}, None)
    """
    rest = total - sum(counts.values())
    if rest < 0:
        raise ValueError(f"the total {total} is less than the sum of its parts")
    hidden = hidden_keys(counts, min_count, unpublished=rest)
    parts = {key: (None if key in hidden else count) for key, count in counts.items()}
    return parts, suppress(total, min_count)
