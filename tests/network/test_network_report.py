"""flask network report / snapshot, the trends, and suppression everywhere."""

from __future__ import annotations

import csv
import json
from datetime import date

import h3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.network.inputs import Area, PersonRecord
from betterway_map.extensions import db
from betterway_map.network import report_files as network_export
from betterway_map.network.loader import NetworkSettings
from betterway_map.network.models import NetworkSnapshot
from betterway_map.network.report import CELL_FIGURES, build_report
from betterway_map.network.report_files import REPORT_FILES, cells_geojson
from betterway_map.network.trends import take_snapshot
from tests.factories.network import CELL_A, CELL_B, CELL_C, homes, small_area


def _read_csv(path):
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_report_writes_csv_and_geojson_with_suppressed_cells_bare(app, runner, tmp_path):
    area = small_area(app)
    out = tmp_path / "report"
    result = runner.invoke(args=["network", "report", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (
        f"Wrote {len(REPORT_FILES)} files" in result.output
        and "1 with figures, 2 withheld" in result.output
    )
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)
    cells = {row["cell"]: row for row in _read_csv(out / "cells.csv")}
    assert cells[CELL_A]["people"] == "6" and cells[CELL_A]["name"] == "ZZ1 2"
    # Issue 13: withheld cells are left out of every file (no row, no hexagon).
    assert set(cells) == {CELL_A}
    assert all(cells[CELL_A][key] != "" for key in CELL_FIGURES)
    geojson = json.loads((out / "cells.geojson").read_text())
    assert geojson["type"] == "FeatureCollection" and "crs" not in geojson
    for feature in geojson["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert feature["geometry"]["type"] == "Polygon" and ring[0] == ring[-1]
        # RFC 7946: exterior rings anticlockwise (positive shoelace area).
        assert sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) > 0
        assert feature["id"] not in (CELL_B, CELL_C)
    organisations = _read_csv(out / "organisations.csv")
    assert {row["name"] for row in organisations} == {"St Anne's Church", "Green Lane Surgery"}
    assert set(organisations[0]) == {
        "id",
        "name",
        "sector",
        "component",
        "community",
        "betweenness",
    }
    coverage = _read_csv(out / "coverage.csv")
    assert coverage[0]["group"] == "all" and coverage[0]["denominator"] == "13"
    text = "".join(p.read_text() for p in out.iterdir())
    assert "Alpha" not in text and "Beta" not in text
    for lat, lon in area["homes"]:
        assert str(lat) not in text and str(lon) not in text


def test_report_refuses_a_file_as_out(app, runner, tmp_path):
    target = tmp_path / "a-file.txt"
    target.write_text("keep me")
    result = runner.invoke(args=["network", "report", "--out", str(target)])
    assert result.exit_code == 2
    assert f"{target} is a file, not a folder" in result.output
    assert target.read_text() == "keep me"


def test_report_refuses_a_folder_it_cannot_make(app, runner, tmp_path):
    (tmp_path / "blocker").write_text("")
    out = tmp_path / "blocker" / "report"
    result = runner.invoke(args=["network", "report", "--out", str(out)])
    assert result.exit_code == 2 and f"Cannot create the folder {out}" in result.output


def test_report_leaves_nothing_half_written_when_a_file_fails(app, runner, tmp_path, monkeypatch):
    small_area(app)
    out = tmp_path / "report"
    out.mkdir()
    real = network_export.report_file

    def failing(name, data):
        if name == "trends.csv":
            raise OSError(28, "No space left on device")
        return real(name, data)

    monkeypatch.setattr(network_export, "report_file", failing)
    result = runner.invoke(args=["network", "report", "--out", str(out)])
    assert result.exit_code == 2 and "No space left on device" in result.output
    assert list(out.iterdir()) == []


def test_snapshot_is_one_row_a_month_and_shows_in_the_trends(app, runner, signed_in):
    small_area(app)
    before = today_in_uk()
    for _ in range(2):
        result = runner.invoke(args=["network", "snapshot"])
        assert result.exit_code == 0, result.output
    with app.app_context():
        (snapshot,) = db.session.scalars(db.select(NetworkSnapshot)).all()
        assert (snapshot.cells_shown, snapshot.at_risk_in_shown_cells) == (1, 6)
        # This month's (or next month's, should its first midnight pass meanwhile).
        assert snapshot.month in {before.replace(day=1), today_in_uk().replace(day=1)}
        # An earlier month, so that the trends have a line to draw.
        take_snapshot(date(2025, 1, 15))
    client, _ = signed_in("council")
    page = client.get("/council/network").get_data(as_text=True)
    trends = page.split('id="trends"', 1)[1]
    assert '<th scope="row">2025-01</th>' in trends
    assert "<svg" in trends and '<desc id="trend-desc">From 2025-01 to' in trends
    api = client.get("/api/v1/network/area").get_json()
    assert [row["month"] for row in api["trends"]][0] == "2025-01"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(counts=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=4))
def test_no_cell_anywhere_shows_a_figure_about_fewer_than_five(app_ctx, counts):
    """Random people per cell: every cell with fewer than five is bare in the
    report and the GeoJSON, and totals only add up shown cells."""
    cells = [CELL_A, CELL_B, CELL_C, h3.latlng_to_cell(51.3, -0.3, 8)][: len(counts)]
    people, next_id = [], 1
    for cell, count in zip(cells, counts):
        for lat, lon in homes(cell, count):
            people.append(PersonRecord(next_id, "P", "85+", lat, lon, True))
            next_id += 1
    report = build_report(Area(today=date(2026, 1, 1), people=people), NetworkSettings())
    true_counts = dict(zip(cells, counts))
    for row in report["cells"]:
        if true_counts[row["cell"]] < 5:
            assert row["suppressed"] and all(row[key] is None for key in CELL_FIGURES)
    for feature in cells_geojson(report["cells"])["features"]:
        if true_counts[feature["id"]] < 5:
            assert set(feature["properties"]) == {"cell", "name", "suppressed"}
    shown = [row for row in report["cells"] if not row["suppressed"]]
    assert report["totals"]["people_in_shown_cells"] == sum(row["people"] for row in shown)
    hidden = sum(true_counts[row["cell"]] for row in report["cells"] if row["suppressed"])
    # With anything shown, the hidden cells hold none or at least five people.
    assert not shown or hidden == 0 or hidden >= 5
    overall = report["coverage"]["overall"]
    assert overall["suppressed"] or overall["denominator"] >= 5


@pytest.mark.parametrize("out", ["cells.csv", "nested/deeper"])
def test_report_makes_a_missing_folder(app, runner, tmp_path, out):
    result = runner.invoke(args=["network", "report", "--out", str(tmp_path / out)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / out / "cells.geojson").is_file()
