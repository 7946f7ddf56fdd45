"""Properties of the network over random small areas (Hypothesis).

An area here is up to 8 people and 3 groups with random attendances, ties
and matches, dated up to 300 days before 1 June 2025 or undated.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.domain.network.connectors import connectors, social_graph
from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    OrganisationRecord,
    PartnershipRecord,
    PersonRecord,
    TieRecord,
)
from betterway_map.domain.network.isolation import STATUSES, assess_people, by_need
from betterway_map.domain.network.organisation_network import organisation_network
from betterway_map.domain.vocab import CONTACT_FREQUENCIES, SECTORS, TIE_KINDS, values

TODAY = date(2025, 6, 1)
WINDOW = 90
RANK = {status: rank for rank, status in enumerate(STATUSES)}
PEOPLE = range(1, 9)
GROUPS = range(1, 4)

person_ids = st.sampled_from(PEOPLE)
days_ago = st.one_of(st.none(), st.integers(0, 300).map(lambda d: TODAY - timedelta(days=d)))
attendances = st.builds(
    AttendanceRecord,
    person_ids,
    st.sampled_from(GROUPS),
    st.sampled_from(["member", "interested", "left"]),
    st.none(),
    days_ago,
)
ties = st.builds(
    TieRecord,
    person_ids,
    st.sampled_from(values(TIE_KINDS)),
    st.sampled_from(values(CONTACT_FREQUENCIES)),
    days_ago,
    st.one_of(st.none(), person_ids),
)
matches = st.builds(
    MatchRecord,
    person_ids,
    person_ids,
    st.just(TODAY - timedelta(days=300)),
    st.one_of(st.none(), st.just(TODAY - timedelta(days=1))),
    days_ago,
)


@st.composite
def areas(draw) -> Area:
    return Area(
        today=TODAY,
        people=[
            PersonRecord(
                p,
                f"P{p}",
                None,
                None,
                None,
                draw(st.booleans()),
                ucla_total=draw(st.one_of(st.none(), st.integers(3, 9))),
                direct=draw(st.sampled_from([None, "often_always", "never"])),
            )
            for p in PEOPLE
        ],
        groups=[GroupRecord(g, 1, f"G{g}", None, None, None, "active") for g in GROUPS],
        attendances=draw(st.lists(attendances, max_size=12)),
        ties=draw(st.lists(ties, max_size=12)),
        matches=draw(st.lists(matches, max_size=4)),
    )


lapsed_records = st.one_of(
    st.builds(
        AttendanceRecord,
        person_ids,
        st.sampled_from(GROUPS),
        st.sampled_from(["member", "left"]),
        st.none(),
        st.integers(WINDOW + 1, 400).map(lambda d: TODAY - timedelta(days=d)),
    ),
    st.builds(
        TieRecord,
        person_ids,
        st.sampled_from(values(TIE_KINDS)),
        st.sampled_from(values(CONTACT_FREQUENCIES)),
        st.integers(WINDOW + 1, 400).map(lambda d: TODAY - timedelta(days=d)),
        st.one_of(st.none(), person_ids),
    ),
    st.builds(
        MatchRecord,
        person_ids,
        person_ids,
        st.just(TODAY - timedelta(days=300)),
        st.just(TODAY - timedelta(days=2)),
        days_ago,
    ),
)


def with_record(area: Area, record) -> Area:
    kind = {AttendanceRecord: "attendances", TieRecord: "ties", MatchRecord: "matches"}
    name = kind[type(record)]
    return replace(area, **{name: [*getattr(area, name), record]})


def ranks(area: Area, **kw) -> dict[int, int]:
    return {pid: RANK[a.status] for pid, a in assess_people(area, **kw).items()}


@settings(max_examples=150, deadline=None)
@given(areas(), person_ids, st.sampled_from(values(TIE_KINDS)), st.one_of(st.none(), person_ids))
def test_adding_an_active_tie_never_makes_anyone_more_isolated(area, pid, kind, other):
    before = ranks(area)
    after = ranks(with_record(area, TieRecord(pid, kind, "weekly", TODAY, other)))
    assert all(after[p] >= before[p] for p in before)


@settings(max_examples=150, deadline=None)
@given(areas(), lapsed_records)
def test_lapsed_records_never_count(area, record):
    before = {p: a.active_ties for p, a in assess_people(area).items()}
    after = {p: a.active_ties for p, a in assess_people(with_record(area, record)).items()}
    assert after == before


@settings(max_examples=100, deadline=None)
@given(areas(), st.integers(0, 200), st.integers(0, 200))
def test_a_longer_window_never_makes_anyone_more_isolated(area, first, second):
    short, long = sorted((first, second))
    before, after = ranks(area, window_days=short), ranks(area, window_days=long)
    assert all(after[p] >= before[p] for p in before)


@settings(max_examples=150, deadline=None)
@given(areas())
def test_status_agrees_with_the_active_ties_and_the_list_puts_need_first(area):
    found = assess_people(area)
    for a in found.values():
        total = sum(a.active_ties.values())
        assert (a.status == "isolated") == (total == 0)
        assert (a.status == "weak") == (total == 1 and set(a.active_ties) != {"professional"})
        assert a.reasons and all(isinstance(r, str) for r in a.reasons)
    statuses = [RANK[a.status] for a in by_need(found.values())]
    assert statuses == sorted(statuses)


@settings(max_examples=100, deadline=None)
@given(areas())
def test_removing_a_connector_that_links_parts_splits_the_network(area):
    social, labels = social_graph(build_graph(area))
    number = {label: n for n, label in enumerate(labels)}
    pieces = nx.number_connected_components(social)
    for c in connectors(area, top=100):
        assert c.betweenness > 0
        without = social.copy()
        without.remove_node(number[(c.node_kind, c.id)])
        assert nx.number_connected_components(without) == pieces - 1 + c.parts


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(values(SECTORS)), min_size=1, max_size=8),
    st.lists(st.tuples(st.integers(1, 8), st.integers(1, 8), days_ago), max_size=15),
    st.integers(0, 1000),
)
def test_organisation_network_is_consistent(sectors, links, seed):
    orgs = [OrganisationRecord(i, f"O{i}", s) for i, s in enumerate(sectors, start=1)]
    area = Area(
        today=TODAY,
        organisations=orgs,
        partnerships=[PartnershipRecord(a, b, "joint_work", None, day) for a, b, day in links],
    )
    network = organisation_network(area, seed=seed)
    ids = {o.id for o in orgs}
    for partition in (network.components, network.communities):
        assert set().union(*partition) == ids
        assert sum(len(p) for p in partition) == len(ids)
    share = network.cross_sector_share
    assert share is None or 0 <= share <= 1
    assert sum(network.sector_mix.values()) == network.graph.number_of_edges()
    assert organisation_network(area, seed=seed).communities == network.communities
