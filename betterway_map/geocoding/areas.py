"""Area indicators: loading them, listing them, and looking areas up.

An indicator is a figure a council loads per small area (a modelled
loneliness index, the Index of Multiple Deprivation by LSOA) with the
areas' boundaries. It is public reference data about places, never about
people, which is why it sits here beside the postcode gazetteer, below
every capability that may read it (the council's network page asks which
area each gap cell lies in; the maps draw the "area need" layer).

An import is all or nothing: both files are read, checked and matched in
memory (``domain.geo.area_files``) before anything is written, and the
indicator's row and its areas are then written in one transaction, so that
a refused or killed import leaves what was there. Importing an indicator
of the same name again (``replace``) swaps its areas in that transaction and
keeps its id.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import delete, func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import utcnow
from betterway_map.domain.geo.area_files import AreaFileError, IndicatorFiles, match_files
from betterway_map.domain.geo.polygons import Area, polygons_of
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.geocoding.models import AreaIndicator, AreaIndicatorValue

__all__ = [
    "LayerArea",
    "import_indicator",
    "list_indicators",
    "delete_indicator",
    "indicator_layer",
    "lookup_areas",
    "check_size",
    "DEFAULT_MAX_FILE_BYTES",
]

# The largest file ``flask areas import`` takes unless AREA_IMPORT_MAX_BYTES
# says otherwise: files from the command line may be far bigger than an
# upload (a national file of LSOA boundaries is about 150 MB).
DEFAULT_MAX_FILE_BYTES = 300_000_000

# Rows added per statement: bounded memory for a national file.
_BLOCK = 2_000


@dataclass(frozen=True)
class LayerArea:
    """One area of the "area need" layer, for the maps."""

    code: str
    name: str | None
    decile: int
    value: float
    geometry: dict  # GeoJSON Polygon or MultiPolygon, [lon, lat]


def _field(message: str) -> str:
    if message.startswith("The values file"):
        return "values_file"
    if message.startswith("The boundaries file"):
        return "boundaries_file"
    return "_schema"


def _refuse(error: AreaFileError) -> InvalidInput:
    message = f"{error} Nothing was imported."
    return InvalidInput(message, {_field(str(error)): [message]})


def check_size(data: bytes, what: str, max_bytes: int) -> None:
    if len(data) > max_bytes:
        raise InvalidInput(
            f"The {what} is {len(data) / 1e6:.1f} MB; at most {max_bytes / 1e6:g} MB is "
            "accepted. Nothing was imported.",
            {"values_file" if what == "values file" else "boundaries_file": ["Too big."]},
        )


def import_indicator(
    values_data: bytes,
    boundaries_data: bytes,
    details: dict,
    user_id: int | None,
    max_bytes: int,
) -> IndicatorFiles:
    """Load (or with ``details["replace"]``, replace) an indicator, all or nothing.

    ``details`` is ``AreaIndicatorSchema``'s load. Returns what the report
    says; raises ``InvalidInput`` (a file refused, naming what is wrong) or
    ``Conflict`` (the name is taken and ``replace`` was not asked for). One commit.
    """
    check_size(values_data, "values file", max_bytes)
    check_size(boundaries_data, "boundaries file", max_bytes)
    try:
        found = match_files(values_data, boundaries_data, details["higher_is_more_need"])
    except AreaFileError as error:
        raise _refuse(error) from None
    name = details["name"]
    indicator = db.session.scalar(select(AreaIndicator).where(AreaIndicator.name == name))
    if indicator is not None and not details.get("replace"):
        raise Conflict(
            f"An indicator named {name!r} is already loaded (imported "
            f"{indicator.imported_at:%d %B %Y %H:%M}). Tick 'Replace' (or run with --replace) "
            "to replace it. Nothing was imported.",
            {"name": ["An indicator of this name is already loaded."]},
        )
    if indicator is None:
        indicator = AreaIndicator(name=name)
        db.session.add(indicator)
    else:
        db.session.execute(
            delete(AreaIndicatorValue).where(AreaIndicatorValue.indicator_id == indicator.id)
        )
    indicator.source = details["source"]
    indicator.licence = details["licence"]
    indicator.value_label = details.get("value_label") or found.value_column[:80]
    indicator.higher_is_more_need = details["higher_is_more_need"]
    indicator.code_system = found.code_system[:80]
    indicator.values_read = found.values_read
    indicator.boundaries_read = found.boundaries_read
    indicator.imported_by_id = user_id
    indicator.imported_at = utcnow()
    db.session.flush()
    for start in range(0, len(found.rows), _BLOCK):
        db.session.execute(
            AreaIndicatorValue.__table__.insert(),
            [_stored(indicator.id, row) for row in found.rows[start : start + _BLOCK]],
        )
    audit.record(
        user_id,
        "import",
        "area_indicator",
        indicator.id,
        f"{name}: {len(found.rows)} areas, {found.code_system}",
    )
    db.session.commit()
    return found


def _stored(indicator_id: int, row) -> dict:
    min_lat, min_lon, max_lat, max_lon = row.bbox
    return {
        "indicator_id": indicator_id,
        "area_code": row.code,
        "area_name": row.name,
        "value": row.value,
        "decile": row.decile,
        "geometry": json.dumps(row.geometry, separators=(",", ":")),
        "centroid_lat": row.centroid[0],
        "centroid_lon": row.centroid[1],
        "min_lat": min_lat,
        "min_lon": min_lon,
        "max_lat": max_lat,
        "max_lon": max_lon,
    }


def list_indicators() -> list[dict]:
    """Every indicator with its count of areas and who imported it, newest first."""
    areas = (
        select(AreaIndicatorValue.indicator_id, func.count().label("areas"))
        .group_by(AreaIndicatorValue.indicator_id)
        .subquery()
    )
    rows = db.session.execute(
        select(AreaIndicator, areas.c.areas, User.email, User.display_name)
        .outerjoin(areas, areas.c.indicator_id == AreaIndicator.id)
        .outerjoin(User, User.id == AreaIndicator.imported_by_id)
        .order_by(AreaIndicator.imported_at.desc(), AreaIndicator.id.desc())
    )
    return [
        {
            "id": indicator.id,
            "name": indicator.name,
            "source": indicator.source,
            "licence": indicator.licence,
            "code_system": indicator.code_system,
            "value_label": indicator.value_label,
            "higher_is_more_need": indicator.higher_is_more_need,
            "areas": count or 0,
            "values_read": indicator.values_read,
            "boundaries_read": indicator.boundaries_read,
            "imported_at": indicator.imported_at,
            "imported_by": display_name or email,
        }
        for indicator, count, email, display_name in rows
    ]


def delete_indicator(indicator_id: int, user_id: int) -> str:
    """Delete an indicator and its areas; audited. Returns its name. One commit."""
    indicator = db.session.get(AreaIndicator, indicator_id)
    if indicator is None:
        raise NotFound(f"There is no area indicator {indicator_id}.")
    name = indicator.name
    db.session.execute(
        delete(AreaIndicatorValue).where(AreaIndicatorValue.indicator_id == indicator_id)
    )
    db.session.delete(indicator)
    audit.record(user_id, "delete", "area_indicator", indicator_id, name)
    db.session.commit()
    return name


def indicator_layer(indicator_id: int) -> list[LayerArea]:
    """The areas of an indicator for the "area need" layer: code, name,
    decile (1 = the tenth most in need), value and GeoJSON geometry."""
    rows = db.session.execute(
        select(
            AreaIndicatorValue.area_code,
            AreaIndicatorValue.area_name,
            AreaIndicatorValue.decile,
            AreaIndicatorValue.value,
            AreaIndicatorValue.geometry,
        )
        .where(AreaIndicatorValue.indicator_id == indicator_id)
        .order_by(AreaIndicatorValue.area_code)
    )
    return [
        LayerArea(code, name, decile, value, json.loads(geometry))
        for code, name, decile, value, geometry in rows
    ]


def lookup_areas(
    indicator_id: int, bbox: tuple[float, float, float, float]
) -> tuple[list[Area], dict[str, int]]:
    """The indicator's areas whose boxes meet ``bbox`` (min_lat, min_lon,
    max_lat, max_lon), ready for ``polygons.locate``, and each one's decile."""
    min_lat, min_lon, max_lat, max_lon = bbox
    v = AreaIndicatorValue
    rows = db.session.execute(
        select(v.area_code, v.decile, v.geometry, v.min_lat, v.min_lon, v.max_lat, v.max_lon)
        .where(
            v.indicator_id == indicator_id,
            v.min_lat <= max_lat,
            v.max_lat >= min_lat,
            v.min_lon <= max_lon,
            v.max_lon >= min_lon,
        )
        .order_by(v.area_code)
    )
    areas, deciles = [], {}
    for code, decile, geometry, *box in rows:
        areas.append(Area(code, tuple(box), tuple(polygons_of(json.loads(geometry)))))
        deciles[code] = decile
    return areas, deciles
