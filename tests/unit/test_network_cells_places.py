"""Helpers for the area tests (tiny hand-built areas), and their own checks.

``offset`` puts a place an exact geodesic distance from another, so a test
can say "a group 500 m away" and mean it.
"""

from __future__ import annotations

from datetime import date

import h3
import pytest
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic

from betterway_map.domain.network.inputs import Area, GroupRecord, PersonRecord, SpaceRecord
from betterway_map.domain.network.isolation import PersonAssessment

TODAY = date(2025, 6, 1)
# A cell in an invented English town; its centre is where people live in the tests.
HOME_CELL = h3.latlng_to_cell(52.5, -1.5, 8)
HOME = h3.cell_to_latlng(HOME_CELL)


def offset(origin: tuple[float, float], metres: float, bearing_deg: float = 0.0):
    """The (lat, lon) ``metres`` from ``origin`` along ``bearing_deg`` (geodesic)."""
    line = Geodesic.WGS84.Direct(origin[0], origin[1], bearing_deg, metres)
    return line["lat2"], line["lon2"]


def person(person_id: int, where=HOME, band: str | None = "75-84") -> PersonRecord:
    lat, lon = where if where is not None else (None, None)
    return PersonRecord(person_id, f"Person {person_id}", band, lat, lon, True)


def assessment(person_id: int, status: str = "connected", direct: str | None = None):
    return PersonAssessment(person_id, {}, status, [], (), None, direct, None)


def group(group_id: int, where, status: str = "active", step_free: bool = False, **more):
    lat, lon = where if where is not None else (None, None)
    space_id = None if where is None else group_id
    return GroupRecord(
        group_id, 1, f"Group {group_id}", space_id, lat, lon, status, step_free=step_free, **more
    )


def space(space_id: int, where, step_free: bool = False) -> SpaceRecord:
    return SpaceRecord(space_id, 1, f"Space {space_id}", where[0], where[1], step_free, False)


def area(people=(), groups=(), spaces=()) -> Area:
    return Area(TODAY, people=list(people), groups=list(groups), spaces=list(spaces))


@pytest.mark.parametrize("metres", [1.0, 499.5, 800.0, 2500.0])
@pytest.mark.parametrize("bearing", [0.0, 90.0, 225.0])
def test_offset_puts_a_place_that_far_away(metres, bearing):
    there = offset(HOME, metres, bearing)
    assert geodesic(HOME, there).m == pytest.approx(metres, abs=1e-6)


def test_home_is_the_centre_of_its_cell():
    assert h3.latlng_to_cell(*HOME, 8) == HOME_CELL
