"""Reading what the measures need, in bulk: one query per table (never one
per relationship or per person), plain columns only, into the records of
``domain.measures.records``.

Contacts, rhythms and feedback recorded against a relationship not in the
list (e.g. a caseload since removed) are left out (which relationships
there are: ``relationships``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import numpy as np
from sqlalchemy import case, func, select

from betterway_map.domain.measures.change import DIRECT_RANK, MeasureSeries
from betterway_map.domain.measures.quality import NO_ANSWER, FeedbackColumns
from betterway_map.domain.measures.records import (
    Contacts,
    FeedbackRecord,
    MeasureRecord,
    Relationship,
    RelationshipColumns,
    relationship_key,
)
from betterway_map.extensions import db
from betterway_map.measures.models import QUALITY_MARKS, Contact, Feedback
from betterway_map.measures.services.columns import (
    day_number,
    integer_columns,
    ordinal_date,
    raw_rows,
)
from betterway_map.measures.services.relationships import (
    key_codes,
    key_columns,
    positions,
    scope_query,
)
from betterway_map.people.models import LonelinessMeasure

__all__ = [
    "load_contacts",
    "last_contact_days",
    "load_feedback",
    "load_feedback_columns",
    "load_measures",
    "load_measure_series",
]

# Counterpart codes in Contacts: a volunteer's person id n is 2n, a worker's user id n is 2n + 1.


def _contact_columns(scope=None) -> list[np.ndarray]:
    """Every contact of the scope as four integer columns (one query): its
    relationship (``relationships.key_codes``: two columns), day number and
    counterpart code."""
    # A volunteer's person id n is 2n, a worker's user id n is 2n + 1; -1: no one named.
    other = case(
        {
            "match": func.coalesce(Contact.with_volunteer_id * 2, -1),
            "caseload": func.coalesce(Contact.with_worker_id * 2 + 1, -1),
        },
        value=Contact.kind,
        else_=-1,
    )
    return integer_columns(
        (*key_codes(Contact), day_number(Contact.contacted_on), other),
        Contact,
        lambda query: scope_query(query, Contact, scope),
        in_order=False,
    )


def load_contacts(
    relationships: Sequence[Relationship] | RelationshipColumns, scope=None
) -> Contacts:
    """Every contact of the scope, as arrays indexed by position in
    ``relationships``, by relationship then day (one query, read as integer
    columns; contacts of no listed relationship are left out)."""
    first, second, day, other = _contact_columns(scope)
    known = RelationshipColumns.of(relationships)
    rel = positions(known, first, second)
    keep = rel >= 0
    rel, day, other = rel[keep], day[keep], other[keep]
    # By relationship, then day: what the figures sort by, so their sorts are quick.
    order = np.argsort(rel * (1 << 32) + day, kind="stable")
    rel = rel[order]
    return Contacts(rel, day[order], known.person[rel], other[order])


def last_contact_days(relationships: Sequence[Relationship], scope=None) -> Contacts:
    """Each relationship's last contact only (one grouped query): enough
    for the continuity warnings."""
    query = scope_query(
        select(*key_columns(Contact), func.max(Contact.contacted_on)).group_by(
            *key_columns(Contact)
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
    query = scope_query(
        select(
            *key_columns(Feedback), Feedback.side, day_number(Feedback.given_on), *marks
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
            *key_codes(Feedback),
            Feedback.person_id,
            case((Feedback.side == "person", 1), else_=0),
            day_number(Feedback.given_on),
            *marks,
        ),
        Feedback,
        lambda query: scope_query(query, Feedback, scope),
    )
    rel = positions(RelationshipColumns.of(relationships), first, second)
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
