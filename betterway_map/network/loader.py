"""The network in the product: the register as plain records, and the
settings every analysis runs with.

``load_area`` reads the register with one query per table (never one per
row) into ``network.records.Area``; the pure code in ``betterway_map.network``
does the rest. The area report is cached under the versions of the tables
read here (``network.report_store.REPORT_TABLES``: a table read here must be
listed there), so any write to the register that could change a figure — a
new tie, an edited one, an erased person — changes the key and the report is
recomputed, without reading the records to find out. Person-level results (a worker's people,
connectors) are never stored: they are computed from one ``Area`` loaded once
per request (``request_area``), never per person.

Consent is applied here, once for every figure, map and page built on the
``Area``: a person who withdrew consent to being on the register is left
out altogether (with their ties and attendance; a tie someone else recorded
to them stays, as a tie to someone not on the register), and the measures of
a person who withdrew consent to measures count for nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from itertools import chain, starmap

from flask import current_app, g, has_request_context
from sqlalchemy import select

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.network.defaults import (
    ACTIVITY_WINDOW_DAYS,
    H3_RESOLUTION,
    WALKING_DISTANCE_M,
)
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    OrganisationRecord,
    PartnershipRecord,
    PersonRecord,
    SpaceRecord,
    TieRecord,
)
from betterway_map.extensions import db
from betterway_map.people.models import (
    Assignment,
    Attendance,
    LonelinessMeasure,
    Person,
    Tie,
    VolunteerProfile,
)
from betterway_map.people.services.consent import withdrawn_ids
from betterway_map.register.models import Group, Organisation, Partnership, Space

__all__ = ["NetworkSettings", "settings", "load_area", "request_area"]

# Consent purposes (vocab.CONSENT_PURPOSES) whose withdrawal this module applies.
REGISTER_PURPOSE = "register"
_BATCH_ROWS = 10_000
MEASURES_PURPOSE = "measures"


@dataclass(frozen=True)
class NetworkSettings:
    """What every analysis is run with (see ``config.py``)."""

    window_days: int = ACTIVITY_WINDOW_DAYS
    resolution: int = H3_RESOLUTION
    walking_m: int = WALKING_DISTANCE_M
    min_count: int = 5
    connectors_top: int = 20

    def as_dict(self) -> dict:
        return {
            "activity_window_days": self.window_days,
            "h3_resolution": self.resolution,
            "walking_distance_m": self.walking_m,
            "min_cell_count": self.min_count,
        }


def settings() -> NetworkSettings:
    """The settings of the running application."""
    config = current_app.config
    return NetworkSettings(
        window_days=int(config.get("ACTIVITY_WINDOW_DAYS", ACTIVITY_WINDOW_DAYS)),
        resolution=int(config.get("H3_RESOLUTION", H3_RESOLUTION)),
        walking_m=int(config.get("WALKING_DISTANCE_M", WALKING_DISTANCE_M)),
        min_count=int(config.get("MIN_CELL_COUNT", 5)),
        connectors_top=int(config.get("NETWORK_CONNECTORS_TOP", 20)),
    )


def _rows(query):
    """The rows of a Core ``select`` of columns, fetched from the cursor a
    batch at a time (the ORM's loading would first fetch every row and make
    a Row of each)."""
    result = db.session.connection().execute(query)
    while batch := result.fetchmany(_BATCH_ROWS):
        yield from batch


class _Once(dict):
    """The value of a column, converted once per distinct value read.

    ``once[raw]`` is what SQLAlchemy's own result processor for the column's
    type on this dialect makes of ``raw`` (a date from its text on SQLite, a
    bool from 0/1), or ``raw`` itself where the driver's value is used as it
    comes (dates from psycopg); either way one object per distinct value: an
    area holds hundreds of thousands of records but a few hundred distinct
    values in such columns (a status, a kind, a day, an age band), so keeping
    one copy of each saves most of the memory the records take."""

    __slots__ = ("_convert",)

    def __init__(self, convert) -> None:
        super().__init__()
        self._convert = convert

    def __missing__(self, raw):
        value = raw if raw is None or self._convert is None else self._convert(raw)
        self[raw] = value
        return value


def _tuples(query, shared=()):
    """The rows of a Core ``select`` of columns as plain tuples, read from the
    driver's cursor a batch at a time: SQLAlchemy's per-row result processing
    (a Row per row, every date parsed on each row) was most of the loading
    time of a large area (issue 15). The statement is still executed by
    SQLAlchemy (its events, logging and error handling hold); only the rows
    are read past it. A column whose type has a result processor on this
    dialect, and each column whose index is in ``shared`` (the few-valued
    ones: a status, a kind, a day), goes through ``_Once``; the others (ids, names, coordinates) are the driver's values,
    as SQLAlchemy gives them."""
    # Batches chained in C: no generator resumed per row.
    return chain.from_iterable(_batches(query, shared))


def _batches(query, shared):
    """``_tuples``' rows, a batch at a time (an iterable of tuples each)."""
    connection = db.session.connection()
    dialect = connection.dialect
    result = connection.execute(query)
    try:
        cursor = result.cursor
        onces = {}
        for index, (column, described) in enumerate(
            zip(query.selected_columns, cursor.description)
        ):
            convert = column.type.dialect_impl(dialect).result_processor(dialect, described[1])
            if convert is not None or index in shared:
                onces[index] = _Once(convert).__getitem__
        while batch := cursor.fetchmany(_BATCH_ROWS):
            if not onces:
                yield batch
                continue
            values = list(zip(*batch))
            for index, once in onces.items():
                values[index] = map(once, values[index])
            yield list(zip(*values))
    finally:
        result.close()


