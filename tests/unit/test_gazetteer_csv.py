"""Reading postcode files: the fast reader agrees with the reference."""

from __future__ import annotations

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betterway_map.domain.geo.postcode_files import (
    GazetteerFileError,
    PostcodeRow,
    SkippedRow,
    read_postcode_batches,
)
from tests.factories.postcode_reference import read_postcode_file


def _reference(path):
    rows, skipped = [], []
    for item in read_postcode_file(path):
        if isinstance(item, PostcodeRow):
            rows.append((item.postcode, item.latitude, item.longitude))
        else:
            skipped.append((item.line, item.reason))
    return rows, skipped


def _fast(path, block_bytes=64):
    rows, skipped = [], []
    for batch in read_postcode_batches(path, block_bytes=block_bytes):
        rows.extend((f"{o} {i}", float(a), float(b)) for o, i, a, b, _ in batch.rows)
        skipped.extend((s.line, s.reason) for s in batch.skipped)
    return rows, skipped


postcodes = st.one_of(
    st.sampled_from(
        [
            "E13 8QS",
            "E138QS",
            "e13 8qs",
            "SW1A 1AA",
            "SW1A1AA",
            "AB101AA",
            "E1  6AN",
            "ZZ1 2AB",
            "GIR 0AA",
            "NPT 0AD",
            "E13 8Q",
            "",
            " E13 8QS ",
            "W1A 0AX",
        ]
    ),
    st.text(alphabet="ABEWZ0189 ", max_size=9),
)
numbers = st.one_of(
    st.sampled_from(
        [
            "51.5",
            "-0.12",
            "0",
            "0.00000",
            "",
            "99.999999",
            "61.99",
            "62.5",
            "-9",
            "-9.5",
            "2.999",
            "3.5",
            "49",
            "48.9",
            "abc",
            "1e1",
            " 51.5 ",
            "nan",
        ]
    ),
    st.floats(min_value=-100, max_value=100, allow_nan=False).map(lambda x: f"{x:.5f}"),
)
lines = st.one_of(
    st.tuples(postcodes, numbers, numbers).map(",".join),
    st.tuples(postcodes, numbers, numbers).map(lambda t: ",".join(f'"{x}"' for x in t)),
    st.sampled_from(["", "E13 8QS,51.5", "E13 8QS,51.5,0.1,extra", ",,"]),
)


@settings(max_examples=200, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(lines, max_size=30), st.sampled_from(["\n", "\r\n"]), st.integers(16, 200))
def test_fast_reader_gives_the_reference_answer(tmp_path, body, newline, block_bytes):
    path = tmp_path / "p.csv"
    path.write_bytes(("postcode,lat,long" + newline + newline.join(body)).encode())
    assert _fast(path, block_bytes) == _reference(path)


@pytest.mark.parametrize(
    "header",
    ["pcds,lat,long", "lat,long,pcds", "id,PCD,x,Latitude,y,Longitude,z", "long,postcode,lat"],
)
def test_columns_are_found_by_name_in_any_order(tmp_path, header):
    names = header.split(",")
    values = {
        "pcds": "E13 8QS",
        "pcd": "E13 8QS",
        "postcode": "E13 8QS",
        "lat": "51.52",
        "latitude": "51.52",
        "long": "0.02",
        "longitude": "0.02",
    }
    row = ",".join(values.get(name.lower(), "x") for name in names)
    path = tmp_path / "p.csv"
    path.write_text(f"{header}\n{row}\n")
    assert _fast(path) == _reference(path) == ([("E13 8QS", 51.52, 0.02)], [])


def test_gzip_files_are_read(tmp_path):
    path = tmp_path / "p.csv.gz"
    with gzip.open(path, "wt") as handle:
        handle.write("pcds,lat,long\nE13 8QS,51.52,0.02\nAB113AG,,0.00000\n")
    assert _fast(path) == ([("E13 8QS", 51.52, 0.02)], [(3, "no_coordinates")])


def test_skips_name_their_reason_and_line(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("postcode,lat,long\nNPT 0AD,51.5,-3.0\nE13 8QS,abc,0.1\nE13 8QT,40.1,0.1\n")
    rows = list(read_postcode_file(path))
    assert rows == [
        SkippedRow(2, "bad_postcode", "NPT 0AD"),
        SkippedRow(3, "bad_number", "E13 8QS abc,0.1"),
        SkippedRow(4, "outside_uk", "E13 8QT 40.1,0.1"),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "empty"),
        ("name,lat,long\nx,1,2\n", "no postcode column"),
        ("postcode,lat\nE13 8QS,51.5\n", "no longitude column"),
    ],
)
def test_unusable_files_are_refused_with_the_reason(tmp_path, content, message):
    path = tmp_path / "p.csv"
    path.write_text(content)
    for reader in (read_postcode_file, read_postcode_batches):
        with pytest.raises(GazetteerFileError, match=message):
            list(reader(path))


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(GazetteerFileError, match="no such file"):
        list(read_postcode_batches(tmp_path / "nope.csv"))
