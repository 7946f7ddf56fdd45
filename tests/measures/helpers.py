"""Signing in and calling the measures API, for the measures tests."""

from __future__ import annotations

from betterway_map.extensions import db
from tests.conftest import csrf_token, login

API = "/api/v1/measures"


def signed_in(app, user_id: int):
    client = app.test_client()
    login(client, app, user_id)
    return client


def api(client, method: str, path: str, body=None):
    headers = {"X-CSRFToken": csrf_token(client)} if method != "GET" else {}
    return client.open(API + path, method=method, json=body, headers=headers)


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def messages(response) -> str:
    """Every message of an error answer, as one text."""
    body = response.get_json()
    return f"{body.get('message', '')} {body.get('errors', '')}"
