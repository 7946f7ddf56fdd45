"""Connectors: people and groups that link otherwise separate clusters.

Small networks drawn by hand; P is a person, G a group, and every edge is an
active attendance or tie unless said otherwise.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.domain.network.connectors import connectors, social_graph
from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    PersonRecord,
    TieRecord,
)
from tests.factories.synthetic_area import synthetic_area

TODAY = date(2025, 6, 1)


def make_area(memberships, ties=(), lapsed=()) -> Area:
    """People and groups from ``(person, group)`` pairs, ties ``(a, b)``."""
    people = sorted({p for p, _ in memberships} | {p for t in ties for p in t})
    groups = sorted({g for _, g in memberships})
    return Area(
        today=TODAY,
        people=[PersonRecord(p, f"P{p}", None, None, None, None) for p in people],
        groups=[GroupRecord(g, 1, f"G{g}", None, None, None, "active") for g in groups],
        attendances=[AttendanceRecord(p, g, "member", None, TODAY) for p, g in memberships]
        + [AttendanceRecord(p, g, "member", None, TODAY - timedelta(days=120)) for p, g in lapsed],
        ties=[TieRecord(a, "friend", "weekly", TODAY, other_person_id=b) for a, b in ties],
    )


def club(people, group):
    """Everyone attends ``group`` and everyone knows everyone: no single
    person or group holds the club together."""
    members = [(p, group) for p in people]
    ties = [(a, b) for i, a in enumerate(people) for b in people[i + 1 :]]
    return members, ties


A_MEMBERS, A_TIES = club([1, 2, 3, 4], 10)
B_MEMBERS, B_TIES = club([4, 5, 6, 7], 20)
TWO_CLUBS = make_area(A_MEMBERS + B_MEMBERS, A_TIES + B_TIES)


def test_person_in_two_clubs_is_the_only_connector():
    """P4 is in both clubs; without P4, {P1, P2, P3, G10} and {P5, P6, P7, G20}
    fall apart. Every one of the 4 x 4 = 16 pairs across has all its paths
    through P4, and no other pair needs P4 (inside a club everyone is
    adjacent). Nobody else lies on a shortest path. With 9 nodes the
    normalised betweenness is 16 / (8 x 7 / 2) = 4 / 7. P4 is on no bridge
    (each club is a block with P4 in it)."""
    (found,) = connectors(TWO_CLUBS)
    assert (found.node_kind, found.id, found.name) == ("person", 4, "P4")
    assert found.betweenness == pytest.approx(4 / 7)
    assert (found.parts, found.cut_off, found.bridges, found.exact) == (2, 4, 0, True)
    assert found.reason == (
        "links 2 groups that share no other member; without them 4 others would be cut off"
    )


def test_only_friend_of_someone_is_on_a_bridge():
    """P8 knows only P1: the edge P1-P8 is a bridge, P1 an articulation point
    whose removal leaves P8 alone (parts 2, 1 cut off), P1 attends one group
    only, so the reason names parts, not groups. Betweenness of P1: P8 to
    the 8 others = 8 pairs; P4 still has its 16 plus P8's 4 across = 20."""
    a = make_area(A_MEMBERS + B_MEMBERS, A_TIES + B_TIES + [(1, 8)])
    by_node = {(c.node_kind, c.id): c for c in connectors(a)}
    assert list(by_node) == [("person", 4), ("person", 1)]
    p1 = by_node[("person", 1)]
    assert (p1.bridges, p1.parts, p1.cut_off) == (1, 2, 1)
    assert p1.reason == (
        "the only link between 2 otherwise separate parts of the network;"
        " without them 1 other would be cut off"
    )
    assert by_node[("person", 4)].betweenness == pytest.approx(20 / 36)


def test_group_shared_by_two_circles_is_a_connector():
    """Two circles of friends, {P1, P2, P3} and {P5, P6, P7}; only P1 and P5 go
    to G30. G30 is on every path between P1's circle and P5's, so it is a
    connector, and so are P1 and P5 (P2 and P3 reach G30 only through P1)."""
    a = make_area([(1, 30), (5, 30)], [(1, 2), (2, 3), (1, 3), (5, 6), (6, 7), (5, 7)])
    by_node = {(c.node_kind, c.id): c for c in connectors(a)}
    assert set(by_node) == {("group", 30), ("person", 1), ("person", 5)}
    assert by_node[("group", 30)].reason == (
        "brings together 2 circles of people that have no other link;"
        " without it 3 others would be cut off"
    )
    # G30: 3 x 3 = 9 pairs; P1: {P2, P3} x {G30, P5, P6, P7} = 8 pairs.
    assert [c.id for c in connectors(a)] == [30, 1, 5]


def test_lapsed_edges_make_no_connector():
    """P4's attendance at both clubs lapsed 120 days ago and P4 has no ties:
    the clubs are not linked, and nobody is a connector."""
    a_members, a_ties = club([1, 2, 3], 10)
    b_members, b_ties = club([5, 6, 7], 20)
    a = make_area(a_members + b_members, a_ties + b_ties, lapsed=[(4, 10), (4, 20)])
    assert connectors(a) == []


def test_social_network_leaves_out_contacts_spaces_and_organisations():
    """P1's friend off the register would make P1 look like a connector."""
    a = make_area([(1, 10), (2, 10)])
    a.ties.append(TieRecord(1, "friend", "daily", TODAY))
    social, labels = social_graph(build_graph(a))
    assert sorted(labels) == [("group", 10), ("person", 1), ("person", 2)]
    assert connectors(a)[0].id == 10


@pytest.mark.parametrize("top", [0, 1])
def test_top_limits_the_list(top):
    a = make_area([(1, 30), (5, 30)], [(1, 2), (2, 3), (1, 3), (5, 6), (6, 7), (5, 7)])
    assert len(connectors(a, top=top)) == top


def test_negative_top_is_refused():
    with pytest.raises(ValueError, match="-1"):
        connectors(TWO_CLUBS, top=-1)


def test_sampled_betweenness_repeats_with_its_seed():
    """Above the exact limit (or when samples are asked for) betweenness is
    estimated from seeded sources: the same seed gives the same answer."""
    area = synthetic_area(people=1_500, groups=60, spaces=60, organisations=10, seed=3)
    graph = build_graph(area)
    first = connectors(area, graph=graph, samples=20, seed=7)
    again = connectors(area, graph=graph, samples=20, seed=7)
    assert first == again
    assert first and not first[0].exact


def test_sampled_ranking_keeps_the_exact_articulation_bound():
    """A sample of 4 sources can miss P4's pairs; the exact count of pairs
    P4 separates (16) is kept as a floor, so P4 is still found."""
    (found,) = connectors(TWO_CLUBS, samples=4, seed=1)
    assert found.id == 4
    assert found.betweenness >= 4 / 7 - 1e-9
