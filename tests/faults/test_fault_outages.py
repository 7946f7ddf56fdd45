"""Outages that tests/test_outages.py and tests/accounts/test_rate_limit_fallback.py
leave out (issue 14): a database nobody listens for (the port closed), and
a Redis that accepts connections but never answers.

Covered there: a database that accepts and never answers (503 within the
connect timeout, JSON on the API, database-free pages serving), a stuck
statement (PostgreSQL's statement timeout), and Redis on a closed port
(sign-in works, limits count in memory, a warning is logged).
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from betterway_map import create_app
from betterway_map.extensions import db
from config import TestingConfig
from tests.conftest import PASSWORD
from tests.factories.accounts import email_of
from tests.test_outages import MESSAGE, SilentServer

ROOT = Path(__file__).resolve().parents[2]


def _closed_port() -> int:
    """A loopback port that nothing listens on (bound, then let go)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture()
def unreachable_app(tmp_path, monkeypatch):
    pytest.importorskip("psycopg")
    monkeypatch.setenv("BETTERWAY_INSTANCE", str(tmp_path))

    class Unreachable(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"postgresql://postgres@127.0.0.1:{_closed_port()}/betterway"

    app = create_app(Unreachable)
    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_database_nobody_listens_for_answers_503_at_once(unreachable_app):
    client = unreachable_app.test_client()
    started = time.monotonic()
    page = client.get("/groups/")
    api = client.get("/api/v1/groups")
    assert time.monotonic() - started < 5  # refused at once: no timeout to wait out
    assert page.status_code == 503 and MESSAGE in page.get_data(as_text=True)
    assert api.status_code == 503 and api.get_json()["message"] == MESSAGE
    assert page.headers["Retry-After"] == api.headers["Retry-After"] == "120"
    assert client.get("/").status_code == 200  # needs no database


# Redis that accepts and never answers, in a separate process (the rate
# limiter is one object per process and stays on its fallback for a while).
SCRIPT = """
import json, os, time
from betterway_map import create_app
from config import TestingConfig

class RedisHangs(TestingConfig):
    SQLALCHEMY_DATABASE_URI = os.environ["WORKER_DATABASE_URL"]
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:" + os.environ["WORKER_REDIS_PORT"]

app = create_app(RedisHangs)

def sign_in(password):
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    started = time.monotonic()
    status = client.post("/auth/login", data={
        "email": os.environ["WORKER_EMAIL"], "password": password, "csrf_token": token,
    }).status_code
    return status, time.monotonic() - started

first = sign_in(os.environ["WORKER_PASSWORD"])
second = sign_in(os.environ["WORKER_PASSWORD"])
print(json.dumps({"first": first, "second": second}))
"""


@pytest.mark.slow
def test_with_redis_hanging_sign_in_works_within_seconds_and_is_logged(app, tmp_path, user_factory):
    pytest.importorskip("redis")
    redis = SilentServer()
    env = dict(
        os.environ,
        WORKER_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        WORKER_REDIS_PORT=str(redis.port),
        WORKER_EMAIL=email_of(app, user_factory("resident")),
        WORKER_PASSWORD=PASSWORD,
        BETTERWAY_INSTANCE=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    try:
        result = subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", SCRIPT],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        redis.close()
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    (first, first_seconds), (second, _) = outcome["first"], outcome["second"]
    assert (first, second) == (302, 302)
    # With redis-py's own timeouts (5 s, retried) it took about 15 s.
    assert first_seconds < 8, outcome
    assert redis.accepted  # Redis was asked, and did not answer
    warnings = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    assert any(
        w["level"] == "WARNING" and "falling back to in-memory storage" in w["message"]
        for w in warnings
    )
