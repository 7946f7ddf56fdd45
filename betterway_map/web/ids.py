"""Record numbers in paths: every ``<int:...>`` of every page and API route.

Ids are PostgreSQL ``integer`` columns (1 to 2**31 - 1). A number in a path
beyond that cannot name a record, so it is "not found" here, before a query
that the database would refuse (PostgreSQL) or could not bind (SQLite).
"""

from __future__ import annotations

from flask import Flask
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter

from betterway_map.web.fields import MAX_WHOLE_NUMBER

__all__ = ["RecordIdConverter", "init_app"]

_MAX_DIGITS = len(str(MAX_WHOLE_NUMBER)) + 10  # leading zeros aside


class RecordIdConverter(IntegerConverter):
    """``int`` as Flask's, with numbers too large for a record answered 404."""

    def to_python(self, value: str) -> int:
        if len(value) > _MAX_DIGITS or int(value) > MAX_WHOLE_NUMBER:
            shown = value if len(value) <= 30 else f"{value[:30]}…"
            raise NotFound(
                f"There is no record numbered {shown}: record numbers go from 1 to "
                f"{MAX_WHOLE_NUMBER}."
            )
        return super().to_python(value)


def init_app(app: Flask) -> None:
    """Make ``int`` in routes mean a record's number; before any route is added."""
    app.url_map.converters["int"] = RecordIdConverter
