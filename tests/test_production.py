"""What ProductionConfig adds: emailed links from PUBLIC_BASE_URL only (and no
start without it), HSTS on every response (issue 14), and no start without
the keys that encrypt two-factor secrets (issue 13)."""

from __future__ import annotations

import re

import pytest

from betterway_map import create_app
from betterway_map.accounts.secret_box import new_key
from config import DevelopmentConfig, ProductionConfig
from tests.factories.accounts import clear_outbox, email_of, messages_to
from tests.factories.apps import app_with

PUBLIC = "https://map.example.org"
HSTS = "max-age=31536000; includeSubDomains"
# The suite's limiter stays off; the limits are tested in tests/accounts.
PRODUCTION = {
    "PUBLIC_BASE_URL": PUBLIC,
    "RATELIMIT_ENABLED": False,
    "TESTING": True,
    "TOTP_ENCRYPTION_KEYS": new_key(),
}


@pytest.fixture()
def production(app):
    # The suite's key: the same database's secrets must stay readable.
    keys = {"TOTP_ENCRYPTION_KEYS": app.config["TOTP_ENCRYPTION_KEYS"]}
    with app_with(app, ProductionConfig, **{**PRODUCTION, **keys}) as other:
        yield other


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_production_refuses_to_start_without_totp_encryption_keys(app, missing):
    settings = {**PRODUCTION, "TOTP_ENCRYPTION_KEYS": missing}
    with pytest.raises(RuntimeError, match="TOTP_ENCRYPTION_KEYS is not set"):
        create_app(type("Production", (ProductionConfig,), settings))


@pytest.mark.parametrize("missing", [None, "", "   "])
def test_production_refuses_to_start_without_public_base_url(app, missing):
    settings = {**PRODUCTION, "PUBLIC_BASE_URL": missing}
    with pytest.raises(RuntimeError, match="PUBLIC_BASE_URL is not set"):
        create_app(type("Production", (ProductionConfig,), settings))


def test_public_base_url_must_be_a_full_address(app):
    settings = {**PRODUCTION, "PUBLIC_BASE_URL": "map.example.org"}
    with pytest.raises(RuntimeError, match=r"PUBLIC_BASE_URL is 'map.example.org'.*https://"):
        create_app(type("Production", (ProductionConfig,), settings))


def test_a_forged_host_header_does_not_reach_the_reset_email(app, production, user_factory):
    email = email_of(app, user_factory("resident"))
    clear_outbox(app)
    client = production.test_client()
    forged = "https://evil.example"
    page = client.get("/", base_url=forged).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    answer = client.post(
        "/auth/forgotten-password",
        data={"email": email, "csrf_token": token},
        base_url=forged,
        headers={"Referer": f"{forged}/auth/forgotten-password"},  # HTTPS: CSRF checks it
    )
    assert answer.status_code == 200
    (message,) = messages_to(app, email)
    body = message.get_body().get_content()
    assert f"{PUBLIC}/auth/choose-password/" in body
    assert "evil.example" not in body
    clear_outbox(app)


def test_production_sends_hsts_on_every_response(production):
    client = production.test_client()
    for path in ("/", "/static/css/site.css", "/no-such-page", "/api/v1/openapi.json"):
        with client.get(path, base_url=PUBLIC) as response:
            assert response.headers["Strict-Transport-Security"] == HSTS, path


def test_development_sends_no_hsts(app):
    with app_with(app, DevelopmentConfig, RATELIMIT_ENABLED=False) as development:
        response = development.test_client().get("/")
    assert response.status_code == 200
    assert "Strict-Transport-Security" not in response.headers
