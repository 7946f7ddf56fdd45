"""The network model: one typed multigraph built from the plain records.

The edges and the rules that make them (which records count as active, how
ties are weighted, how repeated records merge) are in ``edges``; this module
puts them in one ``networkx.MultiGraph`` and projects it onto people.
"""

from __future__ import annotations

from datetime import date

import networkx as nx

from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS
from betterway_map.domain.network.edges import edges
from betterway_map.domain.network.inputs import Area

__all__ = ["build_graph", "people_projection"]


def build_graph(
    area: Area, window_days: int = ACTIVITY_WINDOW_DAYS, today: date | None = None
) -> nx.MultiGraph:
    """The whole network of an area as one typed multigraph.

    Parameters
    ----------
    area : Area
        The plain records.
    window_days : int
        Edges last active longer ago than this are lapsed (default ``ACTIVITY_WINDOW_DAYS``).
    today : date, optional
        The day to measure from; ``area.today`` when not given.

    Returns
    -------
    networkx.MultiGraph
        Nodes ``(kind, id)`` with ``kind`` (and ``name``); edges keyed by
        their kind (ties by ``"tie:<tie kind>"``) with ``kind``, ``weight``,
        ``last_active`` and ``active``.

    Examples
    --------
    >>> from betterway_map.domain.network.inputs import PersonRecord, TieRecord
    >>> area = Area(
    ...     today=date(2025, 6, 1),
    ...     people=[PersonRecord(1, "Ann", None, None, None, True),
    ...             PersonRecord(2, "Bob", None, None, None, False)],
    ...     ties=[TieRecord(1, "friend", "weekly", date(2025, 1, 2), other_person_id=2)],
    ... )
    >>> graph = build_graph(area)
    >>> graph.nodes[("person", 1)]["kind"], graph.number_of_edges()
    ('person', 1)
    >>> graph.edges[("person", 1), ("person", 2), "tie:friend"]["active"]
    False
    """
    graph = nx.MultiGraph()
    graph.add_nodes_from(
        (("person", p.id), {"kind": "person", "name": p.first_name}) for p in area.people
    )
    graph.add_nodes_from((("group", g.id), {"kind": "group", "name": g.name}) for g in area.groups)
    graph.add_nodes_from((("space", s.id), {"kind": "space", "name": s.name}) for s in area.spaces)
    graph.add_nodes_from(
        (("organisation", o.id), {"kind": "organisation", "name": o.name, "sector": o.sector})
        for o in area.organisations
    )
    for edge in edges(area, window_days, today):
        if edge.v[0] == "contact":
            graph.add_node(edge.v, kind="contact")
        key = f"tie:{edge.tie_kind}" if edge.kind == "tie" else edge.kind
        graph.add_edge(edge.u, edge.v, key=key, **edge.attributes())
    return graph


def people_projection(graph: nx.MultiGraph) -> nx.Graph:
    """People linked by the groups they actively attend together.

    The edge weight is the number of groups the two share, as in
    ``networkx.bipartite.weighted_projected_graph``; every person is a node.

    >>> g = nx.MultiGraph()
    >>> g.add_nodes_from([("person", 1), ("person", 2)], kind="person")
    >>> g.add_node(("group", 9), kind="group")
    >>> for p in (1, 2):
    ...     _ = g.add_edge(("person", p), ("group", 9), kind="attends", active=True)
    >>> list(people_projection(g).edges(data="weight"))
    [(('person', 1), ('person', 2), 1)]
    """
    projection = nx.Graph()
    projection.add_nodes_from(n for n, kind in graph.nodes(data="kind") if kind == "person")
    for group, kind in graph.nodes(data="kind"):
        if kind != "group":
            continue
        members = sorted(
            {
                other
                for _, other, data in graph.edges(group, data=True)
                if data["kind"] == "attends" and data["active"]
            }
        )
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                if projection.has_edge(first, second):
                    projection[first][second]["weight"] += 1
                else:
                    projection.add_edge(first, second, weight=1)
    return projection
