"""The audit log of who viewed or changed personal data."""

from __future__ import annotations

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db


def record(
    user_id: int | None,
    action: str,
    subject_type: str,
    subject_id: int | None,
    detail: str | None = None,
) -> None:
    """Add an audit event to the current transaction (the caller commits)."""
    db.session.add(
        AuditEvent(
            user_id=user_id,
            action=action,
            subject_type=subject_type,
            subject_id=subject_id,
            detail=detail,
        )
    )
