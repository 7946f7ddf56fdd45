"""Reading an area indicator: a CSV of area code → value and a GeoJSON of
the areas' boundaries, checked and matched, with each area's decile.

Everything is read and checked before anything is written, so that the
import (``geocoding.areas``) can be all or nothing: any problem raises
``AreaFileError`` with a message naming the file, the row or feature and
the value, and what would be accepted.

The CSV has a header row. The code column is the first whose name is one of
``CODE_HEADERS`` or ends in ``cd`` (the ONS habit: ``LSOA21CD``); the value
column is the first named in ``VALUE_HEADERS``, else the one column left
that is neither the code nor the name; the name column (optional) is one of
``NAME_HEADERS`` or ends in ``nm``.

The boundaries' code property is found by matching: every property of the
features is tried, and the one holding most of the CSV's codes is used (the
report names it).

Deciles (``deciles``): 1 is the tenth of areas most in need, 10 the tenth
least in need, as in the English Indices of Deprivation. They rank every
value in the CSV, so a national file gives national deciles even when the
boundaries cover one council's areas.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from betterway_map.domain.geo.area_codes import code_system_name, describe_code_systems
from betterway_map.domain.geo.polygons import (
    GeometryError,
    bbox_of,
    centroid_of,
    check_geometry,
)
from betterway_map.domain.text import describe, first_bidi_control, first_control_character

__all__ = [
    "AreaFileError",
    "AreaRow",
    "IndicatorFiles",
    "CODE_HEADERS",
    "VALUE_HEADERS",
    "NAME_HEADERS",
    "MAX_AREAS",
    "deciles",
    "read_values",
    "read_boundaries",
    "match_files",
]

CODE_HEADERS = ("code", "area_code", "areacode", "area code", "geography code")
VALUE_HEADERS = ("value", "score", "index", "rate", "indicator")
NAME_HEADERS = ("name", "area_name", "areaname", "area name", "geography")
# More areas than the UK has LSOAs and data zones together (about 42,000).
MAX_AREAS = 60_000
MAX_CODE_LENGTH = 20
MAX_NAME_LENGTH = 200
EXAMPLES = 5


class AreaFileError(ValueError):
    """An indicator's files cannot be imported as they are."""


@dataclass(frozen=True)
class AreaRow:
    """One area as stored: its value and decile, its boundary and where it is."""

    code: str
    name: str | None
    value: float
    decile: int
    geometry: dict
    bbox: tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon
    centroid: tuple[float, float]  # lat, lon


@dataclass
class IndicatorFiles:
    """Two files matched: the rows to store and what the report says."""

    rows: list[AreaRow]
    code_property: str
    code_column: str
    value_column: str
    code_system: str
    values_read: int
    boundaries_read: int
    codes_without_boundary: list[str] = field(default_factory=list)
    boundaries_without_value: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        def some(codes: list[str]) -> str:
            more = f" and {len(codes) - EXAMPLES} more" if len(codes) > EXAMPLES else ""
            return f": {', '.join(codes[:EXAMPLES])}{more}" if codes else ""

        return [
            f"Read {self.values_read} values (code column {self.code_column!r}, value column "
            f"{self.value_column!r}) and {self.boundaries_read} boundaries (code property "
            f"{self.code_property!r}); codes are {self.code_system}.",
            f"Loaded {len(self.rows)} areas with both a value and a boundary.",
            f"{len(self.codes_without_boundary)} codes have no boundary (not drawn, but "
            f"counted in the deciles){some(self.codes_without_boundary)}.",
            f"{len(self.boundaries_without_value)} boundaries have no value (left out)"
            f"{some(self.boundaries_without_value)}.",
        ]


