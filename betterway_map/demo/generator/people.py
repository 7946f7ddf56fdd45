"""Demo people: who they are, where they live and what they would like.

The register's people are mostly older residents, so age bands are skewed
towards 65 and over. Marital status, living alone and general health follow
age in roughly the shares the ONS reports for England; a neighbourhood's
``deprivation`` worsens health and its ``older`` shifts the age mix.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from betterway_map.demo.generator.names import HERITAGES
from betterway_map.demo.generator.rows import Neighbourhood, Person, Postcode
from betterway_map.demo.generator.town import landline, mobile, offset_km, street_address
from betterway_map.domain import vocab

__all__ = ["make_people", "AGE_WEIGHTS", "OLDER_BANDS"]

AGE_BANDS = vocab.values(vocab.AGE_BANDS)
OLDER_BANDS = ("65-74", "75-84", "85+")
AGE_WEIGHTS = (3, 5, 9, 17, 25, 26, 15)

# single, married, cohabiting, separated, widowed: per age band
_MARITAL = vocab.values(vocab.MARITAL_STATUSES)
_MARITAL_WEIGHTS = {
    "18-24": (85, 3, 12, 0, 0),
    "25-34": (45, 30, 22, 3, 0),
    "35-49": (22, 50, 13, 14, 1),
    "50-64": (12, 55, 8, 20, 5),
    "65-74": (7, 55, 4, 18, 16),
    "75-84": (6, 42, 2, 12, 38),
    "85+": (5, 22, 1, 7, 65),
}
_ALONE = {"single": 0.45, "married": 0.03, "cohabiting": 0.0, "separated": 0.6, "widowed": 0.85}

_HEALTH = vocab.values(vocab.GENERAL_HEALTH)
_HEALTH_WEIGHTS = {
    "18-24": (50, 35, 11, 3, 1),
    "25-34": (45, 37, 13, 4, 1),
    "35-49": (38, 38, 16, 6, 2),
    "50-64": (28, 38, 21, 10, 3),
    "65-74": (20, 38, 27, 11, 4),
    "75-84": (13, 33, 33, 16, 5),
    "85+": (9, 27, 36, 21, 7),
}

_INTERESTS = vocab.values(vocab.INTERESTS)
# Relative popularity among younger and older people on the register.
_INTEREST_WEIGHTS = {
    "arts_crafts": (2, 3), "books": (2, 2), "cooking": (3, 2), "dance": (2, 1.5),
    "digital": (2, 2.5), "exercise": (4, 2), "faith": (1, 2), "gardening": (2, 3),
    "games": (2, 2.5), "history": (1, 2.5), "language": (1.5, 0.5), "music": (3, 3),
    "outings": (1, 3), "social": (3, 5), "support": (2, 2), "walking": (3, 2.5),
    "volunteering": (3, 1),
}  # fmt: skip

_WHAT_WOULD_HELP = (
    "Someone to talk to on the phone now and then.",
    "Help getting to the shops and back.",
    "A lift to a group; I do not go out on my own since my fall.",
    "Company. It has been very quiet since I lost my husband.",
    "Company. It has been very quiet since I lost my wife.",
    "Learning to video call my grandchildren.",
    "Someone to help keep the garden tidy.",
    "Meeting people who speak my language.",
    "Finding something to do in the daytime now I have retired.",
    "A break from caring for my mother, and people who understand.",
    "Getting back out after being in hospital.",
    "Help filling in forms online.",
)


def make_people(
    rng: random.Random,
    areas: list[Neighbourhood],
    postcodes_by_outcode: dict[str, list[Postcode]],
    count: int,
    today: date,
) -> list[Person]:
    """``count`` people, each living at a postcode of one of ``areas``."""
    heritages = list(HERITAGES)
    heritage_weights = [HERITAGES[name].share for name in heritages]
    people = []
    for _ in range(count):
        area = rng.choice(areas)
        weights = [
            w * (1 + area.older if band in OLDER_BANDS else max(0.2, 1 - area.older / 2))
            for band, w in zip(AGE_BANDS, AGE_WEIGHTS)
        ]
        band = rng.choices(AGE_BANDS, weights=weights)[0]
        heritage = HERITAGES[rng.choices(heritages, weights=heritage_weights)[0]]
        marital = rng.choices(_MARITAL, weights=_MARITAL_WEIGHTS[band])[0]
        alone_chance = _ALONE[marital] * (0.55 if band in ("18-24", "25-34") else 1)
        health_weights = [
            w * (1 + area.deprivation * 0.6 if index >= 2 else 1)
            for index, w in enumerate(_HEALTH_WEIGHTS[band])
        ]
        people.append(
            _person(
                rng,
                area,
                rng.choice(postcodes_by_outcode[area.outcode]),
                band,
                heritage,
                marital,
                rng.random() < alone_chance,
                rng.choices(_HEALTH, weights=health_weights)[0],
                today,
            )
        )
    return people


def _person(rng, area, postcode, band, heritage, marital, alone, health, today) -> Person:
    older = band in OLDER_BANDS or (band == "50-64" and rng.random() < 0.5)
    first_names = heritage.older_first if older else heritage.younger_first
    first = rng.choice(first_names)
    last = rng.choice(heritage.surnames) if rng.random() < 0.92 else None
    lat, lon = offset_km(postcode.lat, postcode.lon, rng.gauss(0, 0.05), rng.gauss(0, 0.05))
    interest_weights = [_INTEREST_WEIGHTS[i][1 if older else 0] for i in _INTERESTS]
    interests = _sample_weighted(rng, _INTERESTS, interest_weights, rng.randint(1, 4))
    if alone and "social" not in interests and rng.random() < 0.4:
        interests.append("social")
    email = None
    if rng.random() < (0.15 if older else 0.6):
        name = f"{first}.{last or 'x'}".lower().replace(" ", "").replace("'", "")
        email = f"{name}{rng.randint(1, 99)}@example.com"
    return Person(
        first_name=first,
        last_name=last,
        age_band=band,
        postcode=postcode.postcode,
        lat=lat,
        lon=lon,
        address=street_address(rng, area),
        phone=(landline(rng) if older and rng.random() < 0.7 else mobile(rng))
        if rng.random() < 0.9
        else None,
        email=email,
        interests=interests,
        languages=_languages(rng, heritage),
        availability=_availability(rng, older),
        travel_km=_travel_km(rng, band),
        lives_alone=alone,
        marital_status=marital,
        general_health=health,
        what_would_help=rng.choice(
            [text for text in _WHAT_WOULD_HELP if marital == "widowed" or "I lost my" not in text]
        )
        if rng.random() < 0.4
        else None,
        registered_on=today - timedelta(days=rng.randint(7, 1500)),
        outcode=postcode.outcode,
    )


def _sample_weighted(rng: random.Random, items, weights, k: int) -> list:
    """``k`` distinct items, each drawn with chance in proportion to its weight."""
    keyed = sorted(
        ((rng.random() ** (1 / w), item) for item, w in zip(items, weights)), reverse=True
    )
    return [item for _, item in keyed[:k]]


def _languages(rng: random.Random, heritage) -> list[str]:
    spoken = [code for code, chance in heritage.languages if rng.random() < chance]
    if not spoken or rng.random() < heritage.english:
        spoken.insert(0, "en")
    if rng.random() < 0.004:
        spoken.append("bsl")
    return spoken


_PARTS = ("am", "pm", "eve")


def _availability(rng: random.Random, older: bool) -> list[str]:
    slots = [f"{day}_{part}" for day in vocab.values(vocab.WEEKDAYS) for part in _PARTS]
    weights = []
    for slot in slots:
        day, part = slot.split("_")
        weekend = day in ("sat", "sun")
        if older:
            weights.append({"am": 3, "pm": 3, "eve": 0.3}[part] * (0.5 if weekend else 1))
        else:
            weights.append({"am": 0.6, "pm": 0.8, "eve": 3}[part] * (2.5 if weekend else 1))
    chosen = _sample_weighted(rng, slots, weights, rng.randint(2, 8))
    return sorted(chosen, key=slots.index)


def _travel_km(rng: random.Random, band: str) -> float:
    low, high = {"85+": (0.5, 2), "75-84": (1, 3), "65-74": (1, 5)}.get(band, (2, 10))
    return round(rng.uniform(low, high) * 2) / 2
