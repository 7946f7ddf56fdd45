"""The users API for site admins: list, add, roles, activation."""

from __future__ import annotations

import pytest

from betterway_map.accounts.models import User
from betterway_map.accounts.services import sessions
from betterway_map.extensions import db
from tests.conftest import csrf_token
from tests.factories.accounts import make_stale


@pytest.fixture()
def admin(signed_in):
    client, user_id = signed_in("site_admin", email="boss@example.org")
    return client, user_id, {"X-CSRFToken": csrf_token(client)}


def test_list_and_search(app, admin, user_factory):
    client, _, _ = admin
    user_factory("worker", email="wendy@example.org", name="Wendy")
    body = client.get("/api/v1/users?q=wendy").get_json()
    assert body["total"] == 1
    assert body["items"][0]["roles"] == ["worker"]
    assert "password_hash" not in body["items"][0] and "totp_secret" not in body["items"][0]


@pytest.mark.parametrize("query", ["page=0", "page=x", "per_page=1000", "q=" + "y" * 101])
def test_bad_query_parameters_answer_422_naming_the_field(app, admin, query):
    client, _, _ = admin
    response = client.get(f"/api/v1/users?{query}")
    assert response.status_code == 422
    assert query.split("=")[0] in response.get_json()["errors"]["query"]


def test_create_returns_the_user_and_a_set_password_link(app, admin):
    client, _, headers = admin
    response = client.post(
        "/api/v1/users", json={"email": "nia@example.org", "roles": ["worker"]}, headers=headers
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["user"]["roles"] == ["worker"]
    assert "/auth/choose-password/" in body["set_password_link"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "nope", "roles": ["worker"]}, "email"),
        ({"email": "a@example.org", "roles": []}, "roles"),
        ({"email": "a@example.org", "roles": ["czar"]}, "roles"),
        ({"roles": ["worker"]}, "email"),
    ],
)
def test_create_refuses_bad_input_with_422(app, admin, body, field):
    client, _, headers = admin
    response = client.post("/api/v1/users", json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(User)) == 1


def test_set_roles_and_activation(app, admin, user_factory):
    client, _, headers = admin
    user_id = user_factory("worker")
    response = client.put(
        f"/api/v1/users/{user_id}/roles", json={"roles": ["council"]}, headers=headers
    )
    assert response.get_json()["roles"] == ["council"]
    response = client.put(
        f"/api/v1/users/{user_id}/active", json={"active": False}, headers=headers
    )
    assert response.get_json()["active"] is False


def test_own_site_admin_role_cannot_be_removed_through_the_api(app, admin):
    client, admin_id, headers = admin
    response = client.put(
        f"/api/v1/users/{admin_id}/roles", json={"roles": ["worker"]}, headers=headers
    )
    assert response.status_code == 409
    assert "own site admin role" in response.get_json()["message"]


def test_changes_need_a_fresh_session_and_never_work_with_a_token(app, admin, user_factory):
    client, admin_id, headers = admin
    user_id = user_factory("worker")
    make_stale(app, admin_id)
    stale = client.put(
        f"/api/v1/users/{user_id}/roles", json={"roles": ["council"]}, headers=headers
    )
    assert stale.status_code == 401
    with app.app_context():
        token = sessions.issue_api_token(admin_id)
    by_token = app.test_client().put(
        f"/api/v1/users/{user_id}/roles",
        json={"roles": ["council"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert by_token.status_code == 401
    listed = app.test_client().get("/api/v1/users", headers={"Authorization": f"Bearer {token}"})
    assert listed.status_code == 200


def test_unknown_user_is_404(app, admin):
    client, _, headers = admin
    assert client.get("/api/v1/users/424242").status_code == 404
    response = client.put("/api/v1/users/424242/roles", json={"roles": ["worker"]}, headers=headers)
    assert response.status_code == 404


def test_a_token_write_needs_no_csrf_token(app, user_factory):
    """Bearer-token writes skip CSRF (a browser cannot send the header cross-site)."""
    admin_id = user_factory("site_admin")
    with app.app_context():
        token = sessions.issue_api_token(admin_id)
    response = app.test_client().put(
        "/api/v1/users/1/roles",
        json={"roles": ["worker"]},
        headers={"Authorization": f"Bearer {token}"},
    )
    # Refused for want of a fresh sign-in (401), not for want of a CSRF token (400).
    assert response.status_code == 401
    assert "fresh sign-in" in response.get_json()["message"]
