"""The network model: typed nodes, and when each kind of edge is active.

Every area here is a handful of records built by hand; the expected answer
is worked out in each test's docstring. Today is 1 June 2025 and the window
90 days, so an activity on 3 March 2025 (90 days before) still counts and
one on 2 March (91 days) has lapsed.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.domain.network.edges import TIE_WEIGHTS, edges, is_recent
from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    OrganisationRecord,
    PartnershipRecord,
    PersonRecord,
    SpaceRecord,
    TieRecord,
)

TODAY = date(2025, 6, 1)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def person(pid: int, **extra) -> PersonRecord:
    return PersonRecord(pid, f"P{pid}", "75-84", 52.0, -1.5, False, **extra)


def group(gid: int, org: int = 1, space: int | None = None, status="active") -> GroupRecord:
    return GroupRecord(gid, org, f"G{gid}", space, None, None, status)


def area(**records) -> Area:
    records.setdefault("people", [person(1), person(2)])
    records.setdefault("groups", [group(10)])
    records.setdefault("organisations", [])  # so no structural edges by default
    return Area(today=TODAY, **records)


def only_edge(a: Area, **kw):
    found = list(edges(a, **kw))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(("days", "active"), [(89, True), (90, True), (91, False)])
def test_attendance_is_active_within_the_window(days, active):
    """A member last seen 89 or 90 days ago is active; 91 days ago has lapsed."""
    a = area(
        groups=[group(10, org=99)], attendances=[AttendanceRecord(1, 10, "member", None, ago(days))]
    )
    edge = only_edge(a)
    assert (edge.kind, edge.active, edge.last_active) == ("attends", active, ago(days))


@pytest.mark.parametrize(("days", "active"), [(89, True), (90, True), (91, False)])
def test_tie_with_a_date_is_active_within_the_window(days, active):
    """A weekly friend last in touch 91 days ago has lapsed whatever the frequency says."""
    a = area(ties=[TieRecord(1, "friend", "weekly", ago(days), other_person_id=2)])
    assert only_edge(a).active is active


@pytest.mark.parametrize(("days", "active"), [(89, True), (90, True), (91, False)])
def test_match_is_active_within_the_window(days, active):
    a = area(matches=[MatchRecord(2, 1, ago(400), None, ago(days))])
    assert only_edge(a).active is active


@pytest.mark.parametrize(("days", "active"), [(89, True), (90, True), (91, False)])
def test_partnership_is_active_within_the_window(days, active):
    a = area(
        groups=[],
        organisations=[OrganisationRecord(1, "A", "faith"), OrganisationRecord(2, "B", "health")],
        partnerships=[PartnershipRecord(1, 2, "joint_work", ago(900), ago(days))],
    )
    assert only_edge(a).active is active


def test_the_window_is_a_setting():
    """With a 30-day window, contact 31 days ago has lapsed; 30 days ago has not."""
    a = area(
        ties=[
            TieRecord(1, "friend", "weekly", ago(30), other_person_id=2),
            TieRecord(1, "family", "weekly", ago(31), other_person_id=2),
        ]
    )
    states = {e.tie_kind: e.active for e in edges(a, window_days=30)}
    assert states == {"friend": True, "family": False}


@pytest.mark.parametrize(
    ("frequency", "active"),
    [("daily", True), ("weekly", True), ("monthly", True), ("less", False), ("never", False)],
)
def test_tie_without_a_date_counts_by_contact_frequency(frequency, active):
    """No last contact date: daily, weekly and monthly are active; less or never lapsed."""
    a = area(ties=[TieRecord(1, "neighbour", frequency, None)])
    edge = only_edge(a)
    assert (edge.active, edge.weight) == (active, TIE_WEIGHTS[frequency])


def test_tie_with_frequency_never_has_lapsed_even_after_recent_contact():
    a = area(ties=[TieRecord(1, "family", "never", ago(3), other_person_id=2)])
    assert only_edge(a).active is False


def test_tie_weights_rise_with_contact_frequency():
    order = ["never", "less", "monthly", "weekly", "daily"]
    assert [TIE_WEIGHTS[f] for f in order] == sorted(TIE_WEIGHTS.values())


@pytest.mark.parametrize(
    ("status", "expected"),
    [("member", [True]), ("left", [False]), ("interested", [])],
)
def test_only_members_attend_and_interest_is_no_tie(status, expected):
    """Interested is no edge at all; left is kept as a lapsed edge (for its date)."""
    a = area(attendances=[AttendanceRecord(1, 10, status, ago(100), ago(5))])
    assert [e.active for e in edges(a) if e.kind == "attends"] == expected


def test_member_never_seen_attending_has_lapsed():
    """Isolation is measured on attendance, not on registration."""
    a = area(attendances=[AttendanceRecord(1, 10, "member", ago(2), None)])
    assert [e.active for e in edges(a) if e.kind == "attends"] == [False]


@pytest.mark.parametrize(
    ("started", "ended", "last", "active"),
    [
        (ago(10), None, None, True),  # new, no contact logged yet: counted from its start
        (ago(200), None, None, False),  # no contact logged for 200 days
        (ago(200), ago(5), ago(6), False),  # ended, however recent
        (ago(200), None, ago(1), True),
    ],
)
def test_match_active_while_not_ended_and_in_touch(started, ended, last, active):
    a = area(matches=[MatchRecord(2, 1, started, ended, last)])
    assert only_edge(a).active is active


def test_partnership_without_last_activity_uses_its_start_and_without_dates_lapses():
    a = area(
        groups=[],
        organisations=[OrganisationRecord(i, f"O{i}", "public") for i in (1, 2, 3)],
        partnerships=[
            PartnershipRecord(1, 2, "referral", ago(20), None),
            PartnershipRecord(2, 3, "joint_work", None, None),
        ],
    )
    found = {(e.kind, e.partnership_kind): e.active for e in edges(a)}
    assert found == {("referral", "referral"): True, ("partnership", "joint_work"): False}


def test_tie_recorded_from_both_sides_is_one_edge_with_the_stronger_state():
    """Ann says weekly, last 200 days ago; Bob says daily, 3 days ago: one active
    friend tie, weight of daily, last active 3 days ago."""
    a = area(
        ties=[
            TieRecord(1, "friend", "weekly", ago(200), other_person_id=2),
            TieRecord(2, "friend", "daily", ago(3), other_person_id=1),
        ]
    )
    edge = only_edge(a)
    assert (edge.active, edge.weight, edge.last_active) == (True, 1.0, ago(3))


def test_graph_has_typed_nodes_and_every_kind_of_edge():
    """Org 1 owns space 5, runs group 10 meeting there; P1 attends, is the friend
    of P2 and of someone off the register, P2 volunteers with P1; org 1
    refers to org 2."""
    a = area(
        organisations=[
            OrganisationRecord(1, "O1", "voluntary"),
            OrganisationRecord(2, "O2", "health"),
        ],
        spaces=[SpaceRecord(5, 1, "Hall", 52.0, -1.5, True, True)],
        groups=[group(10, org=1, space=5)],
        attendances=[AttendanceRecord(1, 10, "member", None, ago(7))],
        ties=[
            TieRecord(1, "friend", "weekly", ago(7), other_person_id=2),
            TieRecord(1, "family", "monthly", None),
        ],
        matches=[MatchRecord(2, 1, ago(30), None, ago(2))],
        partnerships=[PartnershipRecord(1, 2, "referral", None, ago(1))],
    )
    graph = build_graph(a)
    kinds = {node: data["kind"] for node, data in graph.nodes(data=True)}
    assert kinds == {
        ("person", 1): "person",
        ("person", 2): "person",
        ("group", 10): "group",
        ("space", 5): "space",
        ("organisation", 1): "organisation",
        ("organisation", 2): "organisation",
        ("contact", 1): "contact",
    }
    edge_kinds = sorted(data["kind"] for _, _, data in graph.edges(data=True))
    assert edge_kinds == sorted(
        ["attends", "tie", "tie", "match", "meets_at", "runs", "runs", "referral"]
    )
    assert all(
        {"kind", "weight", "last_active", "active"} <= set(data)
        for _, _, data in graph.edges(data=True)
    )
    assert graph.edges[("group", 10), ("space", 5), "meets_at"]["active"] is True


def test_records_pointing_outside_the_area_are_left_out():
    a = area(
        attendances=[AttendanceRecord(1, 99, "member", None, ago(1))],
        ties=[TieRecord(77, "friend", "daily", None), TieRecord(1, "friend", "daily", None, 77)],
        matches=[MatchRecord(88, 1, ago(3), None, None)],
    )
    assert list(edges(a)) == []


def test_today_can_be_given():
    """Seen 100 days before the area's today, but only 80 before the given day."""
    a = area(attendances=[AttendanceRecord(1, 10, "member", None, ago(100))])
    assert only_edge(a).active is False
    assert only_edge(a, today=ago(20)).active is True


