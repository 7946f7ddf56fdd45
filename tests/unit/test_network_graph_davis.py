"""The Davis Southern Women network as a real person-group network.

Davis, Gardner and Gardner (1941) recorded 18 women at 14 social events in
Natchez, Mississippi: 89 attendances. networkx ships it as a bipartite
graph. Here the women become people, the events groups and every
attendance an active membership; the network code must then agree with the
known facts and with networkx's own bipartite projection.
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from betterway_map.domain.network.graph import build_graph, people_projection
from betterway_map.domain.network.inputs import Area, AttendanceRecord, GroupRecord, PersonRecord
from betterway_map.domain.network.isolation import assess_people, connectors

TODAY = date(2025, 6, 1)


@pytest.fixture(scope="module")
def davis():
    original = nx.davis_southern_women_graph()
    women = original.graph["top"]
    events = original.graph["bottom"]
    woman_id = {name: i for i, name in enumerate(women, start=1)}
    event_id = {name: i for i, name in enumerate(events, start=1)}
    area = Area(
        today=TODAY,
        people=[PersonRecord(woman_id[w], w, None, None, None, None) for w in women],
        groups=[GroupRecord(event_id[e], 1, e, None, None, None, "active") for e in events],
        attendances=[
            AttendanceRecord(woman_id[w], event_id[e], "member", None, TODAY)
            for w, e in (pair if pair[0] in woman_id else pair[::-1] for pair in original.edges())
        ],
    )
    return original, women, woman_id, area


def test_graph_has_the_known_size(davis):
    """18 women, 14 events, 89 attendances, all active."""
    _, _, _, area = davis
    graph = build_graph(area)
    kinds = [kind for _, kind in graph.nodes(data="kind")]
    assert (kinds.count("person"), kinds.count("group")) == (18, 14)
    attends = [d for _, _, d in graph.edges(data=True) if d["kind"] == "attends"]
    assert len(attends) == 89
    assert all(d["active"] for d in attends)


def test_evelyn_jefferson_attended_eight_events(davis):
    _, _, woman_id, area = davis
    graph = build_graph(area)
    assert graph.degree(("person", woman_id["Evelyn Jefferson"])) == 8


def test_women_projection_equals_networkx_weighted_projection(davis):
    """Two women are linked by the number of events both attended."""
    original, women, woman_id, area = davis
    expected = nx.bipartite.weighted_projected_graph(original, women)
    ours = people_projection(build_graph(area))
    as_ids = {
        (frozenset({("person", woman_id[u]), ("person", woman_id[v])}), d["weight"])
        for u, v, d in expected.edges(data=True)
    }
    assert {(frozenset({u, v}), d["weight"]) for u, v, d in ours.edges(data=True)} == as_ids
    assert ours.number_of_nodes() == 18


def test_everyone_is_connected(davis):
    """Every woman went to at least two events: nobody is isolated or weak."""
    _, _, _, area = davis
    statuses = {a.status for a in assess_people(area).values()}
    assert statuses == {"connected"}


def test_active_ties_count_events_attended(davis):
    _, _, woman_id, area = davis
    found = assess_people(area)
    assert found[woman_id["Evelyn Jefferson"]].active_ties == {"group": 8}
    assert found[woman_id["Olivia Carleton"]].active_ties == {"group": 2}


def test_connectors_match_networkx_betweenness(davis):
    """On the whole person-event network every node's betweenness is exact and
    the first connector is the node networkx ranks highest."""
    original, _, _, area = davis
    exact = nx.betweenness_centrality(original)
    best = max(exact, key=exact.get)
    found = connectors(area, top=40)
    assert found[0].name == best
    assert found[0].betweenness == pytest.approx(exact[best])
    assert {c.name for c in found} == {n for n, v in exact.items() if v > 0}
