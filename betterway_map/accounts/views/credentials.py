"""Who is signed in: a server-side session (the cookie) or an API token.

A bearer token, when sent, is the only credential that counts, and only on
the API. A session or token of a user whose roles need two-factor sign-in
that they have not set up (``two_factor_policy``) signs no one in: the
session ends (they sign in again and are taken to set it up), the token is
refused with a message saying why.
"""

from __future__ import annotations

from flask import current_app, flash, g, request, session

from betterway_map.accounts.services import sessions
from betterway_map.accounts.services.two_factor_policy import owes_enrolment
from betterway_map.extensions import login_manager

__all__ = ["init_login", "bearer_token"]


@login_manager.user_loader
def _load_session_user(user_id: str):
    if bearer_token() is not None:
        return None  # a bearer token, when sent, is the only credential that counts
    session_id = session.get("sid")
    user = sessions.user_for_session(
        user_id, session_id, current_app.config["SESSION_IDLE_MINUTES"]
    )
    if user is not None and owes_enrolment(user):
        # Signed in before two-factor sign-in was required of them (a new
        # role, a reset, a changed setting): this session ends here.
        sessions.end_session(session_id, why="two-factor sign-in required, not set up")
        flash(
            "Your account now needs two-factor sign-in. Sign in again to set it up.",
            "info",
        )
        return None
    return user


@login_manager.request_loader
def _load_token_user(req):
    token = bearer_token()
    if token is None or not req.path.startswith("/api/"):
        return None
    user = sessions.user_for_api_token(token)
    if isinstance(user, sessions.TokenRefused):
        # No one is signed in; ``web.access`` answers 401 with this message.
        g.credentials_refused = user.message
        return None
    if user is not None:
        g.authenticated_by_token = True
    return user


def bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = None  # sessions are checked on the server instead
