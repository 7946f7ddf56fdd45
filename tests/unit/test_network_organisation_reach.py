"""An organisation's reach (``organisation_reach``): the people who actively
attend its groups, each counted once, by the network's rule for an active
attendance."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    OrganisationRecord,
    PersonRecord,
)
from betterway_map.domain.network.organisation_network import organisation_reach

TODAY = date(2025, 6, 1)
RECENT = TODAY - timedelta(days=10)
LONG_AGO = TODAY - timedelta(days=200)


def _area(attendances) -> Area:
    # Organisation 7 runs groups 1 and 2; organisation 8 runs group 3.
    return Area(
        today=TODAY,
        people=[PersonRecord(p, "P", None, None, None, None) for p in (1, 2, 3)],
        organisations=[
            OrganisationRecord(7, "Church", "faith"),
            OrganisationRecord(8, "Hub", "public"),
        ],
        groups=[
            GroupRecord(1, 7, "Lunch", None, None, None, "active"),
            GroupRecord(2, 7, "Choir", None, None, None, "active"),
            GroupRecord(3, 8, "Walks", None, None, None, "active"),
        ],
        attendances=[
            AttendanceRecord(p, g, status, None, day) for p, g, status, day in attendances
        ],
    )


@pytest.mark.parametrize(
    ("attendances", "expected"),
    [
        # One person at both of the church's groups is one person reached.
        ([(1, 1, "member", RECENT), (1, 2, "member", RECENT)], {7: 1, 8: 0}),
        # Two people at one group, one at the hub's.
        (
            [(1, 1, "member", RECENT), (2, 1, "member", RECENT), (3, 3, "member", RECENT)],
            {7: 2, 8: 1},
        ),
        # Not seen within the activity window: lapsed, not reached.
        ([(1, 1, "member", LONG_AGO)], {7: 0, 8: 0}),
        # Left, or only interested: not reached.
        ([(1, 1, "left", RECENT), (2, 3, "interested", RECENT)], {7: 0, 8: 0}),
        # A member never seen attending is not reached either.
        ([(1, 1, "member", None)], {7: 0, 8: 0}),
    ],
)
def test_reach_counts_each_person_actively_attending_once(attendances, expected):
    assert organisation_reach(_area(attendances), window_days=90) == expected
