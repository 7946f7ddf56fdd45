"""Shared by the API modules for organisations, spaces and groups."""

from __future__ import annotations

from contextlib import contextmanager

from flask_smorest import abort

from betterway_map.errors import Conflict, InvalidInput
from betterway_map.web.paging import Page

__all__ = ["service_errors", "page_body"]


@contextmanager
def service_errors():
    """Answer a service's ``InvalidInput`` like a schema error (422, ``errors.json``)
    and a ``Conflict`` as 409 in the same shape."""
    try:
        yield
    except InvalidInput as error:
        abort(422, message=error.message, errors={"json": error.errors})
    except Conflict as error:
        abort(409, message=error.message, errors={"json": error.errors})


def page_body(page: Page) -> dict:
    return {"items": page.items, "pagination": page.pagination}
