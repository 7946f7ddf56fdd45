"""Reading what the measures need, in bulk: one query per table (never one
per relationship or per person), plain columns only, into the records of
``domain.measures.records``.

Which relationships there are comes from the tables that hold them:

* matches that started (``Match.started_on`` set), the person being the
  request's;
* group memberships (``Attendance`` with status member or left): started
  ``since``; ended on the last attendance when the person has left;
* caseloads (``Assignment``): started the day the worker was assigned;
  ongoing (an assignment ends by being removed).

Contacts, rhythms and feedback recorded against a relationship not in the
list (e.g. a caseload since removed) are left out.
"""

from __future__ import annotations

import json
from collections.abc import Container, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Date, Integer, case, cast, func, literal_column, select, union

from betterway_map.domain.measures.change import DIRECT_RANK, MeasureSeries
from betterway_map.domain.measures.equity import request_made_on
from betterway_map.domain.measures.records import (
    KIND_CODES,
    Contacts,
    FeedbackRecord,
    MeasureRecord,
    PersonFacts,
    Relationship,
    RelationshipColumns,
    relationship_key,
)
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.services.loading import district
from betterway_map.measures.models import QUALITY_MARKS, Contact, Feedback, Rhythm
from betterway_map.people.models import Assignment, Attendance, LonelinessMeasure, Person
from betterway_map.register.models import Group

__all__ = [
    "day_number",
    "match_relationships",
    "group_relationships",
    "caseload_relationships",
    "latest_rhythms",
    "load_contacts",
    "last_contact_days",
    "load_feedback",
    "load_measures",
    "load_measure_series",
    "load_people_facts",
]

# Counterpart codes in Contacts: a volunteer's person id n is 2n, a worker's user id n is 2n + 1.


def _date(ordinal: int | None) -> date | None:
    return None if ordinal is None else date.fromordinal(ordinal)


def match_relationships(
    person_ids: Iterable[int] | None = None, rhythms: Mapping | None = None
) -> list[Relationship]:
    """Matches that started, optionally only those of ``person_ids``; each
    with its rhythm in ``rhythms`` (``latest_rhythms``), if given."""
    query = (
        select(
            Match.id,
            SupportRequest.person_id,
            Match.volunteer_id,
            day_number(Match.started_on),
            day_number(Match.ended_on),
            Match.end_kind,
        )
        .join(SupportRequest, Match.request_id == SupportRequest.id)
        .where(Match.started_on.is_not(None))
        .order_by(Match.id)
    )
    if person_ids is not None:
        query = query.where(SupportRequest.person_id.in_(list(person_ids)))
    rhythms = rhythms or {}
    found = []
    for match_id, person_id, volunteer_id, started, ended, end_kind in raw_rows(query):
        key = ("match", match_id)
        found.append(
            Relationship(
                key,
                person_id,
                volunteer_id,
                _date(started),
                _date(ended),
                end_kind,
                rhythms.get(key),
            )
        )
    return found


def group_relationships(
    organisation_id: int | None = None, rhythms: Mapping | None = None
) -> list[Relationship]:
    """Group memberships, optionally only in the groups of one organisation;
    each with its rhythm in ``rhythms`` (``latest_rhythms``), if given."""
    query = (
        select(
            Attendance.person_id,
            Attendance.group_id,
            Attendance.status,
            day_number(Attendance.since),
            day_number(Attendance.last_attended_on),
            Group.organisation_id,
        )
        .join(Group, Attendance.group_id == Group.id)
        .where(Attendance.status != "interested")
        .order_by(Attendance.id)
    )
    if organisation_id is not None:
        query = query.where(Group.organisation_id == organisation_id)
    rhythms = rhythms or {}
    found = []
    for person_id, group_id, status, since, last, group_organisation in raw_rows(query):
        key = ("group", person_id, group_id)
        found.append(
            Relationship(
                key,
                person_id,
                group_id,
                _date(since),
                _date(last) if status == "left" else None,
                None,
                rhythms.get(key),
                group_organisation,
            )
        )
    return found


def caseload_relationships(
    worker_id: int | None = None, rhythms: Mapping | None = None
) -> list[Relationship]:
    """Workers' caseloads, optionally one worker's; each with its rhythm in
    ``rhythms`` (``latest_rhythms``), if given. A caseload starts on the
    (UTC) day the worker was assigned."""
    query = select(Assignment.person_id, Assignment.worker_id, Assignment.assigned_at).order_by(
        Assignment.person_id, Assignment.worker_id
    )
    if worker_id is not None:
        query = query.where(Assignment.worker_id == worker_id)
    rhythms = rhythms or {}
    found = []
    for person_id, worker, assigned_at in raw_rows(query):
        key = ("caseload", person_id, worker)
        assigned = _moment(assigned_at)
        found.append(
            Relationship(
                key,
                person_id,
                worker,
                None if assigned is None else assigned.date(),
                rhythm=rhythms.get(key),
            )
        )
    return found


def _key_columns(model):
    return (model.kind, model.person_id, model.match_id, model.group_id, model.worker_id)


