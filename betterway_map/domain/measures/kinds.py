"""Continuity by kind of relationship (matches, groups, caseloads) beside
the area's: which kinds' counts to withhold.

Each kind's figures are suppressed on their own first; beside the area's
row they are parts of it, and the area minus a shown kind must give no
small number away (``domain.suppression``):

* **relationships** and relationships **behind their rhythm** are split by
  kind (a relationship has one kind): the kinds withheld together hold none
  or at least ``min_count`` (``hidden_keys``);
* **people** may be in several kinds (a match and a group): a kind's people
  are withheld when the people not in it are too few (``hidden_with_rest``),
  and its relationships with them.
"""

from __future__ import annotations

from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from betterway_map.domain.measures import continuity
from betterway_map.domain.measures.arrays import count_distinct
from betterway_map.domain.measures.records import (
    KIND_CODES,
    Contacts,
    Relationship,
    RelationshipColumns,
)
from betterway_map.domain.suppression import (
    MIN_CELL_COUNT,
    hidden_keys,
    hidden_with_rest,
    suppress,
)

__all__ = ["KindsWithheld", "withheld_by_kind", "kinds_withheld"]


@dataclass(frozen=True)
class KindsWithheld:
    """The kinds whose people, relationships and overdue count to withhold."""

    people: frozenset
    relationships: frozenset
    overdue: frozenset


def withheld_by_kind(
    people: Mapping[str, int],
    all_people: int,
    relationships: Mapping[str, int],
    overdue: Mapping[str, int],
    overdue_shown: Container[str],
    min_count: int = MIN_CELL_COUNT,
) -> KindsWithheld:
    """Which kinds' counts to withhold (see the module).

    ``people``, ``relationships`` and ``overdue``: each kind's counts;
    ``all_people``: the people of every kind, each once; ``overdue_shown``:
    the kinds whose overdue count their own figures show.

    >>> found = withheld_by_kind(
    ...     {"match": 3, "group": 5, "caseload": 8}, 8,
    ...     {"match": 3, "group": 5, "caseload": 8}, {}, (), 5)
    >>> sorted(found.people), sorted(found.relationships)
    (['group', 'match'], ['group', 'match'])
    """
    people_hidden = hidden_with_rest(people, all_people, min_count)
    people_hidden |= {kind for kind, count in people.items() if suppress(count, min_count) is None}
    withheld_rel = {kind: count for kind, count in relationships.items() if kind in people_hidden}
    shown_rel = {kind: count for kind, count in relationships.items() if kind not in people_hidden}
    relationships_hidden = people_hidden | hidden_keys(
        shown_rel, min_count, unpublished=sum(withheld_rel.values())
    )
    unshown = sum(count for kind, count in overdue.items() if kind not in overdue_shown)
    overdue_hidden = hidden_keys(
        {kind: count for kind, count in overdue.items() if kind in overdue_shown},
        min_count,
        unpublished=unshown,
    ) | {kind for kind in overdue if kind not in overdue_shown}
    return KindsWithheld(
        frozenset(people_hidden), frozenset(relationships_hidden), frozenset(overdue_hidden)
    )


def kinds_withheld(
    relationships: Sequence[Relationship] | RelationshipColumns,
    contacts: Contacts,
    today: date,
    kinds: Sequence[str],
    min_count: int = MIN_CELL_COUNT,
) -> KindsWithheld:
    """``withheld_by_kind`` for the area's relationships (records or columns)
    and their contacts (a relationship behind its rhythm as
    ``continuity.overdue`` says)."""
    c = RelationshipColumns.of(relationships)
    late = np.zeros(len(c), dtype=bool)
    late[continuity.overdue(c, contacts, today)] = True
    masks = {kind: c.kind == KIND_CODES[kind] for kind in kinds}
    return withheld_by_kind(
        {kind: count_distinct(c.person[mask]) for kind, mask in masks.items()},
        count_distinct(c.person),
        {kind: int(mask.sum()) for kind, mask in masks.items()},
        {kind: int((mask & late).sum()) for kind, mask in masks.items()},
        {
            kind
            for kind, mask in masks.items()
            if suppress(count_distinct(c.person[mask & late]), min_count) is not None
        },
        min_count,
    )
