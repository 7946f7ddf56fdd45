"""Which relationships there are, from the tables that hold them, and the
keys that tie contacts, rhythms and feedback to them:

* matches that started (``Match.started_on`` set), the person being the
  request's;
* group memberships (``Attendance`` with status member or left): started
  ``since``; ended on the last attendance when the person has left;
* caseloads (``Assignment``): started the (UTC) day the worker was
  assigned; ongoing (an assignment ends by being removed).

Each kind is read by one query of plain columns (``_match_rows`` and so
on), made into ``Relationship`` records for an organisation's or a
worker's few, or into ``RelationshipColumns`` for a whole area
(``area_relationships``), with no record per relationship. Contacts,
rhythms and feedback recorded against a relationship not in the list
(e.g. a caseload since removed) are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import numpy as np
from sqlalchemy import case, func, select

from betterway_map.domain.measures.records import (
    END_CODES,
    KIND_CODES,
    NO_DAY,
    RHYTHM_DAYS,
    Relationship,
    RelationshipColumns,
    relationship_key,
)
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.measures.models import Rhythm
from betterway_map.measures.services.columns import (
    day_number,
    integer_columns,
    moment,
    raw_rows,
)
from betterway_map.people.models import Assignment, Attendance
from betterway_map.register.models import Group

__all__ = [
    "match_relationships",
    "group_relationships",
    "caseload_relationships",
    "latest_rhythms",
    "area_relationships",
    "scope_query",
    "key_columns",
    "key_codes",
    "positions",
]


def _day(column):
    """A date column as its day's number, ``NO_DAY`` when there is none."""
    return func.coalesce(day_number(column), NO_DAY)


def _date(number: int) -> date | None:
    return None if number == NO_DAY else date.fromordinal(number)


def _match_rows(person_ids: Iterable[int] | None = None) -> list[tuple]:
    """(match id, person id, volunteer id, started, ended, end kind) of the
    matches that started, by id; days as numbers (``NO_DAY``: none)."""
    query = (
        select(
            Match.id,
            SupportRequest.person_id,
            Match.volunteer_id,
            _day(Match.started_on),
            _day(Match.ended_on),
            Match.end_kind,
        )
        .join(SupportRequest, Match.request_id == SupportRequest.id)
        .where(Match.started_on.is_not(None))
        .order_by(Match.id)
    )
    if person_ids is not None:
        query = query.where(SupportRequest.person_id.in_(list(person_ids)))
    return raw_rows(query)


def _group_rows(organisation_id: int | None = None) -> list[tuple]:
    """(person id, group id, since, ended, the group's organisation id) of
    the group memberships, by id; ended is the last attendance of someone
    who has left; days as numbers (``NO_DAY``: none)."""
    query = (
        select(
            Attendance.person_id,
            Attendance.group_id,
            _day(Attendance.since),
            case((Attendance.status == "left", _day(Attendance.last_attended_on)), else_=NO_DAY),
            Group.organisation_id,
        )
        .join(Group, Attendance.group_id == Group.id)
        .where(Attendance.status != "interested")
        .order_by(Attendance.id)
    )
    if organisation_id is not None:
        query = query.where(Group.organisation_id == organisation_id)
    return raw_rows(query)


def _caseload_rows(worker_id: int | None = None) -> list[tuple]:
    """(person id, worker id, started) of the caseloads, by person and
    worker; started is the number of the (UTC) day the worker was assigned."""
    query = select(Assignment.person_id, Assignment.worker_id, Assignment.assigned_at).order_by(
        Assignment.person_id, Assignment.worker_id
    )
    if worker_id is not None:
        query = query.where(Assignment.worker_id == worker_id)
    found = []
    for person_id, worker, assigned_at in raw_rows(query):
        assigned = moment(assigned_at)
        found.append((person_id, worker, NO_DAY if assigned is None else assigned.toordinal()))
    return found


def match_relationships(
    person_ids: Iterable[int] | None = None, rhythms: Mapping | None = None
) -> list[Relationship]:
    """Matches that started, optionally only those of ``person_ids``; each
    with its rhythm in ``rhythms`` (``latest_rhythms``), if given."""
    rhythms = rhythms or {}
    found = []
    for match_id, person_id, volunteer_id, started, ended, end_kind in _match_rows(person_ids):
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
    rhythms = rhythms or {}
    found = []
    for person_id, group_id, since, ended, organisation in _group_rows(organisation_id):
        key = ("group", person_id, group_id)
        found.append(
            Relationship(
                key,
                person_id,
                group_id,
                _date(since),
                _date(ended),
                None,
                rhythms.get(key),
                organisation,
            )
        )
    return found


def caseload_relationships(
    worker_id: int | None = None, rhythms: Mapping | None = None
) -> list[Relationship]:
    """Workers' caseloads, optionally one worker's; each with its rhythm in
    ``rhythms`` (``latest_rhythms``), if given."""
    rhythms = rhythms or {}
    return [
        Relationship(
            ("caseload", person_id, worker),
            person_id,
            worker,
            _date(started),
            rhythm=rhythms.get(("caseload", person_id, worker)),
        )
        for person_id, worker, started in _caseload_rows(worker_id)
    ]