def _scope(query, model, scope):
    """Limit a query on contacts, rhythms or feedback to a scope: None (all),
    ("organisation", id) (its groups), ("people", ids)."""
    if scope is None:
        return query
    what, value = scope
    if what == "organisation":
        groups = select(Group.id).where(Group.organisation_id == value)
        return query.where(model.kind == "group", model.group_id.in_(groups))
    return query.where(model.person_id.in_(list(value)))


def latest_rhythms(scope=None) -> dict:
    """Each relationship's latest agreed rhythm, by relationship key (one query)."""
    query = _scope(
        select(*_key_columns(Rhythm), Rhythm.frequency).order_by(Rhythm.agreed_on, Rhythm.id),
        Rhythm,
        scope,
    )
    return {relationship_key(*row[:5]): row[5] for row in raw_rows(query)}


def day_number(column):
    """A date column as its proleptic Gregorian ordinal (``date.toordinal()``),
    worked out by the database so that a million dates come back as integers."""
    if db.engine.dialect.name == "postgresql":
        # A moment (timestamptz) is cast to its date first: a timestamp less
        # a date is an interval, a date less a date is a number of days.
        return cast(cast(column, Date) - literal_column("DATE '0001-01-01'"), Integer) + 1
    return cast(func.julianday(column) - 1721424.5, Integer)


def _lookup(codes: np.ndarray, table_codes: np.ndarray, table_index: np.ndarray) -> np.ndarray:
    """The index for each code (-1 when not in the table)."""
    if not len(table_codes) or not len(codes):
        return np.full(len(codes), -1, dtype=np.int64)
    order = np.argsort(table_codes)
    sorted_codes = table_codes[order]
    at = np.clip(np.searchsorted(sorted_codes, codes), 0, len(sorted_codes) - 1)
    found = sorted_codes[at] == codes
    return np.where(found, table_index[order][at], -1)


def _pair_code(a, b) -> np.ndarray:
    return np.asarray(a, dtype=np.int64) * (1 << 32) + np.asarray(b, dtype=np.int64)


def _contact_columns(scope) -> list[np.ndarray]:
    """Every contact of the scope as five columns of integers: kind code
    (``KIND_CODES``), first key (match id, else person id), second key
    (group or worker id; 0 for a match), day number, counterpart code. One
    query, read straight from the cursor."""
    kind = case(
        (Contact.kind == "match", KIND_CODES["match"]),
        (Contact.kind == "group", KIND_CODES["group"]),
        else_=KIND_CODES["caseload"],
    )
    first = case((Contact.kind == "match", Contact.match_id), else_=Contact.person_id)
    second = case(
        (Contact.kind == "group", Contact.group_id),
        (Contact.kind == "caseload", Contact.worker_id),
        else_=0,
    )
    # A volunteer's person id n is 2n, a worker's user id n is 2n + 1; -1: no one named.
    other = case(
        (Contact.kind == "match", func.coalesce(Contact.with_volunteer_id * 2, -1)),
        (Contact.kind == "caseload", func.coalesce(Contact.with_worker_id * 2 + 1, -1)),
        else_=-1,
    )
    columns = (
        kind,
        func.coalesce(first, 0),
        func.coalesce(second, 0),
        day_number(Contact.contacted_on),
        other,
    )
    if db.engine.dialect.name == "sqlite":
        return _sqlite_integer_columns(columns, Contact, scope)
    # Through the session's connection (its transaction), straight from the
    # DBAPI cursor: five integers a row need no result processing.
    rows = np.array(raw_rows(_scope(select(*columns), Contact, scope)), dtype=np.int64)
    return [np.ascontiguousarray(column) for column in rows.reshape(-1, len(columns)).T]


# Rows of ids per query when SQLite concatenates them (a string of tens of MB at most).
_CHUNK_IDS = 1 << 20


def _sqlite_integer_columns(columns, model, scope) -> list[np.ndarray]:
    """Integer columns of every row of ``model`` in the scope, as arrays.
    SQLite writes each column of a chunk of rows as one string of numbers,
    which numpy parses: a million rows cost no Python object each.

    One ``group_concat`` per column rather than one of the row's columns
    joined: SQLite joins texts row by row far more slowly than it writes a
    column out, and the aggregates of one query read the rows in the same
    order, so the columns line up. No column may be NULL (``group_concat``
    leaves NULLs out): coalesce them."""
    # Apart, each is read off the primary key's index; together, by a scan.
    low = db.session.execute(select(func.min(model.id))).scalar()
    high = db.session.execute(select(func.max(model.id))).scalar()
    chunks: list[list[np.ndarray]] = [[] for _ in columns]
    # A separator written into the SQL, not bound: SQLite reads a bound one on every row.
    space = literal_column("' '")
    for start in range(low or 0, high + 1 if high is not None else 0, _CHUNK_IDS):
        query = _scope(
            select(*(func.group_concat(column, space) for column in columns)).where(
                model.id >= start, model.id < start + _CHUNK_IDS
            ),
            model,
            scope,
        )
        for found, text in zip(chunks, db.session.execute(query).one(), strict=True):
            if text is not None:
                found.append(np.fromstring(text, dtype=np.int64, sep=" "))
    return [np.concatenate(found or [np.empty(0, dtype=np.int64)]) for found in chunks]


