"""Imports: records a second for an ORUK feed and for a spreadsheet of venues.

    .venv/bin/python benchmarks/imports.py [--services 3000] [--rows 2000] [--area NE]

Into a new SQLite database made by the migrations, with the real postcodes
of one postcode area (``--area``, from ../shared/data/uk_postcodes.csv.gz)
in the gazetteer:

* **ORUK**: a feed of ``--services`` services (one page, as ``/services``
  answers it; each with its organisation, of 7, its own location, schedule,
  cost option and two taxonomy terms) through ``interop.oruk.importing``
  — reading the JSON, mapping, loading through the schemas, writing, one
  transaction — first into the empty register (all created), then again
  (all found, none changed);
* **spreadsheet**: ``--rows`` synthetic libraries and halls of a county
  (a real postcode each, typed carelessly: lower case, a full stop; 3%
  "[Unknown]", 1% no address, 1% a postcode not in the gazetteer, 2%
  closed) through ``register.services.sheet_import``, placed through the
  gazetteer, then again.

Prints records a second for each run and the load average (the machine
is shared). Target: at least 500 records a second for each first import,
so that a county's feed or list imports in seconds, not minutes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import bench_app, load_average  # noqa: E402

POSTCODES = ROOT.parent / "shared" / "data" / "uk_postcodes.csv.gz"


def _area_postcodes(area: str) -> list[tuple[str, float, float]]:
    """The area's postcodes, in the gazetteer's form (the file's are ONS's
    seven characters, "NE100AA")."""
    from betterway_map.domain.geo.postcodes import normalise_postcode

    found = []
    with gzip.open(POSTCODES, "rt", encoding="utf-8") as rows:
        next(rows)
        for line in rows:
            if line.startswith(area) and line[len(area)].isdigit():
                postcode, lat, lon = line.rstrip("\n").split(",")
                if lat and lon:  # terminated postcodes have no point
                    found.append((normalise_postcode(postcode), float(lat), float(lon)))
    return found


def _sheet(rows: int, postcodes: list, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    lines = ["Reference,Library name,Address,Town,Post Code,Status,Wheelchair access"]
    for number in range(1, rows + 1):
        postcode, _, _ = rng.choice(postcodes)
        typed, address, status = postcode.lower() + ".", f"{number} High Street", "Open"
        roll = rng.random()
        if roll < 0.03:
            typed = "[Unknown]"
        elif roll < 0.04:
            address = ""
        elif roll < 0.05:
            typed = "ZZ9 9ZZ"
        elif roll < 0.07:
            status = "Closed"
        kind = rng.choice(("Library", "Community Hall", "Cafe"))
        lines.append(
            f"L{number:05d},{kind} {number},{address},Town {number % 40},{typed},{status},"
            f"{rng.choice(('Yes', 'No'))}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _timed(action) -> tuple[object, float]:
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=3000)
    parser.add_argument("--rows", type=int, default=2000)
    parser.add_argument("--area", default="NE")
    args = parser.parse_args()

    import logging

    logging.disable(logging.INFO)
    from betterway_map.extensions import db
    from betterway_map.interop.oruk.feed import services_of
    from betterway_map.interop.oruk.importing import import_feed
    from betterway_map.register.models import Organisation
    from betterway_map.register.services.sheet_import import import_sheet
    from tests.factories.oruk_feed import many_services

    folder = tempfile.mkdtemp()
    app = bench_app(folder)
    postcodes = _area_postcodes(args.area)
    with sqlite3.connect(f"{folder}/bench.db") as connection:
        connection.executemany(
            "INSERT INTO postcodes (postcode, latitude, longitude, fictional) VALUES (?, ?, ?, 0)",
            postcodes,
        )
    feed = json.dumps({"contents": many_services(args.services)}).encode()
    sheet = _sheet(args.rows, postcodes)
    print(f"gazetteer: {len(postcodes):,} postcodes of {args.area}; feed {len(feed) / 1e6:.1f} MB; "
          f"sheet {len(sheet) / 1e6:.2f} MB")  # fmt: skip
    with app.app_context():
        for run in ("first", "again"):
            report, seconds = _timed(
                lambda: import_feed(services_of(feed, "feed.json"), "feed.json", None)
            )
            print(f"ORUK feed, {run}: {args.services:,} services in {seconds:.2f} s = "
                  f"{args.services / seconds:,.0f} a second; {report.summary()}")  # fmt: skip
        organisation = Organisation(name="County Libraries", sector="public")
        db.session.add(organisation)
        db.session.commit()
        for run in ("first", "again"):
            report, seconds = _timed(
                lambda: import_sheet(sheet, "libraries.csv", "spaces", organisation.id, None)
            )
            print(f"spreadsheet, {run}: {args.rows:,} rows in {seconds:.2f} s = "
                  f"{args.rows / seconds:,.0f} a second; {report.summary()}; "
                  f"{report.extra[-1]}")  # fmt: skip
    print(f"load average (1, 5, 15 min): {load_average()}")


if __name__ == "__main__":
    main()
