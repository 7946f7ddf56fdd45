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

import csv
import itertools
import operator
import re
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
]


# Fast-path fields: upper case, at most two spaces inside, decimals in UK_BOUNDS.
_FAST_POSTCODE = rf"({OUTWARD_PATTERN}) {{0,2}}({INWARD_PATTERN})"
_FAST_LAT = r"((?:49|5[0-9]|6[01])(?:\.[0-9]+)?)"
_FAST_LON = r"(-[0-8](?:\.[0-9]+)?|-9(?:\.0+)?|[0-2](?:\.[0-9]+)?)"
_BLOCK_BYTES = 1 << 20
# A found row's last group: the text of a line the fast fields did not match.
_OTHER_LINE = operator.itemgetter(4)


@dataclass
class Batch:
    """The rows of one block as ``(outward, inward, latitude, longitude, "")``
    text tuples, ready for ``executemany`` (the empty fifth item is left by
    the pattern and costs less to keep than to cut); the lines skipped; the
    bytes of the file read so far."""

    rows: list[tuple[str, str, str, str, str]] = field(default_factory=list)
    skipped: list[SkippedRow] = field(default_factory=list)
    bytes_read: int = 0


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
    # Whole-list operations (map, filter, compress), not a loop per row: a
    # block is some 40,000 rows.
    found = pattern.findall(text)
    if order != (0, 1, 2, 3):
        found = list(map(operator.itemgetter(*order, 4), found))
    others = list(filter(None, map(_OTHER_LINE, found)))
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
        ordinary = map(operator.not_, map(_OTHER_LINE, found))
        return Batch(rows=list(itertools.compress(found, ordinary)), skipped=skipped)
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
