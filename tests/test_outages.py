"""A database that does not answer: a clear 503 within seconds, not a page
held for half a minute; pages that need no database keep serving (issue 14).

A PostgreSQL that accepts connections and never answers is played by a
socket on 127.0.0.1 that accepts and keeps every connection silent. The
statement timeout needs a real PostgreSQL and is skipped without one.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time

import pytest
from sqlalchemy import text

from betterway_map import create_app
from betterway_map.extensions import db
from betterway_map.web.access import public
from config import TestingConfig

pytest.importorskip("psycopg")

CONNECT_TIMEOUT_SECONDS = 2  # psycopg's least
MESSAGE = "The site cannot reach its database just now; please try again in a few minutes."


class SilentServer:
    """Accepts TCP connections and never says a word; counts them."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.accepted: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                connection, _ = self.listener.accept()
            except TimeoutError:
                continue
            self.accepted.append(connection)

    def close(self):
        self._stop.set()
        self._thread.join(timeout=5)
        self.listener.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture()
def silent_app(tmp_path, monkeypatch):
    monkeypatch.setenv("BETTERWAY_INSTANCE", str(tmp_path))
    server = SilentServer()

    class Silent(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"postgresql://postgres@127.0.0.1:{server.port}/betterway"
        DATABASE_CONNECT_TIMEOUT_SECONDS = CONNECT_TIMEOUT_SECONDS

    app = create_app(Silent)
    app.silent_server = server
    yield app
    with app.app_context():
        db.engine.dispose()
    server.close()


def _timed_get(client, path: str):
    started = time.monotonic()
    response = client.get(path)
    return response, time.monotonic() - started


@pytest.mark.slow  # waits out the connect timeout
def test_a_page_that_needs_the_database_answers_503_within_the_connect_timeout(silent_app):
    response, seconds = _timed_get(silent_app.test_client(), "/groups/")
    assert response.status_code == 503
    assert MESSAGE in response.get_data(as_text=True)
    assert response.headers["Retry-After"] == "120"
    assert seconds < CONNECT_TIMEOUT_SECONDS + 3  # was 33-40 s without a connect timeout


@pytest.mark.slow  # waits out the connect timeout
def test_the_api_answers_a_json_503(silent_app):
    response, _ = _timed_get(silent_app.test_client(), "/api/v1/groups")
    assert response.status_code == 503
    body = response.get_json()
    assert body == {
        "code": 503,
        "status": "Service Unavailable",
        "message": MESSAGE,
        "request_id": response.headers["X-Request-ID"],  # to quote, as on a 500
    }
    assert response.headers["Retry-After"] == "120"


@pytest.mark.slow  # waits out the connect timeout
def test_the_failure_is_logged_at_error_with_its_traceback(silent_app, caplog):
    with caplog.at_level(logging.ERROR):
        silent_app.test_client().get("/groups/")
    (record,) = [r for r in caplog.records if r.getMessage().startswith("Database unavailable")]
    assert record.levelno == logging.ERROR
    assert record.getMessage() == "Database unavailable: OperationalError"
    assert record.exc_info is not None
    # The method and path travel with every record (web/logs.py), as JSON.
    assert (record.method, record.path) == ("GET", "/groups/")


@pytest.mark.parametrize("path", ["/", "/static/css/site.css", "/auth/login"])
def test_pages_that_need_no_database_keep_serving_without_touching_it(silent_app, path):
    with silent_app.test_client().get(path) as response:
        assert response.status_code == 200
    assert silent_app.silent_server.accepted == []


@pytest.mark.slow  # waits out the connect timeout
def test_a_signed_in_person_gets_the_503_page_not_a_500(silent_app):
    """Who is signed in is looked up in the database; the error page must not
    ask again (its header would wait out another timeout, then fail)."""
    client = silent_app.test_client()
    with client.session_transaction() as session:
        session["_user_id"] = "1"
        session["sid"] = "a-session"
    response, seconds = _timed_get(client, "/")
    assert response.status_code == 503
    assert MESSAGE in response.get_data(as_text=True)
    assert seconds < CONNECT_TIMEOUT_SECONDS + 3
    assert len(silent_app.silent_server.accepted) == 1  # the error page did not ask again


POSTGRESQL = os.environ.get("TEST_DATABASE_URL", "")
if not POSTGRESQL.startswith("postgres"):
    # Only reads the server's settings and sleeps: no table is touched.
    POSTGRESQL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture()
def postgresql_app(tmp_path, monkeypatch):
    import psycopg

    try:
        psycopg.connect(POSTGRESQL, connect_timeout=3).close()
    except psycopg.Error as error:
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRESQL} ({error})")
    monkeypatch.setenv("BETTERWAY_INSTANCE", str(tmp_path))

    class Slow(TestingConfig):
        SQLALCHEMY_DATABASE_URI = POSTGRESQL
        DATABASE_STATEMENT_TIMEOUT_SECONDS = 1

    app = create_app(Slow)

    @app.route("/_sleep/<float:seconds>")
    @public
    def _sleep(seconds: float):
        db.session.execute(text("SELECT pg_sleep(:seconds)"), {"seconds": seconds})
        return "slept"

    @app.route("/_statement_timeout")
    @public
    def _statement_timeout():
        return db.session.execute(text("SHOW statement_timeout")).scalar_one()

    yield app
    with app.app_context():
        db.engine.dispose()


def test_a_stuck_statement_is_cancelled_and_answers_503(postgresql_app):
    client = postgresql_app.test_client()
    assert client.get("/_sleep/0.1").status_code == 200
    response, seconds = _timed_get(client, "/_sleep/30.0")
    assert response.status_code == 503
    assert MESSAGE in response.get_data(as_text=True)
    assert seconds < 5


def test_the_statement_timeout_holds_in_requests_only(postgresql_app):
    """Commands (migrations, imports, reports) may rightly run long."""
    client = postgresql_app.test_client()
    assert client.get("/_statement_timeout").get_data(as_text=True) == "1s"
    with postgresql_app.app_context():
        outside = db.session.execute(text("SHOW statement_timeout")).scalar_one()
        db.session.remove()
    assert outside == "0"
    assert client.get("/_statement_timeout").get_data(as_text=True) == "1s"
