"""Loneliness and active ties before and after, on hand-built histories."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from betterway_map.domain.measures import change
from betterway_map.domain.measures.records import MeasureRecord, Relationship
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    PersonRecord,
    TieRecord,
)

START = date(2025, 3, 1)
TODAY = date(2025, 12, 1)


def test_the_pair_is_the_latest_before_and_the_first_after_the_follow_up():
    measures = [
        MeasureRecord(1, date(2025, 1, 1), ucla_total=9),
        MeasureRecord(1, date(2025, 2, 20), ucla_total=8),  # latest before: 8
        MeasureRecord(1, date(2025, 4, 1), ucla_total=3),  # too soon (under 12 weeks)
        MeasureRecord(1, date(2025, 6, 1), ucla_total=6),  # first after: 6
        MeasureRecord(1, date(2025, 9, 1), ucla_total=4),
    ]
    assert change.loneliness_pairs({1: START}, measures, "ucla_total") == {1: (8, 6)}


def test_no_pair_without_a_measure_before():
    measures = [MeasureRecord(1, date(2025, 6, 1), ucla_total=6)]
    assert change.loneliness_pairs({1: START}, measures, "ucla_total") == {}


def test_the_direct_question_is_ranked():
    measures = [
        MeasureRecord(1, START, direct="often_always"),
        MeasureRecord(1, date(2025, 7, 1), direct="occasionally"),
    ]
    assert change.loneliness_pairs({1: START}, measures, "direct") == {1: (4, 2)}


def _matches(n):
    return [Relationship(("match", i), i, 100, START) for i in range(n)]


def test_loneliness_change_by_kind_and_measure():
    # Six people: UCLA 8 -> 6 for four, 7 -> 7 for one, 5 -> 8 for one.
    pairs = [(8, 6)] * 4 + [(7, 7), (5, 8)]
    measures = []
    for person, (before, after) in enumerate(pairs):
        measures.append(MeasureRecord(person, START, ucla_total=before))
        measures.append(MeasureRecord(person, date(2025, 7, 1), ucla_total=after))
    figures = {
        (f.kind, f.measure): f for f in change.loneliness_change(_matches(6), measures, min_count=5)
    }
    ucla = figures[("match", "ucla_total")]
    assert ucla.people == 6
    assert ucla.mean_before == 44 / 6 and ucla.mean_after == 39 / 6
    assert ucla.mean_change == (39 - 44) / 6
    # 4 improved, 1 same, 1 worse: the small parts go, and with them the rest.
    assert (ucla.improved, ucla.same, ucla.worse) == (None, None, None)
    assert figures[("group", "ucla_total")].people is None


def test_shares_of_improved_shown_when_each_part_is_large_enough():
    measures = []
    for person in range(10):
        after = 5 if person < 5 else 9
        measures.append(MeasureRecord(person, START, ucla_total=7))
        measures.append(MeasureRecord(person, date(2025, 7, 1), ucla_total=after))
    (ucla,) = [
        f
        for f in change.loneliness_change(_matches(10), measures, min_count=5)
        if (f.kind, f.measure) == ("match", "ucla_total")
    ]
    assert (ucla.improved, ucla.same, ucla.worse) == (0.5, None, 0.5)


def test_improved_people_reads_ucla_then_djg_then_direct():
    measures = [
        MeasureRecord(1, START, ucla_total=8),
        MeasureRecord(1, date(2025, 7, 1), ucla_total=6),
        MeasureRecord(2, START, djg_total=5),
        MeasureRecord(2, date(2025, 7, 1), djg_total=5),
        MeasureRecord(3, START, direct="never"),
        MeasureRecord(3, date(2025, 7, 1), direct="often_always"),
    ]
    rels = [Relationship(("match", p), p, 100, START) for p in (1, 2, 3, 4)]
    assert change.improved_people(rels, measures) == {1: True, 2: False, 3: False}


def _area():
    people = [PersonRecord(i, "", None, None, None, None) for i in (1, 2, 100)]
    return Area(
        today=TODAY,
        people=people,
        groups=[GroupRecord(7, 1, "", None, None, None, "active")],
        attendances=[
            # Joined the group a month after the match started, still going.
            AttendanceRecord(1, 7, "member", START + timedelta(days=30), TODAY),
        ],
        ties=[
            # A daughter recorded before, in touch weekly (no date): active throughout.
            TieRecord(1, "family", "weekly", None, None, 1),
        ],
        matches=[MatchRecord(100, 1, START, None, TODAY - timedelta(days=3))],
    )


def test_active_ties_as_at_a_day_count_only_what_had_begun():
    index = change.NetworkIndex(_area(), {1: date(2024, 1, 1)})
    # Before the match: the daughter only.
    assert index.active_ties(1, START - timedelta(days=1), 90) == 1
    # Twelve weeks after: the daughter, the group and the match.
    assert index.active_ties(1, START + timedelta(weeks=12), 90) == 3


def test_a_tie_recorded_later_is_not_counted_before():
    index = change.NetworkIndex(_area(), {1: date(2025, 5, 1)})
    assert index.active_ties(1, START - timedelta(days=1), 90) == 0


def test_network_change_over_people():
    area = _area()
    # Five people like person 1 (ids 1..5), each with their own daughter and match.
    people = [PersonRecord(i, "", None, None, None, None) for i in (1, 2, 3, 4, 5, 100)]
    area = Area(
        today=TODAY,
        people=people,
        groups=area.groups,
        attendances=[
            AttendanceRecord(p, 7, "member", START + timedelta(days=30), TODAY) for p in range(1, 6)
        ],
        ties=[TieRecord(p, "family", "weekly", None, None, p) for p in range(1, 6)],
        matches=[MatchRecord(100, p, START, None, TODAY) for p in range(1, 6)],
    )
    rels = [Relationship(("match", p), p, 100, START) for p in range(1, 6)]
    index = change.NetworkIndex(area, {p: date(2024, 1, 1) for p in range(1, 6)})
    (match_figure, group_figure) = change.network_change(rels, index, TODAY, min_count=5)
    assert (match_figure.mean_before, match_figure.mean_after) == (1.0, 3.0)
    assert match_figure.improved == 1.0
    assert group_figure.people is None  # no group relationships given


def _count_by_edges(index, person_id, day, window):
    from betterway_map.domain.network.edges import PERSON_EDGE_KINDS, edges

    node = ("person", person_id)
    return sum(
        1
        for e in edges(index.as_at(person_id, day), window, today=day)
        if e.active and e.kind in PERSON_EDGE_KINDS and node in (e.u, e.v)
    )


_days = st.dates(date(2024, 1, 1), date(2025, 12, 31))


@given(
    attendances=st.lists(
        st.tuples(
            st.sampled_from([1, 2]),
            st.sampled_from([7, 8]),
            st.sampled_from(["member", "left", "interested"]),
            st.none() | _days,
            st.none() | _days,
        ),
        max_size=5,
    ),
    ties=st.lists(
        st.tuples(
            st.sampled_from([1, 2]),
            st.sampled_from(["family", "friend"]),
            st.sampled_from(["daily", "weekly", "monthly", "less", "never"]),
            st.none() | _days,
            st.none() | st.sampled_from([1, 2, 3]),
        ),
        max_size=5,
    ),
    matches=st.lists(
        st.tuples(
            st.sampled_from([1, 2, 3]),
            st.sampled_from([1, 2]),
            _days,
            st.none() | _days,
            st.none() | _days,
        ),
        max_size=4,
    ),
    day=_days,
)
def test_the_fast_count_is_the_network_definition(attendances, ties, matches, day):
    area = Area(
        today=TODAY,
        people=[PersonRecord(i, "", None, None, None, None) for i in (1, 2, 3)],
        groups=[GroupRecord(g, 1, "", None, None, None, "active") for g in (7, 8)],
        attendances=[AttendanceRecord(*a) for a in attendances],
        ties=[TieRecord(*t, id=i) for i, t in enumerate(ties)],
        matches=[MatchRecord(*m) for m in matches],
    )
    index = change.NetworkIndex(area)
    for person in (1, 2):
        assert index.active_ties(person, day, 30) == _count_by_edges(index, person, day, 30)
