"""The pure parts of nearby search (no app, no database): geometry, rounding,
and the shortcuts to a group's next meeting."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betterway_map.domain.clock import UK
from betterway_map.domain.geo.distance import (
    OFFER_MARGIN_KM,
    approximate_km,
    bounding_box,
    coarse_point,
    distance_km,
    next_radius_km,
    part_of_day,
    sort_key,
)
from betterway_map.domain.schedule.meetings import (
    NO_CHANGES,
    Cancellation,
    Changes,
    Extra,
    Move,
    meetings,
)
from betterway_map.domain.schedule.recurrence import Schedule, next_meetings, schedule_of
from betterway_map.places.results import Shown, _next_meeting
from betterway_map.places.search import fast_forward


# (A draw stalled past the one-second health check once on a busy machine: only speed.)
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    lat=st.floats(-89.5, 89.5),
    lon=st.floats(-180, 180),
    radius_km=st.floats(0.01, 50),
    bearing=st.floats(0, 360),
)
def test_box_contains_every_point_of_the_geodesic_circle(lat, lon, radius_km, bearing):
    edge = Geodesic.WGS84.Direct(lat, lon, bearing, radius_km * 1000)
    assert bounding_box(lat, lon, radius_km).contains(edge["lat2"], edge["lon2"])


@pytest.mark.parametrize("lat", [49.9, 55.0, 60.9])
def test_box_is_barely_wider_than_the_circle_in_the_uk(lat):
    """The box is a prefilter: it holds the circle with little to spare."""
    box = bounding_box(lat, -2.0, 10.0)
    reach = [Geodesic.WGS84.Direct(lat, -2.0, bearing, 10_000) for bearing in range(0, 360)]
    height = max(p["lat2"] for p in reach) - min(p["lat2"] for p in reach)
    width = max(p["lon2"] for p in reach) - min(p["lon2"] for p in reach)
    west, east = box.longitudes[0]
    assert 1 < (box.north - box.south) / height < 1.01
    assert 1 < (east - west) / width < 1.03


def test_box_across_the_antimeridian_has_two_longitude_ranges():
    box = bounding_box(0.0, 179.99, 5.0)
    assert box.contains(0.0, -179.99) and box.contains(0.0, 179.98)
    assert not box.contains(0.0, 0.0)


def test_box_near_a_pole_takes_every_longitude():
    assert bounding_box(89.99, 10.0, 5.0).longitudes == ((-180.0, 180.0),)


@given(
    a=st.tuples(st.floats(49.9, 60.9), st.floats(-8, 2)),
    b=st.tuples(st.floats(49.9, 60.9), st.floats(-8, 2)),
)
def test_distance_is_geopys_geodesic_exactly(a, b):
    assert distance_km(*a, *b) == geodesic(a, b).km


def test_equal_distances_sort_groups_then_spaces_then_offers_then_by_id():
    rows = [(1.0, "offer", 1), (1.0, "space", 2), (1.0, "group", 3), (1.0, "space", 1)]
    assert sorted(rows, key=lambda r: sort_key(*r)) == [
        (1.0, "group", 3),
        (1.0, "space", 1),
        (1.0, "space", 2),
        (1.0, "offer", 1),
    ]


@pytest.mark.parametrize(
    "km, shown", [(0.0, 0.5), (0.2, 0.5), (0.5, 0.5), (0.51, 1.0), (1.2, 1.5), (9.99, 10.0)]
)
def test_approximate_distance_rounds_up_to_the_next_half_kilometre(km, shown):
    assert approximate_km(km) == shown


@given(lat=st.floats(49.9, 60.9), lon=st.floats(-8, 2))
def test_a_blurred_home_stays_within_the_offer_margin(lat, lon):
    assert distance_km(lat, lon, *coarse_point(lat, lon)) <= OFFER_MARGIN_KM


def test_homes_in_one_cell_blur_to_the_same_point():
    assert coarse_point(51.5011, -0.1211) == coarse_point(51.5089, -0.1289)


@pytest.mark.parametrize(
    "start, part",
    [(time(0), "morning"), (time(11, 59), "morning"), (time(12), "afternoon"),
     (time(16, 59), "afternoon"), (time(17), "evening"), (time(23, 30), "evening")],
)  # fmt: skip
def test_part_of_day_follows_the_start_time(start, part):
    assert part_of_day(start) == part


@pytest.mark.parametrize(
    "radius, wider", [(0.1, 0.5), (0.5, 1.0), (2, 5.0), (20, 50.0), (50, None)]
)
def test_next_radius_steps_up(radius, wider):
    assert next_radius_km(radius) == wider


# The rules a group may have (what ``Schedule`` accepts; ``nth`` counts only monthly).
_RULES = {
    "frequency": st.sampled_from(["weekly", "fortnightly", "monthly"]),
    "weekday": st.sampled_from(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]),
    "nth": st.sampled_from([1, 2, 3, 4, -1]),
}


@settings(max_examples=100, deadline=None)
@given(
    **_RULES,
    starts_on=st.dates(date(2018, 1, 1), date(2027, 12, 31)),
    lasts_days=st.one_of(st.none(), st.integers(0, 4000)),
    now=st.datetimes(datetime(2024, 1, 1), datetime(2028, 1, 1)),
)
def test_fast_forward_keeps_the_next_meetings(frequency, weekday, nth, starts_on, lasts_days, now):
    ends_on = None if lasts_days is None else starts_on + timedelta(days=lasts_days)
    schedule = Schedule(frequency, weekday, time(10), time(11), starts_on, nth, ends_on)
    quick = fast_forward(schedule, now.date())
    assert next_meetings(quick, now, 3) == next_meetings(schedule, now, 3)


@settings(max_examples=200, deadline=None)
@given(
    **_RULES,
    start=st.sampled_from([time(0), time(9, 30), time(14), time(23)]),
    starts_on=st.dates(date(2018, 1, 1), date(2027, 12, 31)),
    lasts_days=st.one_of(st.none(), st.integers(0, 4000)),
    now=st.datetimes(datetime(2024, 1, 1), datetime(2028, 1, 1)),
)
def test_the_next_meeting_worked_out_once_a_day_is_the_next_meeting(
    frequency, weekday, nth, start, starts_on, lasts_days, now
):
    ends_on = None if lasts_days is None else starts_on + timedelta(days=lasts_days)
    end = time(start.hour, 59)
    row = SimpleNamespace(frequency=frequency, weekday=weekday, start_time=start, end_time=end,
                          starts_on=starts_on, nth=nth, ends_on=ends_on)  # fmt: skip
    # A group without changes: the same meeting as the group's page shows.
    expected = meetings(schedule_of(row), NO_CHANGES, now, 1)
    assert _next_meetings_kept(row, now, NO_CHANGES) == (
        expected[0].starts_at.replace(tzinfo=UK) if expected else None
    )


@settings(max_examples=200, deadline=None)
@given(
    **_RULES,
    start=st.sampled_from([time(0), time(9, 30), time(14), time(23)]),
    now=st.datetimes(datetime(2026, 1, 1), datetime(2027, 1, 1)),
    cancelled=st.lists(st.integers(0, 3), max_size=3),
    moved=st.lists(
        st.tuples(st.integers(0, 3), st.integers(-2 * 24 * 60, 9 * 24 * 60)), max_size=3
    ),
    extra=st.lists(st.integers(-2 * 24 * 60, 9 * 24 * 60), max_size=4),
)
def test_the_next_meeting_with_changes_worked_out_once_a_day_is_the_next_meeting(
    frequency, weekday, nth, start, now, cancelled, moved, extra
):
    """Cancelled, moved (to any time, the same day as ``now`` included) and
    extra meetings around ``now``: the next meeting is what
    ``domain.schedule.meetings`` gives (what the group's page shows)."""
    row = SimpleNamespace(frequency=frequency, weekday=weekday, start_time=start,
                          end_time=time(start.hour, 59), starts_on=date(2025, 6, 2), nth=nth,
                          ends_on=None)  # fmt: skip
    schedule = schedule_of(row)
    day = datetime.combine(now.date(), time())
    rule = next_meetings(schedule, day - timedelta(days=1), 4)  # the rule's meetings near now
    moves = {}
    for which, minutes in moved:
        moves[rule[which].date()] = Move(
            rule[which].date(), day + timedelta(minutes=minutes),
            day + timedelta(minutes=minutes + 30),
        )  # fmt: skip
    changes = Changes(
        cancelled=tuple(
            Cancellation(rule[which].date())
            for which in dict.fromkeys(cancelled)
            if rule[which].date() not in moves
        ),
        moved=tuple(moves.values()),
        extra=tuple(
            Extra(day + timedelta(minutes=m), day + timedelta(minutes=m + 30)) for m in extra
        ),
    )
    expected = meetings(schedule, changes, now, 1)
    assert _next_meetings_kept(row, now, changes) == (
        expected[0].starts_at.replace(tzinfo=UK) if expected else None
    )


def _next_meetings_kept(row, now: datetime, changes):
    """The next meeting from ``now`` as a search gives it: worked out afresh,
    and from the day's starts kept in a result's ``Shown`` by an earlier
    search that day (at its first moment, and at ``now`` itself); all three
    must agree."""
    fresh = _next_meeting(Shown({}), row, changes, now)
    kept = Shown({})
    _next_meeting(kept, row, changes, datetime.combine(now.date(), time()))
    assert kept.meetings is not None and kept.meetings[0] == now.date()
    assert _next_meeting(kept, row, changes, now) == fresh
    assert _next_meeting(kept, row, changes, now) == fresh
    return fresh
