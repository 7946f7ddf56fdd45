"""Rate limits on sign-in, registration, the 2FA step and password reset (ASVS V2.2).

The suite's app runs with limits off; these tests build apps with them on.
The extension object is shared by every app in a process, so each test puts
the suite's app back (limits off) when it ends. The two-worker test runs real
separate processes, since two apps in one process would share one limiter
whatever its storage.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from betterway_map import create_app
from betterway_map.extensions import limiter
from betterway_map.web.access import public
from config import TestingConfig
from tests.conftest import csrf_token
from tests.factories.accounts import post

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379")


@pytest.fixture()
def limited_app(app):
    class Limited(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = True
        RATELIMIT_STORAGE_URI = "memory://"
        LOGIN_RATE_LIMIT = "10 per minute"
        TWO_FACTOR_RATE_LIMIT = "5 per minute"
        PASSWORD_RESET_RATE_LIMIT = "5 per minute"
        # Per client address only here; per account: test_rate_limit_account.py.
        LOGIN_ACCOUNT_RATE_LIMIT = PASSWORD_RESET_ACCOUNT_RATE_LIMIT = "1000 per minute"

    limited = create_app(Limited)

    @limited.route("/api/v1/_limited_probe")
    @public
    @limiter.limit("1 per minute")
    def _limited_probe():
        return {"ok": True}

    yield limited
    from betterway_map.extensions import db

    with limited.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.init_app(app)  # the suite's app: limits off again
    assert limiter.enabled is False


def _bad_login(client):
    return client.post(
        "/auth/login",
        data={
            "email": "who@example.org",
            "password": "not the password",
            "csrf_token": csrf_token(client),
        },
    )


def test_the_eleventh_login_attempt_in_a_minute_is_refused_with_a_clear_page(limited_app):
    client = limited_app.test_client()
    statuses = [_bad_login(client).status_code for _ in range(10)]
    assert statuses == [400] * 10
    refused = _bad_login(client)
    assert refused.status_code == 429
    page = refused.get_data(as_text=True)
    assert "text/html" in refused.content_type
    assert "<h1>Please wait a minute</h1>" in page and "Too many attempts" in page
    assert "Retry-After" in refused.headers


@pytest.mark.parametrize(
    ("url", "data", "allowed"),
    [
        ("/auth/register", {"email": "x"}, 10),
        ("/auth/two-factor", {"code": "123456"}, 5),
        ("/auth/forgotten-password", {"email": "who@example.org"}, 5),
        ("/auth/choose-password/not-a-token", {"password": "x"}, 5),
    ],
)
def test_each_sign_in_step_is_limited(limited_app, url, data, allowed):
    client = limited_app.test_client()
    for _ in range(allowed):
        assert post(client, url, data).status_code != 429
    assert post(client, url, data).status_code == 429


def test_reading_the_sign_in_page_is_not_limited(limited_app):
    client = limited_app.test_client()
    assert all(client.get("/auth/login").status_code == 200 for _ in range(15))


def test_a_429_on_the_api_is_json(limited_app):
    client = limited_app.test_client()
    assert client.get("/api/v1/_limited_probe").status_code == 200
    refused = client.get("/api/v1/_limited_probe")
    assert refused.status_code == 429
    assert refused.get_json()["code"] == 429
    assert "Too many attempts" in refused.get_json()["message"]


WORKER = """
import json, os, sys
from betterway_map import create_app
from config import TestingConfig

class Worker(TestingConfig):
    SQLALCHEMY_DATABASE_URI = os.environ["WORKER_DATABASE_URL"]
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = os.environ["WORKER_STORAGE"]
    RATELIMIT_KEY_PREFIX = os.environ["WORKER_PREFIX"]
    LOGIN_RATE_LIMIT = "10 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "1000 per minute"

app = create_app(Worker)
client = app.test_client()
statuses = []
for _ in range(int(sys.argv[1])):
    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    statuses.append(client.post("/auth/login", data={
        "email": "who@example.org", "password": "not the password", "csrf_token": token,
    }).status_code)
print(json.dumps(statuses))
"""


def _worker(app, tmp_path, storage: str, prefix: str, attempts: int) -> list[int]:
    env = dict(
        os.environ,
        WORKER_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        WORKER_STORAGE=storage,
        WORKER_PREFIX=prefix,
        BETTERWAY_INSTANCE=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", WORKER, str(attempts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture()
def redis_prefix():
    redis = pytest.importorskip("redis")
    try:
        connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
        connection.ping()
    except redis.exceptions.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS_URL} ({error}); start it to run this test")
    prefix = f"bwm-test-{uuid.uuid4().hex}"
    yield prefix
    for key in connection.scan_iter(match=f"*{prefix}*"):
        connection.delete(key)
    connection.close()


@pytest.mark.slow
def test_two_workers_share_one_count_through_redis(app, tmp_path, redis_prefix):
    first = _worker(app, tmp_path, REDIS_URL, redis_prefix, 6)
    second = _worker(app, tmp_path, REDIS_URL, redis_prefix, 5)
    assert first == [400] * 6
    assert second == [400] * 4 + [429]  # the 11th attempt across both workers


@pytest.mark.slow
def test_with_memory_storage_each_worker_counts_alone(app, tmp_path):
    """Why production needs Redis: per-process counts let the 11th attempt through."""
    prefix = f"bwm-test-{uuid.uuid4().hex}"
    first = _worker(app, tmp_path, "memory://", prefix, 6)
    second = _worker(app, tmp_path, "memory://", prefix, 5)
    assert first + second == [400] * 11
