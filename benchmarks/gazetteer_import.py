"""Gazetteer import: ours against the ORM peer and the whole-pipeline floor, in one run.

    .venv/bin/python benchmarks/gazetteer_import.py [FILE] [--peer-rows N] [--repeat N]
                                                    [--database-url URL]

FILE defaults to ../shared/data/uk_postcodes.csv.gz (the whole UK, 2.7
million rows). The database is a new SQLite file for each measurement, or
the PostgreSQL database ``--database-url`` names (migrated here, its
``postcodes`` table emptied before each measurement: use a database of
your own). Each measurement runs in a fresh process, ours and the floor
taking turns ``--repeat`` times; the best of each is compared:

* ours: ``geocoding.gazetteer.import_postcode_files`` on the file, all of
  it timed: reading, checking and normalising every row, building aside and
  swapping in; the process's peak resident memory is reported (with that
  of any process it starts, whose CPU time is counted too);
* the floor, the whole pipeline with nothing but the work itself: gunzip,
  the csv module's reader, and its rows as they come straight into the
  same table (the live table's own definition), unchecked, in one
  transaction. On SQLite a bare ``executemany`` into a new file with no
  journal and no syncing (as ours builds); on PostgreSQL ``COPY``, leaving
  out the rows without coordinates that the table refuses;
* the peer: one ORM object per row (``session.add(PostcodePoint(...))``,
  one commit), on the first ``--peer-rows`` rows of the file as the
  reference reader reads them (the whole file would hold millions of
  objects in one session).

Rates are rows a second of the file (every data row, used or skipped).
Wall-clock rates are shown with CPU-time rates beside them, as this machine
is shared: the load average is printed before and after. On PostgreSQL the
CPU time is only the importing process's; most of the work is the server's.

Targets (issue 15): ours at least half the floor's rate and under 300 MB
peak; at least 8x the peer (issue 3). Exit status 1 on a missed target.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import itertools
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
FLOOR_CACHE_KIB = 16 << 10  # as ours gives the table it builds


def _app(database_url: str | None, folder: str):
    """The app on a migrated database with an empty gazetteer."""
    from betterway_map import create_app
    from config import TestingConfig

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = database_url or f"sqlite:///{folder}/bench.db"

    os.environ["BETTERWAY_INSTANCE"] = folder
    app = create_app(BenchConfig)
    with app.app_context():
        from flask_migrate import upgrade
        from sqlalchemy import text

        from betterway_map.extensions import db

        upgrade()
        db.session.execute(text("DELETE FROM postcodes"))
        db.session.commit()
    return app


def _usage() -> tuple[float, float]:
    """Wall-clock and CPU time, the CPU of any child process it ran included."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter(), time.process_time() + children.ru_utime + children.ru_stime


def _since(started: tuple[float, float]) -> dict:
    wall, cpu = _usage()
    return {"seconds": wall - started[0], "cpu_seconds": cpu - started[1]}


def _peak_mb() -> float:
    """This process's peak resident memory plus that of its largest child, if any."""
    peaks = (
        resource.getrusage(who).ru_maxrss
        for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
    )
    return sum(peaks) / 1024


def child_ours(path: Path, database_url: str | None) -> dict:
    import logging

    logging.disable(logging.INFO)
    from betterway_map.geocoding.gazetteer import import_postcode_files

    app = _app(database_url, tempfile.mkdtemp())
    before_mb = _peak_mb()
    with app.app_context():
        started = _usage()
        report = import_postcode_files([path])
        figures = _since(started)
    return figures | {
        "accepted": report.rows_accepted,
        "skipped": sum(report.skipped.values()),
        "loaded": report.loaded,
        "peak_mb": _peak_mb(),
        "app_mb": before_mb,
    }


def _csv_rows(path: Path):
    """The csv module's rows of the (gzipped) file, after its header."""
    handle = gzip.open(path, "rt", newline="") if path.suffix == ".gz" else open(path, newline="")  # noqa: SIM115
    rows = csv.reader(handle)
    next(rows)
    return handle, rows


def child_floor(path: Path, database_url: str | None, ddl: str) -> dict:
    if database_url:
        return _floor_postgresql(path, database_url)
    connection = sqlite3.connect(f"{tempfile.mkdtemp()}/floor.db", isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{FLOOR_CACHE_KIB}"):
        connection.execute(f"PRAGMA {pragma}")
    connection.execute(ddl)
    started = _usage()
    handle, rows = _csv_rows(path)
    with handle:
        connection.execute("BEGIN")
        connection.executemany(
            "INSERT INTO postcodes (postcode, latitude, longitude, fictional) VALUES (?, ?, ?, 0)",
            rows,
        )
        connection.execute("COMMIT")
    figures = _since(started)
    (count,) = connection.execute("SELECT count(*) FROM postcodes").fetchone()
    return figures | {"rows": count, "peak_mb": _peak_mb()}


def _floor_postgresql(path: Path, database_url: str) -> dict:
    import psycopg

    url = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as connection:
        connection.execute("TRUNCATE postcodes")
        connection.commit()
        started = _usage()
        handle, rows = _csv_rows(path)
        with handle, connection.cursor() as cursor:
            with cursor.copy(
                "COPY postcodes (postcode, latitude, longitude, fictional) FROM STDIN"
            ) as copy:
                for postcode, lat, lon in rows:
                    if lat and lon:
                        copy.write_row((postcode, lat, lon, False))
            connection.commit()
        figures = _since(started)
        (count,) = connection.execute("SELECT count(*) FROM postcodes").fetchone()
        connection.execute("TRUNCATE postcodes")
        connection.commit()
    return figures | {"rows": count, "peak_mb": _peak_mb()}


def peer(path: Path, database_url: str | None, rows: int) -> dict:
    """One ORM object per row, on the first ``rows`` rows the reference reads."""
    from sqlalchemy import text

    from betterway_map.domain.geo.postcode_files import PostcodeRow
    from betterway_map.extensions import db
    from betterway_map.geocoding.models import PostcodePoint
    from tests.factories.postcode_reference import read_postcode_file

    app = _app(database_url, tempfile.mkdtemp())
    with app.app_context():
        started = _usage()
        count = 0
        for row in itertools.islice(read_postcode_file(path), rows):
            count += 1
            if isinstance(row, PostcodeRow):
                db.session.add(
                    PostcodePoint(
                        postcode=row.postcode, latitude=row.latitude, longitude=row.longitude
                    )
                )
        db.session.commit()
        figures = _since(started)
        db.session.execute(text("DELETE FROM postcodes"))
        db.session.commit()
        db.session.remove()
    return figures | {"rows": count}


def live_ddl(database_url: str | None) -> str:
    """The live table's CREATE statement, from a database the migrations made."""
    if database_url:
        return ""
    folder = tempfile.mkdtemp()
    _app(None, folder)
    connection = sqlite3.connect(f"{folder}/bench.db")
    (sql,) = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'postcodes'"
    ).fetchone()
    connection.close()
    return sql


