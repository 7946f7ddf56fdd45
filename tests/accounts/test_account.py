"""One's own account page: password change, API token, the dashboard link."""

from __future__ import annotations

import re

import pytest

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.extensions import db
from tests.conftest import PASSWORD, csrf_token, login
from tests.factories.accounts import email_of, make_stale, post

NEW_PASSWORD = "a quite different passphrase"


def _change(client, current=PASSWORD, new=NEW_PASSWORD, confirm=None):
    return post(
        client,
        "/account/password",
        {"current_password": current, "new_password": new, "confirm": confirm or new},
    )


def _can_sign_in(app, user_id, password) -> bool:
    client = app.test_client()
    response = client.post(
        "/auth/login",
        data={
            "email": email_of(app, user_id),
            "password": password,
            "csrf_token": csrf_token(client),
        },
    )
    return response.status_code == 302


def test_my_page_links_to_the_account_page(app, signed_in):
    client, _ = signed_in("worker")
    assert 'href="/account"' in client.get("/me").get_data(as_text=True)
    page = client.get("/account")
    assert page.status_code == 200
    assert email_of(app, _) in page.get_data(as_text=True)


def test_changing_the_password_ends_other_sessions_but_not_this_one(app, signed_in):
    client, user_id = signed_in("resident")
    other = app.test_client()
    login(other, app, user_id)
    response = _change(client)
    assert response.headers["Location"] == "/account"
    assert client.get("/me").status_code == 200
    assert other.get("/me").status_code == 302
    assert _can_sign_in(app, user_id, NEW_PASSWORD)
    assert not _can_sign_in(app, user_id, PASSWORD)
    with app.app_context():
        assert (
            db.session.scalar(db.select(AuditEvent.detail).where(AuditEvent.action == "password"))
            == "changed"
        )


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "not my password at all"}, "not your current password"),
        ({"new": "short"}, "at least 12 characters"),
        ({"new": "password1234"}, "most common passwords"),
        ({"confirm": "something else entirely"}, "not the same"),
        ({"current": ""}, "Enter your current password"),
    ],
)
def test_a_bad_password_change_is_refused_with_a_clear_message(app, signed_in, fields, message):
    client, user_id = signed_in("resident")
    response = _change(client, **fields)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert _can_sign_in(app, user_id, PASSWORD)


def test_the_email_address_is_not_a_password(app, signed_in):
    client, user_id = signed_in("resident")
    address = email_of(app, user_id)
    response = _change(client, new=address)
    assert response.status_code == 400


def test_an_api_token_is_shown_once_and_works(app, signed_in):
    client, user_id = signed_in("resident")
    response = post(client, "/account/api-token")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    token = re.search(r'value="(bwm_[^"]+)"', response.get_data(as_text=True)).group(1)
    api = app.test_client()
    me = api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.get_json()["id"] == user_id
    assert token not in client.get("/account").get_data(as_text=True)


def test_issuing_a_token_needs_a_fresh_sign_in(app, signed_in):
    client, user_id = signed_in("resident")
    make_stale(app, user_id)
    response = post(client, "/account/api-token")
    assert response.headers["Location"].startswith("/auth/confirm")
    with app.app_context():
        assert db.session.get(User, user_id).api_token_hash is None


def test_a_revoked_token_stops_working(app, signed_in):
    client, _ = signed_in("resident")
    page = post(client, "/account/api-token").get_data(as_text=True)
    token = re.search(r'value="(bwm_[^"]+)"', page).group(1)
    assert post(client, "/account/api-token/revoke").status_code == 302
    api = app.test_client()
    assert api.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
