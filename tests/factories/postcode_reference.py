"""The reference reader of postcode files: row by row with the csv module and
``classify``, plain and obviously right. The product reads with the fast
block reader (``read_postcode_batches``); the tests and the import benchmark
check that it gives this reader's answer."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from betterway_map.domain.geo.postcode_files import (
    READ_ERRORS,
    GazetteerFileError,
    PostcodeRow,
    SkippedRow,
    classify,
    find_columns,
    open_postcode_file,
)

__all__ = ["read_postcode_file"]


def read_postcode_file(path: str | Path) -> Iterator[PostcodeRow | SkippedRow]:
    """Yield a ``PostcodeRow`` or ``SkippedRow`` for each data row of ``path``.

    >>> import tempfile, pathlib
    >>> name = pathlib.Path(tempfile.mkdtemp()) / "p.csv"
    >>> _ = name.write_text("pcds,lat,long\\nE13 8QS,51.52,0.02\\nAB113AG,,0.0\\n")
    >>> [type(row).__name__ for row in read_postcode_file(name)]
    ['PostcodeRow', 'SkippedRow']
    """
    path = Path(path)
    raw, binary = open_postcode_file(path)
    line = 1
    with raw, binary, io.TextIOWrapper(binary, encoding="utf-8-sig", newline="") as text:
        try:
            reader = csv.reader(text)
            header = next(reader, None)
            if header is None:
                raise GazetteerFileError(f"{path}: the file is empty.")
            columns = find_columns(header, path)
            for line, row in enumerate(reader, start=2):
                result = classify(row, columns, line)
                if result is not None:
                    yield result
        except READ_ERRORS as error:
            raise GazetteerFileError(f"{path}: unreadable near line {line}: {error}") from None
