"""Choosing a group for a person: by name or interest, nearest to their home
first with the distance shown, and a warning beyond how far they can travel
(a person who can travel 1 km was added to a group 2.6 km away, unwarned)."""

from __future__ import annotations

import re

from tests.factories.nearby import ORIGIN, point_at
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.people import make_assigned_person


def _hall(app, org, km, name):
    lat, lon = point_at(km)
    return make_space(app, org, name=f"{name} Hall", latitude=lat, longitude=lon)


def _setup(app, signed_in, **person):
    client, worker = signed_in("worker")
    org = make_organisation(app)
    make_group(app, org, _hall(app, org, 2.6, "Far"), name="Far Choir")
    make_group(app, org, _hall(app, org, 0.4, "Near"), name="Near Lunch Club")
    make_group(app, org, None, name="Online Quiz", online=True, online_url="https://example.org")
    person_id = make_assigned_person(
        app, worker, first_name="Rita", latitude=ORIGIN[0], longitude=ORIGIN[1], **person
    )
    return client, person_id


def _labels(page: str) -> list[str]:
    return [
        re.sub(r"\s+", " ", label)
        for label in re.findall(r'<label for="group-\d+">(.*?)</label>', page, re.S)
    ]


def test_groups_come_nearest_first_with_their_distance(app, signed_in):
    client, person_id = _setup(app, signed_in, travel_km=1.0)
    page = client.get(f"/people/{person_id}/groups").get_data(as_text=True)
    labels = _labels(page)
    assert labels[0].startswith("Near Lunch Club, 0.4 km away")
    assert labels[1].startswith("Far Choir, 2.6 km away")
    assert labels[2] == "Online Quiz, online"
    assert "number" not in " ".join(labels)  # no internal numbers in what people read


def test_a_group_beyond_the_persons_reach_is_marked(app, signed_in):
    client, person_id = _setup(app, signed_in, travel_km=1.0)
    page = client.get(f"/people/{person_id}/groups").get_data(as_text=True)
    far = page.split("Far Choir")[1].split('<div class="choice">')[0]
    assert "Further than Rita can travel" in far and "(1 km)" in far
    near = page.split("Near Lunch Club")[1].split('<div class="choice">')[0]
    assert "Further than" not in near


def test_without_a_travel_distance_nothing_is_marked(app, signed_in):
    client, person_id = _setup(app, signed_in)
    page = client.get(f"/people/{person_id}/groups").get_data(as_text=True)
    assert "Further than" not in page


def test_groups_are_found_by_name(app, signed_in):
    client, person_id = _setup(app, signed_in)
    page = client.get(f"/people/{person_id}/groups?q=choir").get_data(as_text=True)
    assert [label.split(",")[0] for label in _labels(page)] == ["Far Choir"]


def test_a_name_search_that_is_too_long_is_refused_clearly(app, signed_in):
    client, person_id = _setup(app, signed_in)
    response = client.get(f"/people/{person_id}/groups?q={'x' * 101}")
    assert response.status_code == 400
    assert "Use at most 100 characters" in response.get_data(as_text=True)
