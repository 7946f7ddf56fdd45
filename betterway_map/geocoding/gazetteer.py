"""The postcode gazetteer: importing postcode files and looking postcodes up.

An import reads each file with ``domain.geo.postcode_files.read_postcode_batches``
and is all or nothing: a killed import leaves the gazetteer as it was, and
running it again is always safe (a re-import updates moved postcodes and
never duplicates).

On SQLite, whose one writer at a time would otherwise keep the site's own
writes waiting for the whole import, the new gazetteer is built in a
temporary database of its own, then copied into the site's file in short
transactions and swapped in by renaming (``gazetteer_sqlite``). On
PostgreSQL, where writes to other tables do not wait for it, it is one
transaction: a first import goes through ``COPY`` straight into the table;
any other through ``COPY`` into a temporary table, then an ``UPDATE`` of
the moved postcodes and an ``INSERT`` of the new ones.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from betterway_map.database import BUMP_VERSION_SQL, new_version
from betterway_map.domain.geo.postcode_files import SKIP_REASONS, read_postcode_batches
from betterway_map.extensions import db
from betterway_map.geocoding.gazetteer_sqlite import import_sqlite

__all__ = ["ImportReport", "import_postcode_files"]

_EXAMPLES_PER_REASON = 3

# A reader's row as a line of COPY's text format, made in C for a whole block
# (``map``), not a Python call per row. The reader's pattern lets no tab,
# newline or backslash into these fields.
_COPY_LINE = "{0[0]} {0[1]}\t{0[2]}\t{0[3]}\n".format
_COPY_NEW_LINE = "{0[0]} {0[1]}\t{0[2]}\t{0[3]}\tf\n".format


@dataclass
class ImportReport:
    """What an import did, for the closing report."""

    files: list[str] = field(default_factory=list)
    rows_accepted: int = 0
    loaded: int = 0  # new postcodes
    updated: int = 0  # postcodes whose coordinates changed
    skipped: Counter = field(default_factory=Counter)
    examples: dict = field(default_factory=dict)  # reason -> [(file, line, text)]
    seconds: float = 0.0

    @property
    def unchanged(self) -> int:
        """Rows already in the gazetteer as they are (or repeated in the files)."""
        return self.rows_accepted - self.loaded - self.updated

    def lines(self) -> list[str]:
        rate = self.rows_accepted / self.seconds if self.seconds else 0
        out = [
            f"Read {len(self.files)} file(s) in {self.seconds:.1f} s ({rate:,.0f} rows a second).",
            f"Loaded {self.loaded:,} new postcodes.",
            f"Updated {self.updated:,} postcodes whose coordinates had changed.",
            f"Left {self.unchanged:,} rows that were already there unchanged.",
            f"Skipped {sum(self.skipped.values()):,} rows" + (":" if self.skipped else "."),
        ]
        for reason, count in self.skipped.most_common():
            examples = "; ".join(
                f"{Path(name).name} line {line}: {sample!r}"
                for name, line, sample in self.examples.get(reason, [])
            )
            out.append(f"  {count:,} with {SKIP_REASONS[reason]} (e.g. {examples})")
        return out


def import_postcode_files(
    paths: Iterable[str | Path],
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Load postcode files into the gazetteer, all or nothing.

    ``progress`` is called with the number of bytes read (of all files so
    far) after each block. Raises ``GazetteerFileError`` for a file that
    cannot be read, leaving the gazetteer unchanged.
    """
    report = ImportReport(files=[str(path) for path in paths])
    started = time.perf_counter()
    if db.engine.dialect.name == "sqlite":
        import_sqlite(report, _batches(report, progress))
    else:
        with db.engine.begin() as connection:
            _import_postgresql(connection, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _batches(report: ImportReport, progress):
    """Every file's batches, counted into the report."""
    done = 0
    for name in report.files:
        last = 0
        for batch in read_postcode_batches(name):
            for skip in batch.skipped:
                report.skipped[skip.reason] += 1
                samples = report.examples.setdefault(skip.reason, [])
                if len(samples) < _EXAMPLES_PER_REASON:
                    samples.append((name, skip.line, skip.text))
            report.rows_accepted += len(batch.rows)
            if progress is not None:
                progress(done + batch.bytes_read)
            last = batch.bytes_read
            yield batch
        done += last


def _import_postgresql(connection, report: ImportReport, progress) -> None:
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        # Held to the end of the import, so that the table found empty stays
        # so and nobody adds a postcode between the UPDATE and the INSERT
        # below. Reads do not wait for it; only the demo writes postcodes.
        cursor.execute("LOCK TABLE postcodes IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute("SELECT NOT EXISTS (SELECT FROM postcodes)")
        if not (cursor.fetchone()[0] and _copy_straight_in(cursor, report, progress)):
            _merge_in(cursor, report, progress)
        # Bypassing the session: the table's version by hand, in this transaction.
        cursor.execute(BUMP_VERSION_SQL.format(mark="%s"), ("postcodes", new_version()))


def _copy_straight_in(cursor, report: ImportReport, progress) -> bool:
    """A first import: ``COPY`` straight into the empty table (the floor's
    way). False, with nothing written and the report as it was, when the
    files repeat a postcode, which the table's key refuses."""
    from psycopg.errors import UniqueViolation

    cursor.execute("SAVEPOINT gazetteer_straight_in")
    try:
        with cursor.copy(
            "COPY postcodes (postcode, latitude, longitude, fictional) FROM STDIN"
        ) as copy:
            for batch in _batches(report, progress):
                copy.write("".join(map(_COPY_NEW_LINE, batch.rows)))
    except UniqueViolation:
        cursor.execute("ROLLBACK TO SAVEPOINT gazetteer_straight_in")
        report.rows_accepted = 0
        report.skipped.clear()
        report.examples.clear()
        return False
    report.loaded = report.rows_accepted
    return True


def _merge_in(cursor, report: ImportReport, progress) -> None:
    """Any import: the files' rows into a temporary table, then the last of
    each postcode updated or inserted."""
    cursor.execute(
        "CREATE TEMPORARY TABLE postcodes_incoming "
        "(n bigserial, postcode varchar(8), latitude float8, longitude float8) "
        "ON COMMIT DROP"
    )
    with cursor.copy("COPY postcodes_incoming (postcode, latitude, longitude) FROM STDIN") as copy:
        for batch in _batches(report, progress):
            copy.write("".join(map(_COPY_LINE, batch.rows)))
    # The last row of a postcode repeated in the files wins, as on SQLite.
    cursor.execute(
        "CREATE TEMPORARY TABLE postcodes_new ON COMMIT DROP AS "
        "SELECT DISTINCT ON (postcode) postcode, latitude, longitude "
        "FROM postcodes_incoming ORDER BY postcode, n DESC"
    )
    # A plain UPDATE and INSERT rather than one INSERT ... ON CONFLICT,
    # whose speculative insertion of each row takes twice as long.
    cursor.execute(
        "UPDATE postcodes SET latitude = new.latitude, longitude = new.longitude, "
        "fictional = false FROM postcodes_new new WHERE postcodes.postcode = new.postcode "
        "AND (postcodes.latitude IS DISTINCT FROM new.latitude "
        "OR postcodes.longitude IS DISTINCT FROM new.longitude)"
    )
    report.updated = cursor.rowcount
    cursor.execute(
        "INSERT INTO postcodes (postcode, latitude, longitude, fictional) "
        "SELECT postcode, latitude, longitude, false FROM postcodes_new new "
        "WHERE NOT EXISTS (SELECT FROM postcodes WHERE postcodes.postcode = new.postcode)"
    )
    report.loaded = cursor.rowcount
