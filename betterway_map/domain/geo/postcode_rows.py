"""One row of a postcode file: its columns, what it holds, and why a row is skipped.

``classify`` decides every row the block reader (``postcode_files``) does
not settle with its pattern, and every row of the reference reader, so the
rules for what counts as a usable postcode live here once.
"""

from __future__ import annotations

import csv
import gzip
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = [
    "POSTCODE_HEADERS",
    "LAT_HEADERS",
    "LON_HEADERS",
    "UK_BOUNDS",
    "SKIP_REASONS",
    "READ_ERRORS",
    "OUTWARD_PATTERN",
    "INWARD_PATTERN",
    "GazetteerFileError",
    "Columns",
    "PostcodeRow",
    "SkippedRow",
    "find_columns",
    "classify",
    "open_postcode_file",
]

POSTCODE_HEADERS = ("postcode", "pcds", "pcd", "pcd7", "pcd8", "pcd2")
LAT_HEADERS = ("lat", "latitude")
LON_HEADERS = ("long", "lon", "lng", "longitude")

# A generous box around the UK, the Channel Islands and the Isle of Man
# (degrees, WGS84): (min_lat, max_lat, min_lon, max_lon). The fast path's
# patterns accept only decimals inside it.
UK_BOUNDS = (49.0, 62.0, -9.0, 3.0)

SKIP_REASONS = {
    "no_coordinates": "no coordinates (blank, or the 0 / 99.999999 placeholders)",
    "bad_number": "latitude or longitude is not a number",
    "outside_uk": "coordinates outside the UK",
    "bad_postcode": "not a current UK postcode (e.g. the retired NPT codes)",
    "short_row": "fewer columns than the header",
}

OUTWARD_PATTERN = r"(?:ZZ|[A-PR-UWYZ][A-HK-Y]?)[0-9][0-9A-HJKMNPR-Y]?"
INWARD_PATTERN = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_SQUASHED = re.compile(rf"({OUTWARD_PATTERN})({INWARD_PATTERN})")
_SPECIAL = {"GIR0AA": ("GIR", "0AA")}


class GazetteerFileError(ValueError):
    """A file that is not a postcode CSV this reader understands."""


@dataclass(frozen=True)
class Columns:
    """Where the three columns are, counted from 0."""

    postcode: int
    latitude: int
    longitude: int

    @property
    def needed(self) -> int:
        return max(self.postcode, self.latitude, self.longitude) + 1


@dataclass(frozen=True, slots=True)
class PostcodeRow:
    postcode: str  # normalised: "E13 8QS"
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class SkippedRow:
    line: int
    reason: str  # a key of SKIP_REASONS
    text: str


def _find(header: list[str], names: tuple[str, ...], what: str, path: Path) -> int:
    lowered = [name.strip().strip('"').lower() for name in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    raise GazetteerFileError(
        f"{path}: no {what} column in the header {header!r}; expected one of {', '.join(names)}."
    )


def find_columns(header: list[str], path: Path) -> Columns:
    return Columns(
        _find(header, POSTCODE_HEADERS, "postcode", path),
        _find(header, LAT_HEADERS, "latitude", path),
        _find(header, LON_HEADERS, "longitude", path),
    )


def classify(row: list[str], columns: Columns, line: int) -> PostcodeRow | SkippedRow | None:
    """The reference decision for one CSV row (None for a blank line).

    >>> cols = Columns(0, 1, 2)
    >>> classify(["e13  8qs", "51.52", "0.02"], cols, 2)
    PostcodeRow(postcode='E13 8QS', latitude=51.52, longitude=0.02)
    >>> classify(["AB113AG", "", "0.00000"], cols, 3).reason
    'no_coordinates'
    """
    if len(row) < columns.needed:
        if not any(cell.strip() for cell in row):
            return None
        return SkippedRow(line, "short_row", ",".join(row))
    raw = row[columns.postcode]
    squashed = "".join(raw.split()).upper()
    parts = _SPECIAL.get(squashed)
    if parts is None:
        match = _SQUASHED.fullmatch(squashed)
        if not match:
            return SkippedRow(line, "bad_postcode", raw)
        parts = match.groups()
    lat_text, lon_text = row[columns.latitude].strip(), row[columns.longitude].strip()
    if not lat_text or not lon_text:
        return SkippedRow(line, "no_coordinates", raw)
    try:
        lat, lon = float(lat_text), float(lon_text)
    except ValueError:
        return SkippedRow(line, "bad_number", f"{raw} {lat_text},{lon_text}")
    if lat == 99.999999 or (lat == 0 and lon == 0):
        return SkippedRow(line, "no_coordinates", raw)
    min_lat, max_lat, min_lon, max_lon = UK_BOUNDS
    if not (min_lat <= lat <= max_lat and min_lon <= lon <= max_lon):  # also refuses nan
        return SkippedRow(line, "outside_uk", f"{raw} {lat_text},{lon_text}")
    return PostcodeRow(f"{parts[0]} {parts[1]}", lat, lon)


def open_postcode_file(path: Path):
    """The raw file, and a binary reader of its (decompressed) content."""
    path = Path(path)
    if not path.is_file():
        raise GazetteerFileError(f"{path}: no such file.")
    try:
        raw = open(path, "rb")  # noqa: SIM115 (closed by the callers)
    except OSError as error:
        raise GazetteerFileError(f"{path}: cannot be read ({error}).") from None
    magic = raw.read(2)
    raw.seek(0)
    return raw, (gzip.GzipFile(fileobj=raw, mode="rb") if magic == b"\x1f\x8b" else raw)


READ_ERRORS = (UnicodeDecodeError, gzip.BadGzipFile, EOFError, csv.Error, OSError)
