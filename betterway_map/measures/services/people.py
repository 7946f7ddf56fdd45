"""Who the register supports, with what equity breaks them down by and
their outcomes, as columns (``domain.measures.records.PeopleColumns``): two
queries, whatever the size of the area.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import replace
from itertools import groupby

import numpy as np
from sqlalchemy import select, union

from betterway_map.domain.measures.equity import request_made_on
from betterway_map.domain.measures.records import NO_DAY, PeopleColumns
from betterway_map.matching.models import SupportRequest
from betterway_map.matching.services.loading import district
from betterway_map.measures.services.columns import day_number, moment, ordinal_date, raw_rows
from betterway_map.people.models import Assignment, Attendance, Person

__all__ = ["read_people", "with_outcomes"]


def _at(persons: np.ndarray, table: np.ndarray, values: np.ndarray, missing) -> np.ndarray:
    """Each person's value in ``table`` (ascending person ids) beside ``values``."""
    if not len(table):
        return np.full(len(persons), missing, dtype=values.dtype)
    at = np.clip(np.searchsorted(table, persons), 0, len(table) - 1)
    return np.where(table[at] == persons, values[at], missing)


def _requests() -> tuple[np.ndarray, np.ndarray, dict, set]:
    """Each person who asked: ascending person ids, the day their first
    request was made (ordinals), their needs (person id -> the kinds of
    help asked for, sorted) and who asked for lived experience of disability."""
    lists = _JsonLists()
    persons, made, pairs, disability = [], [], set(), set()
    for person_id, kind, opened, lived, created in raw_rows(
        select(
            SupportRequest.person_id,
            SupportRequest.kind,
            day_number(SupportRequest.opened_on),
            SupportRequest.lived_experience,
            SupportRequest.created_at,
        )
    ):
        day = request_made_on(ordinal_date(opened), moment(created))
        persons.append(person_id)
        made.append(NO_DAY if day is None else day.toordinal())
        pairs.add((person_id, kind))
        if "disability" in lists(lived):
            disability.add(person_id)
    persons, made = np.array(persons, dtype=np.int64), np.array(made, dtype=np.int64)
    # The earliest known day of each person's requests (NO_DAY only when none is known).
    order = np.lexsort((np.where(made == NO_DAY, np.iinfo(np.int64).max, made), persons))
    persons, made = persons[order], made[order]
    first = np.ones(len(persons), dtype=bool)
    first[1:] = persons[1:] != persons[:-1]
    needs = {
        person: tuple(kind for _, kind in found)
        for person, found in groupby(sorted(pairs), key=lambda pair: pair[0])
    }
    return persons[first], made[first], needs, disability


def read_people() -> PeopleColumns:
    """Everyone the register supports (not volunteers only), with what
    equity breaks them down by; their outcomes not yet known (``with_outcomes``).

    The people supported: anyone with a request for support, on a
    caseload, or in a group. A person asked for support on the day their
    first request was made (``equity.request_made_on``), however often it
    was reopened since.
    """
    asked, made, needs, disability = _requests()
    supported = union(
        select(SupportRequest.person_id),
        select(Assignment.person_id),
        select(Attendance.person_id).where(Attendance.status != "interested"),
    ).subquery()
    rows = raw_rows(
        select(Person.id, Person.age_band, Person.postcode, Person.languages, Person.user_id)
        .where(Person.id.in_(select(supported.c[0])))
        .order_by(Person.id)
    )
    person = np.array([r[0] for r in rows], dtype=np.int64)
    districts = {postcode: district(postcode) or None for postcode in {r[2] for r in rows}}
    lists = _JsonLists()
    return PeopleColumns(
        person=person,
        age_band=[r[1] for r in rows],
        district=[districts[r[2]] for r in rows],
        languages=[lists(r[3]) for r in rows],
        needs=[needs.get(p, ()) for p in person.tolist()],
        disability=np.isin(person, np.array(sorted(disability), dtype=np.int64)),
        online=np.array([r[4] is not None for r in rows], dtype=bool),
        requested=_at(person, asked, made, NO_DAY),
        matched=np.full(len(person), NO_DAY, dtype=np.int64),
        active_tie=np.zeros(len(person), dtype=bool),
        improved=np.full(len(person), -1, dtype=np.int64),
    )


def with_outcomes(
    people: PeopleColumns,
    first_match: tuple[np.ndarray, np.ndarray],
    with_tie: np.ndarray,
    improved: Mapping[int, bool],
) -> PeopleColumns:
    """The people with their outcomes: ``first_match`` (ascending person ids
    and the day number each first match started), ``with_tie`` (the people
    with an active tie), ``improved`` (``change.improved_people``)."""
    return replace(
        people,
        matched=_at(people.person, *first_match, NO_DAY),
        active_tie=np.isin(people.person, with_tie),
        improved=np.array(
            [int(improved.get(p, -1)) for p in people.person.tolist()], dtype=np.int64
        ),
    )


class _JsonLists:
    """A JSON list column's value as a tuple (None: empty), each distinct
    text parsed once (the DBAPI gives SQLite's JSON as text)."""

    def __init__(self):
        self.seen: dict = {}

    def __call__(self, value) -> tuple:
        if value is None:
            return ()
        if not isinstance(value, str):
            return tuple(value)
        if value not in self.seen:
            self.seen[value] = tuple(json.loads(value) or ())
        return self.seen[value]
