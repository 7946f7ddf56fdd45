"""Which background names show at which zoom (maps.label_zooms).

Tiny sets whose answer is worked out by hand. On the equator, 0.01 degrees
of longitude is 256 * 2**zoom * 0.01 / 360 pixels: 29.1 at zoom 12, 58.3 at
zoom 13. With every box 40 x 20 pixels, two names that far apart side by
side overlap until they are 40 pixels apart: from zoom 13.
"""

from __future__ import annotations

import random

import pytest

from betterway_map.maps.basemap import feature_collection
from betterway_map.maps.label_zooms import KIND_ZOOMS, Label, label_box, label_zooms, pixel
from betterway_map.maps.zooms import MAX_ZOOM, MIN_ZOOM, SECTOR_ZOOM


def box(label: Label) -> tuple[float, float]:
    return 40.0, 20.0


def test_a_name_waits_for_the_zoom_at_which_it_clears_its_neighbour():
    # Sector names show from zoom 13. Half as far apart (0.005 degrees) they
    # are 29 pixels apart at 13 and 58 at 14: A (first by name) from 13, B
    # from 14.
    west = Label("sector-label", "A", 0.0, 0.0)
    east = Label("sector-label", "B", 0.0, 0.005)
    assert label_zooms([west, east], box) == [(13, MAX_ZOOM), (14, MAX_ZOOM)]


@pytest.mark.parametrize(
    ("apart_deg", "second_from"),
    [(0.01, 13), (0.02, 12), (0.0025, 15)],  # 40 px at 13; double the gap, one zoom sooner
)
def test_district_names_side_by_side(apart_deg, second_from):
    first = Label("district-label", "A", 0.0, 0.0)
    second = Label("district-label", "B", 0.0, apart_deg)
    expected_second = (second_from, SECTOR_ZOOM - 1) if second_from < SECTOR_ZOOM else None
    assert label_zooms([first, second], box) == [(MIN_ZOOM, SECTOR_ZOOM - 1), expected_second]


def test_the_more_important_name_goes_first_and_the_other_when_it_has_gone():
    # The town and a district on the same spot: the town's name (first in
    # importance) while zoomed out, to 12; the district's at 13, the last
    # zoom of its window, once the town's has gone.
    town = Label("town", "Eastbrook", 0.0, 0.0)
    district = Label("district-label", "ZZ1", 0.0, 0.0)
    assert label_zooms([district, town], box) == [
        (SECTOR_ZOOM - 1, SECTOR_ZOOM - 1),
        (MIN_ZOOM, SECTOR_ZOOM - 2),
    ]


def test_a_sector_name_under_a_district_name_shows_once_districts_go():
    district = Label("district-label", "ZZ1", 0.0, 0.0)
    sector = Label("sector-label", "ZZ1 2", 0.0, 0.0)
    assert label_zooms([district, sector], box) == [
        (MIN_ZOOM, SECTOR_ZOOM - 1),
        (SECTOR_ZOOM, MAX_ZOOM),
    ]


def test_the_answer_does_not_depend_on_the_order_names_come_in():
    rng = random.Random(3)
    labels = [
        Label(rng.choice(list(KIND_ZOOMS)), f"N{i}", rng.uniform(0, 0.05), rng.uniform(0, 0.05))
        for i in range(40)
    ]
    forward = dict(zip(labels, label_zooms(labels), strict=True))
    backward = dict(zip(labels[::-1], label_zooms(labels[::-1]), strict=True))
    assert forward == backward


@pytest.mark.parametrize("seed", range(5))
def test_no_two_names_shown_at_a_zoom_overlap(seed):
    # The rule's promise, at every zoom, on 80 names crowded into a small
    # town: boxes (estimated from each name's text) never overlap.
    rng = random.Random(seed)
    labels = [
        Label(rng.choice(list(KIND_ZOOMS)), "x" * rng.randint(2, 14), 52 + rng.uniform(0, 0.03),
              -1 + rng.uniform(0, 0.05))
        for _ in range(80)
    ]  # fmt: skip
    zooms = label_zooms(labels)
    assert any(z is not None for z in zooms)
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        shown = [
            (label_box(label), pixel(label.lat, label.lon, zoom))
            for label, z in zip(labels, zooms, strict=True)
            if z is not None and z[0] <= zoom <= z[1]
        ]
        for n, ((w1, h1), (x1, y1)) in enumerate(shown):
            for (w2, h2), (x2, y2) in shown[n + 1 :]:
                assert abs(x1 - x2) * 2 >= w1 + w2 or abs(y1 - y2) * 2 >= h1 + h2, zoom


def test_the_background_leaves_out_a_name_with_no_room_and_dates_the_rest():
    places = [("town", "Eastbrook", 52.0, -1.0), ("place", "Town Centre", 52.0, -1.0)]
    # Same spot: the town shows while zoomed out; the place once the town's
    # name has gone (places show from SECTOR_ZOOM - 1, the town's to - 2).
    # The town named twice on one spot: the second never finds room and is left out.
    features = feature_collection([], [], places + [("town", "Eastbrook", 52.0, -1.0)])
    assert [
        (f["properties"]["name"], f["properties"]["min_zoom"], f["properties"]["max_zoom"])
        for f in features["features"]
    ] == [("Eastbrook", MIN_ZOOM, SECTOR_ZOOM - 2), ("Town Centre", SECTOR_ZOOM - 1, MAX_ZOOM)]
