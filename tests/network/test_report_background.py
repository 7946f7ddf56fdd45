"""Issue 14: the council's area report is never recomputed in a request
while one is stored: the last one is served with its time, and a single
recompute runs in the background."""

from __future__ import annotations

import logging
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from betterway_map.network import report as report_module
from betterway_map.network.models import NetworkReportCache
from betterway_map.network.report_refresh import LOCK_KIND
from tests.factories.network import CELL_A, CELL_B, add_people, small_area

AREA = "/api/v1/network/area"


@pytest.fixture()
def area(app):
    return small_area(app)


@pytest.fixture()
def jobs(app):
    """Background on, with an executor that only collects the jobs: a test
    runs them when it chooses (no thread, nothing flaky)."""
    pending: list = []
    app.config["NETWORK_REPORT_BACKGROUND"] = True
    app.extensions["network_report_executor"] = pending.append
    yield pending
    app.extensions.pop("network_report_executor")
    app.config["NETWORK_REPORT_BACKGROUND"] = False


def _cells(body: dict) -> set[str]:
    return {feature["id"] for feature in body["cells"]["features"]}


def _lock_rows(app) -> int:
    with app.app_context():
        return len(
            db.session.scalars(
                select(NetworkReportCache).where(NetworkReportCache.kind == LOCK_KIND)
            ).all()
        )


def test_a_stale_report_is_served_at_once_then_the_fresh_one(app, area, jobs, signed_in):
    client, _ = signed_in("council")
    first = client.get(AREA).get_json()  # nothing stored: computed in the request
    assert first["stale"] is False and jobs == []
    assert _cells(first) == {CELL_A}
    # Five more people in cell B (now seven): its figures would appear.
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    stale = client.get(AREA).get_json()
    assert stale["stale"] is True and stale["computed_at"] == first["computed_at"]
    assert _cells(stale) == {CELL_A}  # the figures as they were computed
    assert len(jobs) == 1
    page = client.get("/council/network").get_data(as_text=True)
    assert "Figures as of" in page and "Being updated:" in page
    assert len(jobs) == 1  # still the one recompute
    jobs.pop()()
    assert _lock_rows(app) == 0
    fresh = client.get(AREA).get_json()
    assert fresh["stale"] is False and fresh["computed_at"] > first["computed_at"]
    assert CELL_B in _cells(fresh)  # now shown
    assert jobs == []
    page = client.get("/council/network").get_data(as_text=True)
    assert "Being updated" not in page and "Figures computed at" in page


def test_two_requests_start_only_one_recompute(app, area, jobs, signed_in):
    client, _ = signed_in("council")
    client.get(AREA)
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    assert client.get(AREA).get_json()["stale"] is True
    assert client.get(AREA).get_json()["stale"] is True
    assert client.get("/council/network").status_code == 200
    assert len(jobs) == 1 and _lock_rows(app) == 1
    jobs.pop()()
    # Another write: the next stale request may start the next recompute.
    add_people(app, area["worker"], CELL_B, 1, "Delta")
    assert client.get(AREA).get_json()["stale"] is True
    assert len(jobs) == 1


def test_a_lock_left_by_a_killed_worker_expires(app, area, jobs, signed_in):
    client, _ = signed_in("council")
    client.get(AREA)
    with app.app_context():
        db.session.add(
            NetworkReportCache(
                kind=LOCK_KIND,
                input_digest="left-by-a-dead-worker",
                computed_at=utcnow() - timedelta(hours=1),
                payload={},
            )
        )
        db.session.commit()
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    assert client.get(AREA).get_json()["stale"] is True
    assert len(jobs) == 1


def test_a_failing_recompute_is_logged_and_the_stale_report_still_serves(
    app, area, jobs, signed_in, monkeypatch, caplog
):
    client, _ = signed_in("council")
    first = client.get(AREA).get_json()
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    client.get(AREA)

    def broken(today=None):
        raise RuntimeError("the register could not be read")

    monkeypatch.setattr(report_module, "load_area", broken)
    with caplog.at_level(logging.ERROR, logger="betterway_map.network.report_refresh"):
        jobs.pop()()
    [record] = [r for r in caplog.records if "Recomputing the council area report" in r.message]
    assert record.exc_info and "the register could not be read" in str(record.exc_info[1])
    assert _lock_rows(app) == 0  # released: the next request tries again
    again = client.get(AREA).get_json()
    assert again["stale"] is True and again["computed_at"] == first["computed_at"]
    assert _cells(again) == {CELL_A}
    assert len(jobs) == 1


def test_a_report_from_an_older_disclosure_rule_is_never_served(app, area, jobs, signed_in):
    client, _ = signed_in("council")
    first = client.get(AREA).get_json()
    with app.app_context():
        stored = db.session.get(NetworkReportCache, "area")
        # As if computed under an older rule, which showed cell B's two people.
        older = stored.payload["report"] | {"rule_version": report_module.RULE_VERSION - 1}
        stored.payload = stored.payload | {"report": older}
        stored.input_digest = "0" * 64
        db.session.commit()
    add_people(app, area["worker"], CELL_B, 1, "Delta")  # three in cell B: still withheld
    body = client.get(AREA).get_json()
    assert body["stale"] is False and body["computed_at"] > first["computed_at"]
    assert jobs == []  # computed in the request, under today's rule
    assert _cells(body) == {CELL_A}
    with app.app_context():
        assert db.session.get(NetworkReportCache, "area").payload["report"]["rule_version"] == (
            report_module.RULE_VERSION
        )


def test_an_unreachable_redis_falls_back_to_the_database_lock(app, area, jobs, signed_in, caplog):
    client, _ = signed_in("council")
    client.get(AREA)
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1/0"
    try:
        with caplog.at_level(logging.WARNING, logger="betterway_map.network.report_refresh"):
            assert client.get(AREA).get_json()["stale"] is True
    finally:
        app.config["RATELIMIT_STORAGE_URI"] = "memory://"
    assert any("Redis unreachable" in r.message for r in caplog.records)
    assert len(jobs) == 1 and _lock_rows(app) == 1
    jobs.pop()()
    assert _lock_rows(app) == 0


def test_the_command_line_report_is_always_fresh(app, area, jobs):
    with app.app_context():
        first = report_module.area_report()
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    with app.app_context():
        fresh = report_module.area_report(fresh=True)
    assert fresh["stale"] is False and fresh["computed_at"] > first["computed_at"]
    assert jobs == []


def test_concurrent_requests_take_the_lock_once(app, area, jobs):
    """Two workers find the report stale at the same moment: one starts."""
    from betterway_map.network.report_refresh import start

    barrier = threading.Barrier(2)
    started: list[bool] = []

    def worker():
        with app.app_context():
            barrier.wait()
            started.append(start(lambda: None))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(started) == [False, True] and len(jobs) == 1
    jobs.pop()()
    assert _lock_rows(app) == 0


def test_the_default_executor_is_a_daemon_thread(app, area, signed_in):
    """No executor injected: the recompute runs in a thread of its own, and
    a later request gets the fresh report."""
    client, _ = signed_in("council")
    client.get(AREA)
    add_people(app, area["worker"], CELL_B, 5, "Gamma")
    app.config["NETWORK_REPORT_BACKGROUND"] = True
    try:
        assert client.get(AREA).get_json()["stale"] is True
        deadline = time.monotonic() + 60
        while _lock_rows(app) and time.monotonic() < deadline:
            time.sleep(0.05)
        body = client.get(AREA).get_json()
    finally:
        app.config["NETWORK_REPORT_BACKGROUND"] = False
    assert body["stale"] is False and CELL_B in _cells(body)
