"""The SQLite import: the new gazetteer built beside the live one, then swapped in.

SQLite lets one connection write at a time, and a web request that wants
to write waits at most its busy timeout (5 s). So no step here holds the
write lock for long: the live table is copied into ``postcodes_import``
a slice at a time, each block of the files is upserted into it in its own
transaction, with a pause after each for anyone waiting, and one short
transaction renames the two tables. Until then the live table is untouched,
so a killed import changes nothing; its half-built table is dropped by the
next run. Postcodes written to the live table by others during an import
(only the demo's made-up ones) are not in the new one.
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

# Rows of the live table copied per transaction (tens of milliseconds).
_COPY_ROWS = 100_000
# After each transaction, longer than the longest sleep of SQLite's busy
# handler (100 ms), so that a writer already waiting retries within it and
# gets its turn, instead of finding the lock taken at every retry.
_PAUSE_SECONDS = 0.11
# Only pause when a transaction held the lock at least this long: a writer
# retries often in its first tens of milliseconds of waiting.
_PAUSE_AFTER_SECONDS = 0.05

# One statement per block: the block's rows arrive as one JSON array text and
# SQLite unpacks them itself (json_each), so no Python runs per row here.
_SQLITE_UPSERT = (
    "INSERT INTO {table} (postcode, latitude, longitude, fictional) "
    "SELECT json_extract(value, '$[0]') || ' ' || json_extract(value, '$[1]'), "
    "CAST(json_extract(value, '$[2]') AS REAL), CAST(json_extract(value, '$[3]') AS REAL), 0 "
    "FROM json_each(?) WHERE true "
    "ON CONFLICT (postcode) DO UPDATE SET latitude = excluded.latitude, "
    "longitude = excluded.longitude, fictional = 0 "
    "WHERE {table}.latitude IS NOT excluded.latitude "
    "OR {table}.longitude IS NOT excluded.longitude"
)


def import_sqlite(report, batches: Iterable[Batch]) -> None:
    """Load ``batches`` (packed) into the gazetteer, filling in ``report``
    (``gazetteer.ImportReport``, not imported here: it imports this)."""
    pooled = db.engine.raw_connection()
    raw = pooled.driver_connection
    isolation_level = raw.isolation_level
    raw.isolation_level = None  # our own BEGIN and COMMIT: one per step
    try:
        for table in (STAGING_TABLE, _REPLACED_TABLE):
            _write(raw, f"DROP TABLE IF EXISTS {table}")
        _write(raw, _staging_ddl(raw))
        before = _copy_live(raw)
        changes_before = raw.total_changes
        upsert = _SQLITE_UPSERT.format(table=STAGING_TABLE)
        for batch in batches:
            _write(raw, upsert, parameters=(batch.rows_json,))
        changes = raw.total_changes - changes_before
        report.loaded = _count(raw, STAGING_TABLE) - before
        report.updated = changes - report.loaded
        _write(
            raw,
            f"ALTER TABLE {LIVE_TABLE} RENAME TO {_REPLACED_TABLE}",
            f"ALTER TABLE {STAGING_TABLE} RENAME TO {LIVE_TABLE}",
            # Bypassing the session: the table's version by hand, in the swap.
            (BUMP_VERSION_SQL.format(mark="?"), (LIVE_TABLE, new_version())),
        )
        _write(raw, f"DROP TABLE {_REPLACED_TABLE}")
    except BaseException:
        if raw.in_transaction:
            raw.rollback()
        # Not needed for consistency (the next run drops it), only for space.
        with contextlib.suppress(sqlite3.Error):
            raw.execute(f"DROP TABLE IF EXISTS {STAGING_TABLE}")
        raise
    finally:
        raw.isolation_level = isolation_level
        pooled.close()


def _write(raw, *statements: str | tuple[str, tuple], parameters: tuple = ()) -> None:
    """Run ``statements`` in one write transaction, then let others write."""
    started = time.perf_counter()
    raw.execute("BEGIN IMMEDIATE")
    for statement in statements:
        if isinstance(statement, tuple):  # (SQL, its own parameters)
            raw.execute(*statement)
        else:
            raw.execute(statement, parameters)
    raw.execute("COMMIT")
    if time.perf_counter() - started >= _PAUSE_AFTER_SECONDS:
        time.sleep(_PAUSE_SECONDS)


def _staging_ddl(raw) -> str:
    """The live table's own CREATE statement (columns, key, WITHOUT ROWID),
    for the staging table, so that the swapped-in table is the same."""
    (sql,) = raw.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (LIVE_TABLE,)
    ).fetchone()
    return re.sub(rf'^CREATE TABLE\s+"?{LIVE_TABLE}"?', f"CREATE TABLE {STAGING_TABLE}", sql)


def _copy_live(raw) -> int:
    """Copy the live table into the staging one, in key order, a slice per
    transaction; return how many rows it had."""
    copied, last = 0, ""
    while True:
        changes = raw.total_changes
        _write(
            raw,
            f"INSERT INTO {STAGING_TABLE} SELECT * FROM {LIVE_TABLE} "  # noqa: S608 (constants)
            f"WHERE postcode > ? ORDER BY postcode LIMIT {_COPY_ROWS:d}",
            parameters=(last,),
        )
        if raw.total_changes == changes:
            return copied
        copied += raw.total_changes - changes
        (last,) = raw.execute(f"SELECT max(postcode) FROM {STAGING_TABLE}").fetchone()  # noqa: S608


def _count(raw, table: str) -> int:
    return raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 (our own names)
