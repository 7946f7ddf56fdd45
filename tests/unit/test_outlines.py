"""Sector and district outlines from postcode points (domain.geo.outlines)."""

from __future__ import annotations

import h3

from betterway_map.domain.geo.outlines import geojson_lines, outlines, partition

# Two sectors of district ZZ8 side by side (1 km apart), one of ZZ9 further east.
POINTS = [
    ("ZZ8 7AA", 52.000, -1.000),
    ("ZZ8 7AB", 52.001, -1.001),
    ("ZZ8 8AA", 52.009, -1.000),
    ("ZZ9 1AA", 52.000, -0.950),
]


def test_neighbouring_sectors_never_share_a_cell():
    # partition gives each cell exactly one owner: a dict cannot hold two.
    owner = partition(POINTS)
    assert set(owner.values()) == {"ZZ8 7", "ZZ8 8", "ZZ9 1"}
    # Every postcode's own cell belongs to its own sector.
    for postcode, lat, lon in POINTS:
        assert owner[h3.latlng_to_cell(lat, lon, 9)] == postcode[:5]


def test_a_cell_with_postcodes_of_two_sectors_goes_to_the_bigger():
    pts = [("A1 1AA", 52.0, -1.0), ("A1 2AA", 52.0, -1.0), ("A1 2AB", 52.0, -1.0)]
    assert set(partition(pts, rings=0).values()) == {"A1 2"}


def test_a_tie_goes_to_the_sector_that_sorts_first():
    pts = [("A1 2AA", 52.0, -1.0), ("A1 1AA", 52.0, -1.0)]
    assert set(partition(pts, rings=0).values()) == {"A1 1"}


def test_sectors_grow_two_rings_past_their_postcodes():
    # One lone postcode: its cell and two rings around it, 1 + 6 + 12 cells.
    assert len(partition([("A1 1AA", 52.0, -1.0)])) == 19


def test_a_district_is_the_union_of_its_sectors():
    found = {(o.kind, o.name): o for o in outlines(POINTS)}
    assert sorted(found) == [
        ("district", "ZZ8"),
        ("district", "ZZ9"),
        ("sector", "ZZ8 7"),
        ("sector", "ZZ8 8"),
        ("sector", "ZZ9 1"),
    ]
    # ZZ8 7 and ZZ8 8 touch (1 km apart, each reaching ~0.6 km), so ZZ8 is one piece.
    assert len(found[("district", "ZZ8")].rings) == 1


def test_each_label_lies_inside_its_own_area():
    owner = partition(POINTS)
    for outline in outlines(POINTS):
        cell = h3.latlng_to_cell(*outline.label, 9)
        assert outline.name in (owner[cell], owner[cell].split()[0])


def test_rings_are_closed_and_geojson_is_lon_lat():
    outline = next(o for o in outlines(POINTS) if o.name == "ZZ9 1")
    ring = outline.rings[0]
    assert ring[0] == ring[-1]
    line = geojson_lines(outline)["coordinates"][0]
    assert line[0] == [ring[0][1], ring[0][0]]
    assert all(-1.0 < lon < -0.9 and 51.9 < lat < 52.1 for lon, lat in line)


def test_no_points_no_outlines():
    assert outlines([]) == []
