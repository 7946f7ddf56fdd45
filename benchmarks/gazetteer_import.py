"""Gazetteer import: ours against the ORM peer and the sqlite3 floor, in one run.

    .venv/bin/python benchmarks/gazetteer_import.py [FILE] [--peer-rows N]

FILE defaults to ../shared/data/uk_postcodes.csv.gz (the whole UK, 2.7
million rows). Three measurements, each into a new SQLite database:

* ours: ``geocoding.gazetteer.import_postcode_files`` — reading, checking and
  normalising the file included — in a child process, whose peak resident
  memory is reported;
* the peer: one ORM object per row (``session.add(PostcodePoint(...))``,
  one commit), on the first ``--peer-rows`` of the same parsed rows (the
  whole file would hold millions of objects in one session);
* the floor: a bare ``sqlite3`` ``executemany`` of the same parsed rows into
  an empty table with no keys.

Targets (issue 3): ours at least 8x the peer's rows a second, at least half
the floor's, and under 300 MB peak.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_FILE = ROOT.parent / "shared" / "data" / "uk_postcodes.csv.gz"


def _app(folder: str):
    from betterway_map import create_app
    from config import TestingConfig

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/bench.db"

    os.environ["BETTERWAY_INSTANCE"] = folder
    app = create_app(BenchConfig)
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
    return app


def ours_in_child(path: Path) -> dict:
    """Run our import in a fresh process; return its figures and peak memory."""
    code = (
        "import json, resource, sys, tempfile, logging\n"
        "logging.disable(logging.INFO)\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from benchmarks.gazetteer_import import _app\n"
        "from betterway_map.geocoding.gazetteer import import_postcode_files\n"
        "folder = tempfile.mkdtemp()\n"
        "app = _app(folder)\n"
        "with app.app_context():\n"
        f"    report = import_postcode_files([{str(path)!r}])\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024\n"
        "reader = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(json.dumps({'rows': report.rows_accepted, 'seconds': report.seconds,"
        " 'loaded': report.loaded, 'skipped': sum(report.skipped.values()), 'peak_mb': peak,"
        " 'reader_peak_mb': reader}))\n"
    )
    out = subprocess.run(  # noqa: S603 (our own interpreter and code)
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def parsed_rows(path: Path) -> list[tuple[str, float, float]]:
    from betterway_map.domain.geo.postcode_files import PostcodeRow
    from tests.factories.postcode_reference import read_postcode_file

    return [
        (row.postcode, row.latitude, row.longitude)
        for row in read_postcode_file(path)
        if isinstance(row, PostcodeRow)
    ]


def peer(rows) -> float:
    from betterway_map.extensions import db
    from betterway_map.geocoding.models import PostcodePoint

    folder = tempfile.mkdtemp()
    app = _app(folder)
    with app.app_context():
        started = time.perf_counter()
        for postcode, lat, lon in rows:
            db.session.add(PostcodePoint(postcode=postcode, latitude=lat, longitude=lon))
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
    return seconds


FLOORS = {
    "keyless": "CREATE TABLE postcodes (postcode TEXT, latitude REAL, longitude REAL)",
    "same table": "CREATE TABLE postcodes (postcode VARCHAR(8) NOT NULL PRIMARY KEY, "
    "latitude FLOAT NOT NULL, longitude FLOAT NOT NULL) WITHOUT ROWID",
}


def floor(rows, table: str) -> float:
    folder = tempfile.mkdtemp()
    connection = sqlite3.connect(f"{folder}/floor.db")
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute(FLOORS[table])
    started = time.perf_counter()
    connection.executemany("INSERT INTO postcodes VALUES (?, ?, ?)", rows)
    connection.commit()
    seconds = time.perf_counter() - started
    connection.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--peer-rows", type=int, default=200_000)
    args = parser.parse_args()
    if not args.file.is_file():
        parser.error(f"{args.file} does not exist; give a postcode CSV file.")
    import logging

    logging.disable(logging.INFO)

    print(f"File: {args.file} ({args.file.stat().st_size / 1e6:.1f} MB)")
    ours = ours_in_child(args.file)
    ours_rate = ours["rows"] / ours["seconds"]
    peak = ours["peak_mb"] + ours["reader_peak_mb"]
    print(
        f"ours : {ours['rows']:>9,} rows in {ours['seconds']:6.2f} s = {ours_rate:>10,.0f} rows/s"
        f"   peak {ours['peak_mb']:.0f} MB + reader {ours['reader_peak_mb']:.0f} MB"
        f" (skipped {ours['skipped']:,})"
    )

    rows = parsed_rows(args.file)
    peer_rows = rows[: args.peer_rows]
    peer_seconds = peer(peer_rows)
    peer_rate = len(peer_rows) / peer_seconds
    print(
        f"peer : {len(peer_rows):>9,} rows in {peer_seconds:6.2f} s = {peer_rate:>10,.0f} rows/s"
        "   (one ORM object per row)"
    )
    floor_rates = {}
    for table in FLOORS:
        seconds = floor(rows, table)
        floor_rates[table] = len(rows) / seconds
        print(
            f"floor: {len(rows):>9,} rows in {seconds:6.2f} s = {floor_rates[table]:>10,.0f} rows/s"
            f"   (bare sqlite3 executemany of parsed rows, {table})"
        )
    print()
    print(f"ours / peer  = {ours_rate / peer_rate:5.1f}x   (target >= 8x)")
    for table, rate in floor_rates.items():
        print(f"ours / floor = {ours_rate / rate:5.2f}    (target >= 0.5; floor: {table})")
    print(f"peak memory  = {peak:.0f} MB, both processes together  (target < 300 MB)")
    print(
        f"(this process peaked at {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB "
        "holding the parsed rows for the references)"
    )


if __name__ == "__main__":
    main()
