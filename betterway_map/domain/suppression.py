"""Disclosure control: the one rule for every published figure about people.

Every figure about people that leaves the server — pages, map tooltips, the
API, CSV and GeoJSON exports, monthly snapshots, the report cache — is
decided here. The rule, with ``min_count`` = DESIGN.md's ``MIN_CELL_COUNT``
(default 5):

1. **No small count.** No figure is about 1 to ``min_count - 1`` people, for
   any attribute (people in an area, people at risk in it, people reached,
   people with a kind of offer), and no share is shown whose part or whose
   rest is such a count (``too_few``, ``suppress``, ``share_shown``). Zero is
   nobody: a zero gives no one away.
2. **No small difference.** A figure from which such a count can be worked
   out is treated as the counts it reveals:

   * *totals and their parts* (an area total beside its cells, overall
     coverage beside its age bands, all offers beside each kind): the total
     minus the shown parts is the sum of the withheld ones, so the withheld
     parts together hold nobody or at least ``min_count`` people of every
     kind; more parts are withheld, smallest first, until they do
     (``hidden_keys``, ``suppress_breakdown``, ``publish_shares``);
   * *parts that may overlap* (people by the languages they speak, or the
     kinds of help they asked for: a person can be in several): the total
     minus one shown part counts the people not in it, so a part is
     withheld when that rest is too few, kind by kind (``hidden_with_rest``);
   * *a count within a shown part* (people at risk in a cell whose people
     are shown): withheld with the same complementary rule across the cells,
     counting at risk and not at risk as two kinds (``publish_cells``);
   * *scores*: the gap score ``at_risk / (1 + groups)`` gives the at-risk
     count back, so it is published only where that count is
     (``publish_cells``); a withheld count withholds every score made from it;
   * *one month against another*: a series of totals (the monthly trends
     of the area and of relationships, and today's figure beside them)
     shows no two values 1 to ``min_count - 1`` apart; values are kept
     newest first and an older one that would give such a difference away
     is withheld (``safe_series``).
3. **No lone withheld area.** A withheld area is not drawn, exported or
   named at all (its hexagon would draw a circle round one home); the people
   outside the shown areas are given as one figure, and only when that
   figure is itself safe (``remainder``).

A withheld figure is ``None``, which pages, the API, exports and maps show
as no figure ("withheld"), never as 0 or "<5". ``RULE_VERSION`` changes
whenever the rule does, so that caches of published figures made under an
older rule are not served.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass

__all__ = [
    "MIN_CELL_COUNT",
    "RULE_VERSION",
    "CellsPublished",
    "check_min_count",
    "too_few",
    "suppress",
    "share_shown",
    "hidden_keys",
    "hidden_with_rest",
    "suppress_breakdown",
    "publish_shares",
    "publish_cells",
    "remainder",
    "safe_series",
    "cells_at_risk_shown",
]

# The default: DESIGN.md's MIN_CELL_COUNT (people), also in config.py.
MIN_CELL_COUNT = 5
# Bumped whenever the rule changes: cached published figures carry it.
RULE_VERSION = 3

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
    while shown:
        short = [i for i, h in enumerate(held) if too_few(h, min_count)]
        if not short:
            break
        # The smallest part that adds people of a kind that is short; when
        # none can, every part goes (and the total must then hide itself).
        key = next((k for k in shown if any(parts[k][i] for i in short)), shown[0])
        shown.remove(key)
        hidden.add(key)
        held = [h + c for h, c in zip(held, parts[key], strict=True)]
    return frozenset(hidden)


def hidden_with_rest(
    sizes: Mapping[Hashable, Counts],
    total: Counts,
    min_count: int = MIN_CELL_COUNT,
    unpublished: Counts | None = None,
) -> frozenset:
    """The parts to hide when parts may overlap (a person in several).

    Parameters
    ----------
    sizes : mapping
        Part to the number of people in it (or a tuple of the numbers of
        disjoint kinds of people in it), as for ``hidden_keys``.
    total : int or tuple
        The people over all parts and none, in the same shape, each counted
        once however many parts they are in.
    min_count : int
        The fewest people a published figure may be about.
    unpublished : int or tuple, optional
        People in no part, as for ``hidden_keys``.

    Returns
    -------
    frozenset
        What ``hidden_keys`` hides, and each part whose rest (the total less
        the part: the people not in it) is too few of any kind. Where the
        parts do not overlap the rest is the other parts together, which
        ``hidden_keys`` has made safe already, so this hides nothing more.

    Examples
    --------
    21 people: 17 speak English, 8 Polish (4 speak both). The total minus
    English gives away the 4 who do not speak it.

    >>> sorted(hidden_with_rest({"en": 17, "pl": 8}, 21, 5))
    ['en']
    >>> sorted(hidden_with_rest({"a": 9, "b": 6}, 15, 5))
    []
    """
    hidden = set(hidden_keys(sizes, min_count, unpublished))
    whole = _as_counts(total)
    for key, size in sizes.items():
        rest = [w - c for w, c in zip(whole, _as_counts(size), strict=True)]
        if any(r < 0 for r in rest):
            raise ValueError(f"part {key!r} holds more people than the total")
        if any(too_few(r, min_count) for r in rest):
            hidden.add(key)
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


def publish_shares(
    parts: Mapping[Hashable, tuple[int, int]],
    overall: tuple[int, int] | None,
    min_count: int = MIN_CELL_COUNT,
) -> tuple[bool, frozenset]:
    """Which shares to publish: an overall share and its parts (e.g. age bands).

    Parameters
    ----------
    parts : mapping
        Part to ``(part_count, whole_count)``: e.g. an age band to (at-risk
        people reached, at-risk people).
    overall : tuple or None
        ``(part_count, whole_count)`` over everyone, which may hold people in
        no part (e.g. with no age band); ``None`` when there is none.
    min_count : int
        The fewest people a published figure may be about.

    Returns
    -------
    tuple of (bool, frozenset)
        Whether the overall share is shown (``share_shown``), and the parts
        to withhold: each whose part or rest is too few, and, when the
        overall share is shown, enough more that the overall minus the shown
        parts gives away no small number of the reached or of the rest.

    Examples
    --------
    Band "c" has 2 reached: too few. The overall minus "b" would give it
    away, so the smaller "a" goes too.

    >>> shown, hidden = publish_shares({"a": (6, 6), "b": (5, 10), "c": (2, 7)}, (13, 23), 5)
    >>> shown, sorted(hidden)
    (True, ['a', 'c'])
    >>> publish_shares({"a": (6, 6)}, (6, 9), 5)
    (False, frozenset())
    """
    check_min_count(min_count)
    counts = {}
    for key, (part, whole) in parts.items():
        if not 0 <= part <= whole:
            raise ValueError(f"part {key!r}: {part!r} of {whole!r} is not a share")
        counts[key] = (part, whole - part)
    shown = overall is not None and share_shown(*overall, min_count)
    if not shown:
        # No overall figure to subtract from: each part stands on its own.
        return False, frozenset(k for k, c in counts.items() if not _part_shown(c, min_count))
    part, whole = overall
    unpublished = (
        part - sum(c[0] for c in counts.values()),
        whole - part - sum(c[1] for c in counts.values()),
    )
    if min(unpublished) < 0:
        raise ValueError("the overall share holds fewer people than its parts")
    return True, hidden_keys(counts, min_count, unpublished)


@dataclass(frozen=True)
class CellsPublished:
    """What ``publish_cells`` decided: cells withheld whole, and cells whose
    people are shown but whose at-risk count (and gap score) is withheld."""

    withheld: frozenset
    at_risk_withheld: frozenset

    def shows_people(self, cell: Hashable) -> bool:
        return cell not in self.withheld

    def shows_at_risk(self, cell: Hashable) -> bool:
        return cell not in self.withheld and cell not in self.at_risk_withheld


def publish_cells(
    people: Mapping[Hashable, int],
    at_risk: Mapping[Hashable, int],
    min_count: int = MIN_CELL_COUNT,
    elsewhere: int = 0,
) -> CellsPublished:
    """Which cells to show, and in which shown cells to show the at-risk count.

    Parameters
    ----------
    people : mapping
        Cell to the people whose home is in it.
    at_risk : mapping
        Cell to the people at risk among them (missing: none).
    min_count : int
        The fewest people a published figure may be about.
    elsewhere : int
        People counted in a published total of people but in no cell (e.g.
        with no home location): they count as withheld from the start, so
        that the total minus the shown cells gives nobody away.

    Returns
    -------
    CellsPublished
        ``withheld``: cells with too few people, and enough more that the
        people outside the shown cells are none or at least ``min_count``
        (``hidden_keys``). ``at_risk_withheld``: shown cells whose at risk
        or not at risk are too few, and enough more that the at risk (and
        the not at risk) outside the cells whose count is shown are none or
        at least ``min_count``. The gap score goes with the at-risk count.

    Examples
    --------
    "b" has 1 at risk of 7 (too few); the area's at-risk total minus the
    shown ones would give it away, so the smallest cell with people at risk,
    "c", has its at-risk count withheld too (its 11 people are still shown).
    "d" has 0 at risk. Add "e" with 3 people: withheld whole; with 2 more
    people elsewhere (no home location) the people outside the shown cells
    are 5, so nothing more need go.

    >>> people = {"a": 20, "b": 7, "c": 11, "d": 12}
    >>> found = publish_cells(people, {"a": 6, "b": 1, "c": 5})
    >>> sorted(found.withheld), sorted(found.at_risk_withheld)
    ([], ['b', 'c'])
    >>> found = publish_cells(people | {"e": 3}, {"a": 6, "b": 1, "c": 5}, elsewhere=2)
    >>> sorted(found.withheld), sorted(found.at_risk_withheld)
    (['e'], ['b', 'c'])
    """
    check_min_count(min_count)
    withheld = hidden_keys(people, min_count, unpublished=elsewhere)
    unknown = set(at_risk) - set(people)
    if unknown:
        raise ValueError(f"at-risk counts for cells with no people: {sorted(map(str, unknown))}")
    split = {}
    for cell, count in people.items():
        risk = at_risk.get(cell, 0)
        if not 0 <= risk <= count:
            raise ValueError(f"cell {cell!r}: {risk!r} at risk of {count!r} people")
        split[cell] = (risk, count - risk)
    held = (
        sum(split[c][0] for c in withheld),
        sum(split[c][1] for c in withheld) + elsewhere,
    )
    shown = {cell: counts for cell, counts in split.items() if cell not in withheld}
    return CellsPublished(withheld, hidden_keys(shown, min_count, unpublished=held))


def remainder(total: int, shown: int, min_count: int = MIN_CELL_COUNT) -> int | None:
    """The people of ``total`` outside the shown parts, when that is safe to say.

    >>> remainder(20, 12), remainder(20, 17), remainder(20, 20)
    (8, None, None)
    """
    if shown > total:
        raise ValueError(f"the shown parts ({shown}) hold more than the total ({total})")
    return suppress(total - shown, min_count)


def safe_series(values: Sequence[int | None], min_count: int = MIN_CELL_COUNT) -> list[int | None]:
    """One figure over time, with no two shown values a small count apart.

    Parameters
    ----------
    values : sequence of int or None
        The same figure at different times, the one to keep first (today's,
        which the rest of the page already shows) first, then older ones.
        ``None`` is a value already withheld.
    min_count : int
        The fewest people a published figure may be about.

    Returns
    -------
    list of int or None
        The values in the same order, each kept only when it is not too few
        itself and differs from every value kept before it by 0 or at least
        ``min_count``: one month against another gives no one away.

    Examples
    --------
    >>> safe_series([207, 201, 196, 195, 190, 184])
    [207, 201, 196, None, 190, 184]
    >>> safe_series([12, 3, None, 10])
    [12, None, None, None]
    """
    check_min_count(min_count)
    kept: list[int] = []
    out: list[int | None] = []
    for value in values:
        if (
            value is None
            or too_few(value, min_count)
            or any(too_few(abs(value - k), min_count) for k in kept)
        ):
            out.append(None)
            continue
        kept.append(value)
        out.append(value)
    return out


def cells_at_risk_shown(at_risk: Mapping[Hashable, int | None]) -> frozenset:
    """The cells that may be counted as holding people at risk.

    A count of *cells* ("gap cells in the most in-need decile") is not a
    count of people, but it must not say more about people than the cells'
    own figures do: only a cell whose at-risk count is itself published
    (``publish_cells``) and above zero is counted. A cell whose count is
    withheld (``None``) is never counted either way, because whether it
    holds anyone at risk (0, or 1 to ``min_count - 1``) is what was withheld;
    a cell withheld whole is not in ``at_risk`` at all.

    Parameters
    ----------
    at_risk : mapping
        Shown cell to its published at-risk count (``None`` where withheld).

    Examples
    --------
    >>> sorted(cells_at_risk_shown({"a": 6, "b": None, "c": 0}))
    ['a']
    """
    return frozenset(cell for cell, count in at_risk.items() if count is not None and count > 0)
