"""API tokens: how long they last, what ends them, and the account page's list."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from betterway_map.accounts.models import User
from betterway_map.accounts.services import sessions
from betterway_map.accounts.services.password_reset import make_link_token
from betterway_map.domain.clock import utcnow
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.factories.accounts import post

NEW_PASSWORD = "a quite different passphrase"


def _me(app, token):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def _token_from(page) -> str:
    return re.search(r'value="(bwm_[^"]+)"', page.get_data(as_text=True)).group(1)


def _lifetime(app, user_id) -> timedelta | None:
    with app.app_context():
        user = db.session.get(User, user_id)
        if user.api_token_expires_at is None:
            return None
        return user.api_token_expires_at - user.api_token_created_at


@pytest.mark.parametrize(
    ("chosen", "lifetime"),
    [({}, timedelta(days=90)), ({"days": "30"}, timedelta(days=30)), ({"days": "none"}, None)],
    ids=["default", "30 days", "no expiry"],
)
def test_a_token_lasts_as_long_as_chosen(app, signed_in, chosen, lifetime):
    client, user_id = signed_in("resident")
    response = post(client, "/account/api-token", chosen)
    assert response.status_code == 200
    assert _lifetime(app, user_id) == lifetime


def test_a_lifetime_not_offered_is_refused(app, signed_in):
    client, user_id = signed_in("resident")
    response = post(client, "/account/api-token", {"days": "10000"})
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).api_token_hash is None
        with pytest.raises(InvalidInput, match="not 7"):
            sessions.issue_api_token(user_id, 7)


def test_an_expired_token_is_refused_with_a_clear_message(app, user_factory):
    user_id = user_factory("worker")
    with app.app_context():
        token = sessions.issue_api_token(user_id, 30)
        db.session.get(User, user_id).api_token_expires_at = utcnow() - timedelta(seconds=1)
        db.session.commit()
    response = _me(app, token)
    assert response.status_code == 401
    assert "expired" in response.get_json()["message"]
    assert "account page" in response.get_json()["message"]


def test_a_token_works_until_it_expires(app, user_factory):
    user_id = user_factory("worker")
    with app.app_context():
        token = sessions.issue_api_token(user_id, 30)
        db.session.get(User, user_id).api_token_expires_at = utcnow() + timedelta(minutes=1)
        db.session.commit()
    assert _me(app, token).status_code == 200


def test_changing_the_password_ends_the_token(app, signed_in):
    client, _ = signed_in("resident")
    token = _token_from(post(client, "/account/api-token"))
    assert _me(app, token).status_code == 200
    response = post(
        client,
        "/account/password",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _me(app, token).status_code == 401


def test_resetting_the_password_ends_the_token(app, user_factory):
    user_id = user_factory("resident")
    with app.app_context():
        token = sessions.issue_api_token(user_id)
        link = make_link_token(db.session.get(User, user_id), "reset")
    client = app.test_client()
    page = f"/auth/choose-password/{link}"
    client.get(page)
    response = client.post(
        page,
        data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    assert _me(app, token).status_code == 401


def test_the_account_page_lists_the_token_and_when_it_was_last_used(app, signed_in):
    client, _ = signed_in("resident")
    assert "You have no token." in client.get("/account").get_data(as_text=True)
    token = _token_from(post(client, "/account/api-token", {"days": "365"}))
    page = client.get("/account").get_data(as_text=True)
    assert "Your token" in page and "Not yet" in page and "Revoke my token" in page
    assert _me(app, token).status_code == 200
    page = client.get("/account").get_data(as_text=True)
    assert "Not yet" not in page


def test_revoking_needs_a_csrf_token(app, signed_in):
    client, user_id = signed_in("resident")
    post(client, "/account/api-token")
    assert client.post("/account/api-token/revoke").status_code == 400
    with app.app_context():
        assert db.session.get(User, user_id).api_token_hash is not None
