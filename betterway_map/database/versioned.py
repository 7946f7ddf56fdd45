"""A value built from some tables, kept in each process until one of them is written.

Knowing that a kept value is still fresh costs one small query for the
tables' versions. Where the request's session has not begun a transaction
(nothing read, nothing written: a search by coordinates on the API), that
query goes to a connection each process (and thread) keeps for it outside
the pool, in autocommit: one statement, with no checkout from the pool, no
``BEGIN`` and no rollback when the request ends (on PostgreSQL, one round
trip instead of three; there a statement prepared once on the connection, run
through libpq without a cursor; on SQLite, ``PRAGMA data_version`` first,
and the versions read again only when another connection has committed
since the last read). It sees every commit of every worker the moment it
is made, as the session's own query would. Otherwise (the session has read
or written already) the versions are read in the session's own
transaction, so that they and the rows read after them come from the same
snapshot (SQLite), and the session's own writes count.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import NullPool, QueuePool

from betterway_map.database.versions import TABLE_VERSIONS, WRITTEN, table_versions
from betterway_map.extensions import db

__all__ = ["Versioned", "kept_table_versions"]


class Versioned:
    """A value built from some tables, kept in this process until one of
    them is written (each use reads their versions: one small query).

    Parameters
    ----------
    tables : iterable of str
        The tables ``build`` reads.
    build : callable
        Reads the tables (through ``db.session``) and returns the value.

    Examples
    --------
    >>> spaces = Versioned(["spaces"], lambda: db.session.scalars(select(...)).all())
    >>> spaces.get()  # doctest: +SKIP
    """

    def __init__(self, tables: Iterable[str], build: Callable[[], object]) -> None:
        self.tables = tuple(tables)
        self.build = build
        self._kept: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # engine: kept

    def get(self):
        """The value, built again when a table's version is not the one it was built at."""
        engine = db.engine
        # The versions are read before the tables, so a write committed in
        # between gives newer rows under the older versions: built again
        # next time, never kept stale.
        versions = kept_table_versions(engine, self.tables) if _session_is_idle() else None
        if versions is None:
            versions = table_versions(*self.tables)  # (flushing this session's own writes)
        kept = self._kept.get(engine)
        if kept is not None and kept[0] == versions and not self._written_here():
            return kept[1]
        value = self.build()
        if None not in versions and not self._written_here():  # never keep what may roll back
            self._kept[engine] = (versions, value)
        return value

    def _written_here(self) -> bool:
        """Whether this session's open transaction wrote one of the tables
        (it sees its own writes; no other session does yet). A context with
        no session yet has written nothing: none is made just to ask."""
        registry = db.session.registry
        if not registry.has():
            return False
        return not registry().info.get(WRITTEN, set()).isdisjoint(self.tables)


def _session_is_idle() -> bool:
    """Whether this context's session (if it has one) has begun no
    transaction and holds nothing to write."""
    registry = db.session.registry
    if not registry.has():
        return True
    session = registry()
    return not (session.in_transaction() or session.new or session.dirty or session.deleted)


# This process's own connections, by engine (see the module).
_HELD: dict = {"pid": None, "connections": weakref.WeakKeyDictionary()}


class _Kept(NamedTuple):
    """A kept connection, its kind (``sqlite``, ``psycopg`` or ``other``),
    what closes it, and by the tables they read the statements prepared on
    it (PostgreSQL) or the versions last read with SQLite's data version
    then (SQLite): gone with the connection."""

    connection: object
    kind: str
    finaliser: weakref.finalize
    statements: dict


@lru_cache(maxsize=64)
def _versions_sql(count: int, mark: str) -> str:
    """The versions of ``count`` tables, named by placeholders only (the
    names are bound): ``mark`` each (``?``, ``%s``), or ``$1``, ``$2``, …
    for ``$``."""
    marks = ", ".join(f"${i}" if mark == "$" else mark for i in range(1, count + 1))
    return f"SELECT table_name, version FROM {TABLE_VERSIONS.name} WHERE table_name IN ({marks})"  # noqa: S608


