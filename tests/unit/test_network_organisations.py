"""The organisation network: links, components, brokers, communities, sectors.

Small sets of organisations drawn by hand; today is 1 June 2025, window 90
days. The expected answer is worked out in each docstring.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    OrganisationRecord,
    PartnershipRecord,
    PersonRecord,
    SpaceRecord,
)
from betterway_map.domain.network.organisation_network import organisation_network
from tests.factories.synthetic_area import synthetic_area

TODAY = date(2025, 6, 1)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def orgs(*sectors: str) -> list[OrganisationRecord]:
    return [OrganisationRecord(i, f"O{i}", s) for i, s in enumerate(sectors, start=1)]


def partner(a: int, b: int, kind="joint_work", days=10) -> PartnershipRecord:
    return PartnershipRecord(a, b, kind, None, ago(days))


def edge_kinds(network) -> dict:
    return {tuple(sorted((u, v))): d["kinds"] for u, v, d in network.graph.edges(data=True)}


def test_partnerships_and_referrals_link_organisations_while_active():
    """O1-O2 joint work (active), O2-O3 referral (active), O3-O4 joint work
    last active 91 days ago (lapsed, no edge)."""
    a = Area(
        today=TODAY,
        organisations=orgs("faith", "health", "public", "business"),
        partnerships=[partner(1, 2), partner(2, 3, "referral"), partner(3, 4, days=91)],
    )
    assert edge_kinds(organisation_network(a)) == {(1, 2): {"partnership"}, (2, 3): {"referral"}}


def test_shared_space_links_the_organisations_whose_groups_meet_there():
    """Space 5 belongs to O1; O2 and O3 run groups there; O4's group met there
    but has ended. So O1, O2 and O3 are pairwise linked by the space."""
    a = Area(
        today=TODAY,
        organisations=orgs("voluntary", "voluntary", "faith", "public"),
        spaces=[SpaceRecord(5, 1, "Hall", 52.0, -1.5, True, True)],
        groups=[
            GroupRecord(20, 2, "Lunch", 5, 52.0, -1.5, "active"),
            GroupRecord(30, 3, "Choir", 5, 52.0, -1.5, "paused"),
            GroupRecord(40, 4, "Old", 5, 52.0, -1.5, "ended"),
        ],
    )
    assert edge_kinds(organisation_network(a)) == {
        (1, 2): {"shared_space"},
        (1, 3): {"shared_space"},
        (2, 3): {"shared_space"},
    }


def test_shared_volunteer_links_the_organisations_of_their_groups():
    """Volunteer P1 attends O1's and O2's groups; P2 (not a volunteer) attends
    O2's and O3's; volunteer P3 attended O3's group 200 days ago. Only O1-O2."""
    a = Area(
        today=TODAY,
        organisations=orgs("voluntary", "faith", "health"),
        people=[
            PersonRecord(1, "P1", None, None, None, None, is_volunteer=True),
            PersonRecord(2, "P2", None, None, None, None),
            PersonRecord(3, "P3", None, None, None, None, is_volunteer=True),
        ],
        groups=[GroupRecord(g, g // 10, f"G{g}", None, None, None, "active") for g in (10, 20, 30)],
        attendances=[
            AttendanceRecord(1, 10, "member", None, ago(5)),
            AttendanceRecord(1, 20, "member", None, ago(5)),
            AttendanceRecord(2, 20, "member", None, ago(5)),
            AttendanceRecord(2, 30, "member", None, ago(5)),
            AttendanceRecord(3, 10, "member", None, ago(5)),
            AttendanceRecord(3, 30, "member", None, ago(200)),
        ],
    )
    assert edge_kinds(organisation_network(a)) == {(1, 2): {"shared_volunteer"}}


def test_links_of_several_kinds_add_up():
    a = Area(
        today=TODAY,
        organisations=orgs("faith", "health"),
        partnerships=[partner(1, 2), partner(2, 1, "referral")],
    )
    data = organisation_network(a).graph.edges[1, 2]
    assert (data["weight"], data["kinds"]) == (2, {"partnership", "referral"})


# Two triangles {1, 2, 3} and {5, 6, 7}, joined only through O4.
CLUSTERS = [(1, 2), (2, 3), (1, 3), (5, 6), (6, 7), (5, 7), (3, 4), (4, 5)]


def two_clusters(extra_orgs: int = 0) -> Area:
    return Area(
        today=TODAY,
        organisations=orgs(*["voluntary"] * (7 + extra_orgs)),
        partnerships=[partner(a, b) for a, b in CLUSTERS],
    )


def test_broker_between_two_clusters_comes_first():
    """Of the 6 x 5 / 2 = 15 pairs not involving O4, the 3 x 3 = 9 across the
    clusters all pass through O4: 9 / 15 = 0.6. O3 carries the pairs between
    {O1, O2} and {O4, O5, O6, O7}: 2 x 4 = 8, so 8 / 15; O5 likewise; the
    others lie on no shortest path."""
    network = organisation_network(two_clusters())
    assert network.brokers[0] == (4, "O4", pytest.approx(0.6))
    assert [b[0] for b in network.brokers] == [4, 3, 5]
    assert network.brokers[1][2] == pytest.approx(8 / 15)


def test_components_are_largest_first_and_keep_lone_organisations():
    network = organisation_network(two_clusters(extra_orgs=2))
    assert network.components == [{1, 2, 3, 4, 5, 6, 7}, {8}, {9}]


def test_louvain_finds_the_two_clusters_and_repeats_with_its_seed():
    """The two triangles are the communities (O4 goes with one of them); the
    same seed gives the same answer every time."""
    area = two_clusters()
    first = organisation_network(area, seed=7).communities
    assert [len(c) for c in first] == [4, 3]
    assert {frozenset(c) for c in first} in (
        {frozenset({1, 2, 3, 4}), frozenset({5, 6, 7})},
        {frozenset({1, 2, 3}), frozenset({4, 5, 6, 7})},
    )
    assert all(organisation_network(area, seed=7).communities == first for _ in range(5))


def test_seeded_louvain_repeats_on_a_bigger_network():
    area = synthetic_area(people=2_000, groups=200, spaces=200, organisations=60, seed=5)
    first = organisation_network(area, seed=11).communities
    assert len(first) > 1
    assert organisation_network(area, seed=11).communities == first


def test_cross_sector_share_of_four_organisations():
    """O1 faith, O2 health, O3 faith, O4 informal. Edges: O1-O2 (faith-health,
    across), O1-O3 (faith-faith, within), O2-O3 (health-faith, across),
    O3-O4 (informal: not one of the five sectors, left out of the share).
    Share = 2 of 3 = 2/3; the sector mix counts all four edges."""
    a = Area(
        today=TODAY,
        organisations=orgs("faith", "health", "faith", "informal"),
        partnerships=[partner(1, 2), partner(1, 3), partner(2, 3), partner(3, 4)],
    )
    network = organisation_network(a)
    assert network.cross_sector_share == pytest.approx(2 / 3)
    assert network.sector_mix == {
        ("faith", "faith"): 1,
        ("faith", "health"): 2,
        ("faith", "informal"): 1,
    }


def test_no_edges_means_no_share_not_zero():
    a = Area(today=TODAY, organisations=orgs("faith", "health"))
    network = organisation_network(a)
    assert (network.cross_sector_share, network.brokers, network.sector_mix) == (None, [], {})
    assert network.communities == [{1}, {2}]


def test_empty_area():
    network = organisation_network(Area(today=TODAY))
    assert (network.components, network.communities, network.brokers) == ([], [], [])


@pytest.mark.parametrize("window", [-1, -30])
def test_negative_window_is_refused(window):
    with pytest.raises(ValueError, match=str(window)):
        organisation_network(two_clusters(), window_days=window)
