"""Names of map cells by the postcode sectors they cover (domain.geo.area_names)."""

from __future__ import annotations

import h3
import pytest

from betterway_map.domain.geo.area_names import compass_word, name_cells

RES = 8  # about 0.7 km², the council map's cells


def cell(lat: float, lon: float) -> str:
    return h3.latlng_to_cell(lat, lon, RES)


def test_a_cell_in_one_sector_is_named_by_it():
    c = cell(52.0, -1.0)
    assert name_cells([c], [("ZZ8 7AA", 52.0, -1.0)]) == {c: "ZZ8 7"}


def test_a_cell_spanning_two_sectors_names_both_biggest_first():
    c = cell(52.0, -1.0)
    pts = [("ZZ8 7AA", 52.0, -1.0), ("ZZ8 7AB", 52.0, -1.0), ("ZZ8 8AA", 52.0, -1.0)]
    assert name_cells([c], pts) == {c: "ZZ8 7 / ZZ8 8"}


def test_a_small_share_of_a_second_sector_is_left_out():
    # One postcode in five (20%) is under the 25% needed to be named.
    c = cell(52.0, -1.0)
    pts = [("ZZ8 7A" + x, 52.0, -1.0) for x in "ABDE"] + [("ZZ8 8AA", 52.0, -1.0)]
    assert name_cells([c], pts) == {c: "ZZ8 7"}


def test_cells_of_one_sector_get_compass_words_from_the_sector_centre():
    # Sector ZZ8 7 spans 4 km north to south; its centre is at 52.0.
    north, south = cell(52.018, -1.0), cell(51.982, -1.0)
    pts = [("ZZ8 7AA", 52.018, -1.0), ("ZZ8 7AB", 51.982, -1.0)]
    assert name_cells([north, south], pts) == {north: "ZZ8 7 north", south: "ZZ8 7 south"}


def test_names_that_still_repeat_are_numbered_north_to_south():
    # Three cells due north of the centre (which the far south point pulls down).
    cells = [cell(52.00 + 0.012 * n, -1.0) for n in range(3)]
    pts = [("ZZ8 7A" + x, lat, -1.0) for x, lat in zip("ABD", (52.0, 52.012, 52.024))]
    pts.append(("ZZ8 7ZZ", 51.90, -1.0))
    names = name_cells(cells, pts)
    assert names == {
        cells[2]: "ZZ8 7 north 1",
        cells[1]: "ZZ8 7 north 2",
        cells[0]: "ZZ8 7 north 3",
    }


def test_a_cell_without_postcodes_takes_the_nearest_sector():
    c = cell(52.05, -1.0)
    assert name_cells([c], [("ZZ8 7AA", 52.0, -1.0), ("ZZ9 1AA", 51.0, -1.0)]) == {c: "ZZ8 7"}


def test_every_name_is_unique_and_never_a_cell_id():
    cells = list(h3.grid_disk(cell(52.0, -1.0), 2))
    pts = [("ZZ8 7AA", 52.0, -1.0), ("ZZ8 8AA", 52.01, -1.01)]
    names = name_cells(cells, pts)
    assert len(set(names.values())) == len(cells)
    assert not set(names.values()) & set(cells)


def test_without_postcodes_cells_are_numbered_areas():
    a, b = cell(52.0, -1.0), cell(52.02, -1.0)
    assert name_cells([a, b], []) == {b: "Area 1", a: "Area 2"}


def test_a_bad_cell_id_is_refused_by_name():
    with pytest.raises(ValueError, match="'nope' is not an H3 cell id"):
        name_cells(["nope"], [])


@pytest.mark.parametrize(
    "point, word",
    [((52.01, -1.0), "north"), ((52.0, -0.98), "east"), ((51.99, -1.016), "south-west")],
)
def test_compass_words(point, word):
    assert compass_word((52.0, -1.0), point) == word
