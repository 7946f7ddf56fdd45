"""Shared by the API modules for one person's records."""

from __future__ import annotations

from contextlib import contextmanager

from flask_smorest import abort

from betterway_map.errors import InvalidInput

__all__ = ["as_422", "PEOPLE"]

PEOPLE = ("resident", "worker")


@contextmanager
def as_422():
    """Answer a service's ``InvalidInput`` like a schema error: 422 with
    ``errors: {"json": {field: [messages]}}``."""
    try:
        yield
    except InvalidInput as error:
        abort(422, message=error.message, errors={"json": error.errors})
