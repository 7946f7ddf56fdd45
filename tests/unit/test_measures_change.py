"""Loneliness and active ties before and after, on hand-built histories."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from betterway_map.domain.measures import change
from betterway_map.domain.measures.records import MeasureRecord, Relationship
from betterway_map.domain.measures.ties import NetworkIndex, network_change
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
    index = NetworkIndex(_area(), {1: date(2024, 1, 1)})
    # Before the match: the daughter only.
    assert index.active_ties(1, START - timedelta(days=1), 90) == 1
    # Twelve weeks after: the daughter, the group and the match.
    assert index.active_ties(1, START + timedelta(weeks=12), 90) == 3


def test_a_tie_recorded_later_is_not_counted_before():
    index = NetworkIndex(_area(), {1: date(2025, 5, 1)})
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
    index = NetworkIndex(area, {p: date(2024, 1, 1) for p in range(1, 6)})
    (match_figure, group_figure) = network_change(rels, index, TODAY, min_count=5)
    assert (match_figure.mean_before, match_figure.mean_after) == (1.0, 3.0)
    assert match_figure.improved == 1.0
    assert group_figure.people is None  # no group relationships given


def _as_at(area, person_id, day, recorded_on):
    """The person's records as at ``day``, as ``domain.measures.ties`` reads
    them: begun by then, later activity taken to have gone on through it."""
    attendances = []
    for a in area.attendances:
        if a.person_id != person_id or (a.since is not None and a.since > day):
            continue
        if a.last_attended_on is not None and a.last_attended_on > day:
            status = "member" if a.status == "left" else a.status
            a = replace(a, status=status, last_attended_on=day)
        attendances.append(a)
    found_ties, others = [], {person_id}
    for t in area.ties:
        if t.id in recorded_on and recorded_on[t.id] > day:
            continue
        if person_id in (t.person_id, t.other_person_id):
            if t.last_contact_on is not None and t.last_contact_on > day:
                t = replace(t, last_contact_on=day)
            found_ties.append(t)
            others.update(p for p in (t.person_id, t.other_person_id) if p is not None)
    matches = []
    for m in area.matches:
        if person_id in (m.person_id, m.volunteer_id) and m.started_on <= day:
            ended = m.ended_on if m.ended_on is not None and m.ended_on <= day else None
            last = m.last_contact_on
            last = day if last is not None and last > day else last
            matches.append(replace(m, ended_on=ended, last_contact_on=last))
            others.update((m.person_id, m.volunteer_id))
    groups = {g.id: g for g in area.groups}
    return Area(
        today=day,
        people=[PersonRecord(p, "", None, None, None, None) for p in sorted(others)],
        groups=[groups[a.group_id] for a in attendances if a.group_id in groups],
        attendances=attendances,
        ties=found_ties,
        matches=matches,
    )


def _count_by_edges(area, person_id, day, window, recorded_on):
    from betterway_map.domain.network.edges import PERSON_EDGE_KINDS, edges

    node = ("person", person_id)
    return sum(
        1
        for e in edges(_as_at(area, person_id, day, recorded_on), window, today=day)
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
    recorded=st.lists(st.none() | _days, min_size=5, max_size=5),
    days=st.lists(_days, min_size=1, max_size=3),
)
def test_the_fast_count_is_the_network_definition(attendances, ties, matches, recorded, days):
    area = Area(
        today=TODAY,
        people=[PersonRecord(i, "", None, None, None, None) for i in (1, 2, 3)],
        groups=[GroupRecord(g, 1, "", None, None, None, "active") for g in (7, 8)],
        attendances=[AttendanceRecord(*a) for a in attendances],
        ties=[TieRecord(*t, id=i) for i, t in enumerate(ties)],
        matches=[MatchRecord(*m) for m in matches],
    )
    recorded_on = {i: day for i, day in enumerate(recorded) if day is not None}
    index = NetworkIndex(area, recorded_on)
    # Every person at every day, asked all at once.
    asked = [(person, day) for person in (1, 2) for day in days]
    found = index.active_ties_at(
        np.array([p for p, _ in asked]), np.array([d.toordinal() for _, d in asked]), 30
    )
    expected = [_count_by_edges(area, p, d, 30, recorded_on) for p, d in asked]
    assert found.tolist() == expected
