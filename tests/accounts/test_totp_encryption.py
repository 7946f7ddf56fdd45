"""TOTP secrets encrypted at rest (``accounts.secret_box``): the columns never
hold a secret, keys rotate, a wrong key is a clear 503 (not a 500), a key
that is not a key stops the start, and migration 0009 encrypts the secrets
stored before it (and its downgrade decrypts them)."""

from __future__ import annotations

import logging
import os
import stat

import pytest
from sqlalchemy import text

from betterway_map import create_app
from betterway_map.accounts import secret_box
from betterway_map.extensions import db
from config import TestingConfig
from tests.conftest import PASSWORD, TOTP_SECRET, csrf_token, login, make_user
from tests.factories.accounts import code_for, email_of, post, secret_of, turn_on_two_factor
from tests.factories.apps import app_with


def _stored(app, user_id) -> tuple[str | None, str | None]:
    """The two columns as the database holds them, read without the models."""
    with app.app_context(), db.engine.connect() as connection:
        return tuple(
            connection.execute(
                text("SELECT totp_secret, totp_pending_secret FROM users WHERE id = :id"),
                {"id": user_id},
            ).one()
        )


def test_the_database_never_holds_a_secret_in_plain_text(app, signed_in):
    client, user_id = signed_in("resident")
    post(client, "/account/two-factor/start")
    pending = secret_of(app, user_id, pending=True)
    assert pending not in str(_stored(app, user_id)) and len(pending) == 32
    secret = turn_on_two_factor(app, client, user_id)
    stored, _ = _stored(app, user_id)
    assert secret not in stored and not secret_box.is_plain_secret(stored)
    assert secret_of(app, user_id) == secret  # and it is still the secret, decrypted


def test_with_a_new_key_in_front_old_secrets_still_work_and_rotate(app, runner):
    user_id = make_user(app, "worker")
    old_key = app.config["TOTP_ENCRYPTION_KEYS"]
    new_key = secret_box.new_key()
    with app_with(app, TOTP_ENCRYPTION_KEYS=f"{new_key},{old_key}") as rotating:
        login(rotating.test_client(), rotating, user_id)  # read with the old key
        result = rotating.test_cli_runner().invoke(args=["users", "rotate-2fa-key"])
        assert result.exit_code == 0, result.output
        assert "Encrypted the two-factor secrets of 1 users" in result.output
    with app_with(app, TOTP_ENCRYPTION_KEYS=new_key) as rotated:
        login(rotated.test_client(), rotated, user_id)  # the old key is gone
    with app_with(app, TOTP_ENCRYPTION_KEYS=old_key) as old_only:
        with old_only.app_context(), pytest.raises(secret_box.KeyMismatch):
            secret_box.decrypt(_stored(app, user_id)[0])


def test_a_wrong_key_is_a_clear_503_at_the_code_step(app, caplog):
    user_id = make_user(app, "site_admin")
    with app_with(app, TOTP_ENCRYPTION_KEYS=secret_box.new_key()) as wrong:
        client = wrong.test_client()
        response = client.post(
            "/auth/login",
            data={
                "email": email_of(app, user_id),
                "password": PASSWORD,
                "csrf_token": csrf_token(client),
            },
        )
        assert response.headers["Location"] == "/auth/two-factor"
        with caplog.at_level(logging.ERROR):
            response = post(client, "/auth/two-factor", {"code": code_for(TOTP_SECRET)})
        assert response.status_code == 503
        assert "TOTP_ENCRYPTION_KEYS" in response.get_data(as_text=True)
        assert client.get("/me").status_code == 302
    assert any("cannot be decrypted" in record.getMessage() for record in caplog.records)


def test_rotating_with_a_wrong_key_changes_nothing_and_says_so(app):
    user_id = make_user(app, "worker")
    before = _stored(app, user_id)
    with app_with(app, TOTP_ENCRYPTION_KEYS=secret_box.new_key()) as wrong:
        result = wrong.test_cli_runner().invoke(args=["users", "rotate-2fa-key"])
    assert result.exit_code == 1
    assert f"ids {user_id}" in result.output and "nothing was changed" in result.output
    assert _stored(app, user_id) == before


def test_a_key_that_is_not_a_fernet_key_stops_the_start_saying_which(app):
    bad = "not-a-key-" + "x" * 20
    settings = {"TOTP_ENCRYPTION_KEYS": f"{secret_box.new_key()},{bad}"}
    with pytest.raises(RuntimeError, match="key 2 of 2 is not a Fernet key") as refused:
        create_app(type("BadKey", (TestingConfig,), settings))
    assert bad not in str(refused.value)


def test_an_unknown_required_role_stops_the_start(app):
    settings = {"TWO_FACTOR_REQUIRED_ROLES": "worker,wizard"}
    with pytest.raises(RuntimeError, match="'wizard', which is not a role"):
        create_app(type("BadRoles", (TestingConfig,), settings))


def test_without_keys_outside_production_one_is_made_once_and_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("BETTERWAY_INSTANCE", str(tmp_path))
    settings = {"TOTP_ENCRYPTION_KEYS": None, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    first = create_app(type("NoKeys", (TestingConfig,), settings))
    second = create_app(type("NoKeys", (TestingConfig,), settings))
    path = tmp_path / secret_box.KEY_FILE
    assert first.config["TOTP_ENCRYPTION_KEYS"] == second.config["TOTP_ENCRYPTION_KEYS"]
    assert path.read_text().strip() == first.config["TOTP_ENCRYPTION_KEYS"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    for other in (first, second):
        with other.app_context():
            db.engine.dispose()


def test_migration_0009_encrypts_the_secrets_stored_before_and_downgrade_decrypts(
    monkeypatch, tmp_path
):
    from flask_migrate import downgrade, upgrade

    class OldDatabase(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/old.db"

    monkeypatch.setenv("BETTERWAY_INSTANCE", str(tmp_path))
    old = create_app(OldDatabase)
    pending = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"
    select = text("SELECT totp_secret, totp_pending_secret FROM users")
    with old.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO users (id, email, password_hash, display_name, active, "
                    "totp_secret, totp_pending_secret, created_at, updated_at) VALUES (1, "
                    "'ann@example.org', 'x', 'Ann', 1, :secret, :pending, :at, :at)"
                ),
                {"secret": TOTP_SECRET, "pending": pending, "at": "2025-04-01 09:30:00"},
            )
        upgrade()
        with db.engine.connect() as connection:
            encrypted = connection.execute(select).one()
        decrypted = tuple(secret_box.decrypt(value) for value in encrypted)
        downgrade(revision="0008")
        with db.engine.connect() as connection:
            plain_again = tuple(connection.execute(select).one())
        db.engine.dispose()
    assert TOTP_SECRET not in encrypted and pending not in encrypted
    assert decrypted == plain_again == (TOTP_SECRET, pending)
