"""Reading ONS-style postcode files.

Accepts CSV files, plain or gzip-compressed, whose header names a postcode
column (``postcode``, ``pcds``, ``pcd``, ``pcd7``, ``pcd8``, ``pcd2``) and
latitude and longitude columns (``lat``/``latitude`` and
``long``/``lon``/``lng``/``longitude``), in any order and case, as in the
ONS Postcode Directory, the National Statistics Postcode Lookup and files
derived from them.

``read_postcode_batches`` reads blocks of a few MB and picks out the
  ordinary rows with one regular expression per block, in C; any line the
  pattern does not accept goes through ``classify``, so the pattern only
  ever decides the easy cases. It gives the same answer as reading row by
  row with the csv module and ``classify`` (the reference reader in
  ``tests/factories/postcode_reference.py``, which the tests and the
  benchmark compare it with) and is several times faster, which is what
  lets the 2.7 million rows of the whole UK load in seconds.

Memory does not grow with the file. Rows that cannot be used are reported
as ``SkippedRow`` with a reason and never stored. In the ONS files a
postcode without a grid reference has no latitude and a longitude of 0 (or
the placeholder 99.999999 in some editions): those are "no coordinates",
not a point in the Gulf of Guinea.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import pickle
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from betterway_map.domain.geo.postcode_rows import (
    INWARD_PATTERN,
    OUTWARD_PATTERN,
    READ_ERRORS,
    SKIP_REASONS,
    UK_BOUNDS,
    Columns,
    GazetteerFileError,
    PostcodeRow,
    SkippedRow,
    classify,
    find_columns,
    open_postcode_file,
)

# The row rules are re-exported: importers read postcode files from here.
__all__ = [
    "Columns",
    "PostcodeRow",
    "SkippedRow",
    "Batch",
    "GazetteerFileError",
    "SKIP_REASONS",
    "UK_BOUNDS",
    "classify",
    "open_postcode_file",
    "find_columns",
    "READ_ERRORS",
    "read_postcode_batches",
    "read_postcode_batches_in_child",
]


# Fast-path fields: upper case, at most two spaces inside, decimals in UK_BOUNDS.
_FAST_POSTCODE = rf"({OUTWARD_PATTERN}) {{0,2}}({INWARD_PATTERN})"
_FAST_LAT = r"((?:49|5[0-9]|6[01])(?:\.[0-9]+)?)"
_FAST_LON = r"(-[0-8](?:\.[0-9]+)?|-9(?:\.0+)?|[0-2](?:\.[0-9]+)?)"
_BLOCK_BYTES = 1 << 20


@dataclass
class Batch:
    """The rows of one block as ``(outward, inward, latitude, longitude, "")``
    text tuples, ready for ``executemany`` (the empty fifth item is left by
    the pattern and costs less to keep than to cut); the lines skipped; the
    bytes of the file read so far."""

    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    bytes_read: int = 0
    # With ``as_json``: the rows as one JSON array text instead (SQLite's
    # json_each unpacks it in C), and how many there are.
    rows_json: str | None = None
    count: int = 0

    def packed(self) -> Batch:
        """The same batch with its rows as JSON text, to cross a process
        boundary cheaply."""
        return Batch(
            rows=[],
            skipped=self.skipped,
            bytes_read=self.bytes_read,
            rows_json=json.dumps(self.rows),
            count=len(self.rows),
        )


def _fast_pattern(columns: Columns) -> tuple[re.Pattern, tuple[int, int, int, int]]:
    """A pattern matching every non-blank line: ordinary lines fill the four
    field groups, any other line only the last group. Also where (outward,
    inward, lat, lon) land among the groups."""
    pieces = sorted(
        [
            (columns.postcode, _FAST_POSTCODE, ("outward", "inward")),
            (columns.latitude, _FAST_LAT, ("lat",)),
            (columns.longitude, _FAST_LON, ("lon",)),
        ]
    )
    pattern, previous, names = "", -1, []
    for position, piece, groups in pieces:
        gap = position - previous - 1
        if previous >= 0:
            pattern += ","
        if gap:
            pattern += rf"(?:[^,\n\"]*,){{{gap}}}"
        pattern += piece
        names.extend(groups)
        previous = position
    pattern = rf"^(?:{pattern}(?:,[^\n\"]*)?|(.+?))\r?$"
    order = tuple(names.index(name) for name in ("outward", "inward", "lat", "lon"))
    return re.compile(pattern, re.M), order


def read_postcode_batches(path: str | Path, block_bytes: int = _BLOCK_BYTES) -> Iterator[Batch]:
    """Yield a ``Batch`` per block of ``path``: the same rows and skips as
    the reference reader (``tests/factories/postcode_reference.py``).
    """
    path = Path(path)
    raw, binary = open_postcode_file(path)
    with raw, binary:
        try:
            first = binary.readline().decode("utf-8-sig")
            header = next(csv.reader([first]), None)
            if not header:
                raise GazetteerFileError(f"{path}: the file is empty.")
            columns = find_columns(header, path)
            pattern, order = _fast_pattern(columns)
            line, rest = 2, b""
            while True:
                block = binary.read(block_bytes)
                if block:
                    block = rest + block
                    cut = block.rfind(b"\n") + 1
                    if cut == 0:
                        rest = block
                        continue
                    rest, block = block[cut:], block[:cut]
                elif rest:
                    block, rest = rest + b"\n", b""
                else:
                    return
                text = block.decode("utf-8")
                batch = _batch(text, pattern, order, columns, line)
                batch.bytes_read = raw.tell()
                line += text.count("\n")
                yield batch
        except READ_ERRORS as error:
            raise GazetteerFileError(f"{path}: unreadable: {error}") from None


def _batch(text: str, pattern: re.Pattern, order, columns: Columns, first_line: int) -> Batch:
    found = pattern.findall(text)
    if order != (0, 1, 2, 3):
        found = [(*(row[i] for i in order), row[4]) for row in found]
    others = [row[4] for row in found if row[4]]
    if not others:
        return Batch(rows=found)
    # The few lines the pattern left, found in order by plain search (in C):
    # the reference decides each one.
    skipped, accepted = [], []
    position, line = 0, first_line
    for other in others:
        start = _find_line(text, other, position)
        line += text.count("\n", position, start)
        position = start + len(other)
        result = classify(next(csv.reader([other]), []), columns, line)
        if isinstance(result, SkippedRow):
            skipped.append(result)
            accepted.append(None)
        else:
            accepted.append(result)
    if not any(accepted):
        return Batch(rows=[row for row in found if not row[4]], skipped=skipped)
    # A line only the reference could read keeps its place among the others,
    # so that the last of a repeated postcode wins on both paths.
    decided = iter(accepted)
    rows = []
    for row in found:
        if not row[4]:
            rows.append(row)
        elif (result := next(decided)) is not None:
            outward, inward = result.postcode.split(" ")
            rows.append((outward, inward, repr(result.latitude), repr(result.longitude), ""))
    return Batch(rows=rows, skipped=skipped)


def _find_line(text: str, wanted: str, position: int) -> int:
    """Where the next whole line equal to ``wanted`` starts, from ``position``."""
    while True:
        start = text.find(wanted, position)
        if start < 0:  # cannot happen: wanted was read from text
            raise ValueError(f"line {wanted!r} not found")
        end = start + len(wanted)
        at_line_start = start == 0 or text[start - 1] == "\n"
        if at_line_start and (end == len(text) or text.startswith(("\n", "\r\n"), end)):
            return start
        position = start + 1


def read_postcode_batches_in_child(
    path: str | Path, block_bytes: int = _BLOCK_BYTES
) -> Iterator[Batch]:
    """``read_postcode_batches`` run in a child process, so that reading and
    checking the file (one core) overlaps with whatever the caller does with
    the batches (the database, on the other core). Same batches, same errors,
    but ``packed()``: rows as JSON text, which crosses the process boundary
    as one string instead of millions of small objects.

    The child is a plain interpreter on a pipe, not ``multiprocessing``,
    whose spawn starts a resource tracker that outlives a killed parent. The
    child ends when the parent does: it watches its stdin, which only the
    parent holds open, and a write to a parent that is gone fails.
    """
    child = subprocess.Popen(  # noqa: S603 (this interpreter and our own module)
        [sys.executable, "-c", _CHILD_CODE, str(_ROOT), str(path), str(block_bytes)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    # A thread takes the batches off the pipe as they come, so that the child
    # keeps reading while the caller is busy (a pipe holds less than a batch).
    batches: queue.Queue = queue.Queue(maxsize=4)
    pump = threading.Thread(target=_pump, args=(child.stdout, batches), daemon=True)
    pump.start()
    try:
        while (item := batches.get()) is not None:
            if item is EOFError:
                raise GazetteerFileError(
                    f"{path}: the reader stopped unexpectedly (exit code {child.wait()})."
                )
            if isinstance(item, GazetteerFileError):
                raise item
            yield item
    finally:
        child.stdin.close()  # the child's signal to stop, if it has not
        if child.poll() is None:
            child.kill()
        child.wait()
        while pump.is_alive():  # let the pump see the end of the pipe
            with contextlib.suppress(queue.Empty):
                batches.get_nowait()
            pump.join(0.01)
        child.stdout.close()


def _pump(stream, batches: queue.Queue) -> None:
    try:
        while (item := pickle.load(stream)) is not None:  # noqa: S301 (our own child's)
            batches.put(item)
        batches.put(None)
    except EOFError:
        batches.put(EOFError)


_ROOT = Path(__file__).resolve().parents[3]
_CHILD_CODE = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from betterway_map.domain.geo.postcode_files import _child_main; "
    "_child_main(sys.argv[2], int(sys.argv[3]))"
)


def _child_main(path: str, block_bytes: int) -> None:
    """The child's side: batches pickled to the pipe, then ``None``."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # The pipe gets a descriptor of its own, so that a stray print cannot
    # corrupt it.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()
    try:
        try:
            for batch in read_postcode_batches(path, block_bytes):
                pickle.dump(batch.packed(), out, protocol=pickle.HIGHEST_PROTOCOL)
                out.flush()
        except GazetteerFileError as error:
            pickle.dump(error, out)
        pickle.dump(None, out)
        out.flush()
    except BrokenPipeError:
        os._exit(1)  # the parent is gone


def _exit_when_parent_goes() -> None:
    while os.read(0, 1024):  # empty only at end of file: the parent closed it or died
        pass
    os._exit(0)
