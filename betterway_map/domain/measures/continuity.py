"""Continuity: how long relationships last, how they end, and whether the
contacts keep to the rhythm agreed.

* **Duration** of a relationship: from its start to its end (or to today,
  while it goes on), in days; medians and quartiles, by how it ended.
* **Endings**: planned against unplanned (matches record which).
* **Same volunteer or worker**: of a person's contacts with someone named
  (a volunteer or a worker), the share with the one they see most.
* **Rhythm**: a gap between two contacts keeps to the rhythm when it is at
  most ``OVERDUE_FACTOR`` times the agreed interval (a weekly rhythm allows
  10 days); an open relationship whose last contact (or start, before any)
  is further back than that gets a warning.
* **Changes**: how often a person's volunteer or worker changed — in the
  order their matches and caseloads started, each time the one supporting
  them is not the one before.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from betterway_map.domain.measures.published import (
    Breakdown,
    Distribution,
    breakdown,
    distribution,
    share_or_none,
)
from betterway_map.domain.measures.records import Contacts, Relationship
from betterway_map.domain.suppression import MIN_CELL_COUNT, hidden_with_rest, suppress

__all__ = [
    "OVERDUE_FACTOR",
    "RHYTHM_WORDS",
    "ContinuityWarning",
    "RhythmFigures",
    "durations",
    "endings",
    "last_contacts",
    "same_counterpart",
    "rhythm_kept",
    "warnings",
    "changes",
]

# A gap up to one and a half times the agreed interval still keeps to it:
# a weekly visit moved by a few days is not a lapse. The platform's choice.
OVERDUE_FACTOR = 1.5
RHYTHM_WORDS = {"weekly": "weekly", "fortnightly": "every two weeks", "monthly": "monthly"}
_NONE = -1


def durations(
    relationships: Sequence[Relationship], today: date, min_count: int = MIN_CELL_COUNT
) -> dict[str, Distribution]:
    """How long relationships last, in days: ``all`` that have started,
    those that ``ended`` (and of them ``planned`` and ``unplanned``), and
    those ``ongoing``; each about the people in them.

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", i), i, 1, date(2025, 1, 1), date(2025, 1, 1 + 2 * i), "planned")
    ...       for i in range(1, 6)]
    >>> durations(rs, date(2025, 6, 1), 5)["planned"].median
    6.0
    """
    values: dict[str, list[int]] = defaultdict(list)
    people: dict[str, set[int]] = defaultdict(set)
    for r in relationships:
        if r.started_on is None or r.started_on > today:
            continue
        end = r.ended_on if r.ended_on is not None and r.ended_on <= today else None
        days = ((end or today) - r.started_on).days
        groups = ["all", "ongoing"] if end is None else ["all", "ended"]
        if end is not None and r.end_kind in ("planned", "unplanned"):
            groups.append(r.end_kind)
        for name in groups:
            values[name].append(days)
            people[name].add(r.person_id)
    hidden = _nested_withheld({name: len(people[name]) for name in _DURATION_PARENTS}, min_count)
    return {
        name: distribution(values[name], len(people[name]), min_count)
        if name not in hidden
        else distribution([], 0, min_count)
        for name in ("all", "ended", "planned", "unplanned", "ongoing")
    }


# Each group of relationships by duration, and the groups that hold it.
_DURATION_PARENTS = {
    "all": (),
    "ongoing": ("all",),
    "ended": ("all",),
    "planned": ("ended", "all"),
    "unplanned": ("ended", "all"),
}


def _nested_withheld(people: dict[str, int], min_count: int) -> set[str]:
    """The groups whose people to withhold: too few, or with too few people
    of a group that holds them outside them (the people with an ended
    relationship but no planned ending, say), since a person can be in
    several groups and the difference of the two counts says so."""
    return {
        name
        for name, parents in _DURATION_PARENTS.items()
        if suppress(people[name], min_count) is None
        or any(
            name in hidden_with_rest({name: people[name]}, people[p], min_count) for p in parents
        )
    }


def endings(relationships: Sequence[Relationship], min_count: int = MIN_CELL_COUNT) -> Breakdown:
    """Ended relationships by how they ended: planned or unplanned (those
    ended without saying count in the total only).

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", i), i, 1, date(2025, 1, 1), date(2025, 2, 1),
    ...         "planned" if i < 7 else "unplanned") for i in range(12)]
    >>> endings(rs, 5).shares
    {'planned': 0.5833333333333334, 'unplanned': 0.4166666666666667}
    """
    counts = {"planned": 0, "unplanned": 0}
    total = 0
    for r in relationships:
        if r.ended_on is None:
            continue
        total += 1
        if r.end_kind in counts:
            counts[r.end_kind] += 1
    return breakdown(counts, total, min_count)


def last_contacts(count: int, contacts: Contacts) -> np.ndarray:
    """The ordinal of each relationship's last contact (-1: none), for
    relationships ``0 .. count - 1``."""
    last = np.full(count, _NONE, dtype=np.int64)
    inside = (contacts.relationship >= 0) & (contacts.relationship < count)
    np.maximum.at(last, contacts.relationship[inside], contacts.day[inside])
    return last


def same_counterpart(contacts: Contacts, min_count: int = MIN_CELL_COUNT) -> Distribution:
    """Of each person's contacts with a named volunteer or worker, the share
    with the one they saw most; over people with at least two such contacts.

    >>> c = Contacts.from_rows([(0, date(2025, 1, d), p, 7 if d < 4 else 8)
    ...                         for p in range(5) for d in range(1, 5)])
    >>> same_counterpart(c, 5).median
    0.75
    """
    named = contacts.counterpart >= 0
    person, other = contacts.person[named], contacts.counterpart[named]
    if not len(person):
        return distribution([], 0, min_count)
    # One integer per (person, counterpart), in person order.
    pairs, pair_counts = np.unique(person * (1 << 33) + other, return_counts=True)
    people = pairs >> 33
    first = np.flatnonzero(np.r_[True, people[1:] != people[:-1]])
    most = np.maximum.reduceat(pair_counts, first)
    totals = np.add.reduceat(pair_counts, first)
    keep = totals >= 2
    shares = most[keep] / totals[keep]
    return distribution(shares.tolist(), int(keep.sum()), min_count)


def _gaps(relationships: Sequence[Relationship], contacts: Contacts):
    """Each gap between consecutive contacts of a relationship with a rhythm:
    (relationship index, gap days, allowed days)."""
    allowed = np.array(
        [r.rhythm_days * OVERDUE_FACTOR if r.rhythm_days else 0.0 for r in relationships]
    )
    rel = contacts.relationship
    keep = (rel >= 0) & (rel < len(relationships))
    rel, day = rel[keep], contacts.day[keep]
    keep = allowed[rel] > 0 if len(rel) else np.zeros(0, dtype=bool)
    rel, day = rel[keep], day[keep]
    order = np.lexsort((day, rel))
    rel, day = rel[order], day[order]
    same = rel[1:] == rel[:-1]
    gap_rel = rel[1:][same]
    return gap_rel, (day[1:] - day[:-1])[same], allowed[gap_rel]


@dataclass(frozen=True, slots=True)
class RhythmFigures:
    """How well contacts kept to the agreed rhythm.

    ``gaps_kept``: the share of all gaps between contacts within the rhythm
    (over ``gaps``, from ``people``); ``relationships_kept``: the share of
    relationships that kept to it in at least half their gaps (over
    ``relationships``).
    """

    people: int | None
    gaps: int | None
    gaps_kept: float | None
    relationships: int | None
    relationships_kept: float | None


def rhythm_kept(
    relationships: Sequence[Relationship], contacts: Contacts, min_count: int = MIN_CELL_COUNT
) -> RhythmFigures:
    """Gaps between contacts against the agreed rhythm (see the module)."""
    gap_rel, gap, allowed = _gaps(relationships, contacts)
    people = len({relationships[i].person_id for i in np.unique(gap_rel).tolist()})
    if people < min_count or not len(gap):
        return RhythmFigures(None, None, None, None, None)
    kept = gap <= allowed
    rels, inverse = np.unique(gap_rel, return_inverse=True)
    kept_per = np.bincount(inverse, weights=kept)
    gaps_per = np.bincount(inverse)
    keeping = int((kept_per * 2 >= gaps_per).sum())
    return RhythmFigures(
        people=people,
        gaps=len(gap),
        gaps_kept=float(kept.mean()),
        relationships=len(rels),
        relationships_kept=share_or_none(keeping, len(rels), min_count),
    )


@dataclass(frozen=True, slots=True)
class ContinuityWarning:
    """An open relationship whose contacts have fallen behind its rhythm."""

    relationship: Relationship
    last_contact_on: date | None
    days_since: int
    message: str


def _span(days: int) -> str:
    if days < 14:
        return f"{days} days"
    weeks = days // 7
    return f"{weeks} weeks"


def warnings(
    relationships: Sequence[Relationship], contacts: Contacts, today: date
) -> list[ContinuityWarning]:
    """Open relationships with a rhythm and no contact for longer than it
    allows, longest first.

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> r = R(("caseload", 1, 2), 1, 2, date(2025, 1, 1), rhythm="weekly")
    >>> c = Contacts.from_rows([(0, date(2025, 3, 1), 1, None)])
    >>> [w.message for w in warnings([r], c, date(2025, 3, 22))]
    ['No contact for 3 weeks, agreed weekly.']
    """
    last = last_contacts(len(relationships), contacts)
    found = []
    for index, r in enumerate(relationships):
        if not r.rhythm_days or not r.open_on(today):
            continue
        seen = date.fromordinal(int(last[index])) if last[index] != _NONE else None
        since = seen or r.started_on
        days = (today - since).days
        if days <= r.rhythm_days * OVERDUE_FACTOR:
            continue
        agreed = RHYTHM_WORDS.get(r.rhythm, r.rhythm)
        if seen is None:
            message = f"No contact since it started {_span(days)} ago, agreed {agreed}."
        else:
            message = f"No contact for {_span(days)}, agreed {agreed}."
        found.append(ContinuityWarning(r, seen, days, message))
    found.sort(key=lambda w: (-w.days_since, w.relationship.key))
    return found


def changes(relationships: Sequence[Relationship], min_count: int = MIN_CELL_COUNT) -> Breakdown:
    """People by how often their volunteer or worker changed: ``"0"``,
    ``"1"``, ``"2+"``; over people with a match or a caseload.

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", i), i, 1, date(2025, 1, 1)) for i in range(10)]
    >>> rs += [R(("match", 10 + i), i, 2, date(2025, 6, 1)) for i in range(5)]
    >>> changes(rs, 5).counts
    {'0': 5, '1': 5, '2+': None}
    """
    supported: dict[int, list[tuple]] = defaultdict(list)
    for r in relationships:
        if r.kind in ("match", "caseload") and r.started_on is not None:
            supported[r.person_id].append((r.started_on, r.key, (r.kind, r.counterpart)))
    counts = {"0": 0, "1": 0, "2+": 0}
    for history in supported.values():
        history.sort()
        # A volunteer and a worker side by side is not a change: each kind
        # is followed on its own.
        changed = 0
        for kind in ("match", "caseload"):
            who = [h[2] for h in history if h[2][0] == kind]
            changed += sum(1 for a, b in zip(who, who[1:]) if a != b)
        counts["0" if changed == 0 else "1" if changed == 1 else "2+"] += 1
    return breakdown(counts, len(supported), min_count)
