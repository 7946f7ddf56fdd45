"""What the area's figures need beyond relationships and contacts: the
network (for active ties, now and before and after), and each supported
person's outcomes for equity. One query per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from betterway_map.domain.measures.change import (
    ChangeFigure,
    NetworkIndex,
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
from betterway_map.domain.network.edges import PERSON_EDGE_KINDS, edges
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    PersonRecord,
    TieRecord,
)
from betterway_map.extensions import db
from betterway_map.measures.services import loading
from betterway_map.network.loader import settings
from betterway_map.people.models import Attendance, Person, Tie
from betterway_map.register.models import Group, Organisation

__all__ = ["AreaOutcomes", "network_area", "area_outcomes", "active_tie_people"]


@dataclass(frozen=True)
class AreaOutcomes:
    people: list[PersonFacts]
    network_change: list[ChangeFigure]
    # Group relationship key -> its organisation's name; person id -> district.
    organisation_of: dict
    district_of: dict


def network_area(
    relationships: Sequence[Relationship], contacts: Contacts, today: date
) -> tuple[Area, dict[int, date]]:
    """The network records (people, groups, attendances, ties, matches) and
    the day each tie was recorded. A match's last activity is its last contact."""
    people = [
        PersonRecord(pid, "", None, None, None, None)
        for pid in db.session.scalars(select(Person.id).order_by(Person.id))
    ]
    groups = [
        GroupRecord(r.id, r.organisation_id, "", None, None, None, r.status)
        for r in db.session.execute(select(Group.id, Group.organisation_id, Group.status))
    ]
    attendances = [
        AttendanceRecord(*row)
        for row in db.session.execute(
            select(
                Attendance.person_id,
                Attendance.group_id,
                Attendance.status,
                Attendance.since,
                Attendance.last_attended_on,
            ).order_by(Attendance.id)
        )
    ]
    ties, recorded = [], {}
    for row in db.session.execute(
        select(
            Tie.person_id,
            Tie.kind,
            Tie.contact_frequency,
            Tie.last_contact_on,
            Tie.other_person_id,
            Tie.id,
            Tie.created_at,
        ).order_by(Tie.id)
    ):
        ties.append(TieRecord(*row[:6]))
        if row.created_at is not None:
            recorded[row.id] = row.created_at.date()
    last = last_contacts(len(relationships), contacts)
    matches = [
        MatchRecord(
            r.counterpart,
            r.person_id,
            r.started_on,
            r.ended_on,
            date.fromordinal(int(last[i])) if last[i] >= 0 else None,
        )
        for i, r in enumerate(relationships)
        if r.kind == "match" and r.started_on is not None
    ]
    area = Area(
        today=today,
        people=people,
        groups=groups,
        attendances=attendances,
        ties=ties,
        matches=matches,
    )
    return area, recorded


def active_tie_people(area: Area, window_days: int) -> set[int]:
    """The people with at least one active tie (the network's definition)."""
    found = set()
    for e in edges(area, window_days):
        if e.active and e.kind in PERSON_EDGE_KINDS:
            for kind, node_id in (e.u, e.v):
                if kind == "person":
                    found.add(node_id)
    return found


def area_outcomes(
    relationships: Sequence[Relationship],
    contacts: Contacts,
    measures: Sequence[MeasureRecord],
    today: date,
    min_count: int,
) -> AreaOutcomes:
    window_days = settings().window_days
    area, recorded = network_area(relationships, contacts, today)
    with_tie = active_tie_people(area, window_days)
    improved = improved_people(relationships, measures)
    matched_on: dict[int, date] = {}
    for r in relationships:
        if r.kind == "match" and r.started_on is not None:
            if r.person_id not in matched_on or r.started_on < matched_on[r.person_id]:
                matched_on[r.person_id] = r.started_on
    people = loading.load_people_facts(matched_on, with_tie, improved)
    changes = network_change(
        relationships,
        NetworkIndex(area, recorded),
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
