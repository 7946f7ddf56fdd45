"""The demo's area indicator: a modelled loneliness index per postcode sector.

A council loads an indicator of need per small area (``flask areas
import``); the demo has no real one, so it models one from its own people,
the way published loneliness indices are modelled from census shares (Age
UK's from age, marital status, health and living alone): the index of a
sector is a weighted sum of the shares of its people who live alone, are
not in a couple, are 65 or over, and whose health is fair or worse, scaled
to 0–100. Brookfield Estate, older and more deprived, scores highest.

The boundaries are the postcode sector outlines the offline map already
draws from the gazetteer (``domain.geo.outlines.partition``), written as
GeoJSON polygons. Both files are handed to the one import path
(``geocoding.areas.import_indicator``) by ``demo.load.load_area_need``.

The shares are figures about people, so they pass the one disclosure rule
(``domain.suppression.share_shown``): a sector whose shares would tell
about fewer than ``min_count`` people gets no value (its boundary is then
reported as without a value), never a made-up one. Everything is
deterministic.

>>> from datetime import date
>>> from betterway_map.demo.generator import generate
>>> values, boundaries = need_files(generate(seed=1, people=400, today=date(2026, 3, 2)))
>>> values.splitlines()[0]
b'code,name,value'
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence

import h3

from betterway_map.demo.generator.people import OLDER_BANDS
from betterway_map.demo.generator.rows import DemoArea, Person, Postcode
from betterway_map.demo.generator.town import ESTATE_NAME, ESTATE_SECTOR, TOWN
from betterway_map.domain.geo.outlines import partition, postcode_sector
from betterway_map.domain.suppression import MIN_CELL_COUNT, share_shown

__all__ = [
    "INDICATOR_NAME",
    "INDICATOR_SOURCE",
    "INDICATOR_LICENCE",
    "INDICATOR_LABEL",
    "WEIGHTS",
    "loneliness_index",
    "sector_boundaries",
    "need_files",
]

INDICATOR_NAME = f"{TOWN} loneliness index (modelled, FICTIONAL demo data)"
INDICATOR_SOURCE = (
    f"Made up by the demo from the fictional people of {TOWN} (shares living alone, not "
    "in a couple, aged 65 or over, and in fair or worse health, by postcode sector). Not "
    "real data: no real place or person is described."
)
INDICATOR_LICENCE = "Fictional demo data, free to use for any purpose (CC0 1.0)"
INDICATOR_LABEL = "Loneliness index (0-100, modelled)"

# Weight of each share in the index (they add up to 1, so the index is 0-100).
WEIGHTS = {"lives_alone": 0.2, "not_in_couple": 0.1, "older": 0.35, "poor_health": 0.35}
_COUPLE = ("married", "cohabiting")
_GOOD_HEALTH = ("very_good", "good")


def _traits(person: Person) -> dict[str, bool]:
    return {
        "lives_alone": person.lives_alone,
        "not_in_couple": person.marital_status not in _COUPLE,
        "older": person.age_band in OLDER_BANDS,
        "poor_health": person.general_health not in _GOOD_HEALTH,
    }


def loneliness_index(people: Iterable[Person], min_count: int = MIN_CELL_COUNT) -> dict[str, float]:
    """Each postcode sector's modelled index (0–100, one decimal), for the
    sectors whose every share may be published.

    >>> from betterway_map.demo.generator.rows import Person
    >>> def person(postcode, alone):
    ...     return Person("A", "B", "75-84" if alone else "35-49", postcode, 0, 0, "", None,
    ...                   None, [], [], [], 1.0, alone, "widowed" if alone else "married",
    ...                   "bad" if alone else "good", None)
    >>> people = [person("ZZ1 1AA", True)] * 5 + [person("ZZ1 1AB", False)] * 5
    >>> people += [person("ZZ2 1AA", False)] * 10 + [person("ZZ3 1AA", True)] * 3
    >>> loneliness_index(people, 5)  # ZZ3 1: too few people for any figure
    {'ZZ1 1': 50.0, 'ZZ2 1': 0.0}
    """
    totals: dict[str, list[int]] = {}
    for person in people:
        counts = totals.setdefault(postcode_sector(person.postcode), [0] * (len(WEIGHTS) + 1))
        counts[0] += 1
        for index, yes in enumerate(_traits(person).values(), 1):
            counts[index] += yes
    index = {}
    for sector, (whole, *parts) in sorted(totals.items()):
        if not all(share_shown(part, whole, min_count) for part in parts):
            continue
        score = sum(w * part / whole for w, part in zip(WEIGHTS.values(), parts))
        index[sector] = round(100 * score, 1)
    return index


def sector_boundaries(postcodes: Sequence[Postcode]) -> dict[str, dict]:
    """Each postcode sector's outline as a GeoJSON Polygon or MultiPolygon
    ([lon, lat]): the H3 cells the offline map gives it (``partition``)."""
    cells: dict[str, list[str]] = {}
    owner = partition((p.postcode, p.lat, p.lon) for p in postcodes)
    for cell in sorted(owner):
        cells.setdefault(owner[cell], []).append(cell)
    return {sector: _rounded(h3.cells_to_geo(found)) for sector, found in sorted(cells.items())}


def _rounded(geometry: dict) -> dict:
    def ring(points) -> list[list[float]]:
        return [[round(lon, 6), round(lat, 6)] for lon, lat in points]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r) for r in poly] for poly in geometry["coordinates"]],
    }


def _sector_name(sector: str) -> str:
    return f"{sector} ({ESTATE_NAME})" if sector == ESTATE_SECTOR else sector


def need_files(area: DemoArea, min_count: int = MIN_CELL_COUNT) -> tuple[bytes, bytes] | None:
    """The values CSV (code, name, value) and the boundaries GeoJSON
    (properties ``code`` and ``name``) of the demo's indicator, as
    ``flask areas import`` reads them; None when no sector has people
    enough for a value (a demo of a few hundred people or fewer)."""
    index = loneliness_index(area.people, min_count)
    if not index:
        return None
    boundaries = sector_boundaries(area.postcodes)
    values = io.StringIO()
    writer = csv.writer(values, lineterminator="\n")
    writer.writerow(["code", "name", "value"])
    for sector, value in index.items():
        writer.writerow([sector, _sector_name(sector), f"{value:.1f}"])
    features = [
        {
            "type": "Feature",
            "properties": {"code": sector, "name": _sector_name(sector)},
            "geometry": geometry,
        }
        for sector, geometry in boundaries.items()
    ]
    collection = {"type": "FeatureCollection", "features": features}
    return values.getvalue().encode(), json.dumps(collection, separators=(",", ":")).encode()
