"""The OpenActive feed of SessionSeries, a page at a time by the RPDE rules.

RPDE's "Modified Timestamp and ID" ordering: every group is an item, in
order of (``modified``, ``id``); a page holds the items after the
``afterTimestamp`` and ``afterId`` it was asked for, and its ``next`` asks
for the items after its last one. Keyset paging, not offsets: an item
changed while a consumer pages moves to the end and is read again there,
so nothing is lost or read twice in one version.

* An item's ``modified`` is the latest of its group's, its space's and its
  organisation's ``updated_at``: the feed embeds all three, so a change to
  any of them is a new version of the item. Each only grows (a group moved
  to another space is itself updated then), so an item never goes back.
  A change to the group's meetings (cancelled, moved, one-off; by an admin
  or a calendar import) gives the group a new ``updated_at`` too, since the
  item carries them (``exceptDate``, ``subEvent``).
* Groups that are not OpenActive opportunities (``mapping.publishable``:
  paused, ended, online only, nothing on the Activity List) are "deleted"
  items.
* A group deleted outright is seen through the audit event that
  ``register.services.groups.delete_group`` writes in the same transaction
  ("delete" of a "group"): a "deleted" item at that moment. Any other code
  that deletes groups must write the same event, or consumers keep the
  group. An id deleted and later used again by a new group is that group.
* Items changed in the last ``SETTLE_SECONDS`` are held back, so that a
  transaction that began earlier but commits later cannot slip in behind a
  page already read (OpenActive's advice on delayed item interleaving).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, false, func, literal, or_, select, true, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import selectinload
from sqlalchemy.sql.functions import FunctionElement

from betterway_map.accounts.models import AuditEvent
from betterway_map.database import UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.interop.openactive import mapping
from betterway_map.interop.openactive.mapping import Links
from betterway_map.register.models import Group, MeetingChange, OneOffMeeting, Organisation, Space

__all__ = ["PAGE_SIZE", "SETTLE_SECONDS", "After", "FeedPage", "feed_page"]

# RPDE suggests about 500 items a page.
PAGE_SIZE = 500
SETTLE_SECONDS = 2


class _Greatest(FunctionElement):
    """The latest of several moments: ``greatest`` (PostgreSQL), ``max`` (SQLite)."""

    type = UtcDateTime()
    name = "greatest"
    inherit_cache = True


@compiles(_Greatest)
def _greatest(element, compiler, **kw):
    return f"greatest({compiler.process(element.clauses, **kw)})"


@compiles(_Greatest, "sqlite")
def _greatest_sqlite(element, compiler, **kw):
    return f"max({compiler.process(element.clauses, **kw)})"


@dataclass(frozen=True)
class After:
    """Where a page starts: after the item (``timestamp``, ``id``); None: the first page."""

    timestamp: int
    id: int


@dataclass(frozen=True)
class FeedPage:
    """One page: its items, and where the next one starts (None: where this one did)."""

    items: list[dict]
    last: After | None


def _items_query():
    """Every item as (id, modified, gone): groups, then groups deleted outright."""
    modified = _Greatest(
        Group.updated_at,
        func.coalesce(Space.updated_at, Group.updated_at),
        Organisation.updated_at,
    )
    groups = (
        select(Group.id.label("id"), modified.label("modified"), false().label("gone"))
        .join(Organisation, Organisation.id == Group.organisation_id)
        .outerjoin(Space, Space.id == Group.space_id)
    )
    deleted = (
        select(
            AuditEvent.subject_id.label("id"),
            func.max(AuditEvent.at).label("modified"),
            true().label("gone"),
        )
        .where(
            AuditEvent.action == "delete",
            AuditEvent.subject_type == "group",
            AuditEvent.subject_id.is_not(None),
            ~exists().where(Group.id == AuditEvent.subject_id),
        )
        .group_by(AuditEvent.subject_id)
    )
    return union_all(groups, deleted).subquery("items")


def feed_page(
    after: After | None,
    links: Links,
    *,
    page_size: int | None = None,
    now: datetime | None = None,
) -> FeedPage:
    """The items after ``after`` (all from the start when None), at most
    ``page_size`` (``PAGE_SIZE`` unless given); none changed after ``now``
    less ``SETTLE_SECONDS``."""
    items = _items_query()
    settled = (now or utcnow()) - timedelta(seconds=SETTLE_SECONDS)
    conditions = [items.c.modified <= settled]
    if after is not None:
        moment = mapping.moment_of(after.timestamp)
        conditions.append(
            or_(
                items.c.modified > moment,
                and_(items.c.modified == moment, items.c.id > literal(after.id)),
            )
        )
    rows = db.session.execute(
        select(items.c.id, items.c.modified, items.c.gone)
        .where(*conditions)
        .order_by(items.c.modified, items.c.id)
        .limit(page_size or PAGE_SIZE)
    ).all()
    live_ids = [row.id for row in rows if not row.gone]
    groups = {
        group.id: group
        for group in db.session.scalars(
            select(Group)
            .where(Group.id.in_(live_ids))
            .options(
                selectinload(Group.space),
                selectinload(Group.organisation),
                selectinload(Group.changes).selectinload(MeetingChange.space),
                selectinload(Group.one_offs).selectinload(OneOffMeeting.space),
            )
        )
    }
    found = []
    for row in rows:
        number = mapping.modified_number(row.modified)
        group = groups.get(row.id)
        if group is not None and mapping.publishable(group):
            found.append(mapping.updated_item(group, number, links))
        else:
            found.append(mapping.deleted_item(row.id, number))
    last = After(found[-1]["modified"], found[-1]["id"]) if found else None
    return FeedPage(found, last)