def _latest_measures() -> dict[int, tuple]:
    """Each person's latest measure: (person id, UCLA total, direct, measured on)."""
    rows = _tuples(
        select(
            LonelinessMeasure.person_id,
            LonelinessMeasure.ucla_total,
            LonelinessMeasure.direct,
            LonelinessMeasure.measured_on,
        ).order_by(
            LonelinessMeasure.person_id,
            LonelinessMeasure.measured_on,
            LonelinessMeasure.id,
        ),
        shared=(2, 3),
    )
    # Ordered by date within each person: the last row seen is the latest.
    return {row[0]: row for row in rows}


def _workers_by_person() -> dict[int, tuple[int, ...]]:
    workers: dict[int, list[int]] = {}
    rows = _tuples(
        select(Assignment.person_id, Assignment.worker_id).order_by(
            Assignment.person_id, Assignment.worker_id
        )
    )
    for person_id, worker_id in rows:
        workers.setdefault(person_id, []).append(worker_id)
    return {person_id: tuple(ids) for person_id, ids in workers.items()}


def _people() -> tuple[list[PersonRecord], set[int]]:
    """The people on the register, and those left out of it (consent withdrawn)."""
    measures = _latest_measures()
    workers = _workers_by_person()
    volunteers = set(
        db.session.scalars(
            select(VolunteerProfile.person_id).where(VolunteerProfile.active.is_(True))
        )
    )
    rows = _tuples(
        select(
            Person.id,
            Person.first_name,
            Person.age_band,
            Person.latitude,
            Person.longitude,
            Person.lives_alone,
        ).order_by(Person.id),
        shared=(2,),
    )
    # One query each, not a test per person (the few who withdrew, as sets).
    withdrew_register = withdrawn_ids(REGISTER_PURPOSE)
    withdrew_measures = withdrawn_ids(MEASURES_PURPOSE)
    people, left_out = [], set()
    no_measure = (None, None, None, None)
    for person_id, first_name, age_band, latitude, longitude, lives_alone in rows:
        if person_id in withdrew_register:
            left_out.add(person_id)
            continue
        _, ucla_total, direct, measured_on = (
            no_measure if person_id in withdrew_measures else measures.get(person_id, no_measure)
        )
        people.append(
            PersonRecord(
                person_id,
                first_name,
                age_band,
                latitude,
                longitude,
                lives_alone,
                person_id in volunteers,
                ucla_total,
                direct,
                measured_on,
                workers.get(person_id, ()),
            )
        )
    return people, left_out


def _organisations() -> list[OrganisationRecord]:
    rows = _rows(
        select(Organisation.id, Organisation.name, Organisation.sector).order_by(Organisation.id)
    )
    return [OrganisationRecord(id=r.id, name=r.name, sector=r.sector) for r in rows]


