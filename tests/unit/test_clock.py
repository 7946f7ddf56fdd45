"""``domain.clock``: UK wall-clock time for schedules, whatever the server's zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from betterway_map.domain.clock import UK, now_in_uk, today_in_uk, uk_wall_clock


@pytest.mark.parametrize(
    ("utc", "wall_clock"),
    [
        # Winter: the UK keeps GMT, so the wall clock is UTC.
        (datetime(2025, 1, 15, 9, 30, tzinfo=UTC), datetime(2025, 1, 15, 9, 30)),
        # Summer: BST is an hour ahead.
        (datetime(2025, 7, 15, 9, 30, tzinfo=UTC), datetime(2025, 7, 15, 10, 30)),
        # 30 March 2025, 01:00 UTC: the clocks go forward from 01:00 to 02:00.
        (datetime(2025, 3, 30, 1, 0, tzinfo=UTC), datetime(2025, 3, 30, 2, 0)),
        # Late evening UTC in summer is already tomorrow in the UK.
        (datetime(2025, 7, 15, 23, 30, tzinfo=UTC), datetime(2025, 7, 16, 0, 30)),
    ],
)
def test_uk_wall_clock_follows_british_summer_time(utc, wall_clock):
    assert uk_wall_clock(utc) == wall_clock


def test_now_in_uk_is_naive_uk_time():
    now = now_in_uk()
    assert now.tzinfo is None
    assert abs(now - datetime.now(UK).replace(tzinfo=None)) < timedelta(minutes=1)


def test_today_in_uk_is_the_date_of_now_in_uk():
    before, today, after = now_in_uk().date(), today_in_uk(), now_in_uk().date()
    assert today in (before, after)  # either side of midnight, if the test straddles it
