"""Betweenness centrality of an unweighted, undirected graph, over sparse matrices.

Brandes' algorithm, many sources at once: the breadth-first searches from a
batch of sources are one sparse matrix (the adjacency) times a dense block
(one column per source), level by level; the counts of shortest paths
(sigma) come out of the same products, and the dependencies are summed back
level by level the same way. The answer is networkx's
``betweenness_centrality(graph, normalized=True)`` (unweighted, endpoints
not counted), to rounding, in a fraction of the time: the work is in
``scipy.sparse`` and numpy, not in a Python loop over every edge of every
search (``tests/unit/test_network_betweenness.py`` compares the two on
seeded random graphs).

Exact up to ``EXACT_NODES`` nodes. Above that it is estimated from ``k``
sources sampled with a fixed seed, scaled as networkx scales its own
sample (``k=``, ``seed=``: the same sources, the same estimate), with a
stated error: every node's estimate is within ``sampling_error(n, k)`` of
its exact value with probability at least 99% (Hoeffding's inequality for
sampling without replacement, with a union bound over the nodes: each
source's dependency on a node, divided by n - 2, lies in [0, 1], and the
normalised betweenness is their mean over the other n - 1 nodes).
"""

from __future__ import annotations

import math
import random

import networkx as nx
import numpy as np
from scipy import sparse

__all__ = ["EXACT_NODES", "SAMPLED_SOURCES", "CONFIDENCE", "betweenness", "sampling_error"]

# Exact for every graph up to this many nodes; sampled above, where exact
# work grows with the square of the nodes (5,000 organisations with 84,000
# links: 16 s exact, a fifth of that from 1,000 sources; benchmarks/README.md).
EXACT_NODES = 2_500
SAMPLED_SOURCES = 1_000
# The probability that the stated error holds for every node at once.
CONFIDENCE = 0.99
# Sources searched together: memory is a few (nodes x BATCH) float arrays.
_BATCH_CELLS = 4_000_000


def sampling_error(nodes: int, sources: int, confidence: float = CONFIDENCE) -> float:
    """The largest error of any node's sampled normalised betweenness, at ``confidence``.

    ``sqrt(ln(2 n / (1 - confidence)) / (2 (k - 1)))``; 0 when every node is a source.

    >>> round(sampling_error(10_000, 2_000), 4)
    0.0602
    >>> sampling_error(50, 50)
    0.0
    """
    if sources >= nodes:
        return 0.0
    if sources < 2:
        return 1.0
    return math.sqrt(math.log(2 * nodes / (1 - confidence)) / (2 * (sources - 1)))


def _dependencies(adjacency: sparse.csr_matrix, sources: np.ndarray) -> np.ndarray:
    """Sum over ``sources`` of each node's dependency (Brandes' delta), sources excluded."""
    n = adjacency.shape[0]
    columns = np.arange(len(sources))
    sigma = np.zeros((n, len(sources)))
    sigma[sources, columns] = 1.0
    depth = np.full((n, len(sources)), -1, dtype=np.int32)
    depth[sources, columns] = 0
    # The first step from each source is its own column of the adjacency.
    reached = adjacency[:, sources].toarray()
    level = 0
    while True:
        reached[depth >= 0] = 0.0
        found = reached > 0
        if not found.any():
            break
        level += 1
        depth[found] = level
        sigma += reached
        reached = adjacency @ reached
    delta = np.zeros_like(sigma)
    # Down to the sources' neighbours: what would flow on to the sources
    # themselves is not counted (a source's own dependency is left out).
    for d in range(level, 1, -1):
        at_d = depth == d
        share = np.where(at_d, (1.0 + delta) / np.where(at_d, sigma, 1.0), 0.0)
        back = adjacency @ share
        at_before = depth == d - 1
        delta[at_before] += (sigma * back)[at_before]
    return delta.sum(axis=1)


def betweenness(
    graph: nx.Graph, k: int | None = None, seed: int | None = None
) -> tuple[dict, int | None]:
    """Normalised betweenness of every node, and the sources sampled (None: exact).

    Parameters
    ----------
    graph : networkx.Graph
        Undirected; weights are ignored (every edge is one step).
    k : int, optional
        Sources to sample; by default exact up to ``EXACT_NODES`` nodes and
        ``SAMPLED_SOURCES`` above. ``k`` at least the number of nodes is exact.
    seed : int, optional
        Seed of the sample (the same sources as networkx's ``seed=``).

    Examples
    --------
    The middle of a path of three lies on the only path between the ends:

    >>> betweenness(nx.path_graph(3))
    ({0: 0.0, 1: 1.0, 2: 0.0}, None)
    """
    if graph.is_directed() or graph.is_multigraph():
        raise ValueError("betweenness needs an undirected simple graph (networkx.Graph)")
    nodes = list(graph)
    n = len(nodes)
    if k is None and n > EXACT_NODES:
        k = SAMPLED_SOURCES
    if k is not None and k < 1:
        raise ValueError(f"k must be 1 or more sources, not {k!r}")
    sampled = None if k is None or k >= n else k
    if n <= 2:
        return dict.fromkeys(nodes, 0.0), None
    adjacency = nx.to_scipy_sparse_array(graph, nodelist=nodes, weight=None, format="csr")
    adjacency = sparse.csr_matrix(adjacency, dtype=np.float64)
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    if sampled is None:
        sources = np.arange(n)
    else:
        position = {node: i for i, node in enumerate(nodes)}
        chosen = random.Random(seed).sample(nodes, sampled)
        sources = np.array([position[node] for node in chosen], dtype=np.int64)
    batch = max(1, _BATCH_CELLS // n)
    total = np.zeros(n)
    for start in range(0, len(sources), batch):
        total += _dependencies(adjacency, sources[start : start + batch])
    if sampled is None:
        scale = np.full(n, 1.0 / ((n - 1) * (n - 2)))
    else:
        # As networkx scales a sample: a source has no dependency on itself,
        # so its value is the mean over the other k - 1 sources.
        scale = np.full(n, 1.0 / (sampled * (n - 2)))
        scale[sources] = 1.0 / ((sampled - 1) * (n - 2)) if sampled > 1 else math.nan
    values = total * scale
    return dict(zip(nodes, values.tolist(), strict=True)), sampled