def deciles(values: Sequence[float], higher_is_more_need: bool = True) -> list[int]:
    """Each value's decile: 1 for the tenth most in need, 10 the least.

    An area's decile is ``1 + floor(10 * k / n)``, where ``k`` is the number
    of areas strictly more in need and ``n`` the number of areas. Ties share
    the decile of the first of them (the more-in-need one), so equal values
    are never split between deciles; with fewer than ten areas some deciles
    are empty.

    Examples
    --------
    >>> deciles([float(v) for v in range(1, 21)])
    [10, 10, 9, 9, 8, 8, 7, 7, 6, 6, 5, 5, 4, 4, 3, 3, 2, 2, 1, 1]
    >>> deciles([1.0, 2.0, 3.0], higher_is_more_need=False)
    [1, 4, 7]
    >>> deciles([5.0, 5.0, 1.0, 9.0])
    [3, 3, 8, 1]
    """
    n = len(values)
    if n == 0:
        return []
    keyed = sorted(values, reverse=higher_is_more_need)
    first: dict[float, int] = {}
    for k, value in enumerate(keyed):
        first.setdefault(value, k)
    return [1 + (10 * first[value]) // n for value in values]


def _text(data: bytes, what: str) -> str:
    if not data.strip():
        raise AreaFileError(f"The {what} is empty.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise AreaFileError(
            f"The {what} is not UTF-8 text (byte {error.start}): save it as UTF-8 (CSV UTF-8)."
        ) from None


def _column(headers: list[str], names: tuple[str, ...], suffix: str, taken=()) -> int | None:
    lowered = [h.strip().lower() for h in headers]
    for index, header in enumerate(lowered):
        if index not in taken and header in names:
            return index
    for index, header in enumerate(lowered):
        if index not in taken and suffix and header.endswith(suffix):
            return index
    return None


def _number(raw: str, line: int) -> float:
    text = raw.strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise AreaFileError(
            f"The values file, row {line}: {raw[:40]!r} is not a number "
            "(write it as e.g. 12.5 or -3; no blanks, letters or percent signs)."
        )
    return value


def _name(raw, where: str) -> str | None:
    """An area's name as given (names reach pages and maps: no control or
    direction-changing characters)."""
    if not isinstance(raw, str):
        return None
    text = " ".join(raw.split())[:MAX_NAME_LENGTH]
    char = first_control_character(text) or first_bidi_control(text)
    if char:
        raise AreaFileError(f"{where}: the name {text[:40]!r} contains {describe(char)}.")
    return text or None


def _boundary_name(properties: dict, where: str) -> str | None:
    for key, value in properties.items():
        lowered = str(key).lower()
        if lowered in NAME_HEADERS or lowered.endswith("nm"):
            return _name(value, where)
    return None


def read_values(data: bytes) -> tuple[dict[str, tuple[float, str | None]], str, str]:
    """Read the values CSV: code → (value, name), and the code and value columns' names."""
    reader = csv.reader(io.StringIO(_text(data, "values file"), newline=""))
    headers = next(reader, None) or []
    code_at = _column(headers, CODE_HEADERS, "cd")
    if code_at is None:
        raise AreaFileError(
            f"The values file has no code column: its header row is {headers[:8]!r}. Name "
            f"the column of area codes one of {', '.join(CODE_HEADERS)}, or a name ending in "
            "'cd' (e.g. LSOA21CD)."
        )
    name_at = _column(headers, NAME_HEADERS, "nm", taken=(code_at,))
    value_at = _column(headers, VALUE_HEADERS, "", taken=(code_at, name_at))
    if name_at is None:
        name_at = len(headers) + 1  # no name column: never in a row
    if value_at is None:
        rest = [i for i in range(len(headers)) if i not in (code_at, name_at)]
        if len(rest) != 1:
            raise AreaFileError(
                f"The values file's value column is not clear: its header row is "
                f"{headers[:8]!r}. Name it one of {', '.join(VALUE_HEADERS)}."
            )
        value_at = rest[0]
    values: dict[str, tuple[float, str | None]] = {}
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) <= max(code_at, value_at):
            raise AreaFileError(f"The values file, row {line}: too few columns ({row[:4]!r}).")
        code = " ".join(row[code_at].split()).upper()
        if not code or len(code) > MAX_CODE_LENGTH:
            raise AreaFileError(
                f"The values file, row {line}: {row[code_at][:40]!r} is not an area code "
                f"(1 to {MAX_CODE_LENGTH} characters)."
            )
        if code in values:
            raise AreaFileError(f"The values file, row {line}: the code {code} is there twice.")
        name = _name(row[name_at], f"The values file, row {line}") if name_at < len(row) else None
        values[code] = (_number(row[value_at], line), name)
        if len(values) > MAX_AREAS:
            raise AreaFileError(f"The values file has more than {MAX_AREAS:,} areas.")
    if not values:
        raise AreaFileError("The values file has a header row but no values.")
    return values, headers[code_at].strip(), headers[value_at].strip()


