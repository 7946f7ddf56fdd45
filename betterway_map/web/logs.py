"""The application's log: one JSON object a line, each with its request's id.

``init_app`` (called once by ``create_app``) gives every request an id —
a sane ``X-Request-ID`` sent by a proxy, else a new one — sends it back in
the ``X-Request-ID`` header, and writes the ``betterway_map`` logger's
records (``current_app.logger`` and ``logging.getLogger(__name__)`` in the
package alike) as JSON lines to the WSGI error stream: the terminal under
``flask run``, gunicorn's error log under gunicorn. Records propagate to
the root logger too, so a deployment may add its own handlers there.

A record says where it happened by the request's method and route, never
by its query string or body, which can hold personal data: a path part
that is not a number (a token in a link) is shown by its name in the route.
Accounts and addresses are named by ``pseudonym``, never in clear.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import re
import secrets
import traceback
from datetime import UTC, datetime

from flask import Flask, current_app, g, has_request_context, request
from flask.logging import default_handler, wsgi_errors_stream

__all__ = [
    "REQUEST_ID_HEADER",
    "JsonFormatter",
    "RequestContext",
    "init_app",
    "log_rate_limit",
    "pseudonym",
    "request_id",
]

REQUEST_ID_HEADER = "X-Request-ID"
# What a proxy may hand over as a request's id: short, and safe to print.
_SANE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
# The attributes every LogRecord has; anything else came as ``extra=``.
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def request_id() -> str | None:
    """This request's id (made on first use), or None outside a request."""
    if not has_request_context():
        return None
    if "request_id" not in g:
        sent = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = sent if _SANE_ID.match(sent) else secrets.token_hex(8)
    return g.request_id


def _route() -> str:
    """The request's path, with any part that is not a number shown by its name."""
    rule, args = request.url_rule, request.view_args or {}
    if rule is not None and any(not isinstance(value, int) for value in args.values()):
        return rule.rule
    return request.path


class RequestContext(logging.Filter):
    """Adds the request's id, method and route to each record, as it is
    logged, so that every handler (the root logger's too) sees them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context():
            record.request_id = request_id()
            record.method = request.method
            record.path = _route()
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON: time, level, logger, message, the
    request's id, method and route, any ``extra`` fields and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["exception"] = record.exc_info[0].__name__ if record.exc_info[0] else None
            entry["traceback"] = "".join(traceback.format_exception(*record.exc_info))
        return json.dumps(entry, default=str, ensure_ascii=False)


class _Handler(logging.StreamHandler):
    """Ours, so that a second ``create_app`` in one process replaces it."""


def _configure_logging(app: Flask) -> None:
    logger = app.logger  # "betterway_map": every module of the package logs under it
    logger.removeHandler(default_handler)
    for handler in [h for h in logger.handlers if isinstance(h, _Handler)]:
        logger.removeHandler(handler)
    handler = _Handler(wsgi_errors_stream)
    handler.addFilter(RequestContext())
    handler.setFormatter(JsonFormatter())
    logger.addHandler(handler)
    logger.setLevel(app.config.get("LOG_LEVEL") or "INFO")


def _start_request() -> None:
    request_id()  # made before any view, so every record of the request shares it


def _send_request_id(response):
    response.headers[REQUEST_ID_HEADER] = request_id()
    return response


def pseudonym(value: str) -> str:
    """A short keyed digest of ``value`` (an email address, a client's
    address): the same within one installation, so that attempts can be
    told apart and counted, and no way back to the value without the key.
    """
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:16]


def log_rate_limit(limit) -> None:
    """Flask-Limiter's ``on_breach`` hook: one warning per refused request."""
    logging.getLogger(__name__).warning(
        "Rate limit reached",
        extra={
            "event": "rate_limited",
            "limit": str(limit.limit),
            "endpoint": request.endpoint,
            # Whom the limit counts (an address, an account), never in clear.
            "client": pseudonym(str(limit.request_args[0] if limit.request_args else limit.key)),
        },
    )


def init_app(app: Flask) -> None:
    """Logging set up once for this app, and an id for every request."""
    _configure_logging(app)
    app.extensions["bwm_request_id"] = request_id  # for errors.py's pages
    app.config.setdefault("RATELIMIT_ON_BREACH_CALLBACK", log_rate_limit)
    app.before_request(_start_request)
    app.after_request(_send_request_id)
