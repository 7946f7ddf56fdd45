"""The session cookie (``web.session_cookie``) behaves as Flask's own
interface: the same cookies set and deleted, with the same settings, and the
same ``Vary: Cookie``, on the API and on pages, signed in or not; only
what it skips (an API request's absent cookie, an empty session's
settings) is not worked out."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
from flask.sessions import SecureCookieSessionInterface

from betterway_map.web.session_cookie import SessionCookie
from tests.conftest import csrf_token, login, make_user


@contextmanager
def _flasks_own(app):
    ours = app.session_interface
    app.session_interface = SecureCookieSessionInterface()
    try:
        yield
    finally:
        app.session_interface = ours


def _cookie_shape(response) -> list[tuple]:
    """Each cookie set: its name, whether it is emptied, and its attributes
    (values are signed with the time, so differ from one answer to the next)."""
    shapes = []
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        value, *attributes = rest.split("; ")
        kept = sorted(a for a in attributes if not a.startswith("Expires="))
        shapes.append((name, value == "", tuple(kept)))
    return sorted(shapes)


def _answers(app, user_id, steps) -> list:
    client = app.test_client()
    found = []
    for step in steps:
        if step == "sign in":
            login(client, app, user_id)
            continue
        if step == "sign out":
            response = client.post("/auth/logout", data={"csrf_token": csrf_token(client)})
        else:
            response = client.get(step)
        found.append((step, response.status_code, _cookie_shape(response),
                      sorted(response.vary)))  # fmt: skip
        response.close()
    return found


STEPS = [
    "/api/v1/nearby?lat=52.45&lon=-0.98",  # no cookie at all
    "/",  # a page: a CSRF token is put in the session
    "/api/v1/nearby?lat=52.45&lon=-0.98",  # now with the cookie
    "sign in",
    "/account",
    "/api/v1/me",
    "sign out",
    "/api/v1/nearby?lat=52.45&lon=-0.98",
    "/static/css/site.css",
]


def test_every_answer_has_the_cookies_and_vary_of_flasks_own_interface(app):
    assert isinstance(app.session_interface, SessionCookie)
    user_id = make_user(app, "resident")
    ours = _answers(app, user_id, STEPS)
    with _flasks_own(app):
        theirs = _answers(app, user_id, STEPS)
    assert ours == theirs
    # What the comparison covered: pages answered, cookies set, Vary said.
    assert all(status in (200, 302) for _, status, _, _ in ours)
    assert any(cookies for _, _, cookies, _ in ours)
    assert ours[0][2] == [] and ours[0][3] == ["Cookie"]


@pytest.mark.parametrize("path", ["/api/v1/nearby?lat=52.45&lon=-0.98", "/static/css/site.css"])
def test_an_untouched_empty_session_sets_no_cookie(client, path):
    response = client.get(path)
    response.close()
    assert response.status_code == 200
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]


@pytest.mark.parametrize("vary", [None, "Accept-Encoding", "Accept-Encoding, Cookie"])
def test_an_empty_looked_at_session_adds_cookie_to_vary_as_flasks_own(app, vary):
    from flask import Response
    from flask.sessions import SecureCookieSession

    answers = []
    for interface in (SessionCookie(), SecureCookieSessionInterface()):
        session, response = SecureCookieSession(), Response("x")
        session.get("_user_id")  # looked at, as flask-login looks
        if vary:
            response.headers["Vary"] = vary
        with app.test_request_context("/"):
            interface.save_session(app, session, response)
        answers.append(response.headers.getlist("Vary"))
    assert answers[0] == answers[1]
