"""The audit log of who viewed or changed personal data."""

from __future__ import annotations

from collections.abc import Iterable

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db

ACTION_LENGTH = AuditEvent.__table__.c.action.type.length
SUBJECT_TYPE_LENGTH = AuditEvent.__table__.c.subject_type.type.length


def record(
    user_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    detail: str | None = None,
) -> None:
    """Add an audit event to the current transaction (the caller commits).

    The action and subject type are the program's own words, checked against
    their columns here: SQLite keeps a string longer than its column, so a
    long one would fail only on PostgreSQL.
    """
    if len(action) > ACTION_LENGTH or len(subject_type) > SUBJECT_TYPE_LENGTH:
        raise ValueError(
            f"audit action {action!r} or subject type {subject_type!r} is longer than "
            f"{ACTION_LENGTH} or {SUBJECT_TYPE_LENGTH} characters"
        )
    db.session.add(
        AuditEvent(
            user_id=user_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail,
        )
    )


# A read of many people names at most this many of them in its one event
# (the largest page the API serves), so that an event stays a line.
MAX_IDS_IN_DETAIL = 100


def people_detail(person_ids: Iterable[int], what: str = "") -> str:
    """The detail of one event for a read of several people: how many, and
    which (their ids, at most ``MAX_IDS_IN_DETAIL``).

    >>> people_detail([3, 1, 2], "caseload")
    'caseload: n=3 ids=3,1,2'
    >>> people_detail(range(1, 103))[-19:]
    '99,100 (and 2 more)'
    """
    ids = list(person_ids)
    shown = ",".join(str(person_id) for person_id in ids[:MAX_IDS_IN_DETAIL])
    more = f" (and {len(ids) - MAX_IDS_IN_DETAIL} more)" if len(ids) > MAX_IDS_IN_DETAIL else ""
    return f"{what + ': ' if what else ''}n={len(ids)} ids={shown}{more}"
