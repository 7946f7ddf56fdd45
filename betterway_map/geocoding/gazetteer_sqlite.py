"""The SQLite import: the new gazetteer built aside, then swapped in.

SQLite lets one connection write to a file at a time, and a web request
that wants to write waits at most its busy timeout (5 s). So the new
gazetteer is built in a private temporary database attached to the
import's connection (``ATTACH ''``), which takes no lock on the site's
file at all: the files' rows go in with one ``executemany`` per block, in
one transaction, with no journal and no syncing (a temporary database is
deleted when its connection closes, or its process dies, so there is
nothing to recover; it lies in SQLite's temporary folder, ``SQLITE_TMPDIR``
or ``TMPDIR``, and takes about as much room as the table). The live table's rows that the files do not change
are merged in there too, which only reads the site's file.

Only then is the site's file written: the finished table is copied into
``postcodes_import`` a slice at a time, each its own short transaction with
a pause after it for anyone waiting, and one short transaction swaps the
two tables by renaming them. Until then the live table is untouched, so a
killed import changes nothing; a half-copied ``postcodes_import`` is
dropped by the next run. Postcodes written to the live table by others
during an import (only the demo's made-up ones) are not in the new one.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING

from betterway_map.database import BUMP_VERSION_SQL, new_version
from betterway_map.extensions import db

if TYPE_CHECKING:
    from betterway_map.domain.geo.postcode_files import Batch

__all__ = ["import_sqlite", "STAGING_TABLE"]

LIVE_TABLE = "postcodes"
STAGING_TABLE = "postcodes_import"
_REPLACED_TABLE = "postcodes_replaced"
# The attached temporary database the new gazetteer is built in.
_BUILD = "gazetteer_build"
# Its page cache: enough for the b-tree's right edge, where rows in key
# order (as ONS files are) are appended; the rest spills to its file.
_BUILD_CACHE_KIB = 16 << 10

# Rows copied into the site's file per transaction (about 0.15 s on an idle
# machine, under a second on a busy one: a writer waiting for the lock waits
# about that long, well within its busy timeout).
_COPY_ROWS = 500_000
# After each transaction, longer than the longest sleep of SQLite's busy
# handler (100 ms), so that a writer already waiting retries within it and
# gets its turn, instead of finding the lock taken at every retry.
_PAUSE_SECONDS = 0.11
# Only pause when a transaction held the lock at least this long: a writer
# retries often in its first tens of milliseconds of waiting.
_PAUSE_AFTER_SECONDS = 0.05

# A block's rows are the reader's (outward, inward, latitude, longitude, "")
# text tuples, bound as they are: SQLite joins the postcode, and the
# columns' REAL affinity converts the numbers, in C. The fifth item is always
# empty (see ``postcode_files.Batch``) and is appended only because
# executemany binds every item. A postcode repeated in the files keeps its
# last point (REPLACE: this table has no keys pointing at it, no triggers).
_BUILD_INSERT = (
    f"INSERT OR REPLACE INTO {_BUILD}.{LIVE_TABLE} (postcode, latitude, longitude, fictional) "  # noqa: S608
    "VALUES (?1 || ' ' || ?2 || ?5, ?3, ?4, 0)"
)
# The live rows, merged under the files' rows. A postcode in both keeps the
# files' point (and is no longer fictional) unless the point is the same,
# when the live row stays as it is: that update is the count of "unchanged".
_MERGE_LIVE = (
    f"INSERT INTO {_BUILD}.{LIVE_TABLE} (postcode, latitude, longitude, fictional) "  # noqa: S608
    f"SELECT postcode, latitude, longitude, fictional FROM main.{LIVE_TABLE} WHERE true "
    "ON CONFLICT (postcode) DO UPDATE SET fictional = excluded.fictional "
    f"WHERE {LIVE_TABLE}.latitude IS excluded.latitude "
    f"AND {LIVE_TABLE}.longitude IS excluded.longitude"
)


def import_sqlite(report, batches: Iterable[Batch]) -> None:
    """Load ``batches`` into the gazetteer, filling in ``report``
    (``gazetteer.ImportReport``, not imported here: it imports this)."""
    pooled = db.engine.raw_connection()
    raw = pooled.driver_connection
    isolation_level = raw.isolation_level
    raw.isolation_level = None  # our own BEGIN and COMMIT: one per step
    attached = False
    try:
        ddl = _live_ddl(raw)
        raw.execute(f"ATTACH '' AS {_BUILD}")
        attached = True
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"cache_size=-{_BUILD_CACHE_KIB}"):
            raw.execute(f"PRAGMA {_BUILD}.{pragma}")
        raw.execute(ddl.format(table=f"{_BUILD}.{LIVE_TABLE}"))
        raw.execute("BEGIN")
        for batch in batches:
            raw.executemany(_BUILD_INSERT, batch.rows)
        raw.execute("COMMIT")
        _merge_live(raw, report)
        _swap_in(raw, ddl)
    except BaseException:
        if raw.in_transaction:
            raw.rollback()
        # Not needed for consistency (the next run drops it), only for space.
        with contextlib.suppress(sqlite3.Error):
            raw.execute(f"DROP TABLE IF EXISTS main.{STAGING_TABLE}")
        raise
    finally:
        if attached:
            with contextlib.suppress(sqlite3.Error):
                raw.execute(f"DETACH {_BUILD}")
        raw.isolation_level = isolation_level
        pooled.close()


def _merge_live(raw, report) -> None:
    """Merge the live rows into the built table; count what the import changes."""
    in_files = _count(raw, f"{_BUILD}.{LIVE_TABLE}")
    live = _count(raw, f"main.{LIVE_TABLE}")
    if live == 0:  # a first import
        report.loaded, report.updated = in_files, 0
        return
    changes = raw.total_changes
    raw.execute("BEGIN")
    raw.execute(_MERGE_LIVE)
    raw.execute("COMMIT")
    merged = raw.total_changes - changes
    live_only = _count(raw, f"{_BUILD}.{LIVE_TABLE}") - in_files
    in_both = live - live_only
    unchanged = merged - live_only
    report.loaded = in_files - in_both
    report.updated = in_both - unchanged


def _swap_in(raw, ddl: str) -> None:
    """Copy the built table into the site's file, a slice per transaction,
    then swap it for the live one."""
    _write(
        raw,
        f"DROP TABLE IF EXISTS main.{STAGING_TABLE}",
        f"DROP TABLE IF EXISTS main.{_REPLACED_TABLE}",
        ddl.format(table=f"main.{STAGING_TABLE}"),
    )
    last = ""
    while True:
        changes = raw.total_changes
        _write(
            raw,
            f"INSERT INTO main.{STAGING_TABLE} SELECT * FROM {_BUILD}.{LIVE_TABLE} "  # noqa: S608 (constants)
            f"WHERE postcode > ? ORDER BY postcode LIMIT {_COPY_ROWS:d}",
            parameters=(last,),
        )
        if raw.total_changes == changes:
            break
        (last,) = raw.execute(f"SELECT max(postcode) FROM main.{STAGING_TABLE}").fetchone()  # noqa: S608
    _write(
        raw,
        f"ALTER TABLE main.{LIVE_TABLE} RENAME TO {_REPLACED_TABLE}",
        f"ALTER TABLE main.{STAGING_TABLE} RENAME TO {LIVE_TABLE}",
        # Bypassing the session: the table's version by hand, in the swap.
        (BUMP_VERSION_SQL.format(mark="?"), (LIVE_TABLE, new_version())),
    )
    _write(raw, f"DROP TABLE main.{_REPLACED_TABLE}")


def _write(raw, *statements: str | tuple[str, tuple], parameters: tuple = ()) -> None:
    """Run ``statements`` (each SQL, or SQL and its own parameters) in one
    write transaction, then let others write."""
    started = time.perf_counter()
    raw.execute("BEGIN IMMEDIATE")
    for statement in statements:
        if isinstance(statement, tuple):
            raw.execute(*statement)
        else:
            raw.execute(statement, parameters)
    raw.execute("COMMIT")
    if time.perf_counter() - started >= _PAUSE_AFTER_SECONDS:
        time.sleep(_PAUSE_SECONDS)


def _live_ddl(raw) -> str:
    """The live table's own CREATE statement (columns, key, WITHOUT ROWID)
    with ``{table}`` for its name, so that the swapped-in table is the same."""
    (sql,) = raw.execute(
        "SELECT sql FROM main.sqlite_master WHERE type = 'table' AND name = ?", (LIVE_TABLE,)
    ).fetchone()
    sql = sql.replace("{", "{{").replace("}", "}}")
    return re.sub(rf'^CREATE TABLE\s+"?{LIVE_TABLE}"?', "CREATE TABLE {table}", sql)


def _count(raw, table: str) -> int:
    return raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our own names)
