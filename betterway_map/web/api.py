"""The JSON API under /api/v1, described by OpenAPI at /api/v1/openapi.json.

Each capability has its flask-smorest blueprints in its ``api``; ``create_app``
lists them, with their paths, for ``init_api``. Bodies are validated
by the same marshmallow schemas the pages use. Errors answer JSON:
``{"code", "status", "message", "errors"}`` with ``errors`` keyed by location
(``json``, ``query``) and then by field.

Authentication: ``Authorization: Bearer <token>`` (a per-user token made on
the account page), or the browser session with the ``X-CSRFToken`` header
on writes.
"""

from __future__ import annotations

from flask import Flask
from flask_smorest import Api as SmorestApi

__all__ = ["init_api", "page_body"]


class Api(SmorestApi):
    """flask-smorest without its app-wide error handler: ``errors`` answers
    JSON for API paths and HTML pages for the rest."""

    def _register_error_handlers(self):
        pass


def init_api(app: Flask, blueprints) -> Api:
    """The API, with ``blueprints`` as ``(blueprint, path under /api/v1)`` pairs."""
    api = Api(
        app,
        spec_kwargs={
            "info": {
                "description": "Organisations, spaces and groups are public; everything "
                "else follows the same permissions as the pages."
            },
            "servers": [{"url": "/"}],
        },
    )
    api.spec.components.security_scheme(
        "bearerAuth",
        {"type": "http", "scheme": "bearer", "description": "A token from your account page."},
    )
    api.spec.components.security_scheme(
        "sessionAuth",
        {
            "type": "apiKey",
            "in": "header",
            "name": "X-CSRFToken",
            "description": "A signed-in browser session; writes send the page's CSRF token.",
        },
    )
    api.spec.options["security"] = [{"bearerAuth": []}, {"sessionAuth": []}]
    for blueprint, prefix in blueprints:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{prefix}")
    app.extensions["bwm_api"] = api
    return api


def page_body(page) -> dict:
    """A page of a list as the API answers it: its items and where it sits."""
    return {"items": page.items, "pagination": page.pagination}
