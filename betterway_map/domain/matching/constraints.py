"""The hard constraints: rules no proposed match may ever break.

``failures(need, offer, today)`` names every rule a pair breaks, in the
order of ``CONSTRAINTS``; an empty tuple means the pair may be matched.
Capacity is not a pair rule: the solver gives no volunteer more people
than ``Offer.capacity``. The solver's faster, vectorised pruning must agree
with this function on every pair (a property test checks it).

>>> need = Need(id=1, person_id=10, kind="befriending_phone",
...             availability=frozenset({"tue_pm"}), languages=frozenset({"pl"}))
>>> offer = Offer(id=20, kinds=frozenset({"befriending_phone"}),
...               availability=frozenset({"tue_pm"}), languages=frozenset({"en", "pl"}))
>>> failures(need, offer, date(2026, 1, 5))
()
>>> failures(need, Offer(id=21, kinds=frozenset({"shopping"})), date(2026, 1, 5))
('kind', 'language', 'availability')
"""

from __future__ import annotations

from datetime import date, timedelta

from betterway_map.domain.geo.distance import distance_km
from betterway_map.domain.matching.model import (
    DBS_LEVELS,
    FIRST_REVIEW_DAYS,
    NO_TRAVEL_KINDS,
    REGULAR_FREQUENCIES,
    REQUIRED_DBS,
    Need,
    Offer,
)
from betterway_map.domain.vocab import AGE_BANDS, values

__all__ = [
    "CONSTRAINTS",
    "failures",
    "fits",
    "travel_limit_km",
    "pair_distance_km",
    "dbs_ok",
    "similar_age",
]

# Each rule, with how a person reads it when it removes every volunteer
# ("no volunteer ..."), in the order they are checked.
CONSTRAINTS = (
    ("self", "is someone other than the person or someone in their household"),
    ("kind", "offers this kind of support"),
    ("safeguarding", "is free of a safeguarding restriction against it"),
    ("excluded", "is not excluded by either side"),
    ("preference", "fits the person's stated preferences"),
    ("language", "speaks a language the person speaks"),
    ("availability", "is free at a time the person is free"),
    ("location", "has a known location (both sides need a postcode for support in person)"),
    ("distance", "is within travelling distance"),
    ("dbs", "has a DBS check of the right level lasting to the first review"),
)

_AGE_ORDER = {band: index for index, band in enumerate(values(AGE_BANDS))}


def pair_distance_km(need: Need, offer: Offer) -> float | None:
    """Kilometres between the two, or ``None`` where either is unknown."""
    if need.location is None or offer.location is None:
        return None
    return distance_km(*need.location, *offer.location)


def travel_limit_km(need: Need, offer: Offer) -> float:
    """How far apart they may live: the volunteer travels, and when the
    person can travel too they may meet in between.

    >>> travel_limit_km(Need(1, 1, "go_along", comes_to_me=False, travel_km=2),
    ...                 Offer(2, travel_km=3))
    5.0
    """
    return float(offer.travel_km) + (0.0 if need.comes_to_me else float(need.travel_km))


def dbs_ok(kind: str, offer: Offer, today: date) -> bool:
    """A check of the level ``kind`` needs, not expiring before the first review.

    >>> dbs_ok("befriending_visit", Offer(1, dbs_level="basic"), date(2026, 1, 1))
    False
    >>> dbs_ok("befriending_visit", Offer(1, dbs_level="enhanced",
    ...        dbs_expires_on=date(2026, 2, 1)), date(2026, 1, 1))
    False
    """
    needed = DBS_LEVELS[REQUIRED_DBS.get(kind, "basic")]
    if needed == 0:
        return True
    if DBS_LEVELS.get(offer.dbs_level, 0) < needed:
        return False
    first_review = today + timedelta(days=FIRST_REVIEW_DAYS)
    return offer.dbs_expires_on is not None and offer.dbs_expires_on >= first_review


def similar_age(first: str | None, second: str | None) -> bool:
    """The same age band or the next one; unknown ages are not similar.

    >>> similar_age("65-74", "75-84"), similar_age("50-64", "75-84"), similar_age(None, "75-84")
    (True, False, False)
    """
    if first not in _AGE_ORDER or second not in _AGE_ORDER:
        return False
    return abs(_AGE_ORDER[first] - _AGE_ORDER[second]) <= 1


def _same_household(need: Need, offer: Offer) -> bool:
    return need.person_id == offer.id or (
        need.household is not None and need.household == offer.household
    )


def failures(need: Need, offer: Offer, today: date) -> tuple[str, ...]:
    """The codes (``CONSTRAINTS``) of every hard rule this pair breaks."""
    failed = []
    if _same_household(need, offer):
        failed.append("self")
    if need.kind not in offer.kinds:
        failed.append("kind")
    if need.kind in offer.restricted_kinds:
        failed.append("safeguarding")
    if offer.id in need.excluded_volunteer_ids or need.person_id in offer.excluded_person_ids:
        failed.append("excluded")
    if (need.volunteer_gender and offer.gender != need.volunteer_gender) or (
        need.similar_age and not similar_age(need.age_band, offer.age_band)
    ):
        failed.append("preference")
    if not need.languages & offer.languages:
        failed.append("language")
    if need.frequency in REGULAR_FREQUENCIES and not need.availability & offer.availability:
        failed.append("availability")
    if need.kind not in NO_TRAVEL_KINDS:
        km = pair_distance_km(need, offer)
        if km is None:
            failed.append("location")
        elif km > travel_limit_km(need, offer):
            failed.append("distance")
    if not dbs_ok(need.kind, offer, today):
        failed.append("dbs")
    return tuple(failed)


def fits(need: Need, offer: Offer, today: date) -> bool:
    """True when the pair breaks no hard rule."""
    return not failures(need, offer, today)
