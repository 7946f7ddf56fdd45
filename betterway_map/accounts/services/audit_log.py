"""The audit log as a site admin reads it: filtered, newest first, in pages
or as one CSV; each reading is itself audited.

A "bulk read" is an event about several people at once: the action ``list``
or a detail written by ``audit.people_detail`` ("…: n=3 ids=3,1,2").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, fields
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import AuditEvent, User
from betterway_map.database import contains
from betterway_map.domain.clock import UK
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.web.paging import Paged, paginate

__all__ = [
    "AuditFilters",
    "AuditRow",
    "AuditPage",
    "HEADINGS",
    "read_page",
    "export_rows",
    "filter_choices",
]

HEADINGS = ("When (UK time)", "Who", "Action", "Subject", "Detail")
SYSTEM = "the system or an erased person"


@dataclass(frozen=True)
class AuditFilters:
    date_from: date | None = None
    date_to: date | None = None
    action: str | None = None
    subject_type: str | None = None
    subject_id: int | None = None
    user: str | None = None
    text: str | None = None
    bulk: bool = False

    def describe(self) -> str:
        """The filters given, for the audit entry of this reading."""
        parts = []
        for field in fields(self):
            value = getattr(self, field.name)
            if value not in (None, False, ""):
                parts.append(f"{field.name}={value}")
        return ("filters: " + " ".join(parts)) if parts else "no filters"


@dataclass(frozen=True)
class AuditRow:
    id: int
    when: str
    who: str
    action: str
    subject: str
    detail: str

    @property
    def cells(self) -> tuple[str, ...]:
        return (self.when, self.who, self.action, self.subject, self.detail)


@dataclass(frozen=True)
class AuditPage(Paged):
    rows: list[AuditRow]
    page: int
    page_size: int
    total: int


def filter_choices() -> dict[str, list[str]]:
    """The actions and subject types present in the log, for the form."""
    return {
        "actions": list(
            db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action))
        ),
        "subject_types": list(
            db.session.scalars(
                select(AuditEvent.subject_type).distinct().order_by(AuditEvent.subject_type)
            )
        ),
    }


def read_page(filters: AuditFilters, page: int, page_size: int, viewer_id: int) -> AuditPage:
    """One page of the filtered log, newest first; the reading is audited."""
    query = _query(filters)
    result = paginate(query, page, page_size)
    rows = _rows(result.items, _users_of(result.items))
    audit.record(viewer_id, "view", "audit", None, f"page {page}, {filters.describe()}")
    db.session.commit()
    return AuditPage(rows=rows, page=result.page, page_size=page_size, total=result.total)


def export_rows(filters: AuditFilters, viewer_id: int) -> Iterator[AuditRow]:
    """Every row of the filtered log as it stood before this export (whose
    own entry is committed first), read lazily for a streamed download."""
    query = _query(filters)
    last = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    audit.record(viewer_id, "export", "audit", None, filters.describe())
    db.session.commit()
    return _stream(query.where(AuditEvent.id <= last))


def _stream(query) -> Iterator[AuditRow]:
    users: dict[int, User | None] = {}
    for event in db.session.scalars(query.execution_options(yield_per=500)):
        if event.user_id is not None and event.user_id not in users:
            users[event.user_id] = db.session.get(User, event.user_id)
        yield _row(event, users)


def _query(filters: AuditFilters):
    query = select(AuditEvent)
    if filters.date_from:
        query = query.where(AuditEvent.at >= _start_of(filters.date_from))
    if filters.date_to:
        query = query.where(AuditEvent.at < _start_of(filters.date_to + timedelta(days=1)))
    if filters.date_from and filters.date_to and filters.date_to < filters.date_from:
        message = (
            f"The date to ({filters.date_to.isoformat()}) is before the date from "
            f"({filters.date_from.isoformat()}): give an end on or after the start."
        )
        raise InvalidInput(message, {"to": [message]})
    if filters.action:
        _check_present(AuditEvent.action, filters.action, "action", "an action")
        query = query.where(AuditEvent.action == filters.action)
    if filters.subject_type:
        _check_present(
            AuditEvent.subject_type, filters.subject_type, "subject_type", "a subject type"
        )
        query = query.where(AuditEvent.subject_type == filters.subject_type)
    if filters.subject_id is not None:
        query = query.where(AuditEvent.subject_id == filters.subject_id)
    if filters.user:
        query = query.where(AuditEvent.user_id == _user_id(filters.user))
    if filters.text:
        query = query.where(contains(func.lower(AuditEvent.detail), filters.text.lower()))
    if filters.bulk:
        query = query.where(
            or_(
                AuditEvent.action == "list",
                contains(AuditEvent.detail, "n=") & contains(AuditEvent.detail, " ids="),
            )
        )
    return query.order_by(AuditEvent.at.desc(), AuditEvent.id.desc())


def _start_of(day: date) -> datetime:
    """The first moment of a UK day, in UTC."""
    return datetime.combine(day, time(0), tzinfo=UK).astimezone(UTC)


def _check_present(column, value: str, name: str, what: str) -> None:
    if db.session.scalar(select(column).where(column == value).limit(1)) is None:
        present = list(db.session.scalars(select(column).distinct().order_by(column)))
        message = (
            f"{value!r} is not {what} in the audit log: choose one of {', '.join(present)}."
            if present
            else f"{value!r} is not {what} in the audit log, which is empty."
        )
        raise InvalidInput(message, {name: [message]})


def _user_id(value: str) -> int:
    """A user given by number or email address."""
    text = value.strip()
    if text.isascii() and text.isdigit() and len(text) <= 10:
        return int(text)
    if "@" in text:
        found = db.session.scalar(select(User.id).where(func.lower(User.email) == text.lower()))
        if found is not None:
            return found
        message = f"No user has the email address {value!r}: give a user's email address or number."
    else:
        message = f"{value!r} is not a user: give a user's email address or number."
    raise InvalidInput(message, {"user": [message]})


def _users_of(events) -> dict[int, User | None]:
    ids = {event.user_id for event in events if event.user_id is not None}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}


def _rows(events, users) -> list[AuditRow]:
    return [_row(event, users) for event in events]


def _row(event: AuditEvent, users: dict[int, User | None]) -> AuditRow:
    return AuditRow(
        id=event.id,
        when=_when(event.at),
        who=_who(event.user_id, users.get(event.user_id) if event.user_id else None),
        action=event.action,
        subject=event.subject_type
        + (f" {event.subject_id}" if event.subject_id is not None else ""),
        detail=event.detail or "",
    )


def _when(at: datetime) -> str:
    aware = at if at.tzinfo else at.replace(tzinfo=UTC)
    return f"{aware.astimezone(UK):%Y-%m-%d %H:%M:%S %Z}"


def _who(user_id: int | None, user: User | None) -> str:
    if user_id is None:
        return SYSTEM
    if user is None:
        return f"user {user_id} (no longer held)"
    if user.display_name:
        return f"{user.display_name} ({user.email})"
    return user.email
