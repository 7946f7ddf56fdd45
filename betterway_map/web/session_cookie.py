"""Flask's signed session cookie, left unread on an API request that sends none.

The API is used with a bearer token, or from the site's own pages with the
browser's session cookie. An API request that sends no session cookie has
no session to read: it gets an empty one at once, without making the
cookie's signer, and, as before, no cookie is set unless something is
stored in it (the answer still says ``Vary: Cookie`` whenever the session
was looked at, as Flask's own interface does). An empty session that
nothing changed is saved as Flask saves it, without working out the
cookie's settings first.
"""

from __future__ import annotations

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface

__all__ = ["SessionCookie", "init_app"]

API_PREFIX = "/api/"


class SessionCookie(SecureCookieSessionInterface):
    """Flask's interface, opening no cookie on an API request that has none."""

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(API_PREFIX) and self.get_cookie_name(app) not in request.cookies:
            if not app.secret_key:
                return None  # as Flask's own: no session at all without a key
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session, response) -> None:
        # An empty session left as it was: no cookie to set or delete, and
        # Flask's own would only say Vary: Cookie (after working out every
        # setting of the cookie it does not write).
        if not session and not session.modified:
            if session.accessed:
                if "Vary" in response.headers:
                    response.vary.add("Cookie")
                else:  # the same header, without parsing an empty one first
                    response.headers["Vary"] = "Cookie"
            return
        super().save_session(app, session, response)


def init_app(app: Flask) -> None:
    app.session_interface = SessionCookie()
