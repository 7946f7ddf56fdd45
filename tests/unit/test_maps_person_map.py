"""A worker's map of one person (``maps.person_map``), from plain data."""

from __future__ import annotations

import h3
import pytest

from betterway_map.maps.person_map import MapArea, MapGroup, build_person_map

HOSTILE = "`${alert(1)}` {{ 6173 * 7 }} <img src=x onerror=alert(2)>"
HOME = (52.45, -0.98)


def _map(group_name="Lunch", volunteer="Vera"):
    cell = h3.latlng_to_cell(52.4567, -0.9602, 8)
    return build_person_map(
        HOME,
        "Ann",
        800,
        [MapGroup(1, group_name, 52.4521, -0.9801, 0.23, True, "Tuesdays", "/groups/1")],
        [MapArea(volunteer, "Proposed", "ZZ1 3", tuple(h3.cell_to_boundary(cell)))],
    )


def test_every_layer_has_its_key():
    parts = _map()
    assert [(layer.key, layer.count) for layer in parts.layers] == [
        ("home", 1),
        ("groups", 1),
        ("areas", 1),
    ]
    assert "within walking distance (1): filled" in [key.label for key in parts.layers[1].legend]


@pytest.mark.parametrize("where", ["group", "volunteer"])
def test_hostile_names_reach_the_map_as_text(where):
    parts = _map(**({"group_name": HOSTILE} if where == "group" else {"volunteer": HOSTILE}))
    for text in ("{{", "${", "`$", "<img"):
        assert text not in parts.script
    assert "43211" not in parts.script  # the template in the name was never run


def test_there_are_no_tiles_from_anywhere():
    parts = _map()
    assert "tile.openstreetmap.org" not in parts.script
    assert "/map/background.geojson" in parts.script


def test_a_place_off_the_globe_is_refused_with_what_it_was():
    with pytest.raises(ValueError, match="group 1 is at"):
        build_person_map(HOME, "Ann", 800, [MapGroup(1, "X", 95.0, 0.0, 1.0, False)], [])


def test_two_groups_or_more_are_clustered_until_no_pins_overlap():
    # One pin needs no cluster; two or more are clustered and decluttered
    # (maps.declutter), so that no pin covers another (WCAG 2.2 target size).
    one = _map()
    two = build_person_map(
        HOME,
        "Ann",
        800,
        [
            MapGroup(1, "Lunch", 52.4521, -0.9801, 0.23, True),
            MapGroup(2, "Walk", 52.4522, -0.9802, 0.24, True),
        ],
        [],
    )
    assert "markerClusterGroup" not in one.script and "bwDeclutter(" not in one.script
    assert "markerClusterGroup" in two.script and "bwDeclutter(" in two.script
