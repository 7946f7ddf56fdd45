"""Deny-by-default access control: the one mechanism for every route.

Every view declares who may use it with one of the decorators below. A
``before_request`` hook reads the declaration of the matched endpoint and
refuses the request when there is none, so a route added without a
declaration is closed, not open; ``tests/test_access_declarations.py`` walks
the URL map and fails on any such route.

The same hook checks the CSRF token of every state-changing request, except
API requests authenticated by a bearer token (a browser cannot send one
cross-site without the page's own script). An API request for a route that
needs a user, with neither a session nor a valid token, answers 401 before
any CSRF check.

An ``after_request`` hook marks ``Cache-Control: no-store`` on every answer
that may hold personal data, so that no browser or proxy keeps a copy: every
answer of a route that is not public, and every answer to someone signed in
or sending a token (a public page then shows their name). Public pages to
someone not signed in, and the site's own files, may be cached; so may a
successful answer (200 or 304) of a view declared ``private_cache``, in
the signed-in user's own browser only, as the view marks it (asked for again
on every use, so these checks run each time; its answers
hold aggregates that disclosure control has already decided and public
places, never a row about a person: e.g. a map's data named by its digest,
``web.documents``). Its refusals and errors are still ``no-store``.

Role checks happen here; record-level checks (whose organisation, which
worker's person) happen in the services, which raise ``Forbidden`` or
``NotFound``.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user
from flask_login.config import COOKIE_NAME
from werkzeug.exceptions import Forbidden, Unauthorized

from betterway_map.extensions import csrf

__all__ = [
    "AccessRule",
    "public",
    "signed_in",
    "roles",
    "private_cache",
    "rule_for",
    "may_hold_personal_data",
    "is_signed_in",
    "init_app",
    "FLASK_ENDPOINTS",
    "SHARED_FILES",
]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Where flask-login keeps the signed-in user's id in the session (its
# remember-me cookie's default name is its ``COOKIE_NAME``).
SESSION_USER_KEY = "_user_id"
SIGN_IN_FIRST = "Sign in first: send 'Authorization: Bearer <token>' or use a signed-in session."


@dataclass(frozen=True)
class AccessRule:
    """Who may use a view.

    ``roles`` empty with ``public`` False means any signed-in user; ``fresh``
    means the password must have been typed in the last few minutes.
    """

    public: bool = False
    roles: frozenset[str] = frozenset()
    fresh: bool = False

    def describe(self) -> str:
        if self.public:
            return "anyone"
        who = ", ".join(sorted(self.roles)) if self.roles else "any signed-in user"
        return who + (" (fresh sign-in)" if self.fresh else "")


def _declare(rule: AccessRule):
    def decorator(view):
        view.access_rule = rule
        return view

    return decorator


def public(view):
    """Anyone, signed in or not."""
    return _declare(AccessRule(public=True))(view)


def signed_in(view=None, *, fresh: bool = False):
    """Any signed-in user."""
    decorator = _declare(AccessRule(fresh=fresh))
    return decorator(view) if view is not None else decorator


def roles(*names: str, fresh: bool = False):
    """Signed-in users holding at least one of ``names``."""
    if not names:
        raise ValueError("roles() needs at least one role; use signed_in for anyone signed in")
    return _declare(AccessRule(roles=frozenset(names), fresh=fresh))


def private_cache(view):
    """Let the view's successful answers keep the ``Cache-Control: private``
    it sets (no ``no-store``): only for answers that hold no personal data,
    which a user's own browser may keep."""
    view.private_cache = True
    return view


# Endpoints that Flask and flask-smorest register themselves.
FLASK_ENDPOINTS = {
    "static": AccessRule(public=True),
    "api-docs.openapi_json": AccessRule(public=True),
}
# The site's own files (styles, scripts, map libraries): the same for everyone.
SHARED_FILES = frozenset({"static", "maps.vendor"})


