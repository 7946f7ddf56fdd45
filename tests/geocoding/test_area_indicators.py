"""Importing area indicators: the service and ``flask areas import``."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent
from betterway_map.errors import Conflict, InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding import areas
from betterway_map.geocoding.models import AreaIndicator, AreaIndicatorValue
from tests.factories.area_indicators import boundaries, codes, ten_areas, values

DETAILS = {
    "name": "Loneliness index",
    "source": "Test source",
    "licence": "OGL v3.0",
    "value_label": None,
    "higher_is_more_need": True,
    "replace": False,
}
MAX = 1_000_000


def _stored() -> dict[str, tuple[float, int]]:
    rows = db.session.execute(
        select(AreaIndicatorValue.area_code, AreaIndicatorValue.value, AreaIndicatorValue.decile)
    )
    return {code: (value, decile) for code, value, decile in rows}


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count()).select_from(AreaIndicator)),
        db.session.scalar(select(func.count()).select_from(AreaIndicatorValue)),
    )


def test_an_import_stores_every_area_with_its_decile_and_is_audited(app_ctx):
    csv, geojson = ten_areas()
    report = areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    assert len(report.rows) == 10
    stored = _stored()
    assert stored["E01000010"] == (10.0, 1)
    assert stored["E01000001"] == (1.0, 10)
    indicator = db.session.scalar(select(AreaIndicator))
    assert (indicator.code_system, indicator.value_label) == ("LSOA (England) 2021", "value")
    assert db.session.scalar(select(AuditEvent.action)) == "import"


def test_importing_the_same_indicator_again_needs_replace(app_ctx):
    csv, geojson = ten_areas()
    areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    with pytest.raises(Conflict, match="already loaded"):
        areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    assert _counts() == (1, 10)


def test_replacing_swaps_the_areas_and_keeps_the_id(app_ctx):
    csv, geojson = ten_areas()
    areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    first_id = db.session.scalar(select(AreaIndicator.id))
    fewer = codes(3)
    again = areas.import_indicator(
        values([(c, 7) for c in fewer]), boundaries(fewer), DETAILS | {"replace": True}, None, MAX
    )
    assert len(again.rows) == 3
    assert _counts() == (1, 3)
    assert db.session.scalar(select(AreaIndicator.id)) == first_id
    assert {decile for _, decile in _stored().values()} == {1}


BAD = {
    "values not numbers": (b"code,value\nE01000001,high\n", boundaries(codes(1))),
    "no match": (values([(c, 1) for c in codes(2, "W01")]), boundaries(codes(2))),
    "invalid geometry": (
        values([(c, 1) for c in codes(2)]),
        boundaries(codes(2), geometry={"E01000002": {"type": "LineString", "coordinates": []}}),
    ),
    "empty file": (b"", boundaries(codes(1))),
    "too big": (b"code,value\n" + b"E01000001,1\n" * 100_000, boundaries(codes(1))),
}


@pytest.mark.parametrize("kind", BAD)
def test_a_refused_import_writes_nothing_and_leaves_the_old_indicator(app_ctx, kind):
    csv, geojson = ten_areas()
    areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    before = _stored()
    bad_csv, bad_geojson = BAD[kind]
    with pytest.raises(InvalidInput, match="Nothing was imported"):
        areas.import_indicator(bad_csv, bad_geojson, DETAILS | {"replace": True}, None, MAX)
    db.session.rollback()
    assert _stored() == before
    assert _counts() == (1, 10)


def test_the_layer_gives_code_name_decile_value_and_geometry(app_ctx):
    csv, geojson = ten_areas()
    areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    indicator_id = db.session.scalar(select(AreaIndicator.id))
    layer = areas.indicator_layer(indicator_id)
    first = layer[0]
    assert (first.code, first.name, first.decile, first.value) == ("E01000001", "Area 001", 10, 1.0)
    assert first.geometry == json.loads(geojson)["features"][0]["geometry"]


def test_deleting_removes_the_areas_and_is_audited(app_ctx):
    csv, geojson = ten_areas()
    areas.import_indicator(csv, geojson, DETAILS, None, MAX)
    indicator_id = db.session.scalar(select(AreaIndicator.id))
    assert areas.delete_indicator(indicator_id, None) == "Loneliness index"
    assert _counts() == (0, 0)
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert "delete" in actions


# The command line.


def _files(tmp_path, csv: bytes, geojson: bytes):
    (tmp_path / "lonely.csv").write_bytes(csv)
    (tmp_path / "lsoa.geojson").write_bytes(geojson)
    return str(tmp_path / "lonely.csv"), str(tmp_path / "lsoa.geojson")


def test_the_command_imports_and_reports(app, runner, tmp_path):
    csv, geojson = _files(tmp_path, values([(c, 1) for c in codes(4)]), boundaries(codes(3)))
    result = runner.invoke(
        args=[
            "areas",
            "import",
            csv,
            "--boundaries",
            geojson,
            "--source",
            "ONS",
            "--licence",
            "OGL",
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 'lonely'." in result.output
    assert "Loaded 3 areas" in result.output
    assert (
        "1 codes have no boundary (not drawn, but counted in the deciles): E01000004"
        in result.output
    )
    assert "code property 'LSOA21CD'" in result.output


def test_the_command_needs_replace_to_import_again(app, runner, tmp_path):
    csv, geojson = _files(tmp_path, *ten_areas())
    args = ["areas", "import", csv, "--boundaries", geojson, "--source", "ONS", "--licence", "OGL"]
    assert runner.invoke(args=args).exit_code == 0
    again = runner.invoke(args=args)
    assert again.exit_code == 1
    assert "already loaded" in again.output and "--replace" in again.output
    assert runner.invoke(args=[*args, "--replace"]).exit_code == 0


def test_the_command_names_the_code_systems_when_nothing_matches(app, runner, tmp_path):
    csv, geojson = _files(tmp_path, values([(c, 1) for c in codes(3, "S01")]), boundaries(codes(3)))
    result = runner.invoke(
        args=["areas", "import", csv, "--boundaries", geojson, "--source", "x", "--licence", "y"]
    )
    assert result.exit_code == 1
    assert "data zone (Scotland)" in result.output and "LSOA (England)" in result.output
    assert "Nothing was imported." in result.output


def test_the_command_needs_a_source_and_a_licence(app, runner, tmp_path):
    csv, geojson = _files(tmp_path, *ten_areas())
    result = runner.invoke(args=["areas", "import", csv, "--boundaries", geojson])
    assert result.exit_code == 1
    assert "--source: Enter the source." in result.output
    assert "--licence: Enter the licence." in result.output


def test_the_command_refuses_a_file_too_big(app, runner, tmp_path, monkeypatch):
    csv, geojson = _files(tmp_path, *ten_areas())
    monkeypatch.setitem(app.config, "AREA_IMPORT_MAX_BYTES", 100)
    result = runner.invoke(
        args=["areas", "import", csv, "--boundaries", geojson, "--source", "x", "--licence", "y"]
    )
    assert result.exit_code == 1
    assert "at most 0.0001 MB is accepted" in result.output


def test_the_command_needs_the_boundaries(app, runner, tmp_path):
    csv, _ = _files(tmp_path, *ten_areas())
    result = runner.invoke(args=["areas", "import", csv])
    assert result.exit_code == 2
    assert "--boundaries" in result.output