def kept_table_versions(engine, names: tuple[str, ...]) -> tuple[int | None, ...] | None:
    """The versions of these tables (None for one not written yet), read on
    a connection kept outside ``engine``'s pool; None where none is kept:
    outside the process's main thread (where a sync worker answers every
    request), or for an SQLite database in memory (another connection would
    be another database).

    A database error is raised as SQLAlchemy raises it (an
    ``OperationalError`` answers 503), and the connection is let go, so the
    next call makes a new one.
    """
    if threading.current_thread() is not threading.main_thread():
        return None
    if not isinstance(engine.pool, QueuePool | NullPool):
        return None
    kept = _kept(engine)
    try:
        if kept.kind == "sqlite":
            return _sqlite_read(kept, names, _sql(engine, names))
        found = _prepared_read(kept, names) if kept.kind == "psycopg" else None
        if found is None:
            cursor = kept.connection.cursor()
            try:
                cursor.execute(_sql(engine, names), names)
                found = dict(cursor.fetchall())
            finally:
                cursor.close()
    except engine.dialect.loaded_dbapi.Error as error:  # (looked up only on an error)
        _let_go(engine)
        dbapi_error = engine.dialect.loaded_dbapi.Error
        raise DBAPIError.instance(_sql(engine, names), names, error, dbapi_error) from error
    return tuple(found.get(name) for name in names)


def _sql(engine, names: tuple[str, ...]) -> str:
    return _versions_sql(len(names), "?" if engine.dialect.paramstyle == "qmark" else "%s")


def _sqlite_read(kept: _Kept, names: tuple[str, ...], sql: str) -> tuple[int | None, ...]:
    """SQLite: the versions as last read on the kept connection while no
    other connection has committed since (``PRAGMA data_version``, which
    SQLite changes on a connection exactly when another connection, in this
    process or any other, commits to the database); otherwise read again.
    One pragma instead of a query on most requests. The pragma is read
    before the versions, so a commit in between makes the next call read
    again: never a stale answer kept."""
    driver = kept.connection.dbapi_connection
    (data_version,) = driver.execute("PRAGMA data_version").fetchone()
    last = kept.statements.get(names)
    if last is not None and last[0] == data_version:
        return last[1]
    found = dict(driver.execute(sql, names).fetchall())
    versions = tuple(found.get(name) for name in names)
    kept.statements[names] = (data_version, versions)
    return versions


def _kind_of(connection) -> str:
    if isinstance(connection, sqlite3.Connection):
        return "sqlite"
    return "psycopg" if hasattr(connection, "pgconn") else "other"


def _prepared_read(kept: _Kept, names: tuple[str, ...]) -> dict | None:
    """PostgreSQL: the versions read by a statement prepared once on the kept
    connection, through libpq as psycopg exposes it (``Connection.pgconn``):
    one round trip, without a cursor made and closed each time (about 30
    against 70 µs of the worker's CPU). None when the answer is anything but
    rows (an error, a cancelled statement), for the cursor to ask again and
    raise as it raises; a broken connection raises psycopg's own error here."""
    from psycopg import pq

    pgconn = kept.connection.dbapi_connection.pgconn
    statements = kept.statements
    name = statements.get(names)
    if name is None:
        name = f"bwm_table_versions_{len(statements)}".encode()
        made = pgconn.prepare(name, _versions_sql(len(names), "$").encode())
        if made.status != pq.ExecStatus.COMMAND_OK:
            return None
        statements[names] = name
    result = pgconn.exec_prepared(name, [table.encode() for table in names])
    if result.status != pq.ExecStatus.TUPLES_OK:
        return None
    return {
        result.get_value(row, 0).decode(): int(result.get_value(row, 1))
        for row in range(result.ntuples)
    }


def _connection(engine):
    return _kept(engine).connection


def _kept(engine) -> _Kept:
    if _HELD["pid"] != os.getpid():  # never one made before a fork
        _HELD["pid"], _HELD["connections"] = os.getpid(), weakref.WeakKeyDictionary()
    held = _HELD["connections"].get(engine)
    if held is None:
        # Made as the pool makes its own (the engine's connect and checkout
        # events: SQLite's pragmas, PostgreSQL's statement timeout), then
        # taken out of the pool, whose capacity is left as it was.
        connection = engine.raw_connection()
        driver = connection.driver_connection
        connection.detach()
        if engine.dialect.name == "sqlite":
            driver.isolation_level = None  # each statement on its own: no snapshot kept
        else:
            driver.rollback()
            driver.autocommit = True
        # Closed when the engine goes (or at exit), never left to the collector.
        held = _HELD["connections"][engine] = _Kept(
            connection, _kind_of(driver), weakref.finalize(engine, _close, connection), {}
        )
    return held


def _close(connection) -> None:
    try:
        connection.close()
    except Exception:  # noqa: BLE001, S110 (broken already: nothing more to do with it)
        pass


def _let_go(engine) -> None:
    held = _HELD["connections"].pop(engine, None)
    if held is not None:
        held.finaliser()  # the finaliser: closes it, once