def in_child(what: str, args) -> dict:
    command = [sys.executable, __file__, str(args.file), "--child", what]
    if args.database_url:
        command += ["--database-url", args.database_url]
    out = subprocess.run(  # noqa: S603 (our own interpreter and script)
        command, capture_output=True, text=True, check=False, input=args.ddl
    )
    if out.returncode:
        raise SystemExit(f"the {what} run failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _rate(rows: int, figures: dict, key: str = "seconds") -> float:
    return rows / figures[key]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--peer-rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--database-url", help="a PostgreSQL database of your own")
    parser.add_argument("--child", choices=("ours", "floor"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.file.is_file():
        parser.error(f"{args.file} does not exist; give a postcode CSV file.")
    import logging

    logging.disable(logging.INFO)
    if args.child == "ours":
        print(json.dumps(child_ours(args.file, args.database_url)))
        return 0
    if args.child == "floor":
        print(json.dumps(child_floor(args.file, args.database_url, sys.stdin.read())))
        return 0

    database = "PostgreSQL" if args.database_url else "SQLite"
    print(f"File: {args.file} ({args.file.stat().st_size / 1e6:.1f} MB); {database}")
    print(f"load average before: {open('/proc/loadavg').read().strip()}")
    args.ddl = live_ddl(args.database_url)
    with gzip.open(args.file, "rb") if args.file.suffix == ".gz" else open(args.file, "rb") as f:
        rows = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b"")) - 1
    ours_runs, floor_runs = [], []
    for number in range(args.repeat):
        ours_runs.append(in_child("ours", args))
        floor_runs.append(in_child("floor", args))
        o, f = ours_runs[-1], floor_runs[-1]
        print(
            f"run {number + 1}: ours {o['seconds']:6.2f} s ({o['cpu_seconds']:5.2f} s CPU, "
            f"peak {o['peak_mb']:.0f} MB)   floor {f['seconds']:6.2f} s ({f['cpu_seconds']:5.2f} s CPU)"
        )
    ours = min(ours_runs, key=lambda run: run["seconds"])
    floor = min(floor_runs, key=lambda run: run["seconds"])
    ours_cpu = min(run["cpu_seconds"] for run in ours_runs)
    floor_cpu = min(run["cpu_seconds"] for run in floor_runs)
    peer_figures = peer(args.file, args.database_url, args.peer_rows)

    print()
    print(
        f"ours : {rows:>9,} rows in {ours['seconds']:6.2f} s = {_rate(rows, ours):>9,.0f} rows/s"
        f"   CPU {ours_cpu:5.2f} s   ({ours['accepted']:,} loaded, {ours['skipped']:,} skipped;"
        f" peak {ours['peak_mb']:.0f} MB, of which {ours['app_mb']:.0f} MB before the import)"
    )
    print(
        f"floor: {rows:>9,} rows in {floor['seconds']:6.2f} s = {_rate(rows, floor):>9,.0f} rows/s"
        f"   CPU {floor_cpu:5.2f} s   (gunzip + csv + bare "
        f"{'COPY' if args.database_url else 'executemany'}, {floor['rows']:,} rows stored)"
    )
    print(
        f"peer : {peer_figures['rows']:>9,} rows in {peer_figures['seconds']:6.2f} s = "
        f"{_rate(peer_figures['rows'], peer_figures):>9,.0f} rows/s"
        f"   CPU {peer_figures['cpu_seconds']:5.2f} s   (one ORM object per row)"
    )
    print()
    versus_floor = floor["seconds"] / ours["seconds"]
    versus_floor_cpu = floor_cpu / ours_cpu
    cpu = "the importing process's CPU time only" if args.database_url else "CPU time"
    versus_peer = _rate(rows, ours) / _rate(peer_figures["rows"], peer_figures)
    print(f"ours / floor = {versus_floor:5.2f}  ({cpu}: {versus_floor_cpu:.2f})  (target >= 0.5)")
    print(f"ours / peer  = {versus_peer:5.1f}x (target >= 8x)")
    print(f"peak memory  = {ours['peak_mb']:.0f} MB  (target < 300 MB)")
    print(f"load average after: {open('/proc/loadavg').read().strip()}")
    missed = versus_floor < 0.5 or versus_peer < 8 or ours["peak_mb"] >= 300
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
