"""The postcode gazetteer: importing postcode files and looking postcodes up.

An import reads each file with ``domain.geo.postcode_files.read_postcode_batches``
and is all or nothing: a killed import leaves the gazetteer as it was, and
running it again is always safe (a re-import updates moved postcodes and
never duplicates).

On SQLite, whose one writer at a time would otherwise keep the site's own
writes waiting for the whole import, the new gazetteer is built beside the
live one in ``postcodes_import``: a copy of it, then the files' rows, each
block its own short transaction. One short transaction then swaps the two
tables by renaming them. A killed import leaves only the half-built table,
which the next run drops. On PostgreSQL, where writes to other tables do not
wait for it, the rows go through ``COPY`` into a temporary table and one
``INSERT ... ON CONFLICT``, in one transaction.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from betterway_map.database import BUMP_VERSION_SQL, new_version
from betterway_map.domain.geo.postcode_files import (
    SKIP_REASONS,
    read_postcode_batches,
    read_postcode_batches_in_child,
)
from betterway_map.extensions import db
from betterway_map.geocoding.gazetteer_sqlite import import_sqlite

__all__ = ["ImportReport", "import_postcode_files", "CHILD_READER_BYTES"]

# Files at least this big are read in a child process, in parallel with the
# database work; smaller ones are not worth starting a process for.
CHILD_READER_BYTES = 4 << 20

_EXAMPLES_PER_REASON = 3


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
    child_reader_bytes: int = CHILD_READER_BYTES,
) -> ImportReport:
    """Load postcode files into the gazetteer, all or nothing.

    ``progress`` is called with the number of bytes read (of all files so
    far) after each block. Raises ``GazetteerFileError`` for a file that
    cannot be read, leaving the gazetteer unchanged.
    """
    report = ImportReport(files=[str(path) for path in paths])
    started = time.perf_counter()
    if db.engine.dialect.name == "sqlite":
        import_sqlite(report, _batches(report, progress, child_reader_bytes))
    else:
        with db.engine.begin() as connection:
            _import_postgresql(connection, report, progress)
    report.seconds = time.perf_counter() - started
    return report


def _batches(report: ImportReport, progress, child_reader_bytes: int | None = None):
    """Every file's batches, counted into the report; packed as JSON when
    ``child_reader_bytes`` is given (read in a child process from that size)."""
    done = 0
    for name in report.files:
        last = 0
        if child_reader_bytes is None:
            batches = read_postcode_batches(name)
        elif Path(name).stat().st_size >= child_reader_bytes:
            batches = read_postcode_batches_in_child(name)
        else:
            batches = (batch.packed() for batch in read_postcode_batches(name))
        for batch in batches:
            for skip in batch.skipped:
                report.skipped[skip.reason] += 1
                samples = report.examples.setdefault(skip.reason, [])
                if len(samples) < _EXAMPLES_PER_REASON:
                    samples.append((name, skip.line, skip.text))
            report.rows_accepted += batch.count if batch.rows_json is not None else len(batch.rows)
            if progress is not None:
                progress(done + batch.bytes_read)
            last = batch.bytes_read
            yield batch
        done += last


def _import_postgresql(connection, report: ImportReport, progress) -> None:
    raw = connection.connection.driver_connection
    with raw.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE postcodes_incoming "
            "(n bigserial, postcode varchar(8), latitude float8, longitude float8) "
            "ON COMMIT DROP"
        )
        with cursor.copy(
            "COPY postcodes_incoming (postcode, latitude, longitude) FROM STDIN"
        ) as copy:
            for batch in _batches(report, progress):
                for outward, inward, lat, lon, _ in batch.rows:
                    copy.write_row((f"{outward} {inward}", lat, lon))
        # The last row of a postcode repeated in the files wins, as on SQLite.
        cursor.execute(
            "WITH upserted AS ("
            "INSERT INTO postcodes (postcode, latitude, longitude, fictional) "
            "SELECT DISTINCT ON (postcode) postcode, latitude, longitude, false "
            "FROM postcodes_incoming ORDER BY postcode, n DESC "
            "ON CONFLICT (postcode) DO UPDATE SET latitude = excluded.latitude, "
            "longitude = excluded.longitude, fictional = false "
            "WHERE postcodes.latitude IS DISTINCT FROM excluded.latitude "
            "OR postcodes.longitude IS DISTINCT FROM excluded.longitude "
            "RETURNING (xmax = 0) AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted), count(*) FROM upserted"
        )
        inserted, changed = cursor.fetchone()
        # Bypassing the session: the table's version by hand, in this transaction.
        cursor.execute(BUMP_VERSION_SQL.format(mark="%s"), ("postcodes", new_version()))
    report.loaded = inserted
    report.updated = changed - inserted
