"""The vectorised pruning agrees with ``constraints.failures`` on every pair."""

from __future__ import annotations

import math

import numpy as np
import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings

from betterway_map.domain.geo.distance import EQUATORIAL_RADIUS_KM, FLATTENING
from betterway_map.domain.matching import scores
from betterway_map.domain.matching.candidates import CODES, Table, checks, components, pairs
from betterway_map.domain.matching.constraints import failures, pair_distance_km
from betterway_map.domain.matching.model import Need, Offer, Weights
from tests.unit.matching_strategies import TODAY, instances

_ALL = [(i, j) for i in range(8) for j in range(8)]


@settings(max_examples=150, deadline=None)
@given(instances())
def test_pairs_are_exactly_the_pairs_failures_allows(instance):
    needs, offers = instance
    table = Table(needs, offers, TODAY)
    found = pairs(table, Weights())
    got = set(zip(found.need_index.tolist(), found.offer_index.tolist(), strict=True))
    expected = {
        (i, j)
        for i, need in enumerate(needs)
        for j, offer in enumerate(offers)
        if not failures(need, offer, TODAY)
    }
    assert got == expected


@settings(max_examples=150, deadline=None)
@given(instances())
def test_each_check_agrees_with_failures_on_every_pair(instance):
    needs, offers = instance
    if not needs or not offers:
        return
    table = Table(needs, offers, TODAY)
    ni, oi = np.array(_product(needs, offers)).T
    passed, _ = checks(table, ni, oi)
    for k, (i, j) in enumerate(zip(ni, oi, strict=True)):
        broken = set(failures(needs[i], offers[j], TODAY))
        assert {code for code in CODES if not passed[code][k]} == broken


def _product(needs, offers):
    return [(i, j) for i in range(len(needs)) for j in range(len(offers))]


@settings(max_examples=100, deadline=None)
@given(instances())
def test_vectorised_scores_agree_with_the_scalar_ones(instance):
    needs, offers = instance
    table = Table(needs, offers, TODAY)
    found = pairs(table, Weights())
    ni, oi = found.need_index.astype(np.int64), found.offer_index.astype(np.int64)
    parts = components(table, ni, oi, found.distance_km)
    for k, (i, j) in enumerate(zip(ni, oi, strict=True)):
        km = pair_distance_km(needs[i], offers[j])
        expected = scores.components(needs[i], offers[j], km)
        for name, value in expected.items():
            assert parts[name][k] == pytest.approx(value, abs=1e-6)
        assert found.score[k] == pytest.approx(
            scores.score(needs[i], offers[j], km, Weights()), abs=1e-5
        )


@pytest.mark.parametrize("offset_m", [-0.002, -0.0005, 0.0, 0.0005, 0.002, -3.0, 3.0])
@pytest.mark.parametrize("limit_km", [0.5, 5.0, 40.0])
def test_a_volunteer_on_the_edge_of_their_travel_limit_is_judged_exactly(limit_km, offset_m):
    """Placed a few millimetres either side of the limit (geodesic), where
    the chord cannot decide: both ways must agree with failures."""
    home = (53.8, -1.55)
    there = Geodesic(EQUATORIAL_RADIUS_KM, FLATTENING).Direct(
        *home, 37.0, limit_km + offset_m / 1000
    )
    need = Need(1, 1, "shopping", frequency="once", languages=frozenset({"en"}), location=home)
    offer = Offer(
        2,
        kinds=frozenset({"shopping"}),
        languages=frozenset({"en"}),
        location=(there["lat2"], there["lon2"]),
        travel_km=limit_km,
        dbs_level="basic",
        dbs_expires_on=TODAY.replace(year=2030),
    )
    found = pairs(Table([need], [offer], TODAY), Weights())
    assert (len(found) == 1) == (not failures(need, offer, TODAY))
    assert math.isclose(
        pair_distance_km(need, offer), limit_km + offset_m / 1000, rel_tol=0, abs_tol=1e-9
    )


def test_a_restricted_kind_nobody_offers_does_not_shift_the_kinds():
    """Found by the property test: kinds named only in a restriction
    ("befriending_phone" here) once took a bit out of order, so a shopping
    request was judged by phone befriending's rules (no DBS, no travel)."""
    need = Need(1, 1, "shopping", frequency="once", languages=frozenset({"pl"}))
    offer = Offer(
        100,
        kinds=frozenset({"befriending_visit", "shopping"}),
        languages=frozenset({"pl"}),
        location=(53.8, -1.57),
        travel_km=1.7,
        dbs_level="basic",
        restricted_kinds=frozenset({"befriending_phone"}),
    )
    assert failures(need, offer, TODAY) == ("location", "dbs")
    assert len(pairs(Table([need], [offer], TODAY), Weights())) == 0
