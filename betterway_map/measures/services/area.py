"""What the area's figures need beyond relationships and contacts: the
network (for active ties, now and before and after), and each supported
person's outcomes for equity. One query per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import case, func, literal_column, select

from betterway_map.domain.measures.change import ChangeFigure, MeasureSeries, improved_people
from betterway_map.domain.measures.continuity import last_contacts
from betterway_map.domain.measures.records import (
    KIND_CODES,
    NO_DAY,
    Contacts,
    MeasureRecord,
    PeopleColumns,
    Relationship,
    RelationshipColumns,
)
from betterway_map.domain.measures.ties import (
    FREQUENCY_CODES,
    OTHER,
    STATUS_CODES,
    NetworkIndex,
    active_tie_people,
    network_change,
)
from betterway_map.domain.vocab import TIE_KINDS
from betterway_map.extensions import db
from betterway_map.measures.services.columns import day_number, integer_columns
from betterway_map.measures.services.people import read_people, with_outcomes
from betterway_map.network.loader import settings
from betterway_map.people.models import Attendance, Person, Tie
from betterway_map.register.models import Group, Organisation

__all__ = ["AreaOutcomes", "AreaRead", "read_area", "area_outcomes"]


@dataclass(frozen=True)
class AreaOutcomes:
    people: PeopleColumns
    network_change: list[ChangeFigure]
    # Each relationship's organisation ("name (id)"; None but for groups), by position.
    organisation_at: list
    # Person id -> postcode district.
    district_of: dict


def _codes(column, table: dict):
    """A column of words as the integers ``table`` gives them (``ties.OTHER`` if none)."""
    return case(*((column == word, code) for word, code in table.items()), else_=OTHER)


def _first_matches(columns: RelationshipColumns) -> tuple[np.ndarray, np.ndarray]:
    """The people matched (ascending ids), and the day each first match started."""
    matched = columns.take((columns.kind == KIND_CODES["match"]) & (columns.started != NO_DAY))
    order = np.lexsort((matched.started, matched.person))
    person, started = matched.person[order], matched.started[order]
    first = np.ones(len(person), dtype=bool)
    first[1:] = person[1:] != person[:-1]
    return person[first], started[first]


@dataclass(frozen=True)
class AreaRead:
    """What the area's outcomes read from the database besides relationships
    and contacts (``read_area``): the network's records as columns
    (``domain.measures.ties``), the people supported, without their
    outcomes yet, and the organisations' labels ("name (id)") by id."""

    people_ids: np.ndarray
    groups: np.ndarray
    attendances: dict
    ties: dict
    people: PeopleColumns
    organisations: dict


def read_area() -> AreaRead:
    """One query per table, plain columns straight from the cursor, as arrays."""
    (people,) = integer_columns((Person.id,), Person)
    (groups,) = integer_columns((Group.id,), Group)
    no_day = literal_column(str(NO_DAY))
    names = ("person", "group", "status", "since", "last")
    attendances = dict(
        zip(
            names,
            integer_columns(
                (
                    Attendance.person_id,
                    Attendance.group_id,
                    _codes(Attendance.status, STATUS_CODES),
                    func.coalesce(day_number(Attendance.since), no_day),
                    func.coalesce(day_number(Attendance.last_attended_on), no_day),
                ),
                Attendance,
            ),
            strict=True,
        )
    )
    names = ("person", "other", "frequency", "last", "kind", "id", "recorded")
    ties = dict(
        zip(
            names,
            integer_columns(
                (
                    Tie.person_id,
                    func.coalesce(Tie.other_person_id, -1),
                    _codes(Tie.contact_frequency, FREQUENCY_CODES),
                    func.coalesce(day_number(Tie.last_contact_on), no_day),
                    _codes(Tie.kind, {kind: number for number, (kind, _) in enumerate(TIE_KINDS)}),
                    Tie.id,
                    func.coalesce(day_number(Tie.created_at), no_day),
                ),
                Tie,
            ),
            strict=True,
        )
    )
    organisations = {
        oid: f"{name} ({oid})"
        for oid, name in db.session.execute(select(Organisation.id, Organisation.name))
    }
    return AreaRead(people, groups, attendances, ties, read_people(), organisations)


def _network(
    read: AreaRead, columns: RelationshipColumns, contacts: Contacts, today: date, window_days: int
) -> tuple[np.ndarray, NetworkIndex]:
    """The people with an active tie today, and the network's records as
    columns to count anyone's ties as at any day."""
    match_at = np.flatnonzero((columns.kind == KIND_CODES["match"]) & (columns.started != NO_DAY))
    matches = {
        "person": columns.person[match_at],
        "volunteer": columns.counterpart[match_at],
        "started": columns.started[match_at],
        "ended": columns.ended[match_at],
        "last": last_contacts(len(columns), contacts)[match_at],
    }
    with_tie = active_tie_people(
        today,
        window_days,
        read.people_ids,
        read.groups,
        attendances=read.attendances,
        ties=read.ties,
        matches=matches,
    )
    return with_tie, NetworkIndex.from_columns(read.groups, read.attendances, read.ties, matches)


def area_outcomes(
    relationships: Sequence[Relationship] | RelationshipColumns,
    contacts: Contacts,
    measures: Sequence[MeasureRecord] | MeasureSeries,
    today: date,
    min_count: int,
) -> AreaOutcomes:
    """What the area's figures need of the network and the people, given
    the relationships and their contacts (one query per table)."""
    columns = RelationshipColumns.of(relationships)
    read = read_area()
    window_days = settings().window_days
    with_tie, index = _network(read, columns, contacts, today, window_days)
    improved = improved_people(columns, measures)
    people = with_outcomes(read.people, _first_matches(columns), with_tie, improved)
    changes = network_change(columns, index, today, window_days=window_days, min_count=min_count)
    is_group = (columns.kind == KIND_CODES["group"]).tolist()
    organisation_at = [
        read.organisations.get(oid, f" ({oid})") if group else None
        for group, oid in zip(is_group, columns.organisation.tolist(), strict=True)
    ]
    districts = {p: d for p, d in zip(people.person.tolist(), people.district, strict=True) if d}
    return AreaOutcomes(people, changes, organisation_at, districts)
