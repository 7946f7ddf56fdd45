"""Every failure is logged (issue 14): unexpected errors with their traceback
and the request's id, which the 500 page shows; warnings for refused
sign-ins and rate limits; never a query string, an address or a password.

The suite's app lets exceptions through to the test (``TESTING``), so
``errors.register_errorhandlers`` leaves out the handler of unexpected
errors there; these tests build an app as it runs in production, with it.
"""

from __future__ import annotations

import json
import logging
import re

import pytest

from betterway_map import create_app
from betterway_map.extensions import db, limiter
from betterway_map.web.access import public
from betterway_map.web.logs import JsonFormatter
from config import TestingConfig
from tests.conftest import PASSWORD, csrf_token
from tests.factories.accounts import email_of, post, turn_on_two_factor

SECRETS = ("ada@example.org", "hunter2-secret")


def _build(app, **settings):
    class Live(TestingConfig):
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        TESTING = False
        PROPAGATE_EXCEPTIONS = False

    for name, value in settings.items():
        setattr(Live, name, value)
    live = create_app(Live)

    @live.route("/_boom")
    @live.route("/api/v1/_boom")
    @public
    def _boom():
        raise RuntimeError("the service fell over")

    @live.route("/api/v1/_limited_probe")
    @public
    @limiter.limit("1 per minute")
    def _limited_probe():
        return {"ok": True}

    return live


@pytest.fixture()
def live_app(app):
    live = _build(app)
    yield live
    with live.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.init_app(app)  # the extension is shared: back to the suite's app


def _errors(caplog):
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_unexpected_error_is_a_500_page_quoting_the_id_of_its_one_logged_traceback(
    live_app, caplog
):
    client = live_app.test_client()
    response = client.get(f"/_boom?email={SECRETS[0]}&password={SECRETS[1]}")
    assert response.status_code == 500
    reference = response.headers["X-Request-ID"]
    page = response.get_data(as_text=True)
    assert f'quote this reference: <strong class="reference">{reference}</strong>' in page
    (record,) = _errors(caplog)
    assert record.request_id == reference
    assert record.exc_info and record.exc_info[0] is RuntimeError
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert entry["level"] == "ERROR" and entry["request_id"] == reference
    assert entry["method"] == "GET" and entry["path"] == "/_boom"
    assert "RuntimeError: the service fell over" in entry["traceback"]
    assert "\n" not in line  # one record, one line
    assert not any(secret in line for secret in SECRETS)


def test_an_unexpected_error_on_the_api_is_json_with_the_reference(live_app, caplog):
    response = live_app.test_client().get("/api/v1/_boom")
    assert response.status_code == 500
    body = response.get_json()
    assert body["request_id"] == response.headers["X-Request-ID"]
    assert f"quote this reference: {body['request_id']}" in body["message"]
    assert [r.request_id for r in _errors(caplog)] == [body["request_id"]]


def test_a_failing_rollback_is_logged_and_still_answers_500(live_app, caplog, monkeypatch):
    def broken():
        raise ConnectionError("the database has gone")

    monkeypatch.setattr(db.session, "rollback", broken)
    response = live_app.test_client().get("/_boom")
    assert response.status_code == 500
    assert len(_errors(caplog)) == 2  # the error, then the failed rollback


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("lb-3f2a9c1e-77", True),
        ("abc.DEF_123:4", True),
        ("x" * 65, False),
        ("has space", False),
        ("<script>", False),
        ("", False),
    ],
)
def test_a_sane_request_id_from_a_proxy_is_kept_and_any_other_replaced(client, sent, kept):
    response = client.get("/", headers={"X-Request-ID": sent})
    answered = response.headers["X-Request-ID"]
    if kept:
        assert answered == sent
    else:
        assert re.fullmatch(r"[0-9a-f]{16}", answered)


def test_each_request_has_its_own_id(client):
    assert client.get("/").headers["X-Request-ID"] != client.get("/").headers["X-Request-ID"]


def _warnings(caplog, event):
    return [r for r in caplog.records if getattr(r, "event", None) == event]


def test_a_wrong_password_is_a_warning_naming_the_account_not_the_address(
    app, client, user_factory, caplog
):
    user_id = user_factory()
    address = email_of(app, user_id)
    post(client, "/auth/login", {"email": address, "password": SECRETS[1]})
    (record,) = _warnings(caplog, "sign_in_refused")
    assert record.levelno == logging.WARNING
    assert record.account_id == user_id and record.reason == "wrong password"
    line = JsonFormatter().format(record)
    assert address not in line and SECRETS[1] not in line


def test_an_unknown_address_is_a_warning_with_a_digest_of_it(client, caplog):
    post(client, "/auth/login", {"email": SECRETS[0], "password": SECRETS[1]})
    post(client, "/auth/login", {"email": SECRETS[0].upper(), "password": PASSWORD})
    first, second = _warnings(caplog, "sign_in_refused")
    assert re.fullmatch(r"[0-9a-f]{16}", first.address)
    assert first.address == second.address  # the same address, whatever its case
    line = JsonFormatter().format(first)
    assert not any(secret in line for secret in SECRETS)


def test_a_wrong_two_factor_code_is_a_warning_naming_the_account(app, signed_in, caplog):
    client, user_id = signed_in("resident")
    turn_on_two_factor(app, client, user_id)
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    post(client, "/auth/login", {"email": email_of(app, user_id), "password": PASSWORD})
    caplog.clear()
    post(client, "/auth/two-factor", {"code": "000000"})
    (record,) = _warnings(caplog, "sign_in_refused")
    assert record.account_id == user_id and record.reason == "wrong two-factor code"


@pytest.fixture()
def limited_app(app):
    live = _build(app, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://")
    yield live
    with live.app_context():
        db.session.remove()
        db.engine.dispose()
    limiter.init_app(app)
    assert limiter.enabled is False


def test_a_rate_limit_reached_is_a_warning(limited_app, caplog):
    client = limited_app.test_client()
    assert client.get("/api/v1/_limited_probe").status_code == 200
    refused = client.get("/api/v1/_limited_probe", environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert refused.status_code == 429
    (record,) = _warnings(caplog, "rate_limited")
    assert record.levelno == logging.WARNING and record.limit == "1 per 1 minute"
    assert record.request_id == refused.headers["X-Request-ID"]
    assert "127.0.0.1" not in JsonFormatter().format(record)


def test_logging_is_set_up_once_however_many_apps_are_made(app, live_app):
    from betterway_map.web.logs import _Handler

    ours = [h for h in logging.getLogger("betterway_map").handlers if isinstance(h, _Handler)]
    assert len(ours) == 1
    assert app.logger is live_app.logger
