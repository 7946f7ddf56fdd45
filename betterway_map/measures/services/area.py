"""What the area's figures need beyond relationships and contacts: the
network (for active ties, now and before and after), and each supported
person's outcomes for equity. One query per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import func, literal, select

from betterway_map.domain.measures.change import (
    NO_DAY,
    ChangeFigure,
    MeasureSeries,
    NetworkIndex,
    active_tie_people,
    first_starts,
    improved_people,
    network_change,
)
from betterway_map.domain.measures.continuity import last_contacts
from betterway_map.domain.measures.records import (
    Contacts,
    MeasureRecord,
    PersonFacts,
    Relationship,
)
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    TieRecord,
)
from betterway_map.extensions import db
from betterway_map.measures.services import loading
from betterway_map.network.loader import settings
from betterway_map.people.models import Attendance, Person, Tie
from betterway_map.register.models import Group, Organisation

__all__ = ["AreaOutcomes", "area_outcomes"]


@dataclass(frozen=True)
class AreaOutcomes:
    people: list[PersonFacts]
    network_change: list[ChangeFigure]
    # Group relationship key -> its organisation's name; person id -> district.
    organisation_of: dict
    district_of: dict


def _column(rows, at: int) -> np.ndarray:
    return np.fromiter((r[at] for r in rows), dtype=np.int64, count=len(rows))


def _day_or_none(ordinal: int) -> date | None:
    return None if ordinal == NO_DAY else date.fromordinal(ordinal)


def _network(
    relationships: Sequence[Relationship], contacts: Contacts, today: date, window_days: int
) -> tuple[set[int], NetworkIndex]:
    """The people with an active tie today, and the network records of the
    people whose ties before and after are counted (those with a first match
    or group, and whoever is at the other end of their records) indexed by
    person. Plain columns read straight from the cursor, as arrays."""
    people = np.array(loading.raw_rows(select(Person.id)), dtype=np.int64).reshape(-1)
    group_rows = db.session.execute(select(Group.id, Group.organisation_id, Group.status)).all()
    groups = np.array([g.id for g in group_rows], dtype=np.int64)
    no_day = literal(NO_DAY)
    attendance_rows = loading.raw_rows(
        select(
            Attendance.person_id,
            Attendance.group_id,
            Attendance.status,
            func.coalesce(loading.day_number(Attendance.since), no_day),
            func.coalesce(loading.day_number(Attendance.last_attended_on), no_day),
        ).order_by(Attendance.id)
    )
    tie_rows = loading.raw_rows(
        select(
            Tie.person_id,
            func.coalesce(Tie.other_person_id, -1),
            Tie.contact_frequency,
            func.coalesce(loading.day_number(Tie.last_contact_on), no_day),
            Tie.kind,
            Tie.id,
            func.coalesce(loading.day_number(Tie.created_at), no_day),
        ).order_by(Tie.id)
    )
    last = last_contacts(len(relationships), contacts)
    match_at = [
        i for i, r in enumerate(relationships) if r.kind == "match" and r.started_on is not None
    ]
    with_tie = active_tie_people(
        today,
        window_days,
        people,
        groups,
        attendances={
            "person": _column(attendance_rows, 0),
            "group": _column(attendance_rows, 1),
            "status": np.array([r[2] for r in attendance_rows], dtype=object),
            "last": _column(attendance_rows, 4),
        },
        ties={
            "person": _column(tie_rows, 0),
            "other": _column(tie_rows, 1),
            "frequency": np.array([r[2] for r in tie_rows], dtype=object),
            "last": _column(tie_rows, 3),
        },
        matches={
            "person": np.array([relationships[i].person_id for i in match_at], dtype=np.int64),
            "volunteer": np.array([relationships[i].counterpart for i in match_at], dtype=np.int64),
            "started": np.array(
                [relationships[i].started_on.toordinal() for i in match_at], dtype=np.int64
            ),
            "ended": np.array(
                [
                    NO_DAY if r.ended_on is None else r.ended_on.toordinal()
                    for r in (relationships[i] for i in match_at)
                ],
                dtype=np.int64,
            ),
            "last": last[np.asarray(match_at, dtype=np.int64)],
        },
    )
    # Only the records of the people whose ties before and after are counted.
    counted = {p for p, kind in first_starts(relationships) if kind in ("match", "group")}
    matches = [
        MatchRecord(
            relationships[i].counterpart,
            relationships[i].person_id,
            relationships[i].started_on,
            relationships[i].ended_on,
            _day_or_none(int(last[i])) if last[i] >= 0 else None,
        )
        for i in match_at
        if relationships[i].person_id in counted or relationships[i].counterpart in counted
    ]
    ties, recorded = [], {}
    for person, other, frequency, contact, kind, tie_id, created in tie_rows:
        other = None if other == -1 else other
        if person in counted or other in counted:
            ties.append(TieRecord(person, kind, frequency, _day_or_none(contact), other, tie_id))
            if created != NO_DAY:
                recorded[tie_id] = date.fromordinal(created)
    area = Area(
        today=today,
        groups=[
            GroupRecord(g.id, g.organisation_id, "", None, None, None, g.status) for g in group_rows
        ],
        attendances=[
            AttendanceRecord(person, group, status, _day_or_none(since), _day_or_none(seen))
            for person, group, status, since, seen in attendance_rows
            if person in counted
        ],
        ties=ties,
        matches=matches,
    )
    return set(with_tie.tolist()), NetworkIndex(area, recorded)


def area_outcomes(
    relationships: Sequence[Relationship],
    contacts: Contacts,
    measures: Sequence[MeasureRecord] | MeasureSeries,
    today: date,
    min_count: int,
) -> AreaOutcomes:
    window_days = settings().window_days
    with_tie, index = _network(relationships, contacts, today, window_days)
    improved = improved_people(relationships, measures)
    matched_on: dict[int, date] = {}
    for r in relationships:
        if r.kind == "match" and r.started_on is not None:
            if r.person_id not in matched_on or r.started_on < matched_on[r.person_id]:
                matched_on[r.person_id] = r.started_on
    people = loading.load_people_facts(matched_on, with_tie, improved)
    changes = network_change(
        relationships,
        index,
        today,
        window_days=window_days,
        min_count=min_count,
    )
    names = dict(db.session.execute(select(Organisation.id, Organisation.name)).all())
    organisation_of = {
        r.key: f"{names.get(r.organisation_id, '')} ({r.organisation_id})"
        for r in relationships
        if r.kind == "group"
    }
    districts = {p.person_id: p.district for p in people if p.district}
    return AreaOutcomes(people, changes, organisation_of, districts)
