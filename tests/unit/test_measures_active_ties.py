"""Today's active ties over arrays (``ties.active_tie_people``) agree with
the network's own edges (``domain.network.edges``), and the array
``MeasureSeries`` with the one built from records."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.domain.measures import change
from betterway_map.domain.measures.records import MeasureRecord
from betterway_map.domain.measures.ties import (
    FREQUENCY_CODES,
    NO_DAY,
    STATUS_CODES,
    active_tie_people,
    codes,
)
from betterway_map.domain.network.edges import PERSON_EDGE_KINDS, edges
from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    PersonRecord,
    TieRecord,
)

TODAY = date(2026, 3, 1)
WINDOW = 90
days = st.one_of(st.none(), st.integers(-200, 20).map(lambda n: TODAY + timedelta(days=n)))
ids = st.integers(1, 8)  # 1..6 are people, 7 and 8 are not
attendance = st.builds(
    AttendanceRecord,
    ids,
    st.integers(1, 3),
    st.sampled_from(["member", "left", "interested"]),
    days,
    days,
)
tie = st.builds(
    TieRecord,
    ids,
    st.sampled_from(["family", "friend"]),
    st.sampled_from(["daily", "weekly", "monthly", "less", "never"]),
    days,
    st.one_of(st.none(), ids),
)
match = st.builds(
    MatchRecord,
    ids,
    ids,
    st.integers(-300, 0).map(lambda n: TODAY + timedelta(days=n)),
    days,
    days,
)


def _ordinals(values):
    return np.array([NO_DAY if d is None else d.toordinal() for d in values], dtype=np.int64)


@settings(max_examples=200, deadline=None)
@given(st.lists(attendance, max_size=8), st.lists(tie, max_size=8), st.lists(match, max_size=6))
def test_active_tie_people_agree_with_the_edges(attendances, ties, matches):
    ties = [
        TieRecord(t.person_id, t.kind, t.contact_frequency, t.last_contact_on, t.other_person_id, i)
        for i, t in enumerate(ties, start=1)
    ]
    people = [PersonRecord(i, "", None, None, None, None) for i in range(1, 7)]
    groups = [GroupRecord(g, 1, "", None, None, None, "active") for g in (1, 2)]  # not 3
    area = Area(
        TODAY, people=people, groups=groups, attendances=attendances, ties=ties, matches=matches
    )
    expected = set()
    for e in edges(area, WINDOW):
        if e.active and e.kind in PERSON_EDGE_KINDS:
            expected.update(node_id for kind, node_id in (e.u, e.v) if kind == "person")
    found = active_tie_people(
        TODAY,
        WINDOW,
        np.arange(1, 7),
        np.array([1, 2]),
        attendances={
            "person": np.array([a.person_id for a in attendances], dtype=np.int64),
            "group": np.array([a.group_id for a in attendances], dtype=np.int64),
            "status": codes([a.status for a in attendances], STATUS_CODES),
            "last": _ordinals([a.last_attended_on for a in attendances]),
        },
        ties={
            "person": np.array([t.person_id for t in ties], dtype=np.int64),
            "other": np.array(
                [-1 if t.other_person_id is None else t.other_person_id for t in ties],
                dtype=np.int64,
            ),
            "frequency": codes([t.contact_frequency for t in ties], FREQUENCY_CODES),
            "last": _ordinals([t.last_contact_on for t in ties]),
        },
        matches={
            "person": np.array([m.person_id for m in matches], dtype=np.int64),
            "volunteer": np.array([m.volunteer_id for m in matches], dtype=np.int64),
            "started": _ordinals([m.started_on for m in matches]),
            "ended": _ordinals([m.ended_on for m in matches]),
            "last": _ordinals([m.last_contact_on for m in matches]),
        },
    )
    assert set(found.tolist()) == expected


measure = st.builds(
    MeasureRecord,
    st.integers(1, 4),
    st.integers(0, 400).map(lambda n: date(2025, 1, 1) + timedelta(days=n)),
    st.one_of(st.none(), st.integers(3, 9)),
    st.one_of(st.none(), st.sampled_from(sorted(change.DIRECT_RANK))),
    st.one_of(st.none(), st.integers(0, 6)),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(measure, max_size=30), st.integers(0, 400))
def test_array_series_give_the_pairs_of_the_records(measures, offset):
    start = date(2025, 1, 1) + timedelta(days=offset)
    series = change.MeasureSeries.from_columns(
        np.array([m.person_id for m in measures], dtype=np.int64),
        np.array([m.measured_on.toordinal() for m in measures], dtype=np.int64),
        {
            "ucla_total": np.array(
                [-1 if m.ucla_total is None else m.ucla_total for m in measures], dtype=np.int64
            ),
            "direct": np.array(
                [-1 if m.direct is None else change.DIRECT_RANK[m.direct] for m in measures],
                dtype=np.int64,
            ),
            "djg_total": np.array(
                [-1 if m.djg_total is None else m.djg_total for m in measures], dtype=np.int64
            ),
        },
    )
    persons = np.arange(1, 5)
    for name in change.MEASURES:
        expected = change.loneliness_pairs({p: start for p in range(1, 5)}, measures, name)
        found, before, after = series.pairs(persons, np.full(4, start.toordinal()), name)
        got = {
            int(p): (int(b), int(a)) for p, b, a in zip(persons[found], before[found], after[found])
        }
        assert got == expected
