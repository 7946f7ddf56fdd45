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

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from betterway_map.domain.measures.arrays import count_distinct
from betterway_map.domain.measures.published import (
    Breakdown,
    Distribution,
    breakdown,
    distribution,
    share_or_none,
)
from betterway_map.domain.measures.records import (
    END_CODES,
    KIND_CODES,
    NO_DAY,
    Contacts,
    Relationship,
    RelationshipColumns,
)
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
    "overdue",
    "warnings",
    "changes",
]

# A gap up to one and a half times the agreed interval still keeps to it:
# a weekly visit moved by a few days is not a lapse. The platform's choice.
OVERDUE_FACTOR = 1.5
RHYTHM_WORDS = {"weekly": "weekly", "fortnightly": "every two weeks", "monthly": "monthly"}
_NONE = -1
_DAY_SPAN = 1 << 32  # more than any day ordinal
# A list of relationships, or the same as columns (worked out once for several figures).
Relationships = Sequence[Relationship] | RelationshipColumns


def durations(
    relationships: Relationships, today: date, min_count: int = MIN_CELL_COUNT
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
    c = RelationshipColumns.of(relationships)
    day = today.toordinal()
    started = (c.started != NO_DAY) & (c.started <= day)
    ended = started & (c.ended != NO_DAY) & (c.ended <= day)
    days = np.where(ended, c.ended, day) - c.started
    groups = {
        "all": started,
        "ended": ended,
        "planned": ended & (c.end_kind == END_CODES["planned"]),
        "unplanned": ended & (c.end_kind == END_CODES["unplanned"]),
        "ongoing": started & ~ended,
    }
    people = {name: count_distinct(c.person[mask]) for name, mask in groups.items()}
    hidden = _nested_withheld(people, min_count)
    return {
        name: distribution(days[mask], people[name], min_count)
        if name not in hidden
        else distribution(days[:0], 0, min_count)
        for name, mask in groups.items()
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


def endings(relationships: Relationships, min_count: int = MIN_CELL_COUNT) -> Breakdown:
    """Ended relationships by how they ended: planned or unplanned (those
    ended without saying count in the total only).

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", i), i, 1, date(2025, 1, 1), date(2025, 2, 1),
    ...         "planned" if i < 7 else "unplanned") for i in range(12)]
    >>> endings(rs, 5).shares
    {'planned': 0.5833333333333334, 'unplanned': 0.4166666666666667}
    """
    c = RelationshipColumns.of(relationships)
    ended = c.ended != NO_DAY
    counts = {name: int((ended & (c.end_kind == code)).sum()) for name, code in END_CODES.items()}
    return breakdown(counts, int(ended.sum()), min_count)


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


def _gaps(c: RelationshipColumns, contacts: Contacts):
    """Each gap between consecutive contacts of a relationship with a rhythm,
    by relationship: (relationship index, gap days, allowed days)."""
    allowed = c.rhythm_days * OVERDUE_FACTOR
    rel = contacts.relationship
    keep = (rel >= 0) & (rel < len(c))
    rel, day = rel[keep], contacts.day[keep]
    keep = allowed[rel] > 0 if len(rel) else np.zeros(0, dtype=bool)
    rel, day = rel[keep], day[keep]
    # By relationship, then day (a stable sort: quick on contacts already so).
    order = np.argsort(rel * _DAY_SPAN + day, kind="stable")
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
    relationships: Relationships, contacts: Contacts, min_count: int = MIN_CELL_COUNT
) -> RhythmFigures:
    """Gaps between contacts against the agreed rhythm (see the module)."""
    c = RelationshipColumns.of(relationships)
    gap_rel, gap, allowed = _gaps(c, contacts)
    # The gaps come by relationship: each relationship's run of them starts where it changes.
    starts = np.flatnonzero(np.r_[True, gap_rel[1:] != gap_rel[:-1]]) if len(gap) else gap_rel
    rels = gap_rel[starts]
    people = count_distinct(c.person[rels])
    if people < min_count or not len(gap):
        return RhythmFigures(None, None, None, None, None)
    kept = gap <= allowed
    kept_per = np.add.reduceat(kept.astype(np.int64), starts)
    gaps_per = np.diff(np.r_[starts, len(gap)])
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


def overdue(relationships: Relationships, contacts: Contacts, today: date) -> np.ndarray:
    """The positions of the open relationships with a rhythm and no contact
    (or start, before any) for longer than it allows."""
    c = RelationshipColumns.of(relationships)
    day = today.toordinal()
    last = last_contacts(len(c), contacts)
    is_open = (c.started != NO_DAY) & (c.started <= day) & ((c.ended == NO_DAY) | (c.ended >= day))
    since = np.where(last != _NONE, last, c.started)
    late = day - since > c.rhythm_days * OVERDUE_FACTOR
    return np.flatnonzero((c.rhythm_days > 0) & is_open & late)


def warnings(
    relationships: Sequence[Relationship], contacts: Contacts, today: date
) -> list[ContinuityWarning]:
    """Open relationships with a rhythm and no contact for longer than it
    allows (``overdue``), longest first.

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> r = R(("caseload", 1, 2), 1, 2, date(2025, 1, 1), rhythm="weekly")
    >>> c = Contacts.from_rows([(0, date(2025, 3, 1), 1, None)])
    >>> [w.message for w in warnings([r], c, date(2025, 3, 22))]
    ['No contact for 3 weeks, agreed weekly.']
    """
    last = last_contacts(len(relationships), contacts)
    found = []
    for index in overdue(relationships, contacts, today).tolist():
        r = relationships[index]
        seen = date.fromordinal(int(last[index])) if last[index] != _NONE else None
        days = (today - (seen or r.started_on)).days
        agreed = RHYTHM_WORDS.get(r.rhythm, r.rhythm)
        if seen is None:
            message = f"No contact since it started {_span(days)} ago, agreed {agreed}."
        else:
            message = f"No contact for {_span(days)}, agreed {agreed}."
        found.append(ContinuityWarning(r, seen, days, message))
    found.sort(key=lambda w: (-w.days_since, w.relationship.key))
    return found


def changes(relationships: Relationships, min_count: int = MIN_CELL_COUNT) -> Breakdown:
    """People by how often their volunteer or worker changed: ``"0"``,
    ``"1"``, ``"2+"``; over people with a match or a caseload.

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", i), i, 1, date(2025, 1, 1)) for i in range(10)]
    >>> rs += [R(("match", 10 + i), i, 2, date(2025, 6, 1)) for i in range(5)]
    >>> changes(rs, 5).counts
    {'0': 5, '1': 5, '2+': None}
    """
    c = RelationshipColumns.of(relationships)
    supported = np.isin(c.kind, [KIND_CODES["match"], KIND_CODES["caseload"]])
    c = c.take(supported & (c.started != NO_DAY))
    # Each person's history in the order their matches and caseloads
    # started; a volunteer and a worker side by side is not a change: each
    # kind is followed on its own.
    order = np.lexsort((c.counterpart, c.order, c.started, c.kind, c.person))
    person, kind, who = c.person[order], c.kind[order], c.counterpart[order]
    changed = (person[1:] == person[:-1]) & (kind[1:] == kind[:-1]) & (who[1:] != who[:-1])
    people, at = np.unique(person, return_inverse=True)
    per_person = np.bincount(at[1:][changed], minlength=len(people))
    counts = {
        "0": int((per_person == 0).sum()),
        "1": int((per_person == 1).sum()),
        "2+": int((per_person >= 2).sum()),
    }
    return breakdown(counts, len(people), min_count)
