"""The fictional town: its neighbourhoods, postcodes, streets and accounts.

Eastbrook does not exist. It sits on plausible inland English coordinates,
and every postcode in it uses the outward codes ``ZZ1`` to ``ZZ9`` (``ZZ`` is
not a postal area, see ``geo.postcodes.FICTIONAL_AREA``), so nothing made
here can be mistaken for a real address. Phone numbers come from the ranges
Ofcom keeps for drama (01632 960xxx, 07700 900xxx) and email addresses use
the reserved ``.example`` domain.
"""

from __future__ import annotations

import math
import random

from betterway_map.demo.generator.names import HERITAGES, STREET_KINDS, STREET_NAMES
from betterway_map.demo.generator.rows import Account, Neighbourhood, Postcode
from betterway_map.domain.geo.postcodes import FICTIONAL_AREA

__all__ = [
    "TOWN",
    "TOWN_CENTRE",
    "DEMO_EMAIL_DOMAIN",
    "CLUSTER",
    "ESTATE_NAME",
    "ESTATE_SECTOR",
    "WELL_SERVED",
    "estate",
    "estate_postcode_count",
    "estate_people_count",
    "neighbourhoods",
    "make_estate_postcodes",
    "make_postcodes",
    "make_accounts",
    "offset_km",
    "street_address",
    "landline",
    "mobile",
    "KM_PER_DEGREE_LAT",
]

TOWN = "Eastbrook"
# (lat, lon) of the market square; farmland in the English Midlands.
TOWN_CENTRE = (52.4512, -0.9876)
DEMO_EMAIL_DOMAIN = "demo.betterway.example"
KM_PER_DEGREE_LAT = 111.32  # mean length of a degree of latitude

# outcode, name, (north_km, east_km) from the centre, radius_km, older,
# deprivation, provision
_NEIGHBOURHOODS = (
    ("1", "Town Centre", (0.0, 0.0), 0.7, 0.0, 0.5, 1.0),
    ("2", "St Mark's", (1.4, 0.2), 0.8, 0.3, 0.3, 4.0),
    ("3", "Millbrook", (1.1, 1.4), 0.8, 0.1, 0.7, 1.0),
    ("4", "Riverside", (-0.1, 1.7), 0.8, -0.3, 0.6, 1.0),
    ("5", "Ashfield", (-1.3, 1.3), 0.9, 0.5, 0.2, 1.0),
    ("6", "Kingsmead", (-1.7, -0.1), 0.9, 0.0, 0.8, 0.8),
    ("7", "Hollins Park", (-1.2, -1.5), 0.9, 0.4, 0.1, 1.0),
    ("8", "Northgate", (0.3, -1.7), 0.8, -0.1, 0.5, 1.0),
    ("9", "Old Eastbrook", (2.3, -2.0), 0.6, 0.6, 0.2, 0.5),
)

# The story the demo tells (issue 10), so that the platform's value shows:
#
# * St Mark's is well served (``provision``): its churches, community centre
#   and library run something most days, and organisations gather there
#   (and few in the village of Old Eastbrook);
# * Brookfield Estate, built beyond Kingsmead on the edge of town, is one
#   postcode sector of mostly older residents with nothing within a walk:
#   no hall, no church, no library, so nothing meets there;
# * Old Eastbrook's village organisations work with each other and with no
#   one else (``organisations.CLUSTER``).
WELL_SERVED = "ZZ2"
CLUSTER = "ZZ9"
ESTATE_NAME = "Brookfield Estate"
ESTATE_SECTOR = f"{FICTIONAL_AREA}6 9"
# (north_km, east_km) from the centre, radius_km, older, deprivation: about
# 2.5 km from Kingsmead's and Ashfield's middles, so that no group of theirs
# is within walking distance of the estate's cells (800 m from a cell's
# centre, and a cell reaches about 500 m from it).
_ESTATE = ((-4.1, 1.0), 0.3, 1.0, 0.9)
ESTATE_POSTCODE_SHARE = 0.03
ESTATE_MAX_POSTCODES = 300  # of the 400 units a sector's inward letters allow
ESTATE_PEOPLE_SHARE = 0.05
# How far a postcode unit of the estate lies from its middle (km, one
# standard deviation): a few streets of houses and flats.
_ESTATE_SPREAD_KM = 0.12

# Letters an inward code may use (Royal Mail never uses C, I, K, M, O or V there).
_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_UNITS_PER_SECTOR = len(_INWARD_LETTERS) ** 2


def offset_km(lat: float, lon: float, north_km: float, east_km: float) -> tuple[float, float]:
    """The point ``north_km`` north and ``east_km`` east of (lat, lon).

    A flat-earth step, accurate to metres over the few kilometres of a town.

    >>> offset_km(52.0, -1.0, 1.1132, 0.0)
    (52.01, -1.0)
    """
    lat2 = lat + north_km / KM_PER_DEGREE_LAT
    lon2 = lon + east_km / (KM_PER_DEGREE_LAT * math.cos(math.radians(lat)))
    return round(lat2, 6), round(lon2, 6)


def neighbourhoods() -> list[Neighbourhood]:
    """The nine neighbourhoods of Eastbrook, one per outward code ZZ1–ZZ9."""
    lat0, lon0 = TOWN_CENTRE
    result = []
    for digit, name, (north, east), radius, older, deprivation, provision in _NEIGHBOURHOODS:
        lat, lon = offset_km(lat0, lon0, north, east)
        outcode = f"{FICTIONAL_AREA}{digit}"
        result.append(Neighbourhood(outcode, name, lat, lon, radius, older, deprivation, provision))
    return result


