"""Streets and place names of the demo town, for the offline map background.

Decided here (the issue left it open): nothing is stored and no seed is
needed. The streets and places are worked out, the same every time, from the
fictional postcodes in the gazetteer (whatever seed the demo was generated
with) and the town's fixed plan (``generator.town``):

* a place name for each neighbourhood, at the middle of its postcodes, and
  the town's name at the market square;
* Brookfield Estate (``town.ESTATE_SECTOR``) named at the middle of its
  postcodes, with Brookfield Road out to it from Kingsmead;
* a main road from the centre to each neighbourhood ("Millbrook Road"), with
  a gentle bend, and the High Street across the centre;
* a street along each sector's postcodes (as real postcode units line a
  street): the line through their middle along the direction they spread
  most, named from the town's street names by the sector, so that a sector
  keeps its street across reloads.

``geocoding.background`` asks for them (``create_app`` hands this function
over) with the fictional postcodes in the map's view.
"""

from __future__ import annotations

import random
from collections import defaultdict

import numpy as np

from betterway_map.demo.generator.names import STREET_KINDS, STREET_NAMES
from betterway_map.demo.generator.town import (
    ESTATE_NAME,
    ESTATE_SECTOR,
    TOWN,
    TOWN_CENTRE,
    estate,
    neighbourhoods,
    offset_km,
)
from betterway_map.domain.geo.outlines import postcode_district, postcode_sector

__all__ = ["town_features"]

MIN_POSTCODES_FOR_STREET = 3


def _mean(points) -> tuple[float, float]:
    return (
        sum(lat for lat, _ in points) / len(points),
        sum(lon for _, lon in points) / len(points),
    )


def _road(start, end, name: str) -> list[tuple[float, float]]:
    """Start to end with a bend a little to one side, the same for a name."""
    bend = random.Random(f"{TOWN} {name}").uniform(-0.25, 0.25)
    middle = _mean([start, end])
    north_km = (end[0] - start[0]) * 111.32
    east_km = (end[1] - start[1]) * 111.32 * 0.61
    return [start, offset_km(*middle, -east_km * bend, north_km * bend), end]


def _sector_street(points) -> list[tuple[float, float]]:
    """The line through the middle of ``points`` along their main direction,
    about as long as they spread (two standard deviations each way)."""
    array = np.array(points, dtype=float)
    centre = array.mean(axis=0)
    values, vectors = np.linalg.eigh(np.cov((array - centre).T))
    direction = vectors[:, int(np.argmax(values))]
    reach = 2 * float(np.sqrt(max(values.max(), 1e-9)))
    ends = [centre - direction * reach, centre + direction * reach]
    return [(round(float(lat), 6), round(float(lon), 6)) for lat, lon in ends]


def town_features(points: list[tuple[str, float, float]]) -> tuple[list, list]:
    """(streets, places) for the fictional postcodes ``points``.

    >>> pts = [("ZZ1 1AA", 52.4512, -0.9876), ("ZZ1 1AB", 52.4522, -0.9866),
    ...        ("ZZ1 1AD", 52.4532, -0.9856)]
    >>> streets, places = town_features(pts)
    >>> [name for name, _ in streets][:1], places
    (['High Street'], [('town', 'Eastbrook', 52.4512, -0.9876), ('place', 'Town Centre', 52.4522, -0.9866)])
    """
    by_district: dict[str, list] = defaultdict(list)
    by_sector: dict[str, list] = defaultdict(list)
    for postcode, lat, lon in points:
        by_sector[postcode_sector(postcode)].append((lat, lon))
        if postcode_sector(postcode) != ESTATE_SECTOR:  # the estate is named apart
            by_district[postcode_district(postcode)].append((lat, lon))
    centre = TOWN_CENTRE
    streets: list = [
        ("High Street", [offset_km(*centre, 0.05, -0.6), centre, offset_km(*centre, -0.05, 0.6)])
    ]
    places: list = [("town", TOWN, *centre)]
    used = {"High Street"}
    middles = {}
    for area in neighbourhoods():
        if area.outcode not in by_district:
            continue
        middle = middles[area.outcode] = tuple(
            round(v, 6) for v in _mean(by_district[area.outcode])
        )
        places.append(("place", area.name, *middle))
        if area.outcode != "ZZ1":
            name = f"{area.name} Road"
            streets.append((name, _road(centre, middle, name)))
            used.add(name)
    if ESTATE_SECTOR in by_sector:
        middle = tuple(round(v, 6) for v in _mean(by_sector[ESTATE_SECTOR]))
        places.append(("place", ESTATE_NAME, *middle))
        name = f"{ESTATE_NAME.split()[0]} Road"
        streets.append((name, _road(middles.get(estate().outcode, centre), middle, name)))
        used.add(name)
    for sector in sorted(by_sector):
        members = by_sector[sector]
        if len(members) < MIN_POSTCODES_FOR_STREET:
            continue
        rng = random.Random(f"{TOWN} {sector}")
        for _ in range(20):
            name = f"{rng.choice(STREET_NAMES)} {rng.choice(STREET_KINDS)}"
            if name not in used:
                break
        used.add(name)
        streets.append((name, _sector_street(members)))
    return streets, places