@pytest.mark.parametrize("window", [-1, -90])
def test_negative_window_is_refused(window):
    with pytest.raises(ValueError, match=str(window)):
        build_graph(area(), window_days=window)


def test_is_recent_needs_a_date():
    assert is_recent(None, TODAY) is False


@pytest.mark.parametrize(
    "records",
    [
        # Left the group a year ago, rejoined and came last week.
        {
            "attendances": [
                AttendanceRecord(1, 10, "left", None, ago(365)),
                AttendanceRecord(1, 10, "member", None, ago(7)),
            ]
        },
        # An old ended match and a new one with the same volunteer.
        {
            "matches": [
                MatchRecord(2, 1, ago(500), ago(300), ago(301)),
                MatchRecord(2, 1, ago(30), None, ago(7)),
            ]
        },
    ],
    ids=["rejoined-group", "matched-again"],
)
def test_repeated_records_of_one_edge_make_one_active_edge(records):
    """Whichever order the records come in, the pair has one edge, active,
    last active 7 days ago."""
    for ordered in (records, {k: v[::-1] for k, v in records.items()}):
        edge = only_edge(area(**ordered))
        assert (edge.active, edge.last_active) == (True, ago(7))


@pytest.mark.parametrize("order", ["active first", "ended first"])
def test_matches_between_the_same_two_people_either_way_round_are_one_active_edge(order):
    """Person 2 volunteers for person 1 (active, in touch today) and person 1
    once volunteered for person 2 (ended): the graph is undirected, so that is
    one edge between them, and it is active whichever record comes first."""
    active = MatchRecord(2, 1, ago(300), None, TODAY)
    ended = MatchRecord(1, 2, ago(300), ago(2), None)
    matches = [active, ended] if order == "active first" else [ended, active]
    graph = build_graph(area(matches=matches))
    ends = (("person", 1), ("person", 2))
    assert graph.number_of_edges(*ends) == 1
    assert graph.edges[(*ends, "match")]["active"] is True
