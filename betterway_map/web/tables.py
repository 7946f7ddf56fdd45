"""Tables of figures: what a chart draws, its table alternative and its CSV.

A ``Table`` holds the rows once; the page's ``<table>`` (``templates/macros/
charts.html``), the CSV download and the chart (``web.charts``) all read
the same cells through ``Table.text``, so the three cannot disagree.

A value of ``None`` is a figure withheld (``domain/suppression.py`` decided
it upstream): it reads "withheld" everywhere, never as a number, and a
chart draws no mark for it. Nothing here decides what to withhold.

CSV cells that a spreadsheet would run as a formula (leading ``=``, ``+``,
``-``, ``@``, tab or carriage return) are neutralised with a leading
apostrophe (SECURITY.md), numbers excepted.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass

from flask import Response, stream_with_context

__all__ = ["WITHHELD", "KINDS", "Column", "Table", "csv_cell", "csv_response", "csv_stream"]

# What a withheld figure reads as, on the page, in the chart and in the CSV.
WITHHELD = "withheld"
# text: as given; count: a whole number; percent: a share 0–1 shown as a whole
# per cent; number: one decimal (a mean mark, a median of days).
KINDS = ("text", "count", "percent", "number")
_NAME = re.compile(r"[a-z][a-z0-9-]{0,62}")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    """One column: the key of its value in each row, its heading, its kind."""

    key: str
    heading: str
    kind: str = "text"

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"a column's kind is one of {KINDS}, not {self.kind!r}")

    def text(self, value) -> str:
        """The value as the page and the CSV show it.

        >>> Column("s", "Share", "percent").text(0.625), Column("s", "Share", "percent").text(None)
        ('62%', 'withheld')
        >>> Column("m", "Mean", "number").text(3.25), Column("n", "People", "count").text(12)
        ('3.2', '12')
        """
        if value is None:
            return WITHHELD
        if self.kind == "percent":
            return f"{100 * value:.0f}%"
        if self.kind == "number":
            return f"{value:.1f}"
        if self.kind == "count":
            return f"{int(value)}"
        return str(value)


@dataclass(frozen=True)
class Table:
    """Figures in rows: ``name`` is the CSV's file name and the prefix of the
    page's element ids (lower case letters, digits and hyphens); the first
    column heads each row."""

    name: str
    caption: str
    columns: tuple[Column, ...]
    rows: tuple[Mapping, ...] = ()
    # Said under the table (e.g. how many answers the figures rest on).
    note: str = ""

    def __post_init__(self):
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"a table's name is lower case letters, digits and '-': {self.name!r}")
        if not self.columns:
            raise ValueError("a table needs at least one column")
        object.__setattr__(self, "columns", tuple(self.columns))
        object.__setattr__(self, "rows", tuple(self.rows))

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(f"table {self.name!r} has no column {key!r}")

    def text(self, row: Mapping, column: Column) -> str:
        return column.text(row.get(column.key))

    def body(self) -> list[list[str]]:
        """Every row's cells as shown, in column order."""
        return [[self.text(row, column) for column in self.columns] for row in self.rows]

    @property
    def filename(self) -> str:
        return f"{self.name}.csv"

    def csv_text(self) -> str:
        """The table as CSV: a heading row, then the cells exactly as shown."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([csv_cell(column.heading) for column in self.columns])
        for row in self.body():
            writer.writerow([csv_cell(cell) for cell in row])
        return out.getvalue()


def csv_cell(text: str) -> str:
    """``text`` safe to open in a spreadsheet: a cell that would run as a
    formula gets a leading apostrophe; a number (e.g. ``-3``) stays one.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-3"), csv_cell("-3%"), csv_cell("Age 65")
    ("'=HYPERLINK(1)", '-3', '-3%', 'Age 65')
    """
    if text.startswith(_FORMULA_STARTS) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    return re.fullmatch(r"[+-]?\d+(\.\d+)?%?", text) is not None


def csv_response(table: Table) -> Response:
    """A download of ``table`` as CSV (UTF-8 with a byte-order mark, which
    spreadsheets need to read accents in names)."""
    body = "\ufeff" + table.csv_text()
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{table.filename}"'},
    )


def csv_stream(filename: str, headings, rows) -> Response:
    """A download streamed row by row: ``rows`` yields sequences of text
    cells, each neutralised as ``csv_cell`` does (for logs too long to build
    in memory). The generator runs inside the request's context."""

    def lines():
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([csv_cell(str(heading)) for heading in headings])
        yield "\ufeff" + out.getvalue()
        for row in rows:
            out.seek(0)
            out.truncate()
            writer.writerow([csv_cell(str(cell)) for cell in row])
            yield out.getvalue()

    return Response(
        stream_with_context(lines()),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
