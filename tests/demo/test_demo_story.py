"""The demo tells a story (issue 10), and its names say only what is true.

On the generated demo, with no database: Brookfield Estate, on the edge of
town, has older residents and no group or space within a walk; Old
Eastbrook's village organisations work only with each other; the estate
and the village are named on the town map; and every name of a group,
space, organisation and person's address agrees with its record. What the
council sees of the story (gap cells, the separate community, coverage)
is in ``test_demo_story_figures.py``.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

import pytest
from geopy.distance import geodesic

from betterway_map.demo.generator import generate
from betterway_map.demo.generator.catalogue import ACTIVITIES
from betterway_map.demo.generator.organisations import part_of_day
from betterway_map.demo.generator.people import OLDER_BANDS
from betterway_map.demo.generator.town import (
    CLUSTER,
    ESTATE_NAME,
    ESTATE_SECTOR,
    TOWN,
    neighbourhoods,
)
from betterway_map.demo.generator.volunteering import ROLES
from betterway_map.demo.town_map import town_features
from betterway_map.domain.network.defaults import WALKING_DISTANCE_M

TODAY = date(2026, 3, 2)
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PLACES = {area.outcode: area.name for area in neighbourhoods()}
# Words in an activity's name that say when it happens.
TIME_WORDS = {"Morning": "morning", "Night": "evening"}


@pytest.fixture(scope="module", params=[(42, 3000), (7, 200), (3, 50)], ids=str)
def area(request):
    seed, people = request.param
    return generate(seed=seed, people=people, today=TODAY)


@pytest.fixture(scope="module")
def default():
    return generate(seed=42, people=3000, today=TODAY)


def _named_places(text: str) -> set[str]:
    """The neighbourhoods a name mentions (Old Eastbrook is not Eastbrook)."""
    found = {name for name in PLACES.values() if re.search(rf"\b{re.escape(name)}\b", text)}
    return {name for name in found if not any(name in other for other in found - {name})}


def _where(area, group) -> str | None:
    """The neighbourhood a group meets in (None online)."""
    if group.space is None:
        return None
    return PLACES[area.spaces[group.space].postcode.split(" ")[0]]


def test_a_day_or_a_part_of_the_day_in_a_group_name_is_when_it_meets(area):
    for group in area.groups:
        day = DAYS[WEEKDAYS.index(group.weekday)]
        assert set(re.findall("|".join(DAYS), group.name)) <= {day}, (group.name, day)
        part = part_of_day(group.start_time)
        named = set(re.findall(r"\((morning|afternoon|evening)\)", group.name))
        named |= {when for word, when in TIME_WORDS.items() if word in group.name}
        assert named <= {part}, (group.name, group.start_time)


def test_a_group_is_named_for_its_activity_its_building_and_its_neighbourhood(area):
    by_name = {activity.name: activity for activity in (*ACTIVITIES, *ROLES)}
    for group in area.groups:
        [activity] = [by_name[name] for name in by_name if name in group.name][-1:] or [None]
        assert activity is not None, group.name
        assert group.interests == list(activity.interests), group.name
        assert group.online == activity.online, group.name
        if " at " in group.name:
            building = area.spaces[group.space].name.split(":")[0]
            assert group.name.split(" at ", 1)[1].split(" (")[0] == building, group.name
        place = _where(area, group) or PLACES[area.organisations[group.organisation].outcode]
        assert _named_places(group.name.split(" at ", 1)[0]) <= {place}, group.name


def test_a_space_named_for_a_neighbourhood_is_there(area):
    for space in area.spaces:
        outcode = space.postcode.split(" ")[0]
        building = space.name.split(":")[0]
        assert _named_places(building) <= {PLACES[outcode]}, (space.name, space.postcode)
        assert PLACES[outcode] in space.address


def test_an_organisation_named_for_a_neighbourhood_meets_there(area):
    where: dict[int, set[str]] = {}
    for space in area.spaces:
        where.setdefault(space.organisation, set()).add(PLACES[space.postcode.split(" ")[0]])
    for group in area.groups:
        if group.space is not None:
            where.setdefault(group.organisation, set()).add(_where(area, group))
    for index, organisation in enumerate(area.organisations):
        for place in _named_places(organisation.name):
            # (An organisation with no space that runs no group is nowhere.)
            assert place in where.get(index, {place}), organisation.name


def test_an_address_names_the_neighbourhood_of_its_postcode(area):
    for person in area.people:
        if person.postcode.startswith(ESTATE_SECTOR):
            assert ESTATE_NAME in person.address
        else:
            assert PLACES[person.postcode.split(" ")[0]] in person.address, person.address


def test_only_the_widowed_say_they_lost_their_husband_or_wife(area):
    for person in area.people:
        if person.what_would_help and "I lost my" in person.what_would_help:
            assert person.marital_status == "widowed"


def test_the_estate_is_mostly_older_people_with_no_group_or_space_within_a_walk(default):
    residents = [p for p in default.people if p.postcode.startswith(ESTATE_SECTOR)]
    assert len(residents) == 150
    assert sum(p.age_band in OLDER_BANDS for p in residents) / len(residents) > 0.75
    # Every home is more than a walk from every space (and so every group):
    # the estate's cells are judged from their centres, about 500 m away.
    nearest_m = min(
        geodesic((p.lat, p.lon), (s.lat, s.lon)).m for p in residents for s in default.spaces
    )
    assert nearest_m > WALKING_DISTANCE_M + 500


def test_the_estate_and_the_village_are_named_on_the_town_map(default):
    streets, places = town_features([(p.postcode, p.lat, p.lon) for p in default.postcodes])
    names = {name for _, name, _, _ in places} | {name for name, _ in streets}
    assert ESTATE_NAME in names and "Brookfield Road" in names
    assert PLACES[CLUSTER] in names and TOWN in names


def test_the_village_organisations_work_with_each_other_and_no_one_else(default):
    cluster = {i for i, o in enumerate(default.organisations) if o.apart}
    assert [default.organisations[i].name for i in sorted(cluster)] == [
        "Old Eastbrook Parish Church",
        "Old Eastbrook Village Hall Trust",
        "Old Eastbrook Gardening Friends",
        "Old Eastbrook Heritage Society",
    ]
    for p in default.partnerships:
        assert (p.organisation in cluster) == (p.partner in cluster), p
    # Every pair of them, lately (the network's window is 90 days).
    pairs = {
        frozenset((p.organisation, p.partner))
        for p in default.partnerships
        if p.organisation in cluster and p.last_active_on and (TODAY - p.last_active_on).days <= 60
    }
    assert len(pairs) == len(cluster) * (len(cluster) - 1) // 2


def test_no_group_and_no_one_links_the_village_to_the_rest(default):
    cluster = {i for i, o in enumerate(default.organisations) if o.apart}
    inside = set()
    for index, group in enumerate(default.groups):
        if group.space is not None:
            host = default.spaces[group.space].organisation
            assert (host in cluster) == (group.organisation in cluster), group.name
        if group.organisation in cluster:
            inside.add(index)
    sides = {}
    for attendance in default.attendances:
        sides.setdefault(attendance.person, set()).add(attendance.group in inside)
    assert inside and all(len(side) == 1 for side in sides.values())
    assert Counter(True in side for side in sides.values())[True] > 0
