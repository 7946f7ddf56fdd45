"""Reading plain columns in bulk, fast: what the measures of a whole area
need (a million contacts, a hundred thousand measures) without a Python
object per value where it can be helped.

* ``day_number``: a date or moment as its day's ordinal, worked out by the
  database;
* ``raw_rows``: the rows of a query straight from the DBAPI cursor;
* ``integer_columns``: integer columns of a table as numpy arrays (SQLite
  writes each column as one string of numbers, which numpy parses);
* ``moment``: a stored moment read raw, as ``UtcDateTime`` would read it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import numpy as np
from sqlalchemy import Date, Integer, cast, func, literal_column, select

from betterway_map.extensions import db

__all__ = [
    "day_number",
    "raw_rows",
    "integer_columns",
    "moment",
    "ordinal_date",
]

# Rows of ids per query when SQLite concatenates them (a string of tens of MB at most).
_CHUNK_IDS = 1 << 20


def day_number(column):
    """A date column as its proleptic Gregorian ordinal (``date.toordinal()``),
    worked out by the database so that a million dates come back as integers."""
    if db.engine.dialect.name == "postgresql":
        # A moment (timestamptz) is cast to its date first: a timestamp less
        # a date is an interval, a date less a date is a number of days.
        return cast(cast(column, Date) - literal_column("DATE '0001-01-01'"), Integer) + 1
    return cast(func.julianday(column) - 1721424.5, Integer)


def ordinal_date(ordinal: int | None) -> date | None:
    """The date of a ``day_number`` (None for None)."""
    return None if ordinal is None else date.fromordinal(ordinal)


def raw_rows(query) -> list[tuple]:
    """The rows of a query of plain columns straight from the DBAPI cursor,
    through the session's connection (its transaction): no result processing."""
    result = db.session.connection().execute(query)
    rows = result.cursor.fetchall()
    result.close()
    return rows


def integer_columns(
    columns, model, where=lambda query: query, in_order: bool = True
) -> list[np.ndarray]:
    """Integer columns (SQL expressions, never NULL: coalesce them) of every
    row of ``model`` that ``where`` keeps (a function that limits a
    query), as arrays in the order of the rows' ids (``in_order``; else in
    whatever order the database reads them, which spares PostgreSQL a sort).

    On SQLite, one ``group_concat`` per column of each chunk of rows
    rather than one of the row's columns joined: SQLite joins texts row by
    row far more slowly than it writes a column out, and the aggregates of
    one query read the rows in the same order (the table's), so the columns
    line up. ``group_concat`` leaves NULLs out, hence none may be NULL.
    """
    if db.engine.dialect.name != "sqlite":
        # Through the DBAPI cursor: integers a row need no result processing.
        query = where(select(*columns))
        rows = raw_rows(query.order_by(model.id) if in_order else query)
        table = np.array(rows, dtype=np.int64).reshape(-1, len(columns))
        return [np.ascontiguousarray(column) for column in table.T]
    # Each read off the primary key's index (in one select, as two subqueries:
    # min and max side by side in one would scan the table).
    low, high = db.session.execute(
        select(
            select(func.min(model.id)).scalar_subquery(),
            select(func.max(model.id)).scalar_subquery(),
        )
    ).one()
    chunks: list[list[np.ndarray]] = [[] for _ in columns]
    # A separator written into the SQL, not bound: SQLite reads a bound one on every row.
    space = literal_column("' '")
    for start in range(low or 0, high + 1 if high is not None else 0, _CHUNK_IDS):
        query = where(
            select(*(func.group_concat(column, space) for column in columns)).where(
                model.id >= start, model.id < start + _CHUNK_IDS
            )
        )
        for found, text in zip(chunks, db.session.execute(query).one(), strict=True):
            if text is not None:
                found.append(np.fromstring(text, dtype=np.int64, sep=" "))
    return [np.concatenate(found or [np.empty(0, dtype=np.int64)]) for found in chunks]


def moment(value) -> datetime | None:
    """A stored moment read straight from the cursor (SQLite gives its UTC
    text, PostgreSQL an aware datetime), in UTC as ``UtcDateTime`` reads it.

    >>> moment("2026-03-01 12:00:00.000000")
    datetime.datetime(2026, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
    """
    if value is None:
        return None
    found = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return found.astimezone(UTC) if found.tzinfo is not None else found.replace(tzinfo=UTC)