def _table(rows: list[tuple], width: int) -> np.ndarray:
    """Rows of integers as an array."""
    return np.array(rows, dtype=np.int64).reshape(-1, width)


def area_relationships() -> RelationshipColumns:
    """Every relationship of the area as columns, in the order of
    ``match_relationships``, ``group_relationships`` and
    ``caseload_relationships`` one after the other, each with its latest
    rhythm: the same as ``RelationshipColumns.of`` of those lists."""
    matches = _match_rows()
    m = _table([row[:5] for row in matches], 5)
    g = _table(_group_rows(), 5)
    c = _table(_caseload_rows(), 3)
    sizes = (len(m), len(g), len(c))
    none = [np.full(n, NO_DAY, dtype=np.int64) for n in sizes]
    found = RelationshipColumns(
        kind=np.repeat(np.array([KIND_CODES[k] for k in ("match", "group", "caseload")]), sizes),
        person=np.concatenate([m[:, 1], g[:, 0], c[:, 0]]),
        counterpart=np.concatenate([m[:, 2], g[:, 1], c[:, 1]]),
        started=np.concatenate([m[:, 3], g[:, 2], c[:, 2]]),
        ended=np.concatenate([m[:, 4], g[:, 3], none[2]]),
        end_kind=np.concatenate(
            [
                np.array([END_CODES.get(row[5], 0) for row in matches], dtype=np.int64),
                np.zeros(len(g) + len(c), dtype=np.int64),
            ]
        ),
        rhythm_days=np.zeros(sum(sizes), dtype=np.int64),
        order=np.concatenate([m[:, 0], g[:, 1], c[:, 1]]),
        organisation=np.concatenate([none[0], g[:, 4], none[2]]),
    )
    return found.with_rhythm_days(_latest_rhythm_days(found))


def _latest_rhythm_days(relationships: RelationshipColumns) -> np.ndarray:
    """Each relationship's latest agreed rhythm in days (0: none), as
    ``latest_rhythms`` finds it (the last agreed; of one day, the last recorded)."""
    first, second, days, agreed, rhythm_id = integer_columns(
        (
            *key_codes(Rhythm),
            case(
                *((Rhythm.frequency == name, days) for name, days in RHYTHM_DAYS.items()),
                else_=0,
            ),
            func.coalesce(day_number(Rhythm.agreed_on), NO_DAY),
            Rhythm.id,
        ),
        Rhythm,
    )
    at = positions(relationships, first, second)
    keep = at >= 0
    at, days = at[keep], days[keep]
    order = np.lexsort((rhythm_id[keep], agreed[keep], at))
    at, days = at[order], days[order]
    last = np.ones(len(at), dtype=bool)
    last[:-1] = at[1:] != at[:-1]
    found = np.zeros(len(relationships), dtype=np.int64)
    found[at[last]] = days[last]
    return found


def key_columns(model):
    return (model.kind, model.person_id, model.match_id, model.group_id, model.worker_id)


def scope_query(query, model, scope):
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
    query = scope_query(
        select(*key_columns(Rhythm), Rhythm.frequency).order_by(Rhythm.agreed_on, Rhythm.id),
        Rhythm,
        scope,
    )
    return {relationship_key(*row[:5]): row[5] for row in raw_rows(query)}


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


def key_codes(model) -> tuple:
    """A contact's or feedback's relationship as two integer columns: its
    first key (match id, else person id) times 4 plus its kind
    (``KIND_CODES``), and its second key (group or worker id; 0 for a
    match). Two columns rather than three, and a simple CASE on the kind:
    SQLite writes out a million rows' values in a good part less time."""
    kinds = KIND_CODES
    first = case(
        {
            "match": func.coalesce(model.match_id, 0) * 4 + kinds["match"],
            "group": model.person_id * 4 + kinds["group"],
        },
        value=model.kind,
        else_=model.person_id * 4 + kinds["caseload"],
    )
    second = case(
        {"group": func.coalesce(model.group_id, 0), "caseload": func.coalesce(model.worker_id, 0)},
        value=model.kind,
        else_=0,
    )
    return first, second


def positions(relationships: RelationshipColumns, first, second) -> np.ndarray:
    """The position in the relationships of each row's (``key_codes``), -1 if none."""
    kind, first = first & 3, first >> 2
    index = np.arange(len(relationships), dtype=np.int64)
    is_match = relationships.kind == KIND_CODES["match"]
    # A relationship's key as (first, second): (match id, 0), (person id, group or worker id).
    known = _pair_code(
        np.where(is_match, relationships.order, relationships.person),
        np.where(is_match, 0, relationships.order),
    )
    code = _pair_code(first, second)
    found = np.full(len(kind), -1, dtype=np.int64)
    for kind_code in KIND_CODES.values():
        mine, theirs = kind == kind_code, relationships.kind == kind_code
        found[mine] = _lookup(code[mine], known[theirs], index[theirs])
    return found
