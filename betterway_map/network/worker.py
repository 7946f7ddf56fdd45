"""What the network says about people, for the workers assigned to them.

A worker sees their own people only: everyone else is left out before
anything is returned (not listed, not counted). The network is built once
per request for the whole area (``network.loader.request_area``) and read
for all of the worker's people at once; nothing here is stored, so an erased
person leaves these pages at once. Every person shown is recorded in the
audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.measures.loneliness import DIRECT_ANSWERS, DIRECT_AT_RISK
from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.network.isolation import assess_people, by_need, connectors
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.network.loader import request_area, settings
from betterway_map.people.models import Person
from betterway_map.web.paging import Paged, page_count

__all__ = [
    "STATUS_LABELS",
    "TIE_LABELS",
    "PersonNeed",
    "ConnectorRow",
    "my_people",
    "connectors_for",
]

STATUS_LABELS = {
    "isolated": "Isolated: no active ties",
    "professionals_only": "Only in touch with professionals",
    "weak": "One active tie",
    "connected": "Connected",
}
TIE_LABELS = {
    "family": "Family",
    "friend": "Friends",
    "neighbour": "Neighbours",
    "professional": "Professionals",
    "group": "Groups",
    "match": "Volunteer matches",
}
DIRECT_LABELS = dict(DIRECT_ANSWERS)


@dataclass(frozen=True)
class PersonNeed:
    """One row of a worker's list; isolation and loneliness kept apart."""

    person_id: int
    name: str
    status: str
    status_label: str
    active_ties: tuple[tuple[str, str, int], ...]  # (kind, label, count)
    reasons: tuple[str, ...]
    ucla_total: int | None
    direct: str | None
    direct_label: str | None
    measured_on: date | None
    at_risk: bool


@dataclass(frozen=True)
class ConnectorRow:
    kind: str  # "group" or "person" (one of the worker's own)
    id: int
    name: str
    reason: str
    bridges: int
    betweenness: float


def _graph(area: Area, window_days: int):
    cached = g.get("network_graph")
    if cached is not None and cached[0] is area:
        return cached[1]
    graph = build_graph(area, window_days, area.today)
    g.network_graph = (area, graph)
    return graph


def _own_ids(area: Area, worker: User) -> set[int]:
    return {person.id for person in area.people if worker.id in person.worker_ids}


def _names(person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(Person.id, Person.first_name, Person.last_name).where(Person.id.in_(person_ids))
    )
    return {pid: " ".join(part for part in (first, last) if part) for pid, first, last in rows}


def _need_rows(worker: User, today: date | None) -> list[PersonNeed]:
    """The worker's people, most in need first (read-only)."""
    config = settings()
    area = request_area(today)
    own = _own_ids(area, worker)
    assessments = assess_people(
        area, window_days=config.window_days, graph=_graph(area, config.window_days)
    )
    names = _names(own)
    rows = []
    for found in by_need([assessments[pid] for pid in own if pid in assessments]):
        ties = tuple(
            (kind, TIE_LABELS.get(kind, kind), count)
            for kind, count in sorted(found.active_ties.items())
            if count
        )
        rows.append(
            PersonNeed(
                person_id=found.person_id,
                name=names.get(found.person_id, ""),
                status=found.status,
                status_label=STATUS_LABELS.get(found.status, found.status),
                active_ties=ties,
                reasons=tuple(found.reasons),
                ucla_total=found.ucla_total,
                direct=found.direct,
                direct_label=DIRECT_LABELS.get(found.direct) if found.direct else None,
                measured_on=found.measured_on,
                at_risk=found.status == "isolated" or found.direct in DIRECT_AT_RISK,
            )
        )
    return rows


def _audit_shown(worker: User, rows: list[PersonNeed]) -> None:
    for row in rows:
        audit.record(worker.id, "view", "person", row.person_id, "network: my people")
    db.session.commit()


def my_people(worker: User, today: date | None = None) -> list[PersonNeed]:
    """The worker's people, most in need first (one commit: the audit)."""
    rows = _need_rows(worker, today)
    _audit_shown(worker, rows)
    return rows


@dataclass(frozen=True)
class NeedPage(Paged):
    """One page of a worker's list, and how many of their people have each status."""

    items: list[PersonNeed]
    page: int
    page_size: int
    total: int
    status: str | None
    counts: dict[str, int]


def my_people_page(
    worker: User,
    status: str | None = None,
    page: int = 1,
    page_size: int = 50,
    today: date | None = None,
) -> NeedPage:
    """One page of the worker's people by need, optionally of one status;
    only the people shown are audited (one commit).

    Raises ``InvalidInput`` for an unknown status or a page past the last.
    """
    if status is not None and status not in STATUS_LABELS:
        accepted = ", ".join(STATUS_LABELS)
        message = f"{status!r} is not a status: use one of {accepted}."
        raise InvalidInput(message, {"status": [message]})
    rows = _need_rows(worker, today)
    counts = {key: sum(1 for row in rows if row.status == key) for key in STATUS_LABELS}
    chosen = [row for row in rows if status is None or row.status == status]
    pages = page_count(len(chosen), page_size)
    if page < 1 or page > pages:
        message = f"There is no page {page}: pages go from 1 to {pages}."
        raise InvalidInput(message, {"page": [message]})
    shown = chosen[(page - 1) * page_size : page * page_size]
    _audit_shown(worker, shown)
    return NeedPage(shown, page, page_size, len(chosen), status, counts)


def connectors_for(worker: User, today: date | None = None) -> list[ConnectorRow]:
    """Community connectors a worker may see: groups, and among people only
    the worker's own (one commit: the audit).

    Other people who link clusters are left out entirely: a worker must not
    learn who else is on the register, or who is central in it.
    """
    config = settings()
    area = request_area(today)
    own = _own_ids(area, worker)
    found = connectors(
        area,
        window_days=config.window_days,
        top=config.connectors_top,
        graph=_graph(area, config.window_days),
    )
    names = _names(own)
    rows = []
    for item in found:
        if item.node_kind == "group":
            name = item.name
        elif item.node_kind == "person" and item.id in own:
            name = names.get(item.id, item.name)
            audit.record(worker.id, "view", "person", item.id, "network: connectors")
        else:
            continue
        rows.append(
            ConnectorRow(
                kind=item.node_kind,
                id=item.id,
                name=name,
                reason=item.reason,
                bridges=int(item.bridges),
                betweenness=float(item.betweenness),
            )
        )
    db.session.commit()
    return rows
