"""A postcode import killed at random points (issue 14): each time the
gazetteer is as it was or complete, never half-imported; no process of the
import is left running; and a re-run finishes with the whole file.

The import is the real command (``flask gazetteer import``) in a child
process, killed with SIGKILL after a random delay: while the interpreter is
still starting, while blocks are read and built aside, while the new table
is copied in, around the swap. The database is the suite's (SQLite, or PostgreSQL when
``TEST_DATABASE_URL`` names it, as in CI's second run).
"""

from __future__ import annotations

import itertools
import os
import random
import select as io_select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import BigInteger, cast, func, select, text

from betterway_map import ROOT
from betterway_map.extensions import db
from betterway_map.geocoding.gazetteer import import_postcode_files
from betterway_map.geocoding.models import PostcodePoint

pytestmark = pytest.mark.slow

# An import of about a second on an idle machine.
ROWS = 200_000
# Each kill costs the command's start (seconds on a busy machine): one while
# it starts, then one in each half of the import and a little beyond.
KILLS = 3
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    units = ["".join(pair) for pair in itertools.product(_INWARD_LETTERS, repeat=2)]
    districts = (f"{area}{number}" for area in ("KA", "KB", "KC") for number in range(1, 100))
    lines = ["pcds,lat,long"]
    for n, (district, sector, unit) in enumerate(itertools.product(districts, range(10), units)):
        if n == ROWS:
            break
        lines.append(f"{district} {sector}{unit},{52 + n / 1e6:.6f},{-1 - n / 1e6:.6f}")
    path = tmp_path_factory.mktemp("killed") / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _state() -> tuple:
    """The gazetteer, in brief: how many rows and where they are on average."""
    db.session.remove()
    count, lat, lon = db.session.execute(
        select(
            func.count(),
            func.sum(cast(PostcodePoint.latitude * 1000, BigInteger)),
            func.sum(cast(PostcodePoint.longitude * 1000, BigInteger)),
        )
    ).one()
    # Sums of whole thousandths: exact in any order (a sum of doubles is not,
    # and PostgreSQL adds them in whatever order it reads the rows).
    return count, int(lat or 0), int(lon or 0)


def test_an_import_killed_anywhere_leaves_the_gazetteer_as_it_was_or_complete(
    app, app_ctx, tmp_path, big_file
):
    # How long the import itself takes here, to spread the kills over it.
    seconds = import_postcode_files([big_file]).seconds
    db.session.execute(text("DELETE FROM postcodes"))
    db.session.commit()
    # The gazetteer before: a made-up postcode and an earlier import of the
    # file's first 1,000 postcodes at other points (so "as it was" differs
    # from "complete" in both the count and the coordinates).
    db.session.add(PostcodePoint(postcode="ZZ1 1AA", latitude=52.0, longitude=-1.0, fictional=True))
    db.session.commit()
    earlier = tmp_path / "earlier.csv"
    head = big_file.read_text().splitlines()[:1001]
    earlier.write_text("\n".join([head[0]] + [_moved(line) for line in head[1:]]) + "\n")
    import_postcode_files([earlier])
    before = _state()
    assert before[0] == 1001

    seed = int(os.environ.get("FAULT_SEED", random.randrange(1 << 30)))
    pick = random.Random(seed)
    outcomes = []
    for number in range(KILLS):
        # The first while the command is starting; the others in turn over
        # the import's own time and a little beyond (when it ends first, it
        # simply completes).
        if number == 0:
            started, delay = False, pick.uniform(0.05, 1.0)
        else:
            share = 1.3 * seconds / (KILLS - 1)
            started, delay = True, pick.uniform((number - 1) * share, number * share)
        began = time.monotonic()
        importer, descendants = _import_and_kill(app, tmp_path, big_file, started, delay)
        killed = time.monotonic()
        _wait_until(
            lambda d=descendants: not any(_running(pid) for pid in d),
            f"the import's children {descendants} to end (seed {seed})",
        )
        print(
            f"kill {number}: {killed - began:.1f} s to kill, {time.monotonic() - killed:.1f} s for children {descendants}"
        )
        state = _state()
        outcomes.append(
            (round(delay, 2), importer.returncode, "before" if state == before else state)
        )
        if state != before:
            assert state[0] == ROWS + 1, (seed, outcomes)  # complete: checked below in full
    print(f"import {seconds:.2f} s; seed {seed}: (delay, exit status, gazetteer) {outcomes}")

    report = import_postcode_files([big_file])
    complete = _state()
    assert complete[0] == ROWS + 1
    assert report.rows_accepted == ROWS
    # Every state after a kill was either the one before or this one.
    assert all(o[2] in ("before", complete) for o in outcomes), (seed, outcomes)
    assert db.session.get(PostcodePoint, "ZZ1 1AA").fictional
    point = db.session.get(PostcodePoint, big_file.read_text().splitlines()[1].split(",")[0])
    assert (point.latitude, point.longitude) == (52.0, -1.0)  # the file's, not the earlier one
    assert not _leftovers()


def _moved(line: str) -> str:
    postcode, lat, lon = line.split(",")
    return f"{postcode},{float(lat) + 1:.6f},{lon}"


def _import_and_kill(app, tmp_path, path: Path, started: bool, delay: float):
    """Start the import command and SIGKILL it ``delay`` seconds later, counted
    from its start (its progress bar's first output) when ``started``, else
    from its launch (unless it finished first). Returns the process and every
    descendant it had."""
    importer = subprocess.Popen(  # noqa: S603 (this interpreter, our own command)
        [sys.executable, "-m", "flask", "--app", "wsgi", "gazetteer", "import", str(path)],
        cwd=ROOT,
        env=os.environ
        | {
            "BETTERWAY_CONFIG": "testing",
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "BETTERWAY_INSTANCE": str(tmp_path),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    descendants: set[int] = set()
    launched = time.monotonic()
    deadline = None if started else launched + delay
    while importer.poll() is None and (deadline is None or time.monotonic() < deadline):
        descendants |= _descendants(importer.pid)
        readable, _, _ = io_select.select([importer.stderr], [], [], 0.02)
        if readable:
            os.read(importer.stderr.fileno(), 65536)  # keep the pipe from filling
            if deadline is None:
                deadline = time.monotonic() + delay
        assert time.monotonic() - launched < 60, "the import command did not start"
    descendants |= _descendants(importer.pid)
    importer.send_signal(signal.SIGKILL)
    importer.wait()
    importer.stderr.close()
    return importer, descendants


def _leftovers() -> list[str]:
    with db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            return []
        return list(
            connection.execute(
                text(
                    "SELECT name FROM sqlite_master WHERE name LIKE 'postcodes_%' AND type = 'table'"
                )
            ).scalars()
        )


def _wait_until(condition, what: str, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def _descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc: psutil is not installed here)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