def read_boundaries(data: bytes) -> list[dict]:
    """The features of a GeoJSON FeatureCollection (checked later, by ``match_files``)."""
    try:
        document = json.loads(_text(data, "boundaries file"))
    except (json.JSONDecodeError, RecursionError) as error:
        raise AreaFileError(f"The boundaries file is not JSON: {str(error)[:120]}.") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        kind = document.get("type") if isinstance(document, dict) else type(document).__name__
        raise AreaFileError(
            f"The boundaries file is a {str(kind)[:30]!r}, not a GeoJSON FeatureCollection."
        )
    features = document.get("features")
    if not isinstance(features, list) or not features:
        raise AreaFileError("The boundaries file has no features.")
    if len(features) > MAX_AREAS:
        raise AreaFileError(f"The boundaries file has more than {MAX_AREAS:,} features.")
    return features


def _properties(feature, number: int) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise AreaFileError(f"The boundaries file, feature {number}: not a GeoJSON Feature.")
    properties = feature.get("properties")
    return properties if isinstance(properties, dict) else {}


def _code_of(value) -> str | None:
    if isinstance(value, str | int) and not isinstance(value, bool):
        return " ".join(str(value).split()).upper() or None
    return None


def _code_property(features: list[dict], codes: set[str]) -> tuple[str | None, dict]:
    """The property holding most of ``codes``, and each property's codes."""
    by_property: dict[str, list[str]] = {}
    for number, feature in enumerate(features, 1):
        for key, value in _properties(feature, number).items():
            code = _code_of(value)
            if code is not None:
                by_property.setdefault(str(key), []).append(code)
    scores = {key: sum(1 for c in found if c in codes) for key, found in by_property.items()}
    best = max(scores.items(), key=lambda item: item[1], default=(None, 0))
    return (best[0] if best[1] else None), by_property


def _no_match(values: dict, by_property: dict[str, list[str]]) -> AreaFileError:
    likely = sorted(by_property.items(), key=lambda item: -len(set(item[1])))[:3]
    sides = "; ".join(f"property {key!r}: {describe_code_systems(found)}" for key, found in likely)
    return AreaFileError(
        "None of the values file's codes matches a boundary. The values use "
        f"{describe_code_systems(values)}. The boundaries hold {sides or 'no codes'}. "
        "Use boundaries of the same kind of area (and census year) as the values."
    )


def match_files(
    values_data: bytes, boundaries_data: bytes, higher_is_more_need: bool = True
) -> IndicatorFiles:
    """Read, check and match the two files; raises ``AreaFileError``."""
    values, code_column, value_column = read_values(values_data)
    features = read_boundaries(boundaries_data)
    code_property, by_property = _code_property(features, set(values))
    if code_property is None:
        raise _no_match(values, by_property)
    codes = list(values)
    decile_of = dict(zip(codes, deciles([values[c][0] for c in codes], higher_is_more_need)))
    rows, seen, without_value = [], set(), []
    for number, feature in enumerate(features, 1):
        code = _code_of(_properties(feature, number).get(code_property))
        where = f"The boundaries file, feature {number}" + (f" ({code})" if code else "")
        if code is None:
            raise AreaFileError(f"{where}: has no {code_property!r} property.")
        if code in seen:
            raise AreaFileError(f"{where}: a second boundary for {code}.")
        seen.add(code)
        try:
            polygons = check_geometry(feature.get("geometry"), where)
        except GeometryError as error:
            raise AreaFileError(f"{error}.") from None
        if code not in values:
            without_value.append(code)
            continue
        value, name = values[code]
        name = name or _boundary_name(feature.get("properties") or {}, where)
        rows.append(
            AreaRow(
                code,
                name,
                value,
                decile_of[code],
                feature["geometry"],
                bbox_of(polygons),
                centroid_of(polygons),
            )
        )
    return IndicatorFiles(
        rows=rows,
        code_property=code_property,
        code_column=code_column,
        value_column=value_column,
        code_system=code_system_name(values, f"{code_column} {code_property}"),
        values_read=len(values),
        boundaries_read=len(features),
        codes_without_boundary=sorted(set(values) - seen),
        boundaries_without_value=sorted(without_value),
    )
