"""Connectors: people and groups that link otherwise separate clusters.

For workers looking for community connectors. The network read here is the
*active* social network: people and groups, joined by active attendance,
active ties between two people on the register and active matches (ties
with people off the register, spaces and organisations are left out).

A connector is a person or group with betweenness above zero, ranked by
how many pairs of others depend on them. Two measures feed that rank:

* articulation points, exactly, in linear time (biconnected components):
  removing one splits its part of the network into ``parts`` pieces; every
  pair of nodes in different pieces has all its paths through it, so the
  number of such pairs is a lower bound of its betweenness;
* betweenness centrality (Brandes, networkx): exact for networks of up to
  ``EXACT_BETWEENNESS_NODES`` nodes; above that it is estimated from a
  seeded sample of sources (``k=``), sized so the work stays about
  ``SAMPLE_WORK`` edge visits, and raised to the exact lower bound where
  that is higher. ``Connector.exact`` says which.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import networkx as nx

from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS
from betterway_map.domain.network.edges import PERSON_EDGE_KINDS
from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import Area

__all__ = [
    "EXACT_BETWEENNESS_NODES",
    "SAMPLE_WORK",
    "Connector",
    "social_graph",
    "connectors",
]

EXACT_BETWEENNESS_NODES = 1_000
# Sampled betweenness does one breadth-first search per source; this bounds
# sources x (nodes + edges) so a 100,000-person area takes seconds.
SAMPLE_WORK = 1_000_000
_MIN_SAMPLES = 4
_SOCIAL_KINDS = frozenset({"person", "group"})


@dataclass(frozen=True, slots=True)
class Connector:
    """A person or group that links parts of the network.

    ``betweenness`` is normalised (0 to 1); ``bridges`` counts the edges at
    this node whose removal would disconnect the network; ``parts`` is the
    number of pieces its part of the network falls into without it (1 when
    it is not an articulation point); ``cut_off`` how many people and groups
    would lose their way to the largest of those pieces.
    """

    node_kind: str
    id: int
    name: str
    betweenness: float
    bridges: int
    reason: str
    parts: int = 1
    cut_off: int = 0
    exact: bool = True


def social_graph(graph: nx.MultiGraph) -> tuple[nx.Graph, list[tuple]]:
    """The active person-group network inside the whole network.

    Nodes are numbered (networkx runs much faster on integers than on
    tuples); the list gives the ``(kind, id)`` of each number.

    >>> g = nx.MultiGraph()
    >>> g.add_nodes_from([("person", 1), ("person", 2), ("person", 3)], kind="person")
    >>> _ = g.add_edge(("person", 1), ("person", 2), kind="tie", active=False)
    >>> _ = g.add_edge(("person", 2), ("person", 3), kind="match", active=True)
    >>> social, labels = social_graph(g)
    >>> [(labels[u], labels[v]) for u, v in social.edges()]
    [(('person', 2), ('person', 3))]
    """
    number: dict[tuple, int] = {}
    pairs = []
    for u, v, data in graph.edges(data=True):
        if (
            data["active"]
            and data["kind"] in PERSON_EDGE_KINDS
            and u[0] in _SOCIAL_KINDS
            and v[0] in _SOCIAL_KINDS
        ):
            pairs.append((number.setdefault(u, len(number)), number.setdefault(v, len(number))))
    social = nx.Graph()
    social.add_nodes_from(range(len(number)))
    social.add_edges_from(pairs)
    return social, list(number)


def _part_sizes(blocks: list[set], cut_points: set) -> dict:
    """For every articulation point, the sizes of the pieces left without it.

    Walks the block-cut tree: a block weighs its nodes that are not
    articulation points, an articulation point weighs one.
    """
    tree = nx.Graph()
    weight = {}
    for index, block in enumerate(blocks):
        weight[("block", index)] = sum(1 for node in block if node not in cut_points)
        tree.add_node(("block", index))
        for node in block:
            if node in cut_points:
                weight[("cut", node)] = 1
                tree.add_edge(("block", index), ("cut", node))
    sizes: dict = {}
    for component in nx.connected_components(tree):
        root = next(iter(component))
        order = list(nx.dfs_preorder_nodes(tree, root))
        parent = nx.dfs_predecessors(tree, root)
        below = {node: weight[node] for node in order}
        for node in reversed(order):
            if node in parent:
                below[parent[node]] += below[node]
        total = below[root]
        for node in order:
            if node[0] != "cut":
                continue
            pieces = [below[child] for child in tree[node] if parent.get(child) == node]
            if node != root:
                pieces.append(total - below[node])
            sizes[node[1]] = pieces
    return sizes


def _reason(node, social, labels, node_blocks, blocks, pieces) -> str:
    if not pieces:
        return "lies on many of the shortest paths between other people and groups"
    cut_off = sum(pieces) - max(pieces)
    others = "other" if cut_off == 1 else "others"
    tail = f"; without them {cut_off} {others} would be cut off"
    if labels[node][0] == "group":
        return (
            f"brings together {len(pieces)} circles of people that have no other link"
            + tail.replace("them", "it")
        )
    groups = [n for n in social[node] if labels[n][0] == "group"]
    with_group = sum(1 for i in node_blocks if any(g in blocks[i] for g in groups))
    if with_group >= 2:
        return f"links {with_group} groups that share no other member" + tail
    return f"the only link between {len(pieces)} otherwise separate parts of the network" + tail


def _betweenness(graph: nx.Graph, seed: int, samples: int | None) -> tuple[dict, bool]:
    n = graph.number_of_nodes()
    if samples is None and n <= EXACT_BETWEENNESS_NODES:
        return nx.betweenness_centrality(graph, normalized=False), True
    if samples is None:
        samples = SAMPLE_WORK // (n + graph.number_of_edges())
    samples = min(n, max(_MIN_SAMPLES, samples))
    if samples >= n:
        return nx.betweenness_centrality(graph, normalized=False), True
    return nx.betweenness_centrality(graph, k=samples, normalized=False, seed=seed), False


def connectors(
    area: Area,
    window_days: int = ACTIVITY_WINDOW_DAYS,
    top: int = 20,
    *,
    today: date | None = None,
    graph: nx.MultiGraph | None = None,
    seed: int = 42,
    samples: int | None = None,
) -> list[Connector]:
    """The people and groups that hold the active network together.

    Parameters
    ----------
    area : Area
        The plain records.
    window_days : int
        Ties last active longer ago than this are lapsed (default ``ACTIVITY_WINDOW_DAYS``).
    top : int
        How many to return, most important first.
    today : date, optional
        The day to measure from; ``area.today`` when not given.
    graph : networkx.MultiGraph, optional
        ``build_graph(area, window_days, today)`` if already built.
    seed : int
        Seed of the sampled betweenness on big networks (repeatable).
    samples : int, optional
        Number of sampled sources; by default exact up to
        ``EXACT_BETWEENNESS_NODES`` nodes, sized by ``SAMPLE_WORK`` above.

    Returns
    -------
    list of Connector
        Ranked by the pairs of others that depend on them (betweenness,
        raised to the exact articulation count), then bridges, kind and id.

    Examples
    --------
    >>> from betterway_map.domain.network.inputs import (
    ...     AttendanceRecord, GroupRecord, PersonRecord)
    >>> day = date(2025, 6, 1)
    >>> area = Area(
    ...     today=day,
    ...     people=[PersonRecord(i, f"P{i}", None, None, None, False) for i in (1, 2, 3)],
    ...     groups=[GroupRecord(g, 1, f"G{g}", None, None, None, "active") for g in (7, 8)],
    ...     attendances=[AttendanceRecord(p, g, "member", None, day)
    ...                  for p, g in [(1, 7), (2, 7), (2, 8), (3, 8)]],
    ... )
    >>> [(c.node_kind, c.id) for c in connectors(area)]
    [('person', 2), ('group', 7), ('group', 8)]
    >>> connectors(area)[0].reason
    'links 2 groups that share no other member; without them 2 others would be cut off'
    """
    if top < 0:
        raise ValueError(f"top must be 0 or more, not {top!r}.")
    if graph is None:
        graph = build_graph(area, window_days, today)
    names = dict(graph.nodes(data="name"))
    social, labels = social_graph(graph)
    n = social.number_of_nodes()
    blocks = [set(block) for block in nx.biconnected_components(social)]
    node_blocks: dict = {}
    for index, block in enumerate(blocks):
        for node in block:
            node_blocks.setdefault(node, []).append(index)
    cut_points = {node for node, found in node_blocks.items() if len(found) > 1}
    pieces = _part_sizes(blocks, cut_points)
    raw, exact = _betweenness(social, seed, samples)
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    ranked = []
    for node, estimate in raw.items():
        sizes = pieces.get(node, [])
        split = (sum(sizes) ** 2 - sum(s * s for s in sizes)) / 2
        score = max(estimate, split)
        if score <= 0:
            continue
        bridges = sum(1 for i in node_blocks.get(node, ()) if len(blocks[i]) == 2)
        ranked.append((-score, -bridges, labels[node], node, sizes))
    ranked.sort()
    return [
        Connector(
            node_kind=labels[node][0],
            id=labels[node][1],
            name=names.get(labels[node]) or "",
            betweenness=-score * scale,
            bridges=-bridges,
            reason=_reason(node, social, labels, node_blocks.get(node, ()), blocks, sizes),
            parts=max(len(sizes), 1),
            cut_off=(sum(sizes) - max(sizes)) if sizes else 0,
            exact=exact,
        )
        for score, bridges, _, node, sizes in ranked[:top]
    ]