def _spaces() -> list[SpaceRecord]:
    rows = _rows(
        select(
            Space.id,
            Space.organisation_id,
            Space.name,
            Space.latitude,
            Space.longitude,
            Space.step_free,
            Space.accessible_toilet,
        ).order_by(Space.id)
    )
    return [
        SpaceRecord(
            id=r.id,
            organisation_id=r.organisation_id,
            name=r.name,
            latitude=r.latitude,
            longitude=r.longitude,
            step_free=bool(r.step_free),
            accessible_toilet=bool(r.accessible_toilet),
        )
        for r in rows
    ]


def _groups() -> list[GroupRecord]:
    rows = _rows(
        select(
            Group.id,
            Group.organisation_id,
            Group.name,
            Group.space_id,
            Group.online,
            Group.status,
            Group.interests,
            Group.audiences,
            Group.age_min,
            Group.age_max,
            Space.latitude,
            Space.longitude,
            Space.step_free,
        )
        .outerjoin(Space, Group.space_id == Space.id)
        .order_by(Group.id)
    )
    groups = []
    for r in rows:
        # An online group meets nowhere: it is in no one's walking distance.
        placed = r.space_id is not None and not r.online
        groups.append(
            GroupRecord(
                id=r.id,
                organisation_id=r.organisation_id,
                name=r.name,
                space_id=r.space_id,
                latitude=r.latitude if placed else None,
                longitude=r.longitude if placed else None,
                status=r.status,
                interests=tuple(r.interests or ()),
                audiences=tuple(r.audiences or ()),
                age_min=r.age_min,
                age_max=r.age_max,
                step_free=bool(r.step_free) if placed else False,
            )
        )
    return groups


def _records(record, *columns, order_by, where=None, shared=()) -> list:
    """One query: each row of ``columns`` (those meeting ``where``), in order, as a ``record``."""
    query = select(*columns).order_by(order_by)
    if where is not None:
        query = query.where(where)
    return list(starmap(record, _tuples(query, shared)))


def _attendances(left_out: set[int]) -> list[AttendanceRecord]:
    query = select(
        Attendance.person_id,
        Attendance.group_id,
        Attendance.status,
        Attendance.since,
        Attendance.last_attended_on,
    ).order_by(Attendance.id)
    rows = _tuples(query, shared=(2, 3, 4))
    if left_out:
        rows = (row for row in rows if row[0] not in left_out)
    return list(starmap(AttendanceRecord, rows))


def _ties(left_out: set[int]) -> list[TieRecord]:
    query = select(
        Tie.person_id,
        Tie.kind,
        Tie.contact_frequency,
        Tie.last_contact_on,
        Tie.other_person_id,
        Tie.id,
    ).order_by(Tie.id)
    rows = _tuples(query, shared=(1, 2, 3))
    if not left_out:
        return list(starmap(TieRecord, rows))
    return [
        TieRecord(person, kind, frequency, last, None if other in left_out else other, tie_id)
        for person, kind, frequency, last, other, tie_id in rows
        if person not in left_out
    ]


def _partnerships() -> list[PartnershipRecord]:
    # Only confirmed ones: one side's word is not a public fact (register.services.partnerships).
    return _records(
        PartnershipRecord,
        Partnership.organisation_id,
        Partnership.partner_id,
        Partnership.kind,
        Partnership.started_on,
        Partnership.last_active_on,
        order_by=Partnership.id,
        where=Partnership.confirmed_at.is_not(None),
        shared=(2, 3, 4),
    )


def load_area(today: date | None = None) -> Area:
    """The whole register as plain records, one query per table (read-only).

    Matches (volunteer and person) are a later issue: the list is empty.
    """
    people, left_out = _people()
    return Area(
        today=today or today_in_uk(),
        people=people,
        organisations=_organisations(),
        spaces=_spaces(),
        groups=_groups(),
        attendances=_attendances(left_out),
        ties=_ties(left_out),
        matches=[],
        partnerships=_partnerships(),
    )


def request_area(today: date | None = None) -> Area:
    """The ``Area`` of this request, loaded once however many views of it a
    page needs (outside a request, a fresh load)."""
    if not has_request_context():
        return load_area(today)
    key = today or today_in_uk()
    cached = g.get("network_area")
    if cached is None or cached.today != key:
        cached = load_area(key)
        g.network_area = cached
    return cached
