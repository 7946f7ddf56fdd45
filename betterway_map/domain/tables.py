"""Spreadsheets as they arrive: bytes in some encoding, some delimiter, a header row.

The one reader of tables from outside (a council's list of venues saved
from Excel, the ORUK CSV set): it decodes the bytes (UTF-8 with or without
a byte order mark, UTF-16 with one, else Windows-1252 as Excel's "CSV"
saves in the UK), sniffs the delimiter (comma, semicolon or tab), and finds
columns by name whatever their case, spacing or punctuation, through a list
of synonyms and a mapping the person gives. Anything that is not a table
raises ``TableError`` with a message that says what was found and what is
wanted.

>>> table = read_table("Name;Post Code\\r\\nHall;ne26 1ej.\\r\\n".encode("cp1252"), "venues.csv")
>>> table.headers, table.delimiter, table.rows
(['Name', 'Post Code'], ';', [(2, ['Hall', 'ne26 1ej.'])])
>>> header_key(" Post-Code "), header_key("POSTCODE")
('postcode', 'postcode')
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "TableError",
    "Table",
    "decode_text",
    "read_table",
    "header_key",
    "find_columns",
    "DELIMITERS",
]

DELIMITERS = ",;\t"
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
# Bytes that never start a spreadsheet saved as text: ZIP (an .xlsx), OLE (an .xls), PDF.
_BINARY_STARTS = {
    b"PK\x03\x04": "an Excel workbook (.xlsx)",
    b"\xd0\xcf\x11\xe0": "an Excel 97 workbook (.xls)",
    b"%PDF": "a PDF",
}


class TableError(ValueError):
    """A file that cannot be read as a table; the message says why."""


@dataclass
class Table:
    """A table's header and its rows, each with its line number in the file."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    delimiter: str
    encoding: str

    def describe(self) -> str:
        return f"{_DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))}-separated, {self.encoding}"


def decode_text(data: bytes, what: str) -> tuple[str, str]:
    """``(text, encoding name)`` of a text file from outside.

    UTF-8 (a byte order mark is dropped), UTF-16 with its byte order mark,
    else Windows-1252, which can decode anything: so a file is refused only
    when it is plainly not text (it holds NUL bytes, or starts like a
    workbook or a PDF).

    >>> decode_text(b"\\xef\\xbb\\xbfcaf\\xc3\\xa9", "f")
    ('café', 'UTF-8')
    >>> decode_text(b"caf\\xe9", "f")
    ('café', 'Windows-1252')
    """
    for start, kind in _BINARY_STARTS.items():
        if data.startswith(start):
            raise TableError(
                f"The {what} is {kind}, not text: save it as CSV (comma-separated) or JSON first."
            )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as error:
            raise TableError(f"The {what} is not readable UTF-16 (byte {error.start}).") from None
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TableError(
            f"The {what} holds NUL bytes (first at byte {nul}): it is not a text "
            "file. Save it as CSV (UTF-8) or JSON."
        )
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


def _delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        # One column, or a sample the sniffer cannot decide: the most common wins.
        first = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=first.count) if any(d in first for d in DELIMITERS) else ","


def read_table(data: bytes, what: str, *, max_rows: int | None = None) -> Table:
    """The header and rows of a delimited text file; blank rows are left out.

    Raises ``TableError`` for an empty file, a file with no header, a
    header with a blank or repeated name, or more than ``max_rows`` rows.
    """
    text, encoding = decode_text(data, what)
    if not text.strip():
        raise TableError(f"The {what} is empty.")
    if text.lstrip().startswith(("<!", "<html", "<HTML", "<?xml")):
        raise TableError(
            f"The {what} is a web page (HTML), not a spreadsheet: download the CSV itself."
        )
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = [" ".join(cell.split()) for cell in next(reader)]
        rows = []
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((reader.line_num, cells + [""] * (len(headers) - len(cells))))
                if max_rows is not None and len(rows) > max_rows:
                    raise TableError(f"The {what} has more than {max_rows:,} rows.")
    except csv.Error as error:
        raise TableError(
            f"The {what} is not readable CSV (line {reader.line_num}): {error}."
        ) from None
    keys = [header_key(header) for header in headers]
    if not any(keys):
        raise TableError(f"The {what} has no header row: the first row must name the columns.")
    repeated = sorted({h for h, k in zip(headers, keys) if k and keys.count(k) > 1})
    if repeated:
        raise TableError(f"The {what} has more than one column named {repeated[0]!r}.")
    return Table(headers, rows, delimiter, encoding)


def header_key(text: str) -> str:
    """A column name as it is compared: lower case, letters and digits only."""
    return re.sub(r"[^0-9a-z]", "", text.lower())


def find_columns(
    headers: list[str],
    synonyms: Mapping[str, tuple[str, ...]],
    given: Mapping[str, str] | None = None,
) -> dict[str, int]:
    """Which column holds each field: field name → column index.

    ``given`` (field → header, from the person) wins; else the first header
    that is the field's name or one of its ``synonyms``, compared by
    ``header_key``. Fields found nowhere are left out. Raises ``TableError``
    when a given header is not in the file, or a given field is unknown.

    >>> find_columns(["Venue Name", "Post Code"], {"name": ("venue name",), "postcode": ("post code",)})
    {'name': 0, 'postcode': 1}
    >>> find_columns(["A", "PC"], {"postcode": ()}, {"postcode": "pc"})
    {'postcode': 1}
    """
    keys = [header_key(header) for header in headers]
    found: dict[str, int] = {}
    for field, header in (given or {}).items():
        if field not in synonyms:
            raise TableError(
                f"{field!r} is not a column this import reads: use one of "
                f"{', '.join(sorted(synonyms))}."
            )
        key = header_key(header)
        if key not in keys:
            raise TableError(
                f"There is no column {header!r} for {field}: the columns are "
                f"{', '.join(repr(h) for h in headers)}."
            )
        found[field] = keys.index(key)
    for field, names in synonyms.items():
        if field in found:
            continue
        for name in (field, *names):
            key = header_key(name)
            if key in keys and keys.index(key) not in found.values():
                found[field] = keys.index(key)
                break
    return found