def raw_rows(query) -> list[tuple]:
    """The rows of a query of plain columns straight from the DBAPI cursor,
    through the session's connection (its transaction): no result processing."""
    result = db.session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return rows


def load_contacts(relationships: Sequence[Relationship], scope=None) -> Contacts:
    """Every contact of the scope, as arrays indexed by position in
    ``relationships``, by relationship then day (one query; contacts of no
    listed relationship are left out)."""
    known = RelationshipColumns.of(relationships)
    index = np.arange(len(known), dtype=np.int64)
    is_match = known.kind == KIND_CODES["match"]
    # A relationship's key as (first, second): (match id, 0), (person id, group or worker id).
    known_code = _pair_code(
        np.where(is_match, known.order, known.person), np.where(is_match, 0, known.order)
    )
    kind, first, second, day, other = _contact_columns(scope)
    code = _pair_code(first, second)
    rel = np.full(len(kind), -1, dtype=np.int64)
    for kind_code in KIND_CODES.values():
        mine, theirs = kind == kind_code, known.kind == kind_code
        rel[mine] = _lookup(code[mine], known_code[theirs], index[theirs])
    keep = rel >= 0
    rel, day, other = rel[keep], day[keep], other[keep]
    # By relationship, then day: what the figures sort by, so their sorts are quick.
    order = np.argsort(rel * (1 << 32) + day, kind="stable")
    rel = rel[order]
    return Contacts(rel, day[order], known.person[rel], other[order])


def last_contact_days(relationships: Sequence[Relationship], scope=None) -> Contacts:
    """Each relationship's last contact only (one grouped query): enough
    for the continuity warnings."""
    query = _scope(
        select(*_key_columns(Contact), func.max(Contact.contacted_on)).group_by(
            *_key_columns(Contact)
        ),
        Contact,
        scope,
    )
    position = {r.key: i for i, r in enumerate(relationships)}
    rows = []
    for row in db.session.execute(query):
        at = position.get(relationship_key(*row[:5]))
        if at is not None and row[5] is not None:
            day = row[5] if isinstance(row[5], date) else date.fromisoformat(str(row[5])[:10])
            rows.append((at, day, relationships[at].person_id, None))
    return Contacts.from_rows(rows)


def load_feedback(relationships: Sequence[Relationship], scope=None) -> list[FeedbackRecord]:
    """Feedback on the relationships (one query)."""
    marks = [getattr(Feedback, m) for m in QUALITY_MARKS]
    query = _scope(
        select(
            *_key_columns(Feedback), Feedback.side, day_number(Feedback.given_on), *marks
        ).order_by(Feedback.id),
        Feedback,
        scope,
    )
    keys = {r.key for r in relationships}
    found = []
    for row in raw_rows(query):
        key = relationship_key(*row[:5])
        if key in keys:
            found.append(FeedbackRecord(key, row[1], row[5], _date(row[6]), tuple(row[7:])))
    return found


def load_measures(person_ids: Iterable[int] | None = None) -> list[MeasureRecord]:
    """Loneliness measures (totals), optionally of some people only (one query)."""
    query = select(
        LonelinessMeasure.person_id,
        LonelinessMeasure.measured_on,
        LonelinessMeasure.ucla_total,
        LonelinessMeasure.direct,
        LonelinessMeasure.djg_total,
    ).order_by(LonelinessMeasure.id)
    if person_ids is not None:
        query = query.where(LonelinessMeasure.person_id.in_(list(person_ids)))
    return [MeasureRecord(*row) for row in db.session.execute(query)]


def load_measure_series() -> MeasureSeries:
    """Every loneliness measure, as ``MeasureSeries`` arrays (one query; the
    same series as ``MeasureSeries(load_measures())``)."""
    direct = case(
        *((LonelinessMeasure.direct == name, rank) for name, rank in DIRECT_RANK.items()),
        else_=-1,
    )
    rows = raw_rows(
        select(
            LonelinessMeasure.person_id,
            day_number(LonelinessMeasure.measured_on),
            func.coalesce(LonelinessMeasure.ucla_total, -1),
            direct,
            func.coalesce(LonelinessMeasure.djg_total, -1),
        ).order_by(LonelinessMeasure.id)
    )
    table = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return MeasureSeries.from_columns(
        table[:, 0],
        table[:, 1],
        {"ucla_total": table[:, 2], "direct": table[:, 3], "djg_total": table[:, 4]},
    )


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
            None if opened is None else date.fromordinal(opened), _moment(created)
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


def _moment(value) -> datetime | None:
    """A stored moment read straight from the cursor (SQLite gives its UTC
    text, PostgreSQL an aware datetime), in UTC as ``UtcDateTime`` reads it."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment.astimezone(UTC) if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


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
