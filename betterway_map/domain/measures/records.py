"""The plain records the measures are computed from, loaded by
``measures.services.loading``.

A *relationship* is one of three kinds (``vocab.RELATIONSHIP_KINDS``) and is
named by a key that does not depend on the table it came from:

* ``("match", match_id)`` — a volunteer and the person they support;
* ``("group", person_id, group_id)`` — a person and a group they go to;
* ``("caseload", person_id, worker_id)`` — a worker and a person on their caseload.

Contacts are many (a million in an area), so they come as parallel numpy
arrays (``Contacts``) rather than one object each; days are proleptic
Gregorian ordinals (``date.toordinal()``), so that gaps are differences.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np

__all__ = [
    "RHYTHM_DAYS",
    "RelationshipKey",
    "relationship_key",
    "Relationship",
    "KIND_CODES",
    "NO_DAY",
    "RelationshipColumns",
    "Contacts",
    "FeedbackRecord",
    "MeasureRecord",
    "PersonFacts",
    "PeopleColumns",
]

# The agreed rhythms (vocab.SUPPORT_FREQUENCIES without "once"), in days.
RHYTHM_DAYS = {"weekly": 7, "fortnightly": 14, "monthly": 31}

RelationshipKey = tuple


def relationship_key(
    kind: str,
    person_id: int,
    match_id: int | None = None,
    group_id: int | None = None,
    worker_id: int | None = None,
) -> RelationshipKey:
    """The key of the relationship a contact, rhythm or feedback row is in.

    >>> relationship_key("match", 4, match_id=9)
    ('match', 9)
    >>> relationship_key("group", 4, group_id=2)
    ('group', 4, 2)
    >>> relationship_key("caseload", 4, worker_id=7)
    ('caseload', 4, 7)
    """
    if kind == "match":
        return ("match", match_id)
    if kind == "group":
        return ("group", person_id, group_id)
    if kind == "caseload":
        return ("caseload", person_id, worker_id)
    raise ValueError(f"kind must be match, group or caseload, not {kind!r}")


@dataclass(frozen=True, slots=True)
class Relationship:
    """One relationship, as continuity, quality and change need it.

    ``counterpart`` is who the person is in it with: the volunteer's person
    id (match), the worker's user id (caseload) or the group id (group).
    ``rhythm_days`` is the latest agreed rhythm (None: none agreed).
    ``organisation_id`` is the group's organisation (groups only).
    """

    key: RelationshipKey
    person_id: int
    counterpart: int | None
    started_on: date | None
    ended_on: date | None = None
    end_kind: str | None = None  # planned / unplanned (matches only)
    rhythm: str | None = None  # weekly / fortnightly / monthly
    organisation_id: int | None = None

    @property
    def kind(self) -> str:
        return self.key[0]

    @property
    def match_id(self) -> int | None:
        """The match's id for a match, None for a caseload or a group.

        >>> Relationship(relationship_key("match", 4, match_id=9), 4, 12, None).match_id
        9
        >>> Relationship(relationship_key("caseload", 4, worker_id=7), 4, 7, None).match_id
        """
        return self.key[1] if self.kind == "match" else None

    @property
    def rhythm_days(self) -> int | None:
        return RHYTHM_DAYS.get(self.rhythm) if self.rhythm else None

    def open_on(self, day: date) -> bool:
        """Whether the relationship had started by ``day`` and not ended before it."""
        started = self.started_on is not None and self.started_on <= day
        return started and (self.ended_on is None or self.ended_on >= day)


# Relationship kinds and endings as small integers, for arrays.
KIND_CODES = {"match": 0, "group": 1, "caseload": 2}
END_CODES = {"planned": 1, "unplanned": 2}  # 0: not ended, or ended without saying
NO_DAY = -1  # a missing date among day ordinals


@dataclass(frozen=True)
class RelationshipColumns:
    """Relationships as parallel arrays, one entry per relationship, for
    figures over many of them (days are ordinals, ``NO_DAY`` when missing).

    ``kind``: ``KIND_CODES``; ``counterpart``: -1 for none; ``end_kind``:
    ``END_CODES`` (0 otherwise); ``rhythm_days``: 0 when none agreed;
    ``order``: the last part of the key (the match, group or worker id),
    which orders relationships of one kind and person that started the same
    day; ``organisation``: a group's organisation (-1 for none).
    """

    kind: np.ndarray
    person: np.ndarray
    counterpart: np.ndarray
    started: np.ndarray
    ended: np.ndarray
    end_kind: np.ndarray
    rhythm_days: np.ndarray
    order: np.ndarray
    organisation: np.ndarray

    @classmethod
    def of(cls, relationships) -> RelationshipColumns:
        """The columns of a list of relationships (given columns, the same).

        >>> r = Relationship(("match", 9), 4, 12, date(2025, 1, 1), rhythm="weekly")
        >>> c = RelationshipColumns.of([r])
        >>> c.kind.tolist(), c.rhythm_days.tolist(), c.ended.tolist(), c.order.tolist()
        ([0], [7], [-1], [9])
        """
        if isinstance(relationships, RelationshipColumns):
            return relationships
        rows = [
            (
                KIND_CODES[r.key[0]],
                r.person_id,
                -1 if r.counterpart is None else r.counterpart,
                NO_DAY if r.started_on is None else r.started_on.toordinal(),
                NO_DAY if r.ended_on is None else r.ended_on.toordinal(),
                END_CODES.get(r.end_kind, 0),
                RHYTHM_DAYS.get(r.rhythm, 0) if r.rhythm else 0,
                -1 if r.key[-1] is None else r.key[-1],
                -1 if r.organisation_id is None else r.organisation_id,
            )
            for r in relationships
        ]
        table = np.array(rows, dtype=np.int64).reshape(-1, 9)
        return cls(*(table[:, i] for i in range(9)))

    def with_rhythm_days(self, rhythm_days: np.ndarray) -> RelationshipColumns:
        """The same relationships with these rhythms (days, 0 for none)."""
        return replace(self, rhythm_days=rhythm_days)

    def take(self, positions: np.ndarray) -> RelationshipColumns:
        """The relationships at ``positions`` (an index or a mask), in that order."""
        return RelationshipColumns(
            *(getattr(self, name)[positions] for name in self.__dataclass_fields__)
        )

    def __len__(self) -> int:
        return len(self.kind)


@dataclass(frozen=True)
class Contacts:
    """Contacts as parallel arrays, one entry per contact.

    ``relationship`` is the index of the contact's relationship in the list
    the figures are computed over (-1: not one of them); ``day`` the
    ordinal of the day; ``person`` the person supported; ``counterpart``
    whom they were in contact with, as a code unique across volunteers and
    workers (-1: not recorded).
    """

    relationship: np.ndarray
    day: np.ndarray
    person: np.ndarray
    counterpart: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))

    def __post_init__(self):
        size = len(self.relationship)
        if len(self.counterpart) == 0 and size:
            object.__setattr__(self, "counterpart", np.full(size, -1, dtype=np.int64))
        for name in ("day", "person", "counterpart"):
            if len(getattr(self, name)) != size:
                raise ValueError(
                    f"Contacts.{name} has {len(getattr(self, name))} entries, not {size}"
                )

    @classmethod
    def from_rows(cls, rows) -> Contacts:
        """From ``(relationship index, date, person id, counterpart code)`` rows (tests)."""
        rows = list(rows)
        return cls(
            relationship=np.array([r[0] for r in rows], dtype=np.int64),
            day=np.array([r[1].toordinal() for r in rows], dtype=np.int64),
            person=np.array([r[2] for r in rows], dtype=np.int64),
            counterpart=np.array([-1 if r[3] is None else r[3] for r in rows], dtype=np.int64),
        )

    def of_relationships(self, positions: np.ndarray) -> Contacts:
        """The contacts of the relationships at ``positions`` (ascending),
        renumbered in that order (the contacts of relationship ``positions[i]``
        are relationship ``i``'s).

        >>> c = Contacts.from_rows([(0, date(2025, 1, 1), 4, None), (2, date(2025, 1, 2), 5, None)])
        >>> c.of_relationships(np.array([1, 2])).relationship.tolist()
        [1]
        """
        total = int(positions[-1]) + 1 if len(positions) else 0
        renumber = np.full(total, -1, dtype=np.int64)
        renumber[positions] = np.arange(len(positions))
        rel = self.relationship
        inside = (rel >= 0) & (rel < total)
        new = np.full(len(rel), -1, dtype=np.int64)
        new[inside] = renumber[rel[inside]]
        mine = new >= 0
        return Contacts(new[mine], self.day[mine], self.person[mine], self.counterpart[mine])

    def __len__(self) -> int:
        return len(self.relationship)


@dataclass(frozen=True, slots=True)
class FeedbackRecord:
    """One side's feedback on one relationship: each mark 1-5 or None."""

    relationship: RelationshipKey
    person_id: int
    side: str  # person / volunteer / worker
    given_on: date
    marks: tuple[int | None, ...]  # in the order of QUALITY_MARKS


@dataclass(frozen=True, slots=True)
class MeasureRecord:
    """One occasion's loneliness measures (the totals only)."""

    person_id: int
    measured_on: date
    ucla_total: int | None = None
    direct: str | None = None
    djg_total: int | None = None


@dataclass(frozen=True, slots=True)
class PersonFacts:
    """What equity breaks people down by, and their outcomes.

    ``needs`` are the kinds of help requested; ``requested_on`` the day the
    first request was made (``equity.request_made_on``; None: never asked),
    however often it was reopened since; ``matched_on`` the day their
    first match started (None: never matched); ``disability`` True when a
    request asked for a volunteer who knows disability from their own life
    (the register holds nothing else about it); ``online`` True when the
    person has their own account.
    """

    person_id: int
    age_band: str | None
    district: str | None
    languages: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    disability: bool = False
    online: bool = False
    requested_on: date | None = None
    matched_on: date | None = None
    active_tie: bool = False
    improved: bool | None = None  # None: no before-and-after pair


@dataclass(frozen=True)
class PeopleColumns:
    """The ``PersonFacts`` of many people as columns, one entry per person:
    arrays for ids, flags and days (``NO_DAY``: none), lists for the
    categories. ``improved``: 1 less lonely after, 0 not, -1 no before and after.
    """

    person: np.ndarray
    age_band: list
    district: list
    languages: list
    needs: list
    disability: np.ndarray
    online: np.ndarray
    requested: np.ndarray
    matched: np.ndarray
    active_tie: np.ndarray
    improved: np.ndarray

    @classmethod
    def of(cls, people) -> PeopleColumns:
        """The columns of a list of ``PersonFacts`` (given columns, the same)."""
        if isinstance(people, PeopleColumns):
            return people
        people = list(people)

        def ints(values) -> np.ndarray:
            return np.array(list(values), dtype=np.int64)

        return cls(
            person=ints(p.person_id for p in people),
            age_band=[p.age_band for p in people],
            district=[p.district for p in people],
            languages=[tuple(p.languages) for p in people],
            needs=[tuple(p.needs) for p in people],
            disability=ints(p.disability for p in people).astype(bool),
            online=ints(p.online for p in people).astype(bool),
            requested=ints(_ordinal(p.requested_on) for p in people),
            matched=ints(_ordinal(p.matched_on) for p in people),
            active_tie=ints(p.active_tie for p in people).astype(bool),
            improved=ints(-1 if p.improved is None else int(p.improved) for p in people),
        )

    def __len__(self) -> int:
        return len(self.person)


def _ordinal(day: date | None) -> int:
    return NO_DAY if day is None else day.toordinal()
