"""Accounts: sign up, sign in, sign out for real, passwords per SECURITY.md."""

from __future__ import annotations

import pytest

from betterway_map.accounts.models import AuditEvent, User, UserSession
from betterway_map.extensions import db
from tests.conftest import PASSWORD, csrf_token, login


def _register(client, **overrides):
    data = {
        "display_name": "Ada",
        "email": "ada@example.org",
        "password": PASSWORD,
        "confirm": PASSWORD,
        "role": "resident",
        "csrf_token": csrf_token(client),
    }
    data.update(overrides)
    return client.post("/auth/register", data=data)


def test_register_creates_a_signed_in_resident(app, client):
    response = _register(client)
    assert response.status_code == 302
    assert client.get("/me").status_code == 200
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.email == "ada@example.org"))
        assert user.role_names == {"resident"}
        assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"password": "short", "confirm": "short"}, "at least 12 characters"),
        ({"password": "password1234", "confirm": "password1234"}, "most common passwords"),
        ({"confirm": "something else entirely"}, "not the same"),
        ({"email": "not-an-email"}, "not an email address"),
        ({"role": "site_admin"}, "Not a valid choice"),
    ],
)
def test_register_refuses_bad_input_with_a_clear_message(app, client, overrides, message):
    response = _register(client, **overrides)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 0


def test_unicode_passphrase_is_accepted(app, client):
    phrase = "mañana ünïcødé 日本語 passphrase"
    response = _register(client, password=phrase, confirm=phrase)
    assert response.status_code == 302


def test_duplicate_email_is_refused(app, client, user_factory):
    user_factory("resident", email="ada@example.org")
    response = _register(client)
    assert response.status_code == 400
    assert "already an account" in response.get_data(as_text=True)


def test_wrong_password_is_refused_without_saying_which_part(app, client, user_factory):
    user_factory("resident", email="ada@example.org")
    response = client.post(
        "/auth/login",
        data={
            "email": "ada@example.org",
            "password": "wrong password here",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 400
    assert "do not match an account" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_login_without_csrf_token_is_refused(app, client, user_factory):
    user_factory("resident", email="ada@example.org")
    response = client.post("/auth/login", data={"email": "ada@example.org", "password": PASSWORD})
    assert response.status_code == 400
    assert "did not come from this site" in response.get_data(as_text=True)


def test_logout_ends_the_session_even_for_a_replayed_cookie(app, client, user_factory):
    user_id = user_factory("resident")
    login(client, app, user_id)
    cookie = client.get_cookie("session").value
    assert client.get("/me").status_code == 200
    client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
    assert client.get("/me").status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", cookie)
    assert replay.get("/me").status_code == 302
    with app.app_context():
        assert db.session.scalar(db.select(UserSession.revoked_at)) is not None


def test_sign_in_starts_a_new_session(app, client, user_factory):
    user_id = user_factory("resident")
    csrf_token(client)
    before = client.get_cookie("session").value
    login(client, app, user_id)
    assert client.get_cookie("session").value != before


def test_next_parameter_only_follows_local_paths(app, client, user_factory):
    user_id = user_factory("resident")
    with app.app_context():
        email = db.session.get(User, user_id).email
    response = client.post(
        "/auth/login?next=https://evil.example/",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.headers["Location"] == "/me"


def test_login_is_audited(app, client, user_factory):
    user_id = user_factory("resident")
    login(client, app, user_id)
    with app.app_context():
        actions = db.session.scalars(db.select(AuditEvent.action)).all()
    assert "login" in actions


def test_cookies_are_httponly_and_samesite(app, client, user_factory):
    user_id = user_factory("resident")
    login(client, app, user_id)
    cookie = client.get_cookie("session")
    assert cookie.http_only
    assert cookie.same_site == "Lax"
