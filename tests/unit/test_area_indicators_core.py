"""The core of area indicators: reading and matching the two files, deciles,
code systems and geometry checks (no app)."""

from __future__ import annotations

import json

import pytest

from betterway_map.domain.geo.area_codes import guess_code_system
from betterway_map.domain.geo.area_files import AreaFileError, deciles, match_files
from betterway_map.domain.geo.polygons import GeometryError, check_geometry
from tests.factories.area_indicators import boundaries, codes, square, ten_areas, values


def test_ten_areas_get_one_decile_each_the_highest_value_decile_1():
    csv, geojson = ten_areas()
    found = match_files(csv, geojson)
    assert {row.code: row.decile for row in found.rows} == {
        f"E01{n:06d}": 11 - n for n in range(1, 11)
    }
    assert found.code_property == "LSOA21CD"
    assert found.code_system == "LSOA (England) 2021"


def test_lower_is_more_need_turns_the_deciles_round():
    assert deciles([1.0, 2.0, 3.0, 4.0, 5.0], higher_is_more_need=False) == [1, 3, 5, 7, 9]


def test_ties_share_a_decile():
    # Four areas share the top value: none of them is put in a lower decile than another.
    result = deciles([9.0, 9.0, 9.0, 9.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
    assert result[:4] == [1, 1, 1, 1]
    assert sorted(result[4:]) == [5, 6, 7, 8, 9, 10]


def test_deciles_of_nothing_and_of_one():
    assert deciles([]) == []
    assert deciles([3.5]) == [1]


def test_deciles_count_codes_without_a_boundary():
    # Twenty values, boundaries for two: national deciles, not re-ranked locally.
    area_codes = codes(20)
    csv = values([(code, n) for n, code in enumerate(area_codes, 1)])
    found = match_files(csv, boundaries(area_codes[:2]))
    assert [row.decile for row in found.rows] == [10, 10]
    assert len(found.codes_without_boundary) == 18


def test_the_report_names_unmatched_codes_both_ways():
    area_codes = codes(8)
    csv = values([(code, 1) for code in area_codes[:6]])
    found = match_files(csv, boundaries(area_codes[2:]))
    assert found.codes_without_boundary == area_codes[:2]
    assert found.boundaries_without_value == area_codes[6:]
    text = "\n".join(found.lines())
    assert "2 codes have no boundary" in text and "E01000001, E01000002" in text
    assert "2 boundaries have no value" in text


@pytest.mark.parametrize(
    ("header", "column"),
    [
        (("code", "value"), "code"),
        (("Area_Code", "Score"), "Area_Code"),
        (("MSOA21CD", "x"), "MSOA21CD"),
    ],
)
def test_accepted_headers(header, column):
    area_codes = codes(2)
    found = match_files(values([(c, 1) for c in area_codes], header), boundaries(area_codes))
    assert found.code_column == column


def test_names_come_from_the_csv_or_else_the_boundaries():
    area_codes = codes(2)
    csv = values(
        [(area_codes[0], "Hill Top", 1), (area_codes[1], "", 2)], ("code", "name", "value")
    )
    found = match_files(csv, boundaries(area_codes))
    assert [row.name for row in found.rows] == ["Hill Top", "Area 002"]


def _error(csv: bytes, geojson: bytes) -> str:
    with pytest.raises(AreaFileError) as raised:
        match_files(csv, geojson)
    return str(raised.value)


def test_no_match_says_which_code_systems_each_side_uses():
    csv = values([(code, 1) for code in codes(3, "E02")])
    message = _error(csv, boundaries(codes(3)))
    assert "The values use MSOA (England) (3 codes, e.g. E02000001" in message
    assert "property 'LSOA21CD': LSOA (England)" in message


@pytest.mark.parametrize(
    ("csv", "expected"),
    [
        (b"", "The values file is empty."),
        (b"code,value\n", "has a header row but no values"),
        (b"place,amount,other\nE01000001,1,2\n", "has no code column"),
        (b"code,value\nE01000001,1\nE01000002,lots\n", "row 3: 'lots' is not a number"),
        (b"code,value\nE01000001,\n", "row 2: '' is not a number"),
        (b"code,value\nE01000001,nan\n", "'nan' is not a number"),
        (b"code,value\nE01000001,1\nE01000001,2\n", "row 3: the code E01000001 is there twice"),
        (b"\xff\xfecode", "not UTF-8"),
    ],
)
def test_bad_values_files_are_named(csv, expected):
    assert expected in _error(csv, boundaries(codes(2)))


def _with(geometry) -> bytes:
    return boundaries(codes(2), geometry={"E01000002": geometry})


@pytest.mark.parametrize(
    ("geometry", "expected"),
    [
        ({"type": "Point", "coordinates": [0, 51]}, "a Point, not a Polygon"),
        ({"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [0, 51]]]}, "at least 4"),
        ({"type": "Polygon", "coordinates": [[[0, 51], [1, 51], [1, 52], [0, 52]]]}, "not closed"),
        (
            {"type": "Polygon", "coordinates": [[[0, 95], [1, 95], [1, 96], [0, 95]]]},
            "out of range",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [[[51.5, -0.1], [51.6, -0.1], [51.6, 0], [51.5, -0.1]]],
            },
            "looks like latitude then longitude",
        ),
        (
            {
                "type": "Polygon",
                "coordinates": [
                    [[530000, 180000], [530100, 180000], [530100, 180100], [530000, 180000]]
                ],
            },
            "British National Grid",
        ),
    ],
)
def test_invalid_geometry_is_named_with_its_feature(geometry, expected):
    csv = values([(code, 1) for code in codes(2)])
    message = _error(csv, _with(geometry))
    assert message.startswith("The boundaries file, feature 2 (E01000002)")
    assert expected in message


@pytest.mark.parametrize(
    ("geojson", "expected"),
    [
        (b"{", "is not JSON"),
        (b'{"type": "Feature"}', "not a GeoJSON FeatureCollection"),
        (b'{"type": "FeatureCollection", "features": []}', "has no features"),
        (b"[" * 100_000 + b"]" * 100_000, "is not JSON"),
    ],
)
def test_bad_boundaries_files_are_named(geojson, expected):
    assert expected in _error(values([("E01000001", 1)]), geojson)


def test_two_boundaries_for_one_code_are_refused():
    doc = json.loads(boundaries(codes(2)))
    doc["features"][1]["properties"]["LSOA21CD"] = "E01000001"
    assert "a second boundary for E01000001" in _error(
        values([("E01000001", 1)]), json.dumps(doc).encode()
    )


def test_a_multipolygon_with_a_hole_is_accepted():
    outer = square(0, 0)["coordinates"][0]
    hole = [[-0.098, 51.502], [-0.096, 51.502], [-0.096, 51.504], [-0.098, 51.502]]
    assert (
        len(check_geometry({"type": "MultiPolygon", "coordinates": [[outer, hole], [outer]]})) == 2
    )


def test_a_geometry_that_is_not_an_object_is_refused():
    with pytest.raises(GeometryError, match="has no geometry"):
        check_geometry(None, "feature 1")


@pytest.mark.parametrize(
    ("code", "system"),
    [
        ("E01000001", "LSOA (England)"),
        ("W01000001", "LSOA (Wales)"),
        ("S01006506", "data zone (Scotland)"),
        ("E08000025", "local authority (metropolitan district, England)"),
        ("ZZ8 7", "postcode sector"),
    ],
)
def test_code_systems(code, system):
    assert guess_code_system(code) == system
