"""A believable, seeded area of requests for support and volunteers, as the
pure core's records (``Need``, ``Offer``), for the benchmark and for tests.

Proportions follow the issue: more requests than volunteers for visits, a
few Polish and Gujarati speakers, some volunteers without a current DBS
check; people live in towns scattered over a county about 60 × 45 km.

    needs, offers = synthetic_area(2_000, 2_000, seed=1)
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from betterway_map.domain.matching.model import Need, Offer
from betterway_map.domain.vocab import AVAILABILITY, INTERESTS, LIVED_EXPERIENCE, values

__all__ = ["TODAY", "synthetic_area", "REQUEST_KINDS", "OFFER_KINDS"]

TODAY = date(2026, 3, 2)
# A county around Leeds: south-west corner and size in degrees.
_SOUTH, _WEST, _HEIGHT, _WIDTH = 53.55, -2.0, 0.40, 0.90

REQUEST_KINDS = (
    ("befriending_visit", 34),
    ("befriending_phone", 16),
    ("shopping", 16),
    ("go_along", 10),
    ("digital", 9),
    ("lifts", 6),
    ("gardening", 6),
    ("other", 3),
)
# The chance that a volunteer offers each kind (each volunteer offers one or more).
OFFER_KINDS = (
    ("befriending_visit", 0.30),
    ("befriending_phone", 0.25),
    ("shopping", 0.35),
    ("go_along", 0.25),
    ("digital", 0.20),
    ("lifts", 0.10),
    ("gardening", 0.12),
    ("other", 0.05),
)
_LANGUAGES = ((("en",), 84), (("en", "pl"), 5), (("pl",), 2), (("en", "gu"), 4), (("gu",), 2),
              (("en", "ur"), 3))  # fmt: skip
_SLOTS = values(AVAILABILITY)
_DAYTIME = [slot for slot in _SLOTS if not slot.endswith("_eve")]


def _weighted(rng, table):
    items, weights = zip(*table, strict=True)
    return rng.choices(items, weights)[0]


def _slots(rng, low, high):
    pool = _DAYTIME if rng.random() < 0.7 else _SLOTS
    return frozenset(rng.sample(pool, rng.randint(low, high)))


def _place(rng, towns):
    lat, lon, spread = rng.choice(towns)
    return (round(lat + rng.gauss(0, spread), 6), round(lon + rng.gauss(0, spread * 1.6), 6))


def synthetic_area(n_needs: int, n_offers: int, seed: int = 0, capacities=(1, 3)):
    """``(needs, offers)``: requests with ids 1.., people 1..; volunteers
    with ids (person ids) from 10,000,000, capacities in ``capacities``."""
    rng = random.Random(seed)
    towns = [
        (_SOUTH + rng.random() * _HEIGHT, _WEST + rng.random() * _WIDTH, rng.uniform(0.01, 0.03))
        for _ in range(max(3, (n_needs + n_offers) // 1500))
    ]
    interests, lived = values(INTERESTS), values(LIVED_EXPERIENCE)
    needs = []
    for index in range(n_needs):
        kind = _weighted(rng, REQUEST_KINDS)
        comes_to_me = rng.random() < 0.8
        needs.append(
            Need(
                id=index + 1,
                person_id=index + 1,
                kind=kind,
                frequency=rng.choice(("weekly", "weekly", "fortnightly", "monthly", "once")),
                availability=_slots(rng, 2, 5),
                languages=frozenset(_weighted(rng, _LANGUAGES)),
                interests=frozenset(rng.sample(interests, rng.randint(0, 4))),
                lived_experience=frozenset(rng.sample(lived, rng.choice((0, 0, 1, 2)))),
                location=_place(rng, towns) if rng.random() < 0.98 else None,
                comes_to_me=comes_to_me,
                travel_km=0.0 if comes_to_me else rng.choice((1.0, 2.0, 5.0)),
                volunteer_gender=rng.choice(("woman",) + (None,) * 9),
                isolated=rng.random() < 0.3,
                lonely_often=rng.random() < 0.2,
                waiting_days=rng.randint(0, 400),
            )
        )
    offers = []
    for index in range(n_offers):
        kinds = {kind for kind, chance in OFFER_KINDS if rng.random() < chance}
        kinds = kinds or {_weighted(rng, REQUEST_KINDS)}
        dbs = rng.random()
        offers.append(
            Offer(
                id=10_000_000 + index,
                kinds=frozenset(kinds),
                capacity=rng.randint(*capacities),
                availability=_slots(rng, 2, 6),
                languages=frozenset(_weighted(rng, _LANGUAGES)),
                interests=frozenset(rng.sample(interests, rng.randint(1, 4))),
                lived_experience=frozenset(rng.sample(lived, rng.choice((0, 1, 1, 2)))),
                location=_place(rng, towns),
                travel_km=rng.choice((2.0, 3.0, 5.0, 5.0, 8.0)),
                dbs_level="enhanced" if dbs < 0.8 else ("basic" if dbs < 0.9 else "none"),
                dbs_expires_on=TODAY + timedelta(days=rng.randint(-100, 1000)),
                gender=rng.choice(("woman", "woman", "man")),
                waiting_days=rng.randint(0, 200),
            )
        )
    return needs, offers
