"""API authentication: bearer tokens, or the session with its CSRF token."""

from __future__ import annotations

from betterway_map.accounts.services import sessions


def _token(app, user_id):
    with app.app_context():
        return sessions.issue_api_token(user_id)


def test_bearer_token_identifies_the_user(app, client, user_factory):
    user_id = user_factory("worker")
    token = _token(app, user_id)
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json()["roles"] == ["worker"]


def test_an_invalid_token_is_refused_even_with_a_session(app, signed_in):
    client, _ = signed_in("resident")
    assert client.get("/api/v1/me").status_code == 200
    response = client.get("/api/v1/me", headers={"Authorization": "Bearer bwm_forged"})
    assert response.status_code == 401


def test_reissuing_a_token_revokes_the_old_one(app, client, user_factory):
    user_id = user_factory("resident")
    old = _token(app, user_id)
    _token(app, user_id)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {old}"}).status_code == 401


def test_tokens_do_not_open_pages(app, client, user_factory):
    token = _token(app, user_factory("resident"))
    response = client.get("/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 302


def test_bearer_token_writes_need_no_csrf_token(app, client, user_factory):
    """A write with only a bearer token reaches the view (here: a validation
    error from the API, not a CSRF refusal)."""
    token = _token(app, user_factory("org_admin"))
    response = client.post(
        "/api/v1/organisations", json={}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 422, response.get_json()


def test_session_writes_without_csrf_token_are_refused(app, signed_in):
    client, _ = signed_in("org_admin")
    response = client.post("/api/v1/organisations", json={"name": "x"})
    assert response.status_code == 400
    assert "CSRF" in response.get_json()["message"] or "form" in response.get_json()["message"]
