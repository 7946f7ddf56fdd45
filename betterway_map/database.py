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
the table (``table_versions``, ``Versioned``).
"""

from __future__ import annotations

import secrets
import weakref
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache

from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    String,
    Table,
    bindparam,
    cast,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db

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
_WRITTEN = "bwm_tables_written"  # session.info: tables written in this transaction
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
    session.info.setdefault(_WRITTEN, set()).update(tables)
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
    written = session.info.pop(_WRITTEN, set())
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
        session.info.pop(_WRITTEN, None)
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
        (it sees its own writes; no other session does yet)."""
        return not db.session.info.get(_WRITTEN, set()).isdisjoint(self.tables)