def estate() -> Neighbourhood:
    """Brookfield Estate: one sector (``ESTATE_SECTOR``) of Kingsmead's outward
    code, on the edge of town, where nothing meets (``provision`` 0).

    >>> place = estate()
    >>> place.name, place.outcode, place.provision
    ('Brookfield Estate', 'ZZ6', 0.0)
    """
    (north, east), radius, older, deprivation = _ESTATE
    lat, lon = offset_km(*TOWN_CENTRE, north, east)
    outcode = ESTATE_SECTOR.split(" ")[0]
    return Neighbourhood(outcode, ESTATE_NAME, lat, lon, radius, older, deprivation, 0.0)


def estate_postcode_count(count: int) -> int:
    """How many of ``count`` postcodes are the estate's: at least three, and
    no more than its one sector has units for (a real sector has a few
    hundred), which the largest demos would otherwise ask for.

    >>> estate_postcode_count(600), estate_postcode_count(150), estate_postcode_count(20_000)
    (18, 4, 300)
    """
    return min(ESTATE_MAX_POSTCODES, max(3, round(count * ESTATE_POSTCODE_SHARE)))


def estate_people_count(people: int) -> int:
    """How many of ``people`` live on the estate.

    >>> estate_people_count(3000), estate_people_count(50)
    (150, 2)
    """
    return round(people * ESTATE_PEOPLE_SHARE)


def _units(rng: random.Random, wanted: int) -> list[str]:
    """``wanted`` distinct unit letters (the inward code's last two)."""
    units = []
    for code in rng.sample(range(_UNITS_PER_SECTOR), wanted):
        first, second = divmod(code, len(_INWARD_LETTERS))
        units.append(f"{_INWARD_LETTERS[first]}{_INWARD_LETTERS[second]}")
    return units


def make_postcodes(rng: random.Random, areas: list[Neighbourhood], count: int) -> list[Postcode]:
    """``count`` distinct postcodes spread over the neighbourhoods.

    Each neighbourhood gets a share, split into sectors (``ZZ3 4``) whose
    units cluster around a point, as real postcode units cluster along
    streets. The estate's sector (``ESTATE_SECTOR``) is left for
    ``make_estate_postcodes``.
    """
    postcodes: list[Postcode] = []
    per_area = _split(count, len(areas))
    for area, units in zip(areas, per_area):
        digits = [d for d in range(1, 10) if f"{area.outcode} {d}" != ESTATE_SECTOR]
        sectors = max(2, min(len(digits), math.ceil(units / (_UNITS_PER_SECTOR * 0.8))))
        per_sector = _split(units, sectors)
        for digit, wanted in zip(rng.sample(digits, sectors), per_sector):
            centre_north, centre_east = _point_in_disc(rng, area.radius_km * 0.6)
            for unit in _units(rng, wanted):
                lat, lon = offset_km(
                    area.lat,
                    area.lon,
                    centre_north + rng.gauss(0, 0.15),
                    centre_east + rng.gauss(0, 0.15),
                )
                postcodes.append(
                    Postcode(
                        f"{area.outcode} {digit}{unit}",
                        area.outcode,
                        f"{area.outcode} {digit}",
                        lat,
                        lon,
                    )
                )
    return postcodes


def make_estate_postcodes(rng: random.Random, count: int) -> list[Postcode]:
    """``count`` postcodes of the estate's one sector, round its middle."""
    place = estate()
    digit = ESTATE_SECTOR.split(" ")[1]
    postcodes = []
    for unit in _units(rng, count):
        lat, lon = offset_km(
            place.lat, place.lon, rng.gauss(0, _ESTATE_SPREAD_KM), rng.gauss(0, _ESTATE_SPREAD_KM)
        )
        postcodes.append(
            Postcode(f"{place.outcode} {digit}{unit}", place.outcode, ESTATE_SECTOR, lat, lon)
        )
    return postcodes


def make_accounts(rng: random.Random, extra_workers: int) -> list[Account]:
    """The five demo logins, one per role, and the other workers' accounts."""
    demo = (
        ("resident", "resident", "Pat Greenwood"),
        ("org_admin", "org_admin", "Ruth Okonjo"),
        ("worker", "worker", "Sam Whitfield"),
        ("council", "council", "Alex Moreton"),
        ("site_admin", "site_admin", "Jo Harding"),
    )
    accounts = [
        Account(key, f"{key}@{DEMO_EMAIL_DOMAIN}", name, role, True) for key, role, name in demo
    ]
    british = HERITAGES["british"]
    for number in range(2, extra_workers + 2):
        name = f"{rng.choice(british.younger_first)} {rng.choice(british.surnames)}"
        key = f"worker{number}"
        accounts.append(Account(key, f"{key}@{DEMO_EMAIL_DOMAIN}", name, "worker", False))
    return accounts


def street_address(rng: random.Random, area: Neighbourhood, house: bool = True) -> str:
    """A made-up street address in ``area``, e.g. "14 Willow Close, Ashfield, Eastbrook"."""
    street = f"{rng.choice(STREET_NAMES)} {rng.choice(STREET_KINDS)}"
    number = f"{rng.randint(1, 160)} " if house else ""
    return f"{number}{street}, {area.name}, {TOWN}"


def landline(rng: random.Random) -> str:
    """A number from Ofcom's drama range, never a real line."""
    return f"01632 960{rng.randint(0, 999):03d}"


def mobile(rng: random.Random) -> str:
    return f"07700 900{rng.randint(0, 999):03d}"


def _split(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if index < extra else 0) for index in range(parts)]


def _point_in_disc(rng: random.Random, radius_km: float) -> tuple[float, float]:
    distance = radius_km * math.sqrt(rng.random())
    angle = rng.uniform(0, 2 * math.pi)
    return distance * math.cos(angle), distance * math.sin(angle)
