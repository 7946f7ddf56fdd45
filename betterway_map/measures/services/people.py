"""Who the register supports, with what equity breaks them down by and
their outcomes (``domain.measures.records.PersonFacts``): two queries,
whatever the size of the area.
"""

from __future__ import annotations

import json
from collections.abc import Container, Mapping
from datetime import date

from sqlalchemy import select, union

from betterway_map.domain.measures.equity import request_made_on
from betterway_map.domain.measures.records import PersonFacts
from betterway_map.matching.models import SupportRequest
from betterway_map.matching.services.loading import district
from betterway_map.measures.services.columns import day_number, moment, raw_rows
from betterway_map.people.models import Assignment, Attendance, Person

__all__ = ["load_people_facts"]


def load_people_facts(
    matched_on: Mapping[int, date] | None = None,
    with_tie: Container[int] = frozenset(),
    improved: Mapping[int, bool] | None = None,
) -> list[PersonFacts]:
    """Everyone the register supports (not volunteers only), with what
    equity breaks them down by and their outcomes (given by the caller:
    first match, active tie, improved).

    The people supported: anyone with a request for support, on a
    caseload, or in a group. A person asked for support on the day their
    first request was made (``equity.request_made_on``), however often it
    was reopened since.
    """
    matched_on = matched_on or {}
    improved = improved or {}
    lists = _JsonLists()
    # Person id -> [first made on, needs, asked for lived experience of disability].
    asked: dict[int, list] = {}
    for person_id, kind, opened, lived, created in raw_rows(
        select(
            SupportRequest.person_id,
            SupportRequest.kind,
            day_number(SupportRequest.opened_on),
            SupportRequest.lived_experience,
            SupportRequest.created_at,
        )
    ):
        made = request_made_on(
            None if opened is None else date.fromordinal(opened), moment(created)
        )
        found = asked.setdefault(person_id, [made, set(), False])
        if made is not None and (found[0] is None or made < found[0]):
            found[0] = made
        found[1].add(kind)
        found[2] = found[2] or "disability" in lists(lived)
    supported = union(
        select(SupportRequest.person_id),
        select(Assignment.person_id),
        select(Attendance.person_id).where(Attendance.status != "interested"),
    ).subquery()
    districts: dict = {}
    never_asked = (None, (), False)
    people = []
    for person_id, age_band, postcode, languages, user_id in raw_rows(
        select(Person.id, Person.age_band, Person.postcode, Person.languages, Person.user_id)
        .where(Person.id.in_(select(supported.c[0])))
        .order_by(Person.id)
    ):
        if postcode not in districts:
            districts[postcode] = district(postcode) or None
        first, needs, disability = asked.get(person_id, never_asked)
        people.append(
            PersonFacts(
                person_id,
                age_band,
                districts[postcode],
                lists(languages),
                tuple(sorted(needs)),
                disability,
                user_id is not None,
                first,
                matched_on.get(person_id),
                person_id in with_tie,
                improved.get(person_id),
            )
        )
    return people


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
