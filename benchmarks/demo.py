"""``flask demo --people N``: wall time, CPU time and peak memory, against the
target and against a floor, in one run.

    .venv/bin/python benchmarks/demo.py [--people 100000] [--seed 42] [--database-url URL]

Three measurements:

* **ours**: ``flask db upgrade`` then ``flask demo --people N`` in a child
  process, into a new SQLite database in a temporary folder (or into
  ``--database-url``, which must be an empty database: it is emptied with
  ``--reset``), everything included: generating the town, writing it, the
  area indicator, the monthly snapshots. Its wall time, CPU time (user +
  system) and peak resident memory (``wait4``'s ``ru_maxrss``) are the
  child's own;
* **the write floor**: every row ours wrote, read back and written again by
  a bare ``sqlite3`` ``executemany`` per table into an empty copy of the
  same schema (no application, no generating, no checks): what writing
  that many rows costs at the least (SQLite only);
* **checks**: the database holds the people asked for, the area indicator
  (its sectors, Brookfield Estate's in the most in-need decile), the
  volunteering roles and the monthly snapshots.

Targets (issue 15): at 100,000 people, under 3 minutes and under 1 GB.
Quote the load average (printed) with the figures: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import load_average  # noqa: E402

TARGET_SECONDS = 180
TARGET_BYTES = 1_000_000_000
ESTATE_SECTOR = "ZZ6 9"  # demo.generator.town.ESTATE_SECTOR


def _flask(url: str, instance: str, *args: str) -> tuple[float, float, int, str]:
    """Run ``flask ARGS`` in a child: (wall s, CPU s, peak RSS bytes, output)."""
    env = dict(os.environ, DATABASE_URL=url, BETTERWAY_INSTANCE=instance, FLASK_DEBUG="0")
    command = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi", *args]
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(  # noqa: S603 (our own flask and commands)
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - started
        out.seek(0)
        output = out.read().decode(errors="replace")
    if child.returncode != 0:
        sys.exit(f"flask {' '.join(args)} failed ({child.returncode}):\n{output[-3000:]}")
    # ru_maxrss is in kilobytes on Linux.
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, output


def _write_floor(source: Path, folder: str) -> tuple[float, int]:
    """A bare executemany of every row of ``source`` into an empty copy of
    its schema: (seconds, rows)."""
    target = Path(folder) / "floor.db"
    with sqlite3.connect(source) as read:
        schema = [
            sql
            for (sql,) in read.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND sql IS NOT NULL "
                "AND name NOT LIKE 'sqlite_%'"
            )
        ]
        tables = [
            name
            for (name,) in read.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        data = {}
        for table in tables:
            # Names read from the database's own catalogue, not from input.
            data[table] = read.execute(f'SELECT * FROM "{table}"').fetchall()  # noqa: S608
    write = sqlite3.connect(target)
    for sql in schema:
        write.execute(sql)
    write.commit()
    rows = 0
    started = time.perf_counter()
    for table, found in data.items():
        if found:
            marks = ", ".join("?" * len(found[0]))
            write.executemany(f'INSERT INTO "{table}" VALUES ({marks})', found)  # noqa: S608
            rows += len(found)
    write.commit()
    seconds = time.perf_counter() - started
    write.close()
    return seconds, rows


def _checks(url: str, instance: str, people: int) -> list[str]:
    """What the demo left in the database, read through the application."""
    os.environ["DATABASE_URL"], os.environ["BETTERWAY_INSTANCE"] = url, instance
    from sqlalchemy import func, select

    from betterway_map import create_app
    from betterway_map.database import json_list_contains
    from betterway_map.extensions import db
    from betterway_map.geocoding.models import AreaIndicator, AreaIndicatorValue
    from betterway_map.network.models import NetworkSnapshot
    from betterway_map.people.models import Person
    from betterway_map.register.models import Group
    from config import CONFIGS

    problems = []
    app = create_app(CONFIGS["development"])
    with app.app_context():
        count = db.session.scalar(select(func.count()).select_from(Person))
        if count != people:
            problems.append(f"{count} people, not {people}")
        [indicator] = db.session.scalars(select(AreaIndicator)).all() or [None]
        deciles = (
            dict(
                db.session.execute(
                    select(AreaIndicatorValue.area_code, AreaIndicatorValue.decile).where(
                        AreaIndicatorValue.indicator_id == indicator.id
                    )
                ).all()
            )
            if indicator
            else {}
        )
        if deciles.get(ESTATE_SECTOR) != 1:
            problems.append(f"the estate's decile is {deciles.get(ESTATE_SECTOR)}, not 1")
        roles = db.session.scalar(
            select(func.count())
            .select_from(Group)
            .where(Group.status == "active", json_list_contains(Group.interests, "volunteering"))
        )
        snapshots = db.session.scalar(select(func.count()).select_from(NetworkSnapshot))
        print(
            f"  checks: {count:,} people; area indicator of {len(deciles)} sectors, the estate "
            f"in decile {deciles.get(ESTATE_SECTOR)}; {roles} volunteering roles; "
            f"{snapshots} monthly snapshots"
        )
        if not roles:
            problems.append("no volunteering roles")
        if snapshots < 6:
            problems.append(f"{snapshots} snapshots")
        db.engine.dispose()
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/demo.db"
        print(f"load average before: {load_average()}")
        _flask(url, folder, "db", "upgrade")
        demo = ["demo", "--people", str(args.people), "--seed", str(args.seed)]
        if args.database_url:
            demo.append("--reset")
        wall, cpu, peak, output = _flask(url, folder, *demo)
        load = load_average()
        rows = next(
            (line for line in output.splitlines() if line.startswith("Loaded the fictional")), ""
        )
        print(f"flask demo --people {args.people:,} (seed {args.seed}) into {url.split(':')[0]}")
        print(f"  {rows.strip()}")
        print(f"  ours:  wall {wall:7.1f} s   CPU {cpu:7.1f} s   peak RSS {peak / 1e6:6.0f} MB")
        print(
            f"  target: under {TARGET_SECONDS} s and {TARGET_BYTES / 1e6:.0f} MB -> wall "
            f"{wall / TARGET_SECONDS:.2f}, CPU {cpu / TARGET_SECONDS:.2f} and memory "
            f"{peak / TARGET_BYTES:.2f} of the target"
        )
        if not args.database_url:
            floor, written = _write_floor(Path(folder) / "demo.db", folder)
            print(
                f"  write floor (bare sqlite3 executemany of the {written:,} rows ours wrote): "
                f"{floor:.1f} s; ours takes {wall / floor:.1f}x the floor's time "
                "(generating, checking and the snapshots included)"
            )
        problems = _checks(url, folder, args.people)
        print(f"load average after: {load}")
        met = wall < TARGET_SECONDS and peak < TARGET_BYTES and not problems
        for problem in problems:
            print(f"  PROBLEM: {problem}")
        print("target met" if met else "target NOT met")
        sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
