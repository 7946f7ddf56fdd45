"""A version per table that changes with every committed write.

A cache of what is read from some tables (the nearby search's index, the
council's report) is known to be fresh by reading their versions, one small
row each, instead of the tables (``table_versions``; ``versioned.Versioned``
keeps such a value in a process).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from functools import cache

from sqlalchemy import BigInteger, Column, String, Table, bindparam, event, inspect, select

from betterway_map.extensions import db

__all__ = [
    "TABLE_VERSIONS",
    "WRITTEN",
    "track_table_versions",
    "tables_written",
    "table_versions",
    "known_table_versions",
    "BUMP_VERSION_SQL",
    "new_version",
]

# --- a version per table ---------------------------------------------------------------------
#
# A table's version is a random number that is replaced, in the same
# transaction, by every write to the table made through the session: by the
# unit of work (objects added, changed or deleted) or by an INSERT, UPDATE
# or DELETE statement run with ``session.execute``. Deleting rows also
# changes the version of every table whose rows the database deletes or
# changes with them (``ON DELETE CASCADE`` or ``SET NULL``). Random rather
# than counted, so that a database emptied or restored from a backup never
# repeats a version some process has kept. A table with no version yet
# (never written since the table of versions was made or emptied) reads as
# None: unknown, so never taken as unchanged.
#
# Writes that bypass the session's ``execute`` (statements run on
# ``session.connection()``, as the demo's bulk loads do for speed) must say
# which tables they wrote with ``tables_written``, in the same transaction.
# Writes on a connection of their own (a raw DBAPI connection,
# ``engine.begin()``: the gazetteer's import) change no version by
# themselves: such a writer runs ``BUMP_VERSION_SQL`` in its own transaction
# for each table it wrote.

TABLE_VERSIONS = Table(
    "table_versions",
    db.metadata,
    Column("table_name", String(63), primary_key=True),
    Column("version", BigInteger, nullable=False),
)
WRITTEN = "bwm_tables_written"  # session.info: tables written in this transaction
_DELETED_FROM = "bwm_tables_deleted_from"
_DELETE_ACTIONS = frozenset({"CASCADE", "SET NULL", "SET DEFAULT"})


def track_table_versions() -> None:
    """Give every table written in a transaction a new version as it commits,
    for every session of ``db`` (idempotent: once per process)."""
    if event.contains(db.session, "before_commit", _before_commit):
        return
    event.listen(db.session, "after_flush", _after_flush)
    event.listen(db.session, "do_orm_execute", _after_statement)
    event.listen(db.session, "before_commit", _before_commit)
    event.listen(db.session, "after_commit", _forget)
    event.listen(db.session, "after_rollback", _forget)


def _note(session, tables: Iterable[str], deleted: bool = False) -> None:
    tables = set(tables) - {TABLE_VERSIONS.name}
    session.info.setdefault(WRITTEN, set()).update(tables)
    if deleted:
        session.info.setdefault(_DELETED_FROM, set()).update(tables)


def tables_written(session, *names: str) -> None:
    """Note that this transaction wrote ``names`` by a way the session does
    not see (statements on ``session.connection()``): they get new versions
    as it commits, as the session's own writes do."""
    unknown = [name for name in names if name not in db.metadata.tables]
    if unknown:
        raise ValueError(f"not tables of the application: {unknown!r}")
    _note(session, names)


def _tables_of(instances) -> set[str]:
    return {table.name for instance in instances for table in inspect(instance).mapper.tables}


def _after_flush(session, flush_context) -> None:
    # The session still lists what this flush wrote (new, dirty, deleted).
    _note(session, _tables_of(session.new) | _tables_of(session.dirty))
    _note(session, _tables_of(session.deleted), deleted=True)


def _after_statement(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        table = getattr(state.statement, "table", None)
        if table is not None and getattr(table, "name", None):
            _note(state.session, [table.name], deleted=state.is_delete)


@cache
def _dependents() -> dict[str, frozenset[str]]:
    """For each table, the tables whose rows the database deletes or changes
    when rows of it are deleted (foreign keys ON DELETE CASCADE / SET NULL),
    followed through."""
    direct: dict[str, set[str]] = {}
    for table in db.metadata.tables.values():
        for key in table.foreign_keys:
            if (key.ondelete or "").upper() in _DELETE_ACTIONS:
                direct.setdefault(key.column.table.name, set()).add(table.name)
    found = {}
    for name in direct:
        seen, todo = set(), [name]
        while todo:
            for child in direct.get(todo.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    todo.append(child)
        found[name] = frozenset(seen)
    return found


def _before_commit(session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction's commit gives the versions
    session.flush()  # so that what this commit writes is noted first
    written = session.info.pop(WRITTEN, set())
    for name in session.info.pop(_DELETED_FROM, ()):
        written |= _dependents().get(name, frozenset())
    if written:
        _bump(session, sorted(written))


def _bump(session, names: list[str]) -> None:
    """New versions for ``names``, in one statement; sorted, so that two
    transactions on PostgreSQL take the rows' locks in the same order."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = [{"table_name": name, "version": new_version()} for name in names]
    statement = insert(TABLE_VERSIONS).values(rows)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["table_name"], set_={"version": statement.excluded.version}
        )
    )


# For a writer on a raw DBAPI connection (``?`` for sqlite3, ``%s`` for psycopg):
# the table's name and ``new_version()``; SQLite and PostgreSQL both take it.
BUMP_VERSION_SQL = (
    "INSERT INTO table_versions (table_name, version) VALUES ({mark}, {mark}) "
    "ON CONFLICT (table_name) DO UPDATE SET version = excluded.version"
)


def new_version() -> int:
    """A fresh random version (never 0)."""
    return secrets.randbits(62) + 1


def _forget(session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(WRITTEN, None)
        session.info.pop(_DELETED_FROM, None)


# Built once: building a statement costs more than running this one.
_VERSIONS_OF = select(TABLE_VERSIONS.c.table_name, TABLE_VERSIONS.c.version).where(
    TABLE_VERSIONS.c.table_name.in_(bindparam("names", expanding=True))
)


def table_versions(*names: str) -> tuple[int | None, ...]:
    """The versions of these tables (None for one not written yet), in one
    query (after flushing this session's own writes, as a query would)."""
    session = db.session
    if session.new or session.deleted or session.dirty:
        session.flush()
    # On the session's connection, past the ORM's work for each statement.
    rows = session.connection().execute(_VERSIONS_OF, {"names": list(names)})
    found = dict(rows.all())
    return tuple(found.get(name) for name in names)


def known_table_versions(*names: str) -> tuple[int, ...]:
    """The versions of these tables, giving one never written yet a version
    first (in its own short transaction, so that a reader's key is never
    built on "unknown"): a cache keyed by them is fresh exactly while they
    are unchanged."""
    versions = table_versions(*names)
    missing = [name for name, version in zip(names, versions) if version is None]
    if not missing:
        return versions
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    rows = [{"table_name": name, "version": new_version()} for name in missing]
    with db.engine.begin() as connection:  # another process may do the same: the first wins
        connection.execute(insert(TABLE_VERSIONS).values(rows).on_conflict_do_nothing())
        found = dict(
            connection.execute(
                select(TABLE_VERSIONS.c.table_name, TABLE_VERSIONS.c.version).where(
                    TABLE_VERSIONS.c.table_name.in_(missing)
                )
            ).all()
        )
    return tuple(found.get(name, version) for name, version in zip(names, versions))
