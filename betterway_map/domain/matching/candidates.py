"""Every feasible pair of many requests and volunteers, with its score, fast.

``constraints.failures`` judges one pair in Python; a county has 20,000 ×
20,000 of them. Here the same rules run on numpy arrays: sets become
bitmasks (kinds, languages, slots, interests, lived experience), so that
"shares a language" is one ``&`` over all pairs at once, and distance is
pruned with a k-d tree (``scipy.spatial.cKDTree``) over points on the
WGS-84 ellipsoid in 3-D, so a request meets only the volunteers near it.
Phone befriending needs no travel and skips the tree.

Distances agree with ``constraints`` (geodesic, ``geo.distance``) without
measuring every pair on the ellipsoid: the straight line between two
points (the chord) is never longer than the geodesic, so a chord beyond the
limit fails; within 100 km the geodesic exceeds the chord by far less than
0.1%, so a chord 0.1% inside the limit passes; only the pairs in between
are measured exactly. A property test checks that ``pairs`` and ``checks``
agree with ``failures`` on every pair.

>>> from datetime import date
>>> need = Need(1, 10, "befriending_phone", availability=frozenset({"tue_pm"}),
...             languages=frozenset({"en"}))
>>> offers = [Offer(20, kinds=frozenset({"befriending_phone"}), languages=frozenset({"en"}),
...                 availability=frozenset({"tue_pm"})), Offer(21)]
>>> table = Table([need], offers, date(2026, 1, 5))
>>> found = pairs(table, Weights())
>>> found.need_index.tolist(), found.offer_index.tolist()
([0], [0])
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from scipy.spatial import cKDTree

from betterway_map.domain.geo.distance import EQUATORIAL_RADIUS_KM, FLATTENING, distance_km
from betterway_map.domain.matching.constraints import CONSTRAINTS
from betterway_map.domain.matching.model import (
    DBS_LEVELS,
    FIRST_REVIEW_DAYS,
    NO_TRAVEL_KINDS,
    REGULAR_FREQUENCIES,
    REQUIRED_DBS,
    WEIGHT_NAMES,
    Need,
    Offer,
    Weights,
)
from betterway_map.domain.matching.scores import (
    AVAILABILITY_CAP,
    CONTINUITY_ENDED_WELL,
    CONTINUITY_FORMER,
    INTEREST_CAP,
    LIVED_CAP,
    priority_component,
)
from betterway_map.domain.vocab import AGE_BANDS, values

__all__ = ["Table", "Pairs", "pairs", "checks", "components", "total_score", "CODES"]

CODES = tuple(code for code, _ in CONSTRAINTS)

_E2 = FLATTENING * (2 - FLATTENING)
# Within this chord length the geodesic is at most 0.1% longer (in truth
# about c² / 24R², under 0.002% at 100 km).
_CHORD_EXACT_BELOW_KM = 100.0
_CHORD_MARGIN = 1e-3
# Rounding of the 3-D coordinates, far above double precision at 6,400 km.
_SLACK_KM = 1e-6
# Pairs checked at once: bounds the memory of one step.
_CHUNK = 1_000_000
_AGE_ORDER = {band: index for index, band in enumerate(values(AGE_BANDS))}
_UNKNOWN = -(2**40)


def _xyz(locations) -> tuple[np.ndarray, np.ndarray]:
    """Points on the WGS-84 ellipsoid in km (earth-centred), and which are known."""
    known = np.array([loc is not None for loc in locations], dtype=bool)
    lat = np.radians([loc[0] if loc is not None else 0.0 for loc in locations])
    lon = np.radians([loc[1] if loc is not None else 0.0 for loc in locations])
    prime = EQUATORIAL_RADIUS_KM / np.sqrt(1 - _E2 * np.sin(lat) ** 2)
    xyz = np.column_stack(
        (
            prime * np.cos(lat) * np.cos(lon),
            prime * np.cos(lat) * np.sin(lon),
            prime * (1 - _E2) * np.sin(lat),
        )
    ).reshape(len(locations), 3)
    return xyz, known


class _Bits:
    """Sets of strings as rows of 64-bit words, over the values both sides use."""

    def __init__(self, *families):
        seen = sorted({value for family in families for items in family for value in items})
        self.index = {value: bit for bit, value in enumerate(seen)}
        self.words = max(1, math.ceil(len(seen) / 64))

    def masks(self, family) -> np.ndarray:
        out = np.zeros((len(family), self.words), dtype=np.uint64)
        for row, items in enumerate(family):
            for value in items:
                bit = self.index[value]
                out[row, bit // 64] |= np.uint64(1) << np.uint64(bit % 64)
        return out


def _overlap(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """How many members each pair of rows shares."""
    return np.bitwise_count(first & second).sum(axis=1, dtype=np.int64)


def _codes(items, mapping: dict, missing: int) -> np.ndarray:
    return np.array([mapping.get(item, missing) for item in items], dtype=np.int64)


class Table:
    """The requests and volunteers as columns of numbers, built once."""

    def __init__(self, needs: list[Need], offers: list[Offer], today: date):
        self.needs, self.offers, self.today = list(needs), list(offers), today
        needs, offers = self.needs, self.offers
        kind_bits = _Bits(
            [[n.kind for n in needs]],
            [o.kinds for o in offers],
            [o.restricted_kinds for o in offers],
        )
        # In bit order: kind_names[b] is the kind of bit b.
        kinds = self.kind_names = sorted(kind_bits.index, key=kind_bits.index.get)
        self.need_kind = np.array([kind_bits.index[n.kind] for n in needs], dtype=np.int64)
        self.offer_kinds = kind_bits.masks([o.kinds for o in offers])
        self.offer_restricted = kind_bits.masks([o.restricted_kinds for o in offers])
        self._kind_bits = kind_bits
        for name in ("availability", "languages", "interests", "lived_experience"):
            family_n = [getattr(n, name) for n in needs]
            family_o = [getattr(o, name) for o in offers]
            bits = _Bits(family_n, family_o)
            setattr(self, f"need_{name}", bits.masks(family_n))
            setattr(self, f"offer_{name}", bits.masks(family_o))
        self.regular = np.array([n.frequency in REGULAR_FREQUENCIES for n in needs], dtype=bool)
        self.need_xyz, self.need_known = _xyz([n.location for n in needs])
        self.offer_xyz, self.offer_known = _xyz([o.location for o in offers])
        self.need_extra_km = np.array(
            [0.0 if n.comes_to_me else float(n.travel_km) for n in needs], dtype=np.float64
        )
        self.offer_travel_km = np.array([float(o.travel_km) for o in offers], dtype=np.float64)
        self.travels = np.array([kind not in NO_TRAVEL_KINDS for kind in kinds], dtype=bool)
        self.person_id = np.array([n.person_id for n in needs], dtype=np.int64)
        self.offer_id = np.array([o.id for o in offers], dtype=np.int64)
        households = {h: i for i, h in enumerate(sorted({n.household for n in needs} - {None}))}
        self.need_household = _codes([n.household for n in needs], households, -1)
        self.offer_household = _codes([o.household for o in offers], households, -2)
        genders = {g: i for i, g in enumerate(sorted({o.gender for o in offers} - {None}))}
        self.wanted_gender = np.array(
            [genders.get(n.volunteer_gender, -3) if n.volunteer_gender else -1 for n in needs],
            dtype=np.int64,
        )
        self.offer_gender = _codes([o.gender for o in offers], genders, -2)
        self.similar_age = np.array([n.similar_age for n in needs], dtype=bool)
        self.need_age = _codes([n.age_band for n in needs], _AGE_ORDER, _UNKNOWN)
        self.offer_age = _codes([o.age_band for o in offers], _AGE_ORDER, _UNKNOWN)
        self._dbs(kinds)
        self.capacity = np.array([max(0, int(o.capacity)) for o in offers], dtype=np.int64)
        self.priority = np.array([priority_component(n) for n in needs], dtype=np.float64)
        self._pair_sets(needs, offers)

    def _dbs(self, kinds):
        needed = np.array([DBS_LEVELS[REQUIRED_DBS.get(k, "basic")] for k in kinds])
        self.needed_level = needed.astype(np.int64)
        self.offer_level = np.array(
            [DBS_LEVELS.get(o.dbs_level, 0) for o in self.offers], dtype=np.int64
        )
        first_review = (self.today + timedelta(days=FIRST_REVIEW_DAYS)).toordinal()
        self.dbs_lasts = np.array(
            [o.dbs_expires_on is not None and o.dbs_expires_on.toordinal() >= first_review
             for o in self.offers],
            dtype=bool,
        )  # fmt: skip

    def _pair_sets(self, needs, offers):
        """Exclusions and former volunteers, as sorted keys need × offers + offer."""
        m = len(offers)
        offer_at = {o.id: j for j, o in enumerate(offers)}
        needs_of = {}
        for i, n in enumerate(needs):
            needs_of.setdefault(n.person_id, []).append(i)
        excluded = [
            i * m + offer_at[v]
            for i, n in enumerate(needs)
            for v in n.excluded_volunteer_ids
            if v in offer_at
        ]
        excluded += [
            i * m + j for j, o in enumerate(offers) for p in o.excluded_person_ids
            for i in needs_of.get(p, ())
        ]  # fmt: skip
        self.excluded_keys = np.unique(np.array(excluded, dtype=np.int64))
        former = sorted(
            (i * m + offer_at[v], CONTINUITY_ENDED_WELL if well else CONTINUITY_FORMER)
            for i, n in enumerate(needs)
            for v, well in n.former_volunteers.items()
            if v in offer_at
        )
        self.former_keys = np.array([key for key, _ in former], dtype=np.int64)
        self.former_values = np.array([value for _, value in former], dtype=np.float64)

    def kind_bit(self, kind_index: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return kind_index // 64, np.uint64(1) << (kind_index % 64).astype(np.uint64)


def _chord_to_arc(chord: np.ndarray) -> np.ndarray:
    """A chord's arc on a sphere of the mean radius: the geodesic to about 1e-5."""
    radius = 6371.0088
    return 2 * radius * np.arcsin(np.minimum(1.0, chord / (2 * radius)))


