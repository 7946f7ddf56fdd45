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

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

import numpy as np
from sqlalchemy import case, func, select

from betterway_map.domain.measures.change import DIRECT_RANK, MeasureSeries
from betterway_map.domain.measures.quality import NO_ANSWER, FeedbackColumns
from betterway_map.domain.measures.records import (
    KIND_CODES,
    Contacts,
    FeedbackRecord,
    MeasureRecord,
    Relationship,
    RelationshipColumns,
    relationship_key,
)
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.measures.models import QUALITY_MARKS, Contact, Feedback, Rhythm
from betterway_map.measures.services.columns import (
    day_number,
    integer_columns,
    moment,
    ordinal_date,
    raw_rows,
)
from betterway_map.people.models import Assignment, Attendance, LonelinessMeasure
from betterway_map.register.models import Group

__all__ = [
    "match_relationships",
    "group_relationships",
    "caseload_relationships",
    "latest_rhythms",
    "load_contacts",
    "last_contact_days",
    "load_feedback",
    "load_feedback_columns",
    "load_measures",
    "load_measure_series",
]

# Counterpart codes in Contacts: a volunteer's person id n is 2n, a worker's user id n is 2n + 1.


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
                ordinal_date(started),
                ordinal_date(ended),
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
                ordinal_date(since),
                ordinal_date(last) if status == "left" else None,
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
        assigned = moment(assigned_at)
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


def _key_codes(model) -> tuple:
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


def _positions(relationships: RelationshipColumns, first, second) -> np.ndarray:
    """The position in the relationships of each row's (``_key_codes``), -1 if none."""
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


def load_contacts(relationships: Sequence[Relationship], scope=None) -> Contacts:
    """Every contact of the scope, as arrays indexed by position in
    ``relationships``, by relationship then day (one query, read as integer
    columns; contacts of no listed relationship are left out)."""
    # A volunteer's person id n is 2n, a worker's user id n is 2n + 1; -1: no one named.
    other = case(
        {
            "match": func.coalesce(Contact.with_volunteer_id * 2, -1),
            "caseload": func.coalesce(Contact.with_worker_id * 2 + 1, -1),
        },
        value=Contact.kind,
        else_=-1,
    )
    first, second, day, other = integer_columns(
        (*_key_codes(Contact), day_number(Contact.contacted_on), other),
        Contact,
        lambda query: _scope(query, Contact, scope),
        in_order=False,
    )
    known = RelationshipColumns.of(relationships)
    rel = _positions(known, first, second)
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
            found.append(FeedbackRecord(key, row[1], row[5], ordinal_date(row[6]), tuple(row[7:])))
    return found


def load_feedback_columns(
    relationships: Sequence[Relationship] | RelationshipColumns, scope=None
) -> FeedbackColumns:
    """Feedback on the relationships, as columns numbered by position in
    ``relationships`` (one query, read as integer columns; in the order
    recorded): the same as ``FeedbackColumns.of(load_feedback(...), positions)``."""
    marks = [func.coalesce(getattr(Feedback, m), NO_ANSWER) for m in QUALITY_MARKS]
    first, second, person, person_side, given, *answers = integer_columns(
        (
            *_key_codes(Feedback),
            Feedback.person_id,
            case((Feedback.side == "person", 1), else_=0),
            day_number(Feedback.given_on),
            *marks,
        ),
        Feedback,
        lambda query: _scope(query, Feedback, scope),
    )
    rel = _positions(RelationshipColumns.of(relationships), first, second)
    keep = rel >= 0
    return FeedbackColumns(
        relationship=rel[keep],
        person=person[keep],
        person_side=person_side[keep] == 1,
        given=given[keep],
        answers=np.column_stack(answers)[keep],
    )


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
    person, day, ucla, direct, djg = integer_columns(
        (
            LonelinessMeasure.person_id,
            day_number(LonelinessMeasure.measured_on),
            func.coalesce(LonelinessMeasure.ucla_total, -1),
            direct,
            func.coalesce(LonelinessMeasure.djg_total, -1),
        ),
        LonelinessMeasure,
    )
    return MeasureSeries.from_columns(
        person, day, {"ucla_total": ucla, "direct": direct, "djg_total": djg}
    )
