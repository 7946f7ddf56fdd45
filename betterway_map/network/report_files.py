"""The area report as files: CSV, and GeoJSON that opens in QGIS.

``cells_geojson`` is the one place where (lat, lon) becomes GeoJSON's
(lon, lat): an RFC 7946 FeatureCollection in WGS 84 (CRS84, the GeoJSON
default, so no ``crs`` member), each cell a Polygon whose exterior ring runs
anticlockwise and closes on its first point. Only shown cells are in any
file (the report leaves withheld cells out: no geometry, no id); a cell
whose at-risk count is withheld has ``at_risk`` and ``gap_score`` null
(empty in the CSV), as ``domain.suppression`` decided.

``write_report`` writes every file into a temporary folder inside the
destination and moves them into place only when all are written, so a
failure leaves nothing half-written.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import tempfile
from pathlib import Path

from betterway_map.network.report import CELL_FIGURES

__all__ = ["REPORT_FILES", "ReportError", "cells_geojson", "write_report"]

REPORT_FILES = ("cells.csv", "cells.geojson", "coverage.csv", "organisations.csv", "trends.csv")
ORGANISATION_COLUMNS = ("id", "name", "sector", "component", "community", "betweenness")
COVERAGE_COLUMNS = ("group", "label", "suppressed", "numerator", "denominator", "share")
TREND_COLUMNS = (
    "month",
    "cells_shown",
    "cells_suppressed",
    "people_in_shown_cells",
    "at_risk_in_shown_cells",
    "groups_active",
    "coverage_numerator",
    "coverage_denominator",
    "coverage_share",
    "organisations",
    "organisation_components",
    "cross_sector_share",
)


class ReportError(Exception):
    """The report cannot be written where asked; the message says why."""


def _ring(boundary) -> list[list[float]]:
    """A closed, anticlockwise GeoJSON ring in (lon, lat) order.

    >>> _ring([(0, 0), (1, 0), (1, 1)])  # (lat, lon): clockwise on a map
    [[1.0, 1.0], [0.0, 1.0], [0.0, 0.0], [1.0, 1.0]]
    """
    ring = [[float(lon), float(lat)] for lat, lon in boundary]
    # Shoelace sum: positive when the ring runs anticlockwise (x = lon, y = lat).
    doubled_area = sum(
        x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True)
    )
    if doubled_area < 0:
        ring.reverse()
    return ring + [ring[0]]


def cells_geojson(cells: list[dict]) -> dict:
    """The shown cells as an RFC 7946 FeatureCollection (withheld figures null)."""
    features = []
    for cell in cells:
        if cell["suppressed"]:  # never in a report; never exported if handed over
            continue
        properties = {"cell": cell["cell"], "name": cell["name"]}
        properties.update({key: cell[key] for key in CELL_FIGURES})
        features.append(
            {
                "type": "Feature",
                "id": cell["cell"],
                "geometry": {"type": "Polygon", "coordinates": [_ring(cell["boundary"])]},
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _csv(path: Path, columns, rows) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({key: "" if row.get(key) is None else row[key] for key in columns})


def _cell_rows(cells):
    for cell in cells:
        if not cell["suppressed"]:
            yield {"cell": cell["cell"], "name": cell["name"]} | {
                key: cell[key] for key in CELL_FIGURES
            }


def _coverage_rows(coverage):
    yield {"group": "all"} | coverage["overall"]
    for band in coverage["by_age_band"]:
        yield {"group": band["band"]} | band


def _files(report: dict, trends: list[dict]):
    cells = report["cells"]
    yield (
        "cells.csv",
        lambda p: _csv(p, ("cell", "name", *CELL_FIGURES), _cell_rows(cells)),
    )
    yield (
        "cells.geojson",
        lambda p: p.write_text(
            json.dumps(cells_geojson(cells), ensure_ascii=False), encoding="utf-8"
        ),
    )
    yield "coverage.csv", lambda p: _csv(p, COVERAGE_COLUMNS, _coverage_rows(report["coverage"]))
    yield (
        "organisations.csv",
        lambda p: _csv(p, ORGANISATION_COLUMNS, report["organisations"]["rows"]),
    )
    yield "trends.csv", lambda p: _csv(p, TREND_COLUMNS, trends)


def _destination(out: Path) -> bool:
    """Check ``out`` (creating it if missing); True when it was created here."""
    if out.exists() and not out.is_dir():
        raise ReportError(f"{out} is a file, not a folder: give --out a folder to write into.")
    created = False
    if not out.exists():
        try:
            out.mkdir(parents=True)
        except OSError as error:
            raise ReportError(f"Cannot create the folder {out}: {error.strerror}.") from None
        created = True
    if not os.access(out, os.W_OK | os.X_OK):
        raise ReportError(f"Cannot write into {out}: permission denied.")
    return created


def write_report(report: dict, trends: list[dict], out: Path, progress=None) -> list[Path]:
    """Write the report's files into ``out``: all of them, or none.

    ``progress(name)`` is called as each file is written. Raises
    ``ReportError`` when ``out`` cannot be used.
    """
    out = Path(out)
    created = _destination(out)
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".network-report-", dir=out))
        for name, write in _files(report, trends):
            if progress:
                progress(name)
            write(staging / name)
        for name in REPORT_FILES:
            os.replace(staging / name, out / name)
    except OSError as error:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise ReportError(
            f"Cannot write the report into {out}: {error.strerror or error}."
        ) from None
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return [out / name for name in REPORT_FILES]
