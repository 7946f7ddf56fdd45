"""People: status from active ties, reasons in words, a worker's list by need.

Today is 1 June 2025 and the window 90 days. Every area is built by hand;
the expected answer is worked out in each docstring.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    PersonRecord,
    TieRecord,
)
from betterway_map.domain.network.isolation import assess_people, at_risk, by_need

TODAY = date(2025, 6, 1)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def person(pid: int, lives_alone=False, **extra) -> PersonRecord:
    return PersonRecord(pid, f"P{pid}", "75-84", 52.0, -1.5, lives_alone, **extra)


def area(people=None, **records) -> Area:
    people = people or [person(1), person(2), person(3)]
    groups = [GroupRecord(g, 1, f"G{g}", None, None, None, "active") for g in (10, 11)]
    return Area(today=TODAY, people=people, groups=groups, **records)


def attends(pid, gid=10, days=5, status="member"):
    return AttendanceRecord(pid, gid, status, None, ago(days))


def tie(pid, kind="friend", days=5, other=None, frequency="weekly"):
    return TieRecord(pid, kind, frequency, ago(days) if days is not None else None, other)


@pytest.mark.parametrize(
    ("records", "status"),
    [
        ({}, "isolated"),
        ({"ties": [tie(1, days=91)], "attendances": [attends(1, days=200)]}, "isolated"),
        ({"attendances": [attends(1, status="interested")]}, "isolated"),
        ({"ties": [tie(1, "professional")]}, "professionals_only"),
        ({"ties": [tie(1, "professional"), tie(1, "professional")]}, "professionals_only"),
        ({"ties": [tie(1, "friend")]}, "weak"),
        ({"attendances": [attends(1)]}, "weak"),
        ({"matches": [MatchRecord(2, 1, ago(10), None, ago(3))]}, "weak"),
        ({"ties": [tie(1, "professional"), tie(1, "neighbour")]}, "connected"),
        ({"ties": [tie(1, "family")], "attendances": [attends(1, 11)]}, "connected"),
        ({"ties": [tie(1, "friend"), tie(1, "friend", days=300)]}, "weak"),
    ],
    ids=[
        "nothing",
        "only-lapsed",
        "only-interested",
        "one-professional",
        "two-professionals",
        "one-friend",
        "one-group",
        "one-volunteer-match",
        "professional-and-neighbour",
        "family-and-group",
        "one-active-one-lapsed",
    ],
)
def test_status_comes_from_active_ties(records, status):
    """Isolated: no active tie; professionals only: every active tie is
    professional (groups and volunteer matches are not); weak: exactly one;
    connected: more."""
    assert assess_people(area(**records))[1].status == status


def test_volunteer_in_an_active_match_has_a_tie_too():
    found = assess_people(area(matches=[MatchRecord(2, 1, ago(10), None, ago(3))]))
    assert found[2].active_ties == {"match": 1}


def test_tie_with_another_person_on_the_register_counts_for_both():
    """Ann records Bob as a friend; Bob recorded nothing, but he is not isolated."""
    found = assess_people(area(ties=[tie(1, other=2)]))
    assert (found[1].active_ties, found[2].active_ties) == ({"friend": 1}, {"friend": 1})


def test_active_ties_are_counted_by_kind():
    records = {
        "ties": [tie(1, "family"), tie(1, "family", frequency="daily"), tie(1, "neighbour")],
        "attendances": [attends(1, 10), attends(1, 11), attends(1, 11, status="left")],
    }
    assert assess_people(area(**records))[1].active_ties == {
        "family": 2,
        "neighbour": 1,
        "group": 2,
    }


@pytest.mark.parametrize(
    ("records", "reason"),
    [
        ({}, "no ties recorded"),
        ({"ties": [tie(1, days=125)]}, "no active ties for 4 months"),
        ({"ties": [tie(1, days=800)]}, "no active ties for 2 years"),
        (
            {"ties": [tie(1, days=None, frequency="less")]},
            "no active ties (date of last contact not known)",
        ),
        ({"ties": [tie(1, "professional")]}, "only in touch with paid workers or organisations"),
        ({"attendances": [attends(1)]}, "only one active tie: a group"),
        ({"ties": [tie(1, "family"), tie(1, "family")]}, "2 active ties: 2 family members"),
        (
            {"ties": [tie(1, "friend")], "attendances": [attends(1)]},
            "2 active ties: a friend, a group",
        ),
    ],
)
def test_first_reason_says_how_connected(records, reason):
    """125 days before 1 June 2025 is 27 January: 4 whole months."""
    assert assess_people(area(**records))[1].reasons[0] == reason


def test_reasons_put_isolation_and_loneliness_side_by_side():
    """The issue's example: no active ties for 4 months; lives alone; UCLA-3
    score 8; and the direct answer, each measure with its date."""
    someone = person(1, lives_alone=True, ucla_total=8, direct="often_always", measured_on=ago(1))
    found = assess_people(area([someone], ties=[tie(1, days=125)]))[1]
    assert found.reasons == [
        "no active ties for 4 months",
        "lives alone",
        "UCLA-3 score 8 (31 May 2025)",
        "feels lonely often or always (31 May 2025)",
    ]
    assert (found.ucla_total, found.direct, found.measured_on) == (8, "often_always", ago(1))


def test_no_measure_gives_no_loneliness_reason():
    found = assess_people(area([person(1)], attendances=[attends(1)]))[1]
    assert found.reasons == ["only one active tie: a group"]


@pytest.mark.parametrize(
    ("direct", "words"),
    [("never", "never feels lonely"), ("some_of_the_time", "feels lonely some of the time")],
)
def test_direct_answer_in_words(direct, words):
    found = assess_people(area([person(1, direct=direct)]))[1]
    assert found.reasons[-1] == words


def test_worker_list_is_ordered_by_need():
    """Expected order, worked out:
    1. P5 isolated and lonely often (isolated first, lonely often first);
    2. P4 isolated, UCLA 9;       3. P3 isolated, UCLA 5, lives alone;
    4. P6 isolated, UCLA 5, not alone, never any tie (longest without);
    5. P7 isolated, UCLA 5, not alone, tie lapsed 100 days ago;
    6. P2 professionals only;     7. P1 weak;      8. P8 connected."""
    people = [
        person(1),
        person(2),
        person(3, lives_alone=True, ucla_total=5),
        person(4, ucla_total=9),
        person(5, direct="often_always", ucla_total=3),
        person(6, ucla_total=5),
        person(7, ucla_total=5),
        person(8, direct="often_always", ucla_total=9, lives_alone=True),
    ]
    records = {
        "attendances": [attends(1), attends(8), attends(8, 11)],
        "ties": [tie(2, "professional"), tie(7, days=100)],
    }
    ordered = [a.person_id for a in by_need(assess_people(area(people, **records)).values())]
    assert ordered == [5, 4, 3, 6, 7, 2, 1, 8]


def test_ties_in_need_are_broken_by_id():
    people = [person(3), person(1), person(2)]
    assert [a.person_id for a in by_need(assess_people(area(people)).values())] == [1, 2, 3]


@pytest.mark.parametrize(
    ("records", "direct", "expected"),
    [
        ({}, None, True),
        ({"attendances": [attends(1), attends(1, 11)]}, "often_always", True),
        ({"attendances": [attends(1), attends(1, 11)]}, "some_of_the_time", False),
        ({"ties": [tie(1, "professional")]}, None, False),
    ],
)
def test_at_risk_is_isolated_or_lonely_often(records, direct, expected):
    found = assess_people(area([person(1, direct=direct)], **records))[1]
    assert at_risk(found) is expected


def test_a_built_graph_can_be_reused():
    a = area(ties=[tie(1)], attendances=[attends(2)])
    assert assess_people(a, graph=build_graph(a)) == assess_people(a)


def test_today_and_window_are_settings():
    """Seen 60 days ago: lapsed with a 30-day window, active with 90, and
    lapsed again when measured from 40 days later."""
    a = area(attendances=[attends(1, days=60)])
    assert assess_people(a, window_days=30)[1].status == "isolated"
    assert assess_people(a)[1].status == "weak"
    assert assess_people(a, today=TODAY + timedelta(days=40))[1].status == "isolated"


def test_everyone_is_assessed():
    a = area([person(i) for i in range(1, 51)])
    assert sorted(assess_people(a)) == list(range(1, 51))
