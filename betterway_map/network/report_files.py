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
import io
import json
import os
import shutil
import tempfile
from pathlib import Path

from betterway_map.domain.network.map_layers import circle_ring, gap_cells
from betterway_map.network.report import CELL_FIGURES

__all__ = [
    "LAYER_FILES",
    "REPORT_FILES",
    "TABLE_FILES",
    "ReportError",
    "cells_geojson",
    "report_file",
    "write_report",
]

# The council tables, then each map layer (CSV and GeoJSON).
TABLE_FILES = ("cells.csv", "cells.geojson", "coverage.csv", "organisations.csv", "trends.csv")
LAYER_FILES = (
    "gaps.csv",
    "gaps.geojson",
    "places.csv",
    "places.geojson",
    "walking_coverage.csv",
    "walking_coverage.geojson",
    "organisation_points.csv",
    "organisation_points.geojson",
    "organisation_links.csv",
    "organisation_links.geojson",
)
REPORT_FILES = TABLE_FILES + LAYER_FILES
PLACE_COLUMNS = (
    "kind",
    "id",
    "name",
    "organisation",
    "latitude",
    "longitude",
    "step_free",
    "interests",
    "audiences",
)
WALKING_COVERAGE_COLUMNS = ("group", "name", "latitude", "longitude", "radius_m")
ORGANISATION_NODE_COLUMNS = (
    "id",
    "name",
    "sector_label",
    "latitude",
    "longitude",
    "broker",
    "betweenness",
)
ORGANISATION_LINK_COLUMNS = ("source", "target", "source_name", "target_name", "weight", "kinds")
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


def _csv_text(columns, rows) -> str:
    handle = io.StringIO(newline="")
    writer = csv.DictWriter(
        handle, fieldnames=columns, extrasaction="ignore", lineterminator="\r\n"
    )
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _csv_value(row.get(key)) for key in columns})
    return handle.getvalue()


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    return value


def _json_text(document: dict) -> str:
    return json.dumps(document, ensure_ascii=False)


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


def _collection(features) -> dict:
    return {"type": "FeatureCollection", "features": list(features)}


def _point(lat: float, lon: float) -> dict:
    return {"type": "Point", "coordinates": [float(lon), float(lat)]}


def places_geojson(places: list[dict]) -> dict:
    """Groups and spaces as RFC 7946 Points (lon, lat)."""
    return _collection(
        {
            "type": "Feature",
            "id": f"{place['kind']}-{place['id']}",
            "geometry": _point(place["latitude"], place["longitude"]),
            "properties": {key: place[key] for key in PLACE_COLUMNS},
        }
        for place in places
    )


def walking_coverage_geojson(coverage: list[dict]) -> dict:
    """Walking distance around each active group, as a 32-sided Polygon."""
    return _collection(
        {
            "type": "Feature",
            "id": f"group-{row['group']}",
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    _ring(circle_ring(row["latitude"], row["longitude"], row["radius_m"]))
                ],
            },
            "properties": {key: row[key] for key in WALKING_COVERAGE_COLUMNS},
        }
        for row in coverage
    )


def organisation_links_geojson(layers: dict) -> dict:
    """Ties between organisations as LineStrings between their places."""
    where = {n["id"]: (n["latitude"], n["longitude"]) for n in layers["organisation_nodes"]}
    return _collection(
        {
            "type": "Feature",
            "id": f"{link['source']}-{link['target']}",
            "geometry": {
                "type": "LineString",
                "coordinates": [
                    _point(*where[link["source"]])["coordinates"],
                    _point(*where[link["target"]])["coordinates"],
                ],
            },
            "properties": {key: link[key] for key in ORGANISATION_LINK_COLUMNS},
        }
        for link in layers["organisation_links"]
    )


def organisation_points_geojson(layers: dict) -> dict:
    """Organisations at the middle of their spaces, brokers marked."""
    return _collection(
        {
            "type": "Feature",
            "id": node["id"],
            "geometry": _point(node["latitude"], node["longitude"]),
            "properties": {key: node[key] for key in ORGANISATION_NODE_COLUMNS},
        }
        for node in layers["organisation_nodes"]
    )


def _renderers(data: dict):
    """Each file's name and how to make its text from ``data``
    (``{"report", "trends", "layers"}``)."""
    report, layers = data["report"], data["layers"]
    cells = report["cells"]
    gaps = gap_cells(cells)
    cell_columns = ("cell", "name", *CELL_FIGURES)
    return {
        "cells.csv": lambda: _csv_text(cell_columns, _cell_rows(cells)),
        "cells.geojson": lambda: _json_text(cells_geojson(cells)),
        "coverage.csv": lambda: _csv_text(COVERAGE_COLUMNS, _coverage_rows(report["coverage"])),
        "organisations.csv": lambda: _csv_text(
            ORGANISATION_COLUMNS, report["organisations"]["rows"]
        ),
        "trends.csv": lambda: _csv_text(TREND_COLUMNS, data["trends"]),
        "gaps.csv": lambda: _csv_text(cell_columns, _cell_rows(gaps)),
        "gaps.geojson": lambda: _json_text(cells_geojson(gaps)),
        "places.csv": lambda: _csv_text(PLACE_COLUMNS, layers["places"]),
        "places.geojson": lambda: _json_text(places_geojson(layers["places"])),
        "walking_coverage.csv": lambda: _csv_text(
            WALKING_COVERAGE_COLUMNS, layers["walking_coverage"]
        ),
        "walking_coverage.geojson": lambda: _json_text(
            walking_coverage_geojson(layers["walking_coverage"])
        ),
        "organisation_points.csv": lambda: _csv_text(
            ORGANISATION_NODE_COLUMNS, layers["organisation_nodes"]
        ),
        "organisation_points.geojson": lambda: _json_text(organisation_points_geojson(layers)),
        "organisation_links.csv": lambda: _csv_text(
            ORGANISATION_LINK_COLUMNS, layers["organisation_links"]
        ),
        "organisation_links.geojson": lambda: _json_text(organisation_links_geojson(layers)),
    }


def report_file(name: str, data: dict) -> str:
    """The text of one report file (``REPORT_FILES``), the same bytes the
    CLI writes. Raises ``KeyError`` for a name that is not a report file."""
    return _renderers(data)[name]()


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


def write_report(data: dict, out: Path, progress=None) -> list[Path]:
    """Write the report's files into ``out``: all of them, or none.

    ``data`` is ``network.map_layers.council_map_data()``: the report, the
    trends and the map's layers.

    ``progress(name)`` is called as each file is written. Raises
    ``ReportError`` when ``out`` cannot be used.
    """
    out = Path(out)
    created = _destination(out)
    staging = None
    try:
        staging = Path(tempfile.mkdtemp(prefix=".network-report-", dir=out))
        for name in REPORT_FILES:
            if progress:
                progress(name)
            (staging / name).write_bytes(report_file(name, data).encode("utf-8"))
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