def rule_for(app: Flask, endpoint: str) -> AccessRule | None:
    if endpoint in FLASK_ENDPOINTS:
        return FLASK_ENDPOINTS[endpoint]
    view = app.view_functions.get(endpoint)
    # flask-smorest and MethodView wrap the function; the declaration may sit on either.
    rule = getattr(view, "access_rule", None)
    if rule is None:
        wrapped = getattr(view, "__wrapped__", None)
        rule = getattr(wrapped, "access_rule", None)
    return rule


def is_api_request() -> bool:
    return request.path.startswith("/api/")


def _enforce():
    endpoint = request.endpoint
    if endpoint is None:
        return None  # no route matched: the 404/405 handlers answer
    rule = rule_for(current_app, endpoint)
    if rule is None:
        current_app.logger.error("Route %s has no access declaration; refused.", endpoint)
        raise Forbidden("This page is not open to anyone.")
    # Loading the user first tells a bearer-token request (which needs no
    # CSRF token) from a session one.
    signed_in_now = is_signed_in()
    # An API call with no credentials at all is told so (401), not that a
    # form expired: the CSRF token protects a session, and there is none.
    if not rule.public and not signed_in_now and is_api_request():
        # The loader of credentials may say why the ones sent were refused
        # (an expired token).
        raise Unauthorized(g.get("credentials_refused") or SIGN_IN_FIRST)
    if request.method not in SAFE_METHODS and not g.get("authenticated_by_token"):
        csrf.protect()
    if rule.public:
        return None
    if not signed_in_now:
        flash("Please sign in to see that page.", "info")
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if rule.roles and not current_user.has_role(*rule.roles):
        raise Forbidden(f"This needs the role {' or '.join(sorted(rule.roles))}.")
    if rule.fresh and not _fresh():
        if is_api_request():
            raise Unauthorized("This action needs a fresh sign-in: sign in again in the browser.")
        flash("For your safety, please type your password again to do that.", "info")
        return redirect(url_for("auth.confirm", next=request.full_path.rstrip("?")))
    return None


def may_hold_personal_data() -> bool:
    """Whether the answer to this request may hold personal data."""
    endpoint = request.endpoint
    if endpoint in SHARED_FILES:
        return False
    if endpoint is not None:
        rule = rule_for(current_app, endpoint)
        if rule is None or not rule.public:
            return True
    return is_signed_in()


def is_signed_in() -> bool:
    """Whether someone is signed in on this request (``current_user``), without
    loading anyone for a request that carries nothing flask-login could sign
    them in by: no user in the session, no remember-me cookie, no
    ``Authorization`` header (nearly every anonymous call of the public API).
    The session is read as flask-login reads it, so the answer still varies
    with the cookie (``Vary: Cookie``)."""
    if (
        session.get(SESSION_USER_KEY) is None
        and current_app.config.get("REMEMBER_COOKIE_NAME", COOKIE_NAME) not in request.cookies
        and "Authorization" not in request.headers
    ):
        return False
    return current_user.is_authenticated


def _kept_privately(response) -> bool:
    """A successful answer of a ``private_cache`` view that says ``private``."""
    view = current_app.view_functions.get(request.endpoint or "")
    return (
        getattr(view, "private_cache", False)
        and response.status_code in (200, 304)
        and response.cache_control.private is not None
        and not response.cache_control.public
    )


def _no_store(response):
    if may_hold_personal_data() and not _kept_privately(response):
        response.headers["Cache-Control"] = "no-store"
    return response


def _fresh() -> bool:
    if g.get("authenticated_by_token"):
        return False
    is_fresh = current_app.extensions["bwm_session_is_fresh"]
    return is_fresh(session.get("sid"), current_app.config["FRESH_LOGIN_MINUTES"])


def init_app(app: Flask, session_is_fresh) -> None:
    """Enforce every view's declaration; ``session_is_fresh(session_id,
    minutes)`` (from accounts) says whether a password was typed recently."""
    app.extensions["bwm_session_is_fresh"] = session_is_fresh
    app.before_request(_enforce)
    app.after_request(_no_store)
