"""Small area-indicator files: tiny squares as LSOAs and a CSV of values."""

from __future__ import annotations

import json

ORIGIN = (51.5, -0.1)  # (lat, lon) of the first square's south-west corner
SIZE = 0.01  # degrees


def codes(count: int, prefix: str = "E01") -> list[str]:
    return [f"{prefix}{n:06d}" for n in range(1, count + 1)]


def square(row: int, column: int, origin=ORIGIN, size: float = SIZE) -> dict:
    lat, lon = origin[0] + row * size, origin[1] + column * size
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Polygon", "coordinates": [ring]}


def square_centre(index: int, per_row: int = 5) -> tuple[float, float]:
    """(lat, lon) of the middle of the ``index``-th square of ``boundaries``."""
    row, column = divmod(index, per_row)
    return ORIGIN[0] + (row + 0.5) * SIZE, ORIGIN[1] + (column + 0.5) * SIZE


def boundaries(
    area_codes: list[str], prop: str = "LSOA21CD", per_row: int = 5, geometry=None
) -> bytes:
    """A FeatureCollection of squares in rows of ``per_row``, one per code."""
    features = []
    for index, code in enumerate(area_codes):
        shape = (geometry or {}).get(code) or square(*divmod(index, per_row))
        features.append(
            {
                "type": "Feature",
                "properties": {"OBJECTID": index + 1, prop: code, "LSOA21NM": f"Area {code[-3:]}"},
                "geometry": shape,
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def values(rows: list[tuple], header: tuple[str, ...] = ("lsoa21cd", "value")) -> bytes:
    lines = [",".join(header)] + [",".join(str(cell) for cell in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def ten_areas() -> tuple[bytes, bytes]:
    """Ten squares with values 1 to 10 (higher is more need: E01000010 is decile 1)."""
    area_codes = codes(10)
    return values([(code, n) for n, code in enumerate(area_codes, 1)]), boundaries(area_codes)
