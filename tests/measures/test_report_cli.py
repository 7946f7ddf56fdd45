"""``flask measures report``: the CSV tables, and a clear error for a bad --out."""

from __future__ import annotations

import csv

from betterway_map.measures.services.tables import REPORT_FILES


def test_report_writes_every_table(runner, tmp_path):
    out = tmp_path / "report"
    result = runner.invoke(args=["measures", "report", "--out", str(out), "--quiet"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == sorted(REPORT_FILES)
    with (out / "equity.csv").open(newline="") as handle:
        header = next(csv.reader(handle))
    assert header[:3] == ["dimension", "category", "people"]


def test_report_refuses_a_file_as_the_folder(runner, tmp_path):
    target = tmp_path / "taken.txt"
    target.write_text("x")
    result = runner.invoke(args=["measures", "report", "--out", str(target), "--quiet"])
    assert result.exit_code == 2
    assert f"--out {target} is a file, not a folder" in result.output
    assert target.read_text() == "x"