def _distances(table: Table, ni, oi, limit):
    """(within, km) for travelling pairs with both places known: exact where
    the chord cannot decide."""
    chord = np.linalg.norm(table.need_xyz[ni] - table.offer_xyz[oi], axis=1)
    km = _chord_to_arc(chord)
    beyond = chord - _SLACK_KM > limit
    inside = (chord < _CHORD_EXACT_BELOW_KM) & (chord * (1 + _CHORD_MARGIN) + _SLACK_KM < limit)
    within = inside.copy()
    for at in np.flatnonzero(~beyond & ~inside):
        need, offer = table.needs[ni[at]], table.offers[oi[at]]
        km[at] = distance_km(*need.location, *offer.location)
        within[at] = km[at] <= limit[at]
    return within, km


def checks(
    table: Table, ni: np.ndarray, oi: np.ndarray
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """For the pairs (``ni[k]``, ``oi[k]``): by constraint code, which pairs
    pass it; and the distance in km (nan where it does not matter or is unknown)."""
    kind = table.need_kind[ni]
    word, bit = table.kind_bit(kind)
    has_kind = (table.offer_kinds[oi, word] & bit) != 0
    restricted = (table.offer_restricted[oi, word] & bit) != 0
    keys = ni.astype(np.int64) * len(table.offers) + oi
    wanted = table.wanted_gender[ni]
    gender_ok = (wanted == -1) | (table.offer_gender[oi] == wanted)
    need_age, offer_age = table.need_age[ni], table.offer_age[oi]
    age_ok = (need_age != _UNKNOWN) & (offer_age != _UNKNOWN) & (np.abs(need_age - offer_age) <= 1)
    travels = table.travels[kind]
    known = table.need_known[ni] & table.offer_known[oi]
    limit = table.offer_travel_km[oi] + table.need_extra_km[ni]
    km = np.full(len(ni), np.nan)
    near = np.ones(len(ni), dtype=bool)
    measured = travels & known
    if measured.any():
        near[measured], km[measured] = _distances(
            table, ni[measured], oi[measured], limit[measured]
        )
    needed = table.needed_level[kind]
    passed = {
        "self": (table.person_id[ni] != table.offer_id[oi])
        & (table.need_household[ni] != table.offer_household[oi]),
        "kind": has_kind,
        "safeguarding": ~restricted,
        "excluded": ~np.isin(keys, table.excluded_keys),
        "preference": gender_ok & (~table.similar_age[ni] | age_ok),
        "language": _overlap(table.need_languages[ni], table.offer_languages[oi]) > 0,
        "availability": ~table.regular[ni]
        | (_overlap(table.need_availability[ni], table.offer_availability[oi]) > 0),
        "location": ~travels | known,
        "distance": ~measured | near,
        "dbs": (needed == 0) | ((table.offer_level[oi] >= needed) & table.dbs_lasts[oi]),
    }
    return passed, km


@dataclass(frozen=True)
class Pairs:
    """The feasible pairs, sorted by (need index, offer index)."""

    need_index: np.ndarray
    offer_index: np.ndarray
    distance_km: np.ndarray  # nan for phone befriending or unknown places
    score: np.ndarray

    def __len__(self) -> int:
        return len(self.need_index)


def components(table: Table, ni, oi, km) -> dict[str, np.ndarray]:
    """Each soft score component (``scores.components``) of the pairs."""
    kind = table.need_kind[ni]
    limit = table.offer_travel_km[oi] + table.need_extra_km[ni]
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(limit > 0, np.clip(1.0 - km / limit, 0.0, 1.0), 1.0)
    distance = np.where(~table.travels[kind], 1.0, np.where(np.isnan(km), 0.0, closeness))
    keys = ni.astype(np.int64) * len(table.offers) + oi
    continuity = np.zeros(len(ni))
    if len(table.former_keys):
        at = np.searchsorted(table.former_keys, keys).clip(max=len(table.former_keys) - 1)
        hit = table.former_keys[at] == keys
        continuity[hit] = table.former_values[at[hit]]

    def capped(name, cap):
        shared = _overlap(getattr(table, f"need_{name}")[ni], getattr(table, f"offer_{name}")[oi])
        return np.minimum(shared, cap) / cap

    return {
        "distance": distance,
        "interests": capped("interests", INTEREST_CAP),
        "availability": capped("availability", AVAILABILITY_CAP),
        "lived_experience": capped("lived_experience", LIVED_CAP),
        "continuity": continuity,
        "priority": table.priority[ni],
    }


def _near_pairs(table: Table, need_rows: np.ndarray, offer_rows: np.ndarray):
    """Pairs of these needs and offers whose chord is within the largest limit
    either could have: a superset of the pairs within travelling distance."""
    need_rows = need_rows[table.need_known[need_rows]]
    offer_rows = offer_rows[table.offer_known[offer_rows]]
    if not len(need_rows) or not len(offer_rows):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    tree = cKDTree(table.offer_xyz[offer_rows])
    radius = table.need_extra_km[need_rows] + table.offer_travel_km[offer_rows].max() + _SLACK_KM
    found = tree.query_ball_point(table.need_xyz[need_rows], radius, return_sorted=True)
    counts = np.fromiter((len(f) for f in found), dtype=np.int64, count=len(found))
    ni = np.repeat(need_rows, counts)
    flat = np.fromiter((j for f in found for j in f), dtype=np.int64, count=int(counts.sum()))
    return ni, offer_rows[flat]


def _shares(first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """For every row of ``first`` against every row of ``second``: any member shared."""
    return ((first[:, None, :] & second[None, :, :]) != 0).any(axis=2)


def _blocks(table: Table):
    """(need indices, offer indices) blocks covering every feasible pair: per
    kind, the offers of that kind that may do it (kind, safeguarding, DBS),
    then those near enough (travelling kinds, by the tree) or sharing a
    language and a time (phone, by a dense test over bitmasks)."""
    for kind_index, kind in enumerate(table.kind_names):
        need_rows = np.flatnonzero(table.need_kind == kind_index)
        if not len(need_rows):
            continue
        word, bit = table.kind_bit(np.array(kind_index))
        needed = table.needed_level[kind_index]
        may = (
            ((table.offer_kinds[:, word] & bit) != 0)
            & ((table.offer_restricted[:, word] & bit) == 0)
            & ((needed == 0) | ((table.offer_level >= needed) & table.dbs_lasts))
        )
        offer_rows = np.flatnonzero(may)
        if not len(offer_rows):
            continue
        if kind not in NO_TRAVEL_KINDS:
            ni, oi = _near_pairs(table, need_rows, offer_rows)
            for start in range(0, len(ni), _CHUNK):
                yield ni[start : start + _CHUNK], oi[start : start + _CHUNK]
            continue
        languages = table.offer_languages[offer_rows]
        slots = table.offer_availability[offer_rows]
        step = max(1, _CHUNK // len(offer_rows))
        for start in range(0, len(need_rows), step):
            rows = need_rows[start : start + step]
            ok = _shares(table.need_languages[rows], languages) & (
                ~table.regular[rows][:, None] | _shares(table.need_availability[rows], slots)
            )
            at_need, at_offer = np.nonzero(ok)
            yield rows[at_need], offer_rows[at_offer]


def pairs(table: Table, weights: Weights) -> Pairs:
    """Every pair that breaks no hard rule, with its distance and score."""
    kept_n, kept_o, kept_km, kept_score = [], [], [], []
    for ni, oi in _blocks(table):
        passed, km = checks(table, ni, oi)
        ok = np.logical_and.reduce(list(passed.values()))
        ni, oi, km = ni[ok], oi[ok], km[ok]
        kept_n.append(ni.astype(np.int32))
        kept_o.append(oi.astype(np.int32))
        kept_km.append(km)
        kept_score.append(total_score(components(table, ni, oi, km), weights))
    if not kept_n:
        empty = np.empty(0, np.int32)
        return Pairs(empty, empty, np.empty(0), np.empty(0))
    ni, oi = np.concatenate(kept_n), np.concatenate(kept_o)
    order = np.lexsort((oi, ni))
    return Pairs(
        ni[order], oi[order], np.concatenate(kept_km)[order], np.concatenate(kept_score)[order]
    )


def total_score(parts: dict[str, np.ndarray], weights: Weights) -> np.ndarray:
    """Σ weight × component, in the order of ``WEIGHT_NAMES`` (as ``scores.total``)."""
    score = np.zeros(len(parts["priority"]))
    for name in WEIGHT_NAMES:
        score += getattr(weights, name) * parts[name]
    return score
