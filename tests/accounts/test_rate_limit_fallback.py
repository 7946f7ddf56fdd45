"""Redis down: sign-in still works, limits count in memory, and a warning is logged.

Runs in a separate process: the rate limiter is one object per process, and
once it has found its storage dead it stays on the fallback for a while.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.factories.accounts import email_of

ROOT = Path(__file__).resolve().parents[2]

# Nothing listens on port 1: every Redis call is refused at once.
SCRIPT = """
import json, os
from betterway_map import create_app
from config import TestingConfig

class RedisDown(TestingConfig):
    SQLALCHEMY_DATABASE_URI = os.environ["WORKER_DATABASE_URL"]
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = "redis://127.0.0.1:1"
    LOGIN_RATE_LIMIT = "10 per minute"
    LOGIN_ACCOUNT_RATE_LIMIT = "5 per minute"

app = create_app(RedisDown)

def sign_in(password):
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    token = page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]
    return client.post("/auth/login", data={
        "email": os.environ["WORKER_EMAIL"], "password": password, "csrf_token": token,
    }).status_code

right = sign_in(os.environ["WORKER_PASSWORD"])
wrong = [sign_in("not the password") for _ in range(6)]
print(json.dumps({"right": right, "wrong": wrong}))
"""


@pytest.mark.slow
def test_with_redis_down_sign_in_works_and_limits_count_in_memory(app, tmp_path, user_factory):
    pytest.importorskip("redis")
    env = dict(
        os.environ,
        WORKER_DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        WORKER_EMAIL=email_of(app, user_factory("resident")),
        WORKER_PASSWORD=PASSWORD,
        BETTERWAY_INSTANCE=str(tmp_path),
        PYTHONPATH=str(ROOT),
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome == {"right": 302, "wrong": [400] * 5 + [429]}
    assert "Rate limit storage unreachable - falling back to in-memory storage" in result.stderr
