"""Shared database helpers for the capabilities: timestamp columns, LIKE,
and a version per table that changes with every committed write.

Every moment is stored as UTC and read back as an aware UTC datetime
(``UtcDateTime``), on SQLite as on PostgreSQL, so that every timestamp the
API answers carries its offset.

Every LIKE built from text a person typed, or from a value stored in a JSON
list, goes through ``escape_like``, so that ``%`` and ``_`` in it are
matched literally and ``\\`` is always the escape character.

Every table has a version (``table_versions``) that takes a new value in
the same transaction as any write to it through the session, so that a
cache of what is read from a table (the nearby search's index, the
council's report) is known to be fresh by reading one small row instead of
the table (``versions``: ``table_versions``; ``versioned``: ``Versioned``).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, String, cast
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from betterway_map.database.versioned import Versioned
from betterway_map.database.versions import (
    BUMP_VERSION_SQL,
    TABLE_VERSIONS,
    known_table_versions,
    new_version,
    table_versions,
    tables_written,
    track_table_versions,
)
from betterway_map.domain.clock import utcnow

__all__ = [
    "UtcDateTime",
    "TimestampMixin",
    "LIKE_ESCAPE",
    "escape_like",
    "contains",
    "starts_with",
    "json_list_contains",
    "TABLE_VERSIONS",
    "track_table_versions",
    "tables_written",
    "table_versions",
    "known_table_versions",
    "BUMP_VERSION_SQL",
    "new_version",
    "Versioned",
]

LIKE_ESCAPE = "\\"


class UtcDateTime(TypeDecorator):
    """A moment, stored in UTC and always read back aware, in UTC.

    SQLite keeps no offset (it stores the wall-clock text), so an aware value
    is turned into UTC before it is written and a value read is marked UTC;
    PostgreSQL's ``timestamptz`` answers in UTC too. A naive value is taken
    to be UTC already, as ``clock.utcnow`` and every stored moment are.

    >>> from datetime import timedelta, timezone
    >>> UtcDateTime().process_bind_param(
    ...     datetime(2025, 7, 1, 10, 30, tzinfo=timezone(timedelta(hours=1))), None)
    datetime.datetime(2025, 7, 1, 9, 30, tzinfo=datetime.timezone.utc)
    >>> UtcDateTime().process_result_value(datetime(2025, 7, 1, 9, 30), None)
    datetime.datetime(2025, 7, 1, 9, 30, tzinfo=datetime.timezone.utc)
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return None if value is None else _in_utc(value)

    def process_result_value(self, value, dialect):
        return None if value is None else _in_utc(value)


def _in_utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, onupdate=utcnow)


def escape_like(text: str) -> str:
    r"""``text`` for a LIKE pattern escaped with ``LIKE_ESCAPE``: its ``%``,
    ``_`` and ``\`` match themselves, not any characters.

    >>> print(escape_like(r"50%_off\now"))
    50\%\_off\\now
    """
    return (
        text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2)
        .replace("%", LIKE_ESCAPE + "%")
        .replace("_", LIKE_ESCAPE + "_")
    )


def contains(expression, text: str):
    """The condition that ``expression`` contains ``text``, wildcards and all,
    literally (as case-sensitive as the database's LIKE: lower both sides for
    a search that ignores case)."""
    return expression.like(f"%{escape_like(text)}%", escape=LIKE_ESCAPE)


def starts_with(expression, text: str):
    """The condition that ``expression`` starts with ``text``, literally."""
    return expression.like(f"{escape_like(text)}%", escape=LIKE_ESCAPE)


def json_list_contains(column, value: str):
    """The condition that the JSON list in ``column`` holds the string ``value``.

    The list's text is searched for the quoted value, which works on SQLite
    and PostgreSQL alike and matches whole values only ("walk" is not in
    ``["walking"]``). For the vocabulary values these lists hold (letters and
    ``_``), the quoted value is exactly how JSON writes it.
    """
    return contains(cast(column, String), f'"{value}"')
