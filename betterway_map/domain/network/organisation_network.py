"""The organisation network: the "resourceful community" picture.

Organisations are linked when, within the activity window, they

* work together or refer people to each other (active partnerships and
  referrals, see ``graph.py``);
* share a space: groups of two organisations meet at one space, or one
  organisation's group meets at another's space (groups that have ended do
  not count);
* share a volunteer: a volunteer actively attends groups of both.

Each edge of the organisation graph has ``weight`` (how many such links)
and ``kinds`` (which: partnership, referral, shared_space,
shared_volunteer). From it: components, brokers (betweenness, over sparse
matrices: ``betweenness``), communities (Louvain, seeded so results repeat)
and how much the ties cross sectors.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from itertools import combinations

import networkx as nx

from betterway_map.domain.network.betweenness import betweenness, sampling_error
from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS
from betterway_map.domain.network.edges import attends_actively, is_recent
from betterway_map.domain.network.inputs import Area

__all__ = ["CROSS_SECTORS", "OrgNetwork", "organisation_network", "organisation_reach"]

# The sectors of the "resourceful community" picture; informal groups are
# in the graph but not in the cross-sector share.
CROSS_SECTORS = frozenset({"voluntary", "faith", "public", "health", "business"})
# Betweenness is kept to this many decimal places (far below what is shown).
_DIGITS = 12


@dataclass(frozen=True)
class OrgNetwork:
    """What the organisation network says about the area.

    ``components`` and ``communities`` are lists of sets of organisation
    ids, largest first. ``brokers`` lists ``(id, name, betweenness)`` for
    every organisation with betweenness above zero, highest first.
    ``cross_sector_share`` is the share of edges between two different
    sectors among edges whose two ends are both in ``CROSS_SECTORS`` (None
    when there is no such edge). ``sector_mix`` counts edges per sorted
    sector pair. Betweenness is exact (``sampled_sources`` None) up to
    ``betweenness.EXACT_NODES`` organisations; above, it is estimated from
    ``sampled_sources`` seeded sources and every value is within
    ``betweenness_error`` of the exact one with 99% probability.
    """

    graph: nx.Graph
    components: list[set[int]]
    brokers: list[tuple[int, str, float]]
    communities: list[set[int]]
    cross_sector_share: float | None
    sector_mix: dict[tuple[str, str], int]
    sampled_sources: int | None = None
    betweenness_error: float = 0.0


def _link(graph: nx.Graph, first: int, second: int, kind: str) -> None:
    if first == second:
        return
    if graph.has_edge(first, second):
        data = graph[first][second]
        data["weight"] += 1
        data["kinds"].add(kind)
    else:
        graph.add_edge(first, second, weight=1, kinds={kind})


def _largest_first(sets) -> list[set[int]]:
    return sorted((set(s) for s in sets), key=lambda s: (-len(s), min(s)))


def _org_graph(area: Area, today: date, window_days: int) -> nx.Graph:
    graph = nx.Graph()
    graph.add_nodes_from((o.id, {"name": o.name, "sector": o.sector}) for o in area.organisations)
    known = set(graph)
    for p in area.partnerships:
        if p.organisation_id in known and p.partner_id in known:
            if is_recent(p.last_active_on or p.started_on, today, window_days):
                kind = "referral" if p.kind == "referral" else "partnership"
                _link(graph, p.organisation_id, p.partner_id, kind)
    space_owner = {s.id: s.organisation_id for s in area.spaces}
    at_space: dict[int, set[int]] = defaultdict(set)
    group_org = {}
    for g in area.groups:
        group_org[g.id] = g.organisation_id
        if g.status != "ended" and g.space_id in space_owner:
            at_space[g.space_id].update({g.organisation_id, space_owner[g.space_id]})
    for orgs in at_space.values():
        for first, second in combinations(sorted(orgs & known), 2):
            _link(graph, first, second, "shared_space")
    volunteers = {p.id for p in area.people if p.is_volunteer}
    volunteer_orgs: dict[int, set[int]] = defaultdict(set)
    for a in area.attendances:
        if (
            a.person_id in volunteers
            and a.group_id in group_org
            and a.status == "member"
            and is_recent(a.last_attended_on, today, window_days)
        ):
            volunteer_orgs[a.person_id].add(group_org[a.group_id])
    for orgs in volunteer_orgs.values():
        for first, second in combinations(sorted(orgs & known), 2):
            _link(graph, first, second, "shared_volunteer")
    return graph


def _sectors(graph: nx.Graph) -> tuple[float | None, dict[tuple[str, str], int]]:
    mix: Counter = Counter()
    crossing = considered = 0
    for u, v in graph.edges():
        pair = tuple(sorted((graph.nodes[u]["sector"], graph.nodes[v]["sector"])))
        mix[pair] += 1
        if pair[0] in CROSS_SECTORS and pair[1] in CROSS_SECTORS:
            considered += 1
            crossing += pair[0] != pair[1]
    return (crossing / considered if considered else None), dict(sorted(mix.items()))


def organisation_network(
    area: Area,
    window_days: int = ACTIVITY_WINDOW_DAYS,
    seed: int = 42,
    today: date | None = None,
) -> OrgNetwork:
    """The network of organisations and what holds it together.

    Parameters
    ----------
    area : Area
        The plain records.
    window_days : int
        Partnerships and attendances last active longer ago than this are
        lapsed (default ``ACTIVITY_WINDOW_DAYS``).
    seed : int
        Seed of the Louvain communities (same seed, same communities).
    today : date, optional
        The day to measure from; ``area.today`` when not given.

    Returns
    -------
    OrgNetwork

    Examples
    --------
    >>> from betterway_map.domain.network.inputs import OrganisationRecord, PartnershipRecord
    >>> day = date(2025, 6, 1)
    >>> area = Area(
    ...     today=day,
    ...     organisations=[OrganisationRecord(1, "Church", "faith"),
    ...                    OrganisationRecord(2, "Surgery", "health"),
    ...                    OrganisationRecord(3, "Library", "public")],
    ...     partnerships=[PartnershipRecord(1, 2, "referral", None, day),
    ...                   PartnershipRecord(2, 3, "joint_work", None, day)],
    ... )
    >>> network = organisation_network(area)
    >>> network.brokers, network.cross_sector_share
    ([(2, 'Surgery', 1.0)], 1.0)
    """
    if window_days < 0:
        raise ValueError(f"window_days must be 0 or more, not {window_days!r}.")
    graph = _org_graph(area, today or area.today, window_days)
    scores, sampled = betweenness(graph, seed=seed)
    # Rounded so that nodes placed alike tie exactly, whatever order the
    # sums were taken in, and are then ordered by id.
    brokers = sorted(
        (
            (node, graph.nodes[node]["name"], round(value, _DIGITS))
            for node, value in scores.items()
            if round(value, _DIGITS) > 0
        ),
        key=lambda broker: (-broker[2], broker[0]),
    )
    communities = (
        nx.community.louvain_communities(graph, weight="weight", seed=seed)
        if graph.number_of_nodes()
        else []
    )
    share, mix = _sectors(graph)
    return OrgNetwork(
        graph=graph,
        components=_largest_first(nx.connected_components(graph)),
        brokers=brokers,
        communities=_largest_first(communities),
        cross_sector_share=share,
        sector_mix=mix,
        sampled_sources=sampled,
        betweenness_error=0.0 if sampled is None else sampling_error(len(graph), sampled),
    )


def organisation_reach(
    area: Area, window_days: int = ACTIVITY_WINDOW_DAYS, today: date | None = None
) -> dict[int, int]:
    """How many people each organisation reaches: the people who actively
    attend any of its groups, by the network's own rule for an active
    attendance (``edges.attends_actively``: a member seen within the
    window), each person counted once however many of its groups they go to.

    A count of people: it is published only through ``domain.suppression``.

    >>> from betterway_map.domain.network.inputs import (
    ...     AttendanceRecord, GroupRecord, OrganisationRecord, PersonRecord)
    >>> day = date(2025, 6, 1)
    >>> area = Area(
    ...     today=day,
    ...     people=[PersonRecord(p, "P", None, None, None, None) for p in (1, 2)],
    ...     organisations=[OrganisationRecord(7, "Church", "faith"),
    ...                    OrganisationRecord(8, "Library", "public")],
    ...     groups=[GroupRecord(1, 7, "Lunch", None, None, None, "active"),
    ...             GroupRecord(2, 7, "Choir", None, None, None, "active")],
    ...     attendances=[AttendanceRecord(1, 1, "member", None, day),
    ...                  AttendanceRecord(1, 2, "member", None, day),
    ...                  AttendanceRecord(2, 2, "member", None, date(2024, 1, 1))],
    ... )
    >>> organisation_reach(area)
    {7: 1, 8: 0}
    """
    today = today or area.today
    people = {p.id for p in area.people}
    run_by = {g.id: g.organisation_id for g in area.groups}
    reached: dict[int, set[int]] = {o.id: set() for o in area.organisations}
    for attendance in area.attendances:
        organisation = run_by.get(attendance.group_id)
        if (
            organisation in reached
            and attendance.person_id in people
            and attends_actively(attendance, today, window_days)
        ):
            reached[organisation].add(attendance.person_id)
    return {organisation: len(found) for organisation, found in reached.items()}
