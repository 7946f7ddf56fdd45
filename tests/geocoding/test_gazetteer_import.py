"""Importing postcode files: counts, re-runs, skips, all or nothing, the CLI."""

from __future__ import annotations

import gzip

import pytest
from sqlalchemy import func, select

from betterway_map.domain.geo.postcode_files import GazetteerFileError
from betterway_map.extensions import db
from betterway_map.geocoding.gazetteer import import_postcode_files
from betterway_map.geocoding.models import PostcodePoint

GOOD = "pcds,lat,long\nE13 8QS,51.52,0.02\nSW1A1AA,51.501,-0.1416\nAB113AG,,0.00000\nNPT 0AD,51.5,-3.0\n"


def _write(folder, name, text, compress=False):
    path = folder / name
    if compress:
        with gzip.open(path, "wt") as handle:
            handle.write(text)
    else:
        path.write_text(text)
    return path


def _points():
    return {
        p.postcode: (p.latitude, p.longitude, p.fictional)
        for p in db.session.scalars(select(PostcodePoint))
    }


@pytest.mark.parametrize("compress", [False, True])
def test_import_loads_usable_rows_and_reports_each_kind_of_skip(app_ctx, tmp_path, compress):
    path = _write(tmp_path, "p.csv.gz" if compress else "p.csv", GOOD, compress)
    report = import_postcode_files([path])
    assert _points() == {"E13 8QS": (51.52, 0.02, False), "SW1A 1AA": (51.501, -0.1416, False)}
    assert (report.loaded, report.updated, report.unchanged) == (2, 0, 0)
    assert dict(report.skipped) == {"no_coordinates": 1, "bad_postcode": 1}
    text = "\n".join(report.lines())
    assert "Loaded 2 new postcodes" in text
    assert "no coordinates" in text and "AB113AG" in text and "line 4" in text


def test_a_re_import_updates_and_never_duplicates(app_ctx, tmp_path):
    import_postcode_files([_write(tmp_path, "a.csv", GOOD)])
    moved = GOOD.replace("51.52,0.02", "51.53,0.03")
    report = import_postcode_files([_write(tmp_path, "b.csv", moved)])
    assert (report.loaded, report.updated, report.unchanged) == (0, 1, 1)
    assert _points()["E13 8QS"] == (51.53, 0.03, False)
    assert db.session.scalar(select(func.count()).select_from(PostcodePoint)) == 2


def test_a_postcode_repeated_in_the_files_is_stored_once_with_the_last_value(app_ctx, tmp_path):
    first = _write(tmp_path, "a.csv", "postcode,lat,long\nE13 8QS,51.52,0.02\n")
    second = _write(tmp_path, "b.csv", "postcode,lat,long\ne138qs,51.6,0.1\nAB113AG,,0\n")
    report = import_postcode_files([first, second])
    assert _points() == {"E13 8QS": (51.6, 0.1, False)}
    # Counted once, though PostgreSQL reads the files again when a first
    # import repeats a postcode.
    assert (report.loaded, report.rows_accepted, dict(report.skipped)) == (
        1,
        2,
        {"no_coordinates": 1},
    )


def test_a_broken_file_leaves_the_gazetteer_as_it_was(app_ctx, tmp_path):
    import_postcode_files([_write(tmp_path, "a.csv", GOOD)])
    before = _points()
    good = _write(tmp_path, "more.csv", "postcode,lat,long\nE1 6AN,51.52,-0.07\n")
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(b"postcode,lat,long\nE2 7AA,51.53,-0.06\n")[:-12])
    with pytest.raises(GazetteerFileError):
        import_postcode_files([good, broken])
    assert _points() == before


def test_the_demo_postcodes_are_left_alone(app_ctx, tmp_path):
    db.session.add(PostcodePoint(postcode="ZZ1 1AA", latitude=52.0, longitude=-1.0, fictional=True))
    db.session.commit()
    import_postcode_files([_write(tmp_path, "a.csv", GOOD)])
    assert _points()["ZZ1 1AA"] == (52.0, -1.0, True)


def test_cli_import_prints_the_closing_report(runner, tmp_path):
    path = _write(tmp_path, "p.csv", GOOD)
    result = runner.invoke(args=["gazetteer", "import", "--quiet", str(path)])
    assert result.exit_code == 0, result.output
    assert "Loaded 2 new postcodes" in result.output
    assert "Skipped 2 rows" in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [("name,lat,long\nx,1,2\n", "no postcode column"), ("", "empty")],
)
def test_cli_refuses_an_unusable_file_and_imports_nothing(app, runner, tmp_path, content, message):
    path = _write(tmp_path, "p.csv", content)
    result = runner.invoke(args=["gazetteer", "import", "--quiet", str(path)])
    assert result.exit_code == 1
    assert message in result.output and "Nothing was imported" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(PostcodePoint)) == 0


def test_cli_names_a_missing_file(runner, tmp_path):
    result = runner.invoke(args=["gazetteer", "import", str(tmp_path / "nope.csv")])
    assert result.exit_code == 2
    assert "nope.csv" in result.output and "does not exist" in result.output


def test_a_re_import_counts_new_moved_and_unchanged_and_keeps_live_only_postcodes(
    app_ctx, tmp_path
):
    """The live table holds E13 8QS (as in the file), SW1A 1AA (moved since)
    and the demo's ZZ1 1AA (in no file). The file adds E1 6AN, twice."""
    import_postcode_files([_write(tmp_path, "a.csv", GOOD.replace("51.501", "51.4"))])
    db.session.add(PostcodePoint(postcode="ZZ1 1AA", latitude=52.0, longitude=-1.0, fictional=True))
    db.session.commit()
    again = GOOD + "E1 6AN,51.5,-0.07\nE1 6AN,51.52,-0.07\n"
    report = import_postcode_files([_write(tmp_path, "b.csv", again)])
    assert (report.loaded, report.updated, report.unchanged) == (1, 1, 2)
    assert _points() == {
        "E13 8QS": (51.52, 0.02, False),
        "SW1A 1AA": (51.501, -0.1416, False),
        "E1 6AN": (51.52, -0.07, False),
        "ZZ1 1AA": (52.0, -1.0, True),
    }


def test_a_broken_file_is_named_and_imports_nothing(app_ctx, tmp_path):
    broken = tmp_path / "broken.csv.gz"
    broken.write_bytes(gzip.compress(GOOD.encode())[:-12])
    with pytest.raises(GazetteerFileError, match="broken.csv.gz"):
        import_postcode_files([broken])
    assert _points() == {}
