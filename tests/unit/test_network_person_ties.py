"""The array summary of people's ties (``person_ties``) against the graph.

``assess_people`` reads each person's ties from numpy columns unless it is
given a graph; both must give every person the same assessment. Seeded
random areas (with repeated records, self-ties, ties to people off the
register, undated and future-dated records) and Hypothesis' small areas.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings

from betterway_map.domain.network.graph import build_graph
from betterway_map.domain.network.inputs import Area, AttendanceRecord, PersonRecord, TieRecord
from betterway_map.domain.network.isolation import assess_people, at_risk, person_statuses
from betterway_map.domain.network.person_ties import tie_summary
from tests.factories.synthetic_area import synthetic_area
from tests.unit.test_network_people_properties import areas

DAY = date(2025, 6, 1)


def _with_awkward_records(area: Area) -> Area:
    """The area with records the rules must drop or merge."""
    first, second = area.people[0].id, area.people[1].id
    extra_ties = [
        TieRecord(first, "friend", "weekly", None, other_person_id=first),  # self-tie
        TieRecord(first, "friend", "weekly", DAY, other_person_id=10**6),  # off the register
        TieRecord(second, "friend", "daily", DAY, other_person_id=first),  # the other side
        TieRecord(first, "friend", "never", DAY + timedelta(days=3), other_person_id=second),
        TieRecord(10**6, "family", "daily", DAY, other_person_id=first),  # from nobody
    ]
    extra_attendances = [
        AttendanceRecord(first, area.groups[0].id, "left", None, DAY),
        AttendanceRecord(first, area.groups[0].id, "member", None, DAY - timedelta(days=200)),
        AttendanceRecord(first, 10**6, "member", None, DAY),  # no such group
        AttendanceRecord(second, area.groups[0].id, "interested", None, DAY),
    ]
    return replace(
        area,
        ties=area.ties + extra_ties,
        attendances=area.attendances + extra_attendances,
        people=area.people + [PersonRecord(10**7, "Nobody", None, None, None, None)],
    )


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("window_days", [0, 30, 90])
def test_arrays_and_graph_assess_everyone_alike(seed, window_days):
    area = _with_awkward_records(
        synthetic_area(people=400, groups=30, spaces=20, organisations=10, seed=seed)
    )
    graph = build_graph(area, window_days, DAY)
    by_graph = assess_people(area, window_days, DAY, graph=graph)
    by_arrays = assess_people(area, window_days, DAY)
    assert by_arrays == by_graph
    assert sum(1 for a in by_arrays.values() if a.status == "isolated") > 0


@settings(max_examples=150, deadline=None)
@given(areas())
def test_arrays_and_graph_agree_on_small_areas(area):
    assert assess_people(area) == assess_people(area, graph=build_graph(area))


def test_a_tie_recorded_from_both_sides_is_one_edge_with_the_latest_day():
    area = Area(
        DAY,
        people=[PersonRecord(i, "P", None, None, None, None) for i in (1, 2)],
        ties=[
            TieRecord(1, "friend", "weekly", DAY - timedelta(days=200), other_person_id=2),
            TieRecord(2, "friend", "weekly", DAY - timedelta(days=10), other_person_id=1),
        ],
    )
    assert tie_summary(area, 90, DAY).row(1) == ({"friend": 1}, DAY - timedelta(days=10), 1)


def test_an_empty_area_has_no_rows():
    assert len(tie_summary(Area(DAY), 90, DAY).ids) == 0


@pytest.mark.parametrize("seed", range(4))
def test_statuses_for_the_report_are_the_assessments_statuses(seed):
    area = _with_awkward_records(
        synthetic_area(people=300, groups=20, spaces=10, organisations=5, seed=seed)
    )
    graph = build_graph(area, 90, DAY)
    assessed = assess_people(area, 90, DAY, graph=graph)
    statuses = person_statuses(area, 90, DAY)
    assert {pid: (s.status, s.direct) for pid, s in statuses.items()} == {
        pid: (a.status, a.direct) for pid, a in assessed.items()
    }
    assert {pid for pid, s in statuses.items() if at_risk(s)} == {
        pid for pid, a in assessed.items() if at_risk(a)
    }
    assert len({s.status for s in statuses.values()}) == 4
