"""Betweenness over sparse matrices (``betweenness``) against networkx.

Seeded random graphs of several shapes (sparse, dense, disconnected, with
isolated nodes and a self-loop), exact and sampled with the same seed, and
the stated error of a sample against the exact values.
"""

from __future__ import annotations

import networkx as nx
import pytest

from betterway_map.domain.network.betweenness import betweenness, sampling_error


def _graph(shape: str, seed: int) -> nx.Graph:
    if shape == "sparse":
        graph = nx.gnm_random_graph(200, 260, seed=seed)
    elif shape == "dense":
        graph = nx.gnm_random_graph(120, 2_000, seed=seed)
    elif shape == "communities":
        graph = nx.planted_partition_graph(6, 25, 0.3, 0.01, seed=seed)
    else:  # pieces: two components, isolated nodes and a self-loop
        graph = nx.disjoint_union(nx.barabasi_albert_graph(80, 2, seed=seed), nx.cycle_graph(9))
        graph.add_nodes_from(range(500, 505))
        graph.add_edge(3, 3)
    return nx.relabel_nodes(graph, {node: f"org-{node}" for node in graph})


@pytest.mark.parametrize("shape", ["sparse", "dense", "communities", "pieces"])
@pytest.mark.parametrize("seed", range(3))
def test_exact_values_are_networkx_values(shape, seed):
    graph = _graph(shape, seed)
    ours, sampled = betweenness(graph)
    assert sampled is None
    assert ours == pytest.approx(nx.betweenness_centrality(graph), abs=1e-12)


@pytest.mark.parametrize("shape", ["sparse", "communities", "pieces"])
def test_a_sample_is_networkx_sample_with_the_same_seed(shape):
    graph = _graph(shape, 1)
    ours, sampled = betweenness(graph, k=40, seed=7)
    assert sampled == 40
    expected = nx.betweenness_centrality(graph, k=40, seed=7)
    assert ours == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("sources", [30, 60, 120])
def test_a_sample_is_within_its_stated_error(sources):
    graph = _graph("communities", 2)
    exact, _ = betweenness(graph)
    estimate, _ = betweenness(graph, k=sources, seed=42)
    worst = max(abs(estimate[node] - exact[node]) for node in graph)
    assert 0 < worst <= sampling_error(len(graph), sources)


def test_the_stated_error_shrinks_with_more_sources():
    assert sampling_error(5_000, 4_000) < sampling_error(5_000, 1_000) < sampling_error(5_000, 100)
    assert sampling_error(5_000, 5_000) == 0.0


def test_as_many_sources_as_nodes_is_exact():
    graph = _graph("sparse", 0)
    assert betweenness(graph, k=len(graph), seed=1) == betweenness(graph)


def test_the_middle_of_a_star_carries_every_path():
    scores, _ = betweenness(nx.star_graph(4))
    assert scores == {0: 1.0, 1: 0.0, 2: 0.0, 3: 0.0, 4: 0.0}


@pytest.mark.parametrize("graph", [nx.DiGraph([(1, 2)]), nx.MultiGraph([(1, 2)])])
def test_only_simple_undirected_graphs(graph):
    with pytest.raises(ValueError, match="undirected simple graph"):
        betweenness(graph)


def test_zero_sources_is_refused():
    with pytest.raises(ValueError, match="k must be 1 or more sources, not 0"):
        betweenness(nx.path_graph(5), k=0)


def test_a_big_organisation_network_says_its_brokers_are_sampled(monkeypatch):
    from datetime import date

    from betterway_map.domain.network import betweenness as module
    from betterway_map.domain.network.inputs import Area, OrganisationRecord, PartnershipRecord
    from betterway_map.domain.network.organisation_network import organisation_network

    day = date(2025, 6, 1)
    graph = _graph("communities", 0)
    numbers = {node: i + 1 for i, node in enumerate(graph)}
    area = Area(
        today=day,
        organisations=[OrganisationRecord(i, f"Org {i}", "voluntary") for i in numbers.values()],
        partnerships=[
            PartnershipRecord(numbers[u], numbers[v], "joint_work", None, day)
            for u, v in graph.edges()
        ],
    )
    exact = organisation_network(area)
    assert (exact.sampled_sources, exact.betweenness_error) == (None, 0.0)
    monkeypatch.setattr(module, "EXACT_NODES", 100)
    monkeypatch.setattr(module, "SAMPLED_SOURCES", 60)
    sampled = organisation_network(area)
    assert sampled.sampled_sources == 60
    assert sampled.betweenness_error == sampling_error(150, 60)
    scores = dict((org, value) for org, _, value in exact.brokers)
    for org, _, value in sampled.brokers:
        assert abs(value - scores.get(org, 0.0)) <= sampled.betweenness_error
