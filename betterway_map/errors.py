"""The exception hierarchy and the HTTP error handlers.

Services raise these; views and the API turn them into responses. Every
message is written for the person who caused it: it names the bad value and
says what would be accepted.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from marshmallow import ValidationError
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError, RequestEntityTooLarge

__all__ = [
    "BetterWayError",
    "InvalidInput",
    "NotFound",
    "Forbidden",
    "Conflict",
    "register_errorhandlers",
]


class BetterWayError(Exception):
    """Base class of the errors a person can cause."""

    status_code = 400

    def __init__(self, message: str, errors: dict | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors or {}


class InvalidInput(BetterWayError, ValueError):
    """Input that fails validation; ``errors`` maps each field to its messages."""

    status_code = 422

    @classmethod
    def from_marshmallow(cls, error: ValidationError) -> InvalidInput:
        messages = (
            error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        )
        return cls("Some of the details need correcting.", messages)


class NotFound(BetterWayError, LookupError):
    status_code = 404


class Forbidden(BetterWayError, PermissionError):
    status_code = 403


class Conflict(BetterWayError):
    status_code = 409


log = logging.getLogger(__name__)
QUOTE_REFERENCE = "If you contact us about it, quote this reference"


# app.extensions key: more base paths that answer JSON, handed over by
# create_app (the ORUK API at /oruk, which plumbing cannot import).
JSON_PATHS = "bwm_json_paths"


def wants_json() -> bool:
    """API paths always answer JSON (also an unknown path or method under
    them); pages answer HTML."""
    path = request.path
    if path.startswith("/api/"):
        return True
    return any(
        path == base or path.startswith(base + "/")
        for base in current_app.extensions.get(JSON_PATHS, ())
    )


def _json_error(
    code: int,
    name: str,
    message: str,
    errors: dict | None = None,
    headers=None,
    reference: str | None = None,
):
    payload = {"code": code, "status": name, "message": message}
    if errors:
        payload["errors"] = errors
    if reference:
        payload["request_id"] = reference
    response = jsonify(payload)
    response.status_code = code
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _html_error(code: int, name: str, message: str, reference: str | None = None):
    page = render_template(
        "errors/error.html", code=code, name=name, message=message, reference=reference
    )
    return page, code


def _too_large_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    size = f"{limit / 1_000_000:g} MB" if limit else "the size this site accepts"
    return f"What was sent is larger than {size}: send less at once (e.g. shorter text or a smaller file)."


def _request_id() -> str | None:
    """This request's id, as ``web.logs`` gives it to the log records."""
    request_id = current_app.extensions.get("bwm_request_id")
    return request_id() if request_id else None


def handle_http_exception(error: HTTPException):
    if error.code is None:  # a redirect raised as an exception
        return error
    data = getattr(error, "data", None) or {}
    message = data.get("message") or error.description or error.name
    if isinstance(error, CSRFError):
        message = (
            "This form had expired or did not come from this site "
            f"({error.description}). Go back, reload the page and try again."
        )
    if isinstance(error, RequestEntityTooLarge):
        message = _too_large_message()
    # A server error has a reference to quote, the request's id in the log.
    reference = _request_id() if error.code >= 500 else None
    if wants_json():
        errors = data.get("errors") or data.get("messages")
        headers = dict(data.get("headers") or {})
        if error.code == 405 and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        if reference:
            message = f"{message} {QUOTE_REFERENCE}: {reference}"
        return _json_error(error.code, error.name, message, errors, headers, reference)
    return _html_error(error.code, error.name, message, reference)


def _located(errors: dict) -> dict:
    """An API error's field messages under where the fields were sent, as
    schema errors are: ``{"query": {...}}`` for reads, ``{"json": {...}}``
    for writes. This is the one place that maps a service's error for the API."""
    if not errors:
        return errors
    return {"query" if request.method in ("GET", "HEAD") else "json": errors}


def handle_domain_error(error: BetterWayError):
    names = {
        400: "Bad Request",
        403: "Forbidden",
        404: "Not Found",
        409: "Conflict",
        422: "Unprocessable Entity",
    }
    name = names.get(error.status_code, "Error")
    if wants_json():
        return _json_error(error.status_code, name, error.message, _located(error.errors))
    return _html_error(error.status_code, name, error.message)


def handle_unexpected(error: Exception):
    from betterway_map.extensions import db

    # The traceback, with the request's id, method and route (web.logs), and
    # the same id on the page: never the query string, the body or a password.
    log.error("Unexpected error: %s", type(error).__name__, exc_info=error)
    # A failed request must not leave a half-done transaction behind.
    try:
        db.session.rollback()
    except Exception:  # the database itself may be what failed
        log.exception("Rolling back after an unexpected error failed too")
    return handle_http_exception(
        InternalServerError("Something went wrong on our side and what you asked for was not done.")
    )


DATABASE_RETRY_AFTER_SECONDS = 120
DATABASE_UNAVAILABLE = (
    "The site cannot reach its database just now; please try again in a few minutes."
)


def handle_database_unavailable(error: Exception):
    """The database refused, timed out or went away (``OperationalError``:
    connection refused, connect or statement timeout; the pool's timeout): a
    503 that says to come back, not a 500 after a long wait."""
    from betterway_map.extensions import db, login_manager

    log.error("Database unavailable: %s", type(error).__name__, exc_info=error)
    with suppress(SQLAlchemyError):
        db.session.rollback()
    # When it was finding out who is signed in that failed, the error page
    # must not ask the database again (Flask-Login keeps the request's user
    # in g._login_user): it is shown as to a visitor.
    if "_login_user" not in g:
        g._login_user = login_manager.anonymous_user()
    headers = {"Retry-After": str(DATABASE_RETRY_AFTER_SECONDS)}
    reference = _request_id()
    if wants_json():
        return _json_error(
            503, "Service Unavailable", DATABASE_UNAVAILABLE, headers=headers, reference=reference
        )
    page, code = _html_error(503, "Service Unavailable", DATABASE_UNAVAILABLE, reference)
    return page, code, headers


def register_errorhandlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(BetterWayError, handle_domain_error)
    for unavailable in (OperationalError, PoolTimeout):
        app.register_error_handler(unavailable, handle_database_unavailable)
    if not app.config.get("PROPAGATE_EXCEPTIONS") and not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
    app.teardown_request(_rollback_on_error)


def _rollback_on_error(exc):
    if exc is not None:
        from betterway_map.extensions import db

        db.session.rollback()
