"""An import beside a live site (issue 14): the site's writes keep working
during an import, and a killed import changes nothing and leaves no process
behind.

The file is generated: 400,000 postcodes, about two seconds of import.
"""

from __future__ import annotations

import itertools
import os
import select as io_select
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from betterway_map import ROOT
from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.geocoding.gazetteer import import_postcode_files
from betterway_map.geocoding.models import PostcodePoint
from betterway_map.register.services.spaces import create_space
from tests.factories.organisations import make_organisation

pytestmark = pytest.mark.slow

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
ROWS = 400_000


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    """ROWS distinct valid postcodes in the south-east, each with its own point."""
    units = ["".join(pair) for pair in itertools.product(_INWARD_LETTERS, repeat=2)]
    districts = (f"{area}{number}" for area in ("AB", "CD", "EF", "GH") for number in range(1, 100))
    lines = ["pcds,lat,long"]
    for n, (district, sector, unit) in enumerate(itertools.product(districts, range(10), units)):
        if n == ROWS:
            break
        lines.append(f"{district} {sector}{unit},{51 + n / 1e6:.6f},{-n / 1e6:.6f}")
    path = tmp_path_factory.mktemp("gazetteer") / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _postcode_count() -> int:
    return db.session.scalar(select(func.count()).select_from(PostcodePoint))


def test_live_writes_keep_working_during_an_import(app, app_ctx, big_file, user_factory):
    admin_id = user_factory("org_admin")
    organisation_id = make_organisation(app, admin_user_id=admin_id)
    waits, failures, stop = [], [], threading.Event()

    def write_spaces():
        with app.app_context():
            user = db.session.get(User, admin_id)
            for number in itertools.count():
                if stop.is_set():
                    return
                started = time.perf_counter()
                try:
                    create_space(user, _space(organisation_id, number))
                except Exception as error:  # noqa: BLE001 (the test reports every failure)
                    failures.append(repr(error))
                    db.session.rollback()
                waits.append(time.perf_counter() - started)
                time.sleep(0.01)

    writer = threading.Thread(target=write_spaces)
    writer.start()
    try:
        report = import_postcode_files([big_file])
    finally:
        stop.set()
        writer.join()
    print(f"{len(waits)} writes during a {report.seconds:.1f} s import; longest {max(waits):.3f} s")
    assert failures == []
    assert len(waits) > 10  # one write held for the whole import would leave a handful
    assert report.loaded == _postcode_count() == ROWS


def _space(organisation_id: int, number: int) -> dict:
    return {
        "organisation_id": organisation_id,
        "name": f"Hall {number}",
        "address": "1 Test Street, Testville",
        "postcode": "ZZ1 1AA",
        "latitude": 51.5,
        "longitude": -0.1,
        "capacity": 40,
        "step_free": True,
    }


def test_a_killed_import_changes_nothing_leaves_no_process_and_can_be_run_again(
    app, app_ctx, tmp_path, big_file
):
    db.session.add(PostcodePoint(postcode="ZZ1 1AA", latitude=52.0, longitude=-1.0))
    db.session.commit()
    importer = subprocess.Popen(  # noqa: S603 (this interpreter, our own command)
        [sys.executable, "-m", "flask", "--app", "wsgi", "gazetteer", "import", str(big_file)],
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
    seen = bytearray()
    try:
        _wait_until(
            lambda: _underway(importer, seen) or importer.poll() is not None, "the import to start"
        )
        assert importer.poll() is None, "the import ended before it could be killed"
        children = _children(importer.pid)
        importer.send_signal(signal.SIGKILL)
    finally:
        importer.kill()
        importer.wait()
        importer.stderr.close()
    _wait_until(lambda: not any(_running(pid) for pid in children), "its children to end")
    db.session.remove()
    assert _postcode_count() == 1
    report = import_postcode_files([big_file])
    assert report.loaded == ROWS
    assert _postcode_count() == ROWS + 1


def _underway(importer: subprocess.Popen, seen: bytearray) -> bool:
    """Whether the import command has read and loaded a block: its progress
    bar (on stderr) redrawn after its first, empty frame."""
    while io_select.select([importer.stderr], [], [], 0)[0]:
        chunk = os.read(importer.stderr.fileno(), 65536)
        if not chunk:
            break
        seen += chunk
    return seen.count(b"\rImporting:") >= 2


def _wait_until(condition, what: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"waited {seconds} s for {what}"
        time.sleep(0.05)


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc: no psutil here)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
