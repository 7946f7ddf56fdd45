"""The edges of the network, made from the plain records, and their rules.

Nodes are tuples ``(kind, id)``: ``("person", 3)``, ``("group", 7)``,
``("space", 2)``, ``("organisation", 1)``, and ``("contact", i)`` for the
other end of a tie with someone who is not on the register (``i`` is the
tie's position in ``area.ties``). Every node has the attribute ``kind``;
people, groups, spaces and organisations also have ``name``.

Every edge has ``kind``, ``weight``, ``last_active`` (a date or None) and
``active``. An edge is *lapsed* (``active=False``) when its last activity is
more than ``window_days`` days before ``today``; exactly ``window_days`` ago
still counts. The rules, kind by kind:

========== ===================================================================
attends    person - group. Status "member": active when ``last_attended_on``
           is within the window (a member never seen attending is lapsed:
           isolation is measured on attendance, not on registration).
           Status "left": always lapsed, kept for the date of last contact.
           Status "interested": no edge, it was never a tie. Weight 1.
tie        person - person (both on the register) or person - contact.
           ``tie_kind`` is family / friend / neighbour / professional. With a
           ``last_contact_on`` date: active within the window. Without one:
           active when the contact frequency is daily, weekly or monthly,
           lapsed when it is less often or never. Frequency "never" is always
           lapsed. Weight by contact frequency (``TIE_WEIGHTS``).
match      volunteer - person. Active while not ended and the last contact
           (or, before any contact is logged, the start) is within the
           window. Weight 1.
meets_at   group - space; structural, always active. Weight 1.
runs       organisation - group and organisation - space; structural,
           always active. Weight 1.
partnership, referral
           organisation - organisation (referral when the partnership kind
           is "referral"; ``partnership_kind`` keeps the recorded kind).
           Active when ``last_active_on`` (or ``started_on`` when none) is
           within the window; no date at all is lapsed. Weight 1.
========== ===================================================================

Repeated records of one edge (a tie recorded from both sides, a person who
left a group and rejoined, two matches of the same pair) make one edge:
active if any record is, with the latest date and the highest weight.
Records that point at someone or something not in the area are left out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS
from betterway_map.domain.network.inputs import Area

__all__ = [
    "TIE_WEIGHTS",
    "ACTIVE_FREQUENCIES",
    "PERSON_EDGE_KINDS",
    "Edge",
    "attends_actively",
    "is_recent",
    "edges",
]

# Ties weighted by how often the two are in touch: daily contact counts four
# times a monthly one; "never" is kept (weight 0) only as history.
TIE_WEIGHTS = {"daily": 1.0, "weekly": 0.75, "monthly": 0.5, "less": 0.25, "never": 0.0}
# Without a date, a tie is taken as active on the recorded frequency alone.
ACTIVE_FREQUENCIES = frozenset({"daily", "weekly", "monthly"})
# The edges that make up a person's social connections.
PERSON_EDGE_KINDS = frozenset({"attends", "tie", "match"})


@dataclass(frozen=True, slots=True)
class Edge:
    """One typed edge of the network, with its state worked out.

    ``tie_kind`` is set for ties, ``partnership_kind`` for partnerships and
    referrals; ``status`` for attendances.
    """

    u: tuple
    v: tuple
    kind: str
    weight: float
    last_active: date | None
    active: bool
    tie_kind: str | None = None
    partnership_kind: str | None = None
    status: str | None = None

    def attributes(self) -> dict:
        """The edge attributes as stored on the networkx graph."""
        data = {
            "kind": self.kind,
            "weight": self.weight,
            "last_active": self.last_active,
            "active": self.active,
        }
        for name in ("tie_kind", "partnership_kind", "status"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        return data


def is_recent(day: date | None, today: date, window_days: int = ACTIVITY_WINDOW_DAYS) -> bool:
    """True when ``day`` is known and at most ``window_days`` days before ``today``.

    >>> is_recent(date(2025, 1, 1), date(2025, 3, 31), 89)
    True
    >>> is_recent(date(2025, 1, 1), date(2025, 4, 2), 90)
    False
    >>> is_recent(None, date(2025, 4, 2))
    False
    """
    return day is not None and (today - day).days <= window_days


def attends_actively(attendance, today: date, window_days: int = ACTIVITY_WINDOW_DAYS) -> bool:
    """The rule for an active "attends" edge: a member seen within the window.

    >>> from betterway_map.domain.network.inputs import AttendanceRecord
    >>> day = date(2025, 6, 1)
    >>> attends_actively(AttendanceRecord(1, 2, "member", None, date(2025, 5, 1)), day, 90)
    True
    >>> attends_actively(AttendanceRecord(1, 2, "left", None, date(2025, 5, 1)), day, 90)
    False
    """
    return attendance.status == "member" and is_recent(
        attendance.last_attended_on, today, window_days
    )


def _tie_edge(tie, u, v, today, window_days) -> Edge:
    if tie.contact_frequency == "never":
        active = False
    elif tie.last_contact_on is not None:
        active = is_recent(tie.last_contact_on, today, window_days)
    else:
        active = tie.contact_frequency in ACTIVE_FREQUENCIES
    return Edge(
        u,
        v,
        "tie",
        TIE_WEIGHTS.get(tie.contact_frequency, 0.0),
        tie.last_contact_on,
        active,
        tie_kind=tie.kind,
    )


def _merge(first: Edge, second: Edge) -> Edge:
    """Two records of one edge (a tie recorded from both sides, a person
    who left a group and rejoined, a volunteer matched twice with the same
    person): keep the stronger, more recent state."""
    days = [d for d in (first.last_active, second.last_active) if d is not None]
    lead = (
        second
        if (second.active, second.last_active or date.min)
        > (
            first.active,
            first.last_active or date.min,
        )
        else first
    )
    return Edge(
        first.u,
        first.v,
        first.kind,
        max(first.weight, second.weight),
        max(days) if days else None,
        first.active or second.active,
        tie_kind=first.tie_kind,
        status=lead.status,
    )


def _person_edges(area: Area, today: date, window_days: int) -> Iterator[Edge]:
    """Person edges, one per pair and key: repeated records are merged."""
    found: dict[tuple, Edge] = {}
    for edge in _person_records(area, today, window_days):
        # The graph is undirected: a match of A with B and one of B with A
        # are one edge, so the key must not depend on the order of the ends.
        key = (*sorted((edge.u, edge.v)), edge.tie_kind or edge.kind)
        found[key] = _merge(found[key], edge) if key in found else edge
    return iter(found.values())


def _person_records(area: Area, today: date, window_days: int) -> Iterator[Edge]:
    people = {p.id for p in area.people}
    groups = {g.id for g in area.groups}
    for a in area.attendances:
        if a.status == "interested" or a.person_id not in people or a.group_id not in groups:
            continue
        active = attends_actively(a, today, window_days)
        yield Edge(
            ("person", a.person_id),
            ("group", a.group_id),
            "attends",
            1.0,
            a.last_attended_on,
            active,
            status=a.status,
        )
    for index, t in enumerate(area.ties):
        if t.person_id not in people:
            continue
        if t.other_person_id is None:
            yield _tie_edge(t, ("person", t.person_id), ("contact", index), today, window_days)
        elif t.other_person_id in people and t.other_person_id != t.person_id:
            low, high = sorted((t.person_id, t.other_person_id))
            yield _tie_edge(t, ("person", low), ("person", high), today, window_days)
    for m in area.matches:
        if m.volunteer_id not in people or m.person_id not in people:
            continue
        if m.volunteer_id == m.person_id:
            continue
        last = m.last_contact_on or m.started_on
        active = m.ended_on is None and is_recent(last, today, window_days)
        yield Edge(("person", m.volunteer_id), ("person", m.person_id), "match", 1.0, last, active)


def _structural_edges(area: Area, today: date, window_days: int) -> Iterator[Edge]:
    organisations = {o.id for o in area.organisations}
    spaces = {s.id for s in area.spaces}
    for s in area.spaces:
        if s.organisation_id in organisations:
            yield Edge(
                ("organisation", s.organisation_id), ("space", s.id), "runs", 1.0, None, True
            )
    for g in area.groups:
        if g.organisation_id in organisations:
            yield Edge(
                ("organisation", g.organisation_id), ("group", g.id), "runs", 1.0, None, True
            )
        if g.space_id is not None and g.space_id in spaces:
            yield Edge(("group", g.id), ("space", g.space_id), "meets_at", 1.0, None, True)
    for p in area.partnerships:
        if (
            p.organisation_id not in organisations
            or p.partner_id not in organisations
            or p.organisation_id == p.partner_id
        ):
            continue
        last = p.last_active_on or p.started_on
        yield Edge(
            ("organisation", p.organisation_id),
            ("organisation", p.partner_id),
            "referral" if p.kind == "referral" else "partnership",
            1.0,
            last,
            is_recent(last, today, window_days),
            partnership_kind=p.kind,
        )


def edges(
    area: Area, window_days: int = ACTIVITY_WINDOW_DAYS, today: date | None = None
) -> Iterator[Edge]:
    """Every edge of the network, with its kind, weight and state.

    >>> from betterway_map.domain.network.inputs import AttendanceRecord, GroupRecord, PersonRecord
    >>> area = Area(
    ...     today=date(2025, 6, 1),
    ...     people=[PersonRecord(1, "Ann", "75-84", None, None, True)],
    ...     groups=[GroupRecord(5, 9, "Lunch club", None, None, None, "active")],
    ...     attendances=[AttendanceRecord(1, 5, "member", None, date(2025, 5, 20))],
    ... )
    >>> [(e.kind, e.active) for e in edges(area)]
    [('attends', True)]
    """
    if window_days < 0:
        raise ValueError(f"window_days must be 0 or more, not {window_days!r}.")
    today = today or area.today
    yield from _person_edges(area, today, window_days)
    yield from _structural_edges(area, today, window_days)
