"""gunicorn restarted under load loses no acknowledged write (issue 14).

A small version of ``benchmarks/load.py``: writers (organisation admins,
a resident, workers: the pages' forms with their CSRF tokens, and the API)
and a reader, each in its own process, against gunicorn in the production
configuration on a free loopback port, over the suite's database. In the
middle, gunicorn is told to reload (SIGHUP: new workers, the old ones finish
what they are doing), then stopped (SIGTERM) and started again on the same
port. Every write it acknowledged must then be in the database exactly once.
Requests refused while it was down are not acknowledged writes; a 5xx is a
failure.
"""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from benchmarks.load import Gunicorn, check_writes, run_clients, seed, server_env
from betterway_map.extensions import db
from betterway_map.people.models import Tie
from betterway_map.register.models import Group, Space
from tests.factories.organisations import make_group, make_organisation

pytestmark = pytest.mark.slow

ROLES = ["admin", "admin", "resident", "worker", "worker", "prober"]
# The production settings but two workers, and the app loaded once in the
# master (--preload) rather than in every worker at every (re)start: each
# load costs seconds of CPU, and CI has few CPUs. A reload still replaces
# every worker; a restart still starts a new master.
WORKERS = 2


def test_a_reload_and_a_restart_under_load_lose_no_acknowledged_write(app, tmp_path):
    pytest.importorskip("requests")
    organisation = make_organisation(app)
    for number in range(20):
        make_group(app, organisation, name=f"Afternoon Club {number}")
    plan = seed(app, ROLES, "restart")
    server = Gunicorn(
        "wsgi:app",
        server_env(
            app.config["SQLALCHEMY_DATABASE_URI"],
            tmp_path,
            totp_keys=app.config["TOTP_ENCRYPTION_KEYS"],
        ),
        tmp_path / "gunicorn.log",
        workers=WORKERS,
        extra=["--preload"],
    )
    server.env["PUBLIC_BASE_URL"] = server.url
    server.start()
    tallies, events, started = [], {}, threading.Event()
    stop_file = tmp_path / "stop"

    def load():
        tallies.extend(
            run_clients(server.url, plan, 300, started=started, stop_file=str(stop_file))
        )

    clients = threading.Thread(target=load)
    try:
        clients.start()
        assert started.wait(120)
        events["load"] = time.time()
        _wait_for_writes(app, 2)
        events["hup"] = time.time()
        server.hup()
        time.sleep(1)  # the old workers have left by then: the writes are the new ones'
        _wait_for_writes(app, 2)
        events["stop"] = time.time()
        server.stop()
        server.start()
        events["back"] = time.time()
        _wait_for_writes(app, 2)
        events["end"] = time.time()
    finally:
        stop_file.touch()
        clients.join(timeout=120)
        server.stop()
    assert not clients.is_alive()
    log = server.log.read_text(errors="replace")
    assert "Handling signal: hup" in log  # the reload did happen

    statuses = [status for t in tallies for _, _, _, status in t["requests"]]
    assert [s for s in statuses if s >= 500] == []
    # Before the reload, between it and the stop, and after the restart,
    # writes were acknowledged.
    moments = [start + seconds for t in tallies for kind, start, seconds, status in t["requests"]
               if kind in ("space", "group", "interested", "tie", "measure") and 200 <= status < 400]  # fmt: skip
    assert any(m < events["hup"] for m in moments)
    assert any(events["hup"] < m < events["stop"] for m in moments)
    assert any(m > events["back"] for m in moments), "no write was acknowledged after the restart"

    check = check_writes(app, tallies)
    first = events["load"]
    print(
        f"acknowledged {check.acknowledged}; at { ({k: round(v - first, 1) for k, v in events.items()}) }"
    )
    assert check.lost == []
    assert check.duplicated == []
    assert sum(check.acknowledged.values()) == sum(check.found_once.values())
    # What the clients saw go wrong: only refusals while the server was down.
    unexpected = [e for t in tallies for e in t["errors"] if "ConnectionError" not in e[1]]
    assert unexpected == []
    assert '"level": "ERROR"' not in log


def _wait_for_writes(app, more: int, seconds: float = 120) -> None:
    """Wait until ``more`` new records of the load's are in the database."""
    deadline = time.monotonic() + seconds
    before = _writes(app)
    while _writes(app) < before + more:
        assert time.monotonic() < deadline, f"no {more} writes in {seconds} s"
        time.sleep(0.1)


def _writes(app) -> int:
    with app.app_context():
        marked = "Load restart %"
        total = sum(
            db.session.scalar(select(func.count()).select_from(model).where(column.like(marked)))
            for model, column in ((Space, Space.name), (Group, Group.name), (Tie, Tie.other_label))
        )
        db.session.remove()
        return total
