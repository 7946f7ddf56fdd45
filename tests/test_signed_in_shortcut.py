"""``web.access.is_signed_in`` answers without loading anyone for a request
that carries nothing to sign in by, and always as flask-login's
``current_user`` answers: with no cookie, a session cookie signed in or not,
a remember-me cookie, a bearer token valid or not, on the API or a page."""

from __future__ import annotations

import pytest
from flask_login import current_user

from betterway_map.accounts.services.sessions import issue_api_token
from betterway_map.extensions import db
from betterway_map.web.access import is_signed_in
from tests.conftest import login, make_user


@pytest.fixture()
def credentials(app):
    """A signed-in session's cookie, a visitor's session cookie (the sign-in
    page's CSRF token only) and a valid API token."""
    member = app.test_client()
    user_id = make_user(app, "org_admin", two_factor=True)
    login(member, app, user_id)
    visitor = app.test_client()
    visitor.get("/auth/login")
    with app.app_context():
        token = issue_api_token(user_id)
        db.session.commit()
    return {
        "signed in": member.get_cookie("session").value,
        "visitor": visitor.get_cookie("session").value,
        "token": token,
    }


CASES = [
    ("/api/v1/nearby", None, None),
    ("/nearby", None, None),
    ("/api/v1/nearby", "session=signed in", None),
    ("/nearby", "session=signed in", None),
    ("/api/v1/nearby", "session=visitor", None),
    ("/api/v1/nearby", None, "Bearer token"),
    ("/nearby", None, "Bearer token"),
    ("/api/v1/nearby", None, "Bearer bwm_not-a-token"),
    ("/api/v1/nearby", None, "Basic dXNlcjpwYXNz"),
    ("/nearby", "remember_token=1|forged", None),
    ("/nearby", "session=forged.cookie.value", None),
]


@pytest.mark.parametrize("path, cookie, authorization", CASES)
def test_the_shortcut_answers_as_flask_login(app, credentials, path, cookie, authorization):
    headers = {}
    if cookie:
        name, _, which = cookie.partition("=")
        headers["Cookie"] = f"{name}={credentials.get(which, which)}"
    if authorization:
        scheme, _, which = authorization.partition(" ")
        headers["Authorization"] = f"{scheme} {credentials.get(which, which)}"
    with app.test_request_context(path, headers=headers):
        shortcut = is_signed_in()
    with app.test_request_context(path, headers=headers):
        loaded = current_user.is_authenticated
    assert shortcut == loaded
    signed_in = cookie == "session=signed in" or (
        authorization == "Bearer token" and path.startswith("/api/")
    )
    assert shortcut == signed_in  # (the cases mean what they say)


def test_no_one_is_loaded_for_a_request_with_nothing_to_sign_in_by(app):
    from flask import g

    with app.test_request_context("/api/v1/nearby?postcode=ZZ1"):
        assert is_signed_in() is False
        assert "_login_user" not in g  # flask-login was not asked
