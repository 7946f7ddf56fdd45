"""The solver: optimal (equal to brute force on small instances), never
breaks a hard rule or a capacity, and gives the same answer for the same input."""

from __future__ import annotations

import random
from collections import Counter
from functools import cache

import pytest
from hypothesis import given, settings

from betterway_map.domain.matching import scores
from betterway_map.domain.matching.constraints import failures, pair_distance_km
from betterway_map.domain.matching.model import Need, Offer, Weights
from betterway_map.domain.matching.solver import solve
from tests.unit.matching_strategies import TODAY, instances

EN = frozenset({"en"})


def _phone_need(need_id, **fields):
    fields.setdefault("languages", EN)
    fields.setdefault("frequency", "once")
    return Need(need_id, need_id, "befriending_phone", **fields)


def _phone_offer(offer_id, **fields):
    fields.setdefault("languages", EN)
    return Offer(offer_id, kinds=frozenset({"befriending_phone"}), **fields)


def brute_force(needs, offers, weights=None):
    """The best total over every assignment: each need takes one of its
    feasible offers with room left, or none."""
    weights = weights or Weights()
    options = []
    for need in needs:
        row = [(None, 0.0)]
        for j, offer in enumerate(offers):
            if not failures(need, offer, TODAY):
                row.append((j, scores.score(need, offer, pair_distance_km(need, offer), weights)))
        options.append(row)

    @cache
    def best(i, used):
        if i == len(needs):
            return 0.0
        left = dict(used)
        top = 0.0
        for j, value in options[i]:
            if j is not None and left.get(j, 0) >= offers[j].capacity:
                continue
            after = used if j is None else tuple(sorted({**left, j: left.get(j, 0) + 1}.items()))
            top = max(top, value + best(i + 1, after))
        return top

    return best(0, ())


def test_one_volunteer_goes_to_the_person_waiting_longest():
    """Two people, one phone befriender with room for one: equal in all
    else, the one waiting 180 days scores 0.5 more priority (1.5 × 1/3)."""
    result = solve([_phone_need(1), _phone_need(2, waiting_days=180)], [_phone_offer(20)], TODAY)
    assert [(p.need_id, p.offer_id) for p in result.proposals] == [(2, 20)]
    assert result.total_score == pytest.approx(1.0 + 1.5 / 3)


def test_the_best_total_is_not_the_greedy_one():
    """Need 1 likes both volunteers, need 2 only volunteer 20. Greedy gives
    20 to need 1 (its best pair) and leaves need 2 unmatched; the optimum
    gives 20 to need 2 and 21 to need 1."""
    garden = frozenset({"gardening", "music", "books"})
    needs = [_phone_need(1, interests=garden), _phone_need(2, languages=frozenset({"pl"}))]
    offers = [
        _phone_offer(20, interests=garden, languages=frozenset({"en", "pl"})),
        _phone_offer(21, interests=frozenset({"gardening"})),
    ]
    result = solve(needs, offers, TODAY)
    assert sorted((p.need_id, p.offer_id) for p in result.proposals) == [(1, 21), (2, 20)]


def test_capacity_two_takes_two_people():
    result = solve([_phone_need(1), _phone_need(2)], [_phone_offer(20, capacity=2)], TODAY)
    assert len(result.proposals) == 2


def test_a_request_no_volunteer_fits_stays_unmatched():
    result = solve([_phone_need(1, languages=frozenset({"gu"}))], [_phone_offer(20)], TODAY)
    assert result.proposals == [] and result.total_score == 0.0


def test_a_former_volunteer_whose_match_ended_well_comes_first():
    need = _phone_need(1, former_volunteers={21: True})
    result = solve([need], [_phone_offer(20), _phone_offer(21)], TODAY, first_names={1: "Iris"})
    assert result.proposals[0].offer_id == 21
    assert "supported Iris before, and it ended well" in result.proposals[0].reasons


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=5, max_offers=4))
def test_the_total_equals_brute_force(instance):
    needs, offers = instance
    result = solve(needs, offers, TODAY)
    assert result.total_score == pytest.approx(brute_force(needs, offers), abs=1e-6)


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=8, max_offers=6))
def test_no_hard_rule_is_broken_and_capacities_hold(instance):
    needs, offers = instance
    result = solve(needs, offers, TODAY)
    by_need = {n.id: n for n in needs}
    by_offer = {o.id: o for o in offers}
    for proposal in result.proposals:
        assert failures(by_need[proposal.need_id], by_offer[proposal.offer_id], TODAY) == ()
    assert len({p.need_id for p in result.proposals}) == len(result.proposals)
    for offer_id, taken in Counter(p.offer_id for p in result.proposals).items():
        assert taken <= by_offer[offer_id].capacity


@settings(max_examples=100, deadline=None)
@given(instances(max_needs=8, max_offers=6))
def test_the_same_input_in_any_order_gives_the_same_proposals(instance):
    needs, offers = instance
    first = solve(needs, offers, TODAY)
    shuffled_needs, shuffled_offers = list(needs), list(offers)
    random.Random(3).shuffle(shuffled_needs)
    random.Random(4).shuffle(shuffled_offers)
    again = solve(shuffled_needs, shuffled_offers, TODAY)
    assert [(p.need_id, p.offer_id, p.score) for p in first.proposals] == [
        (p.need_id, p.offer_id, p.score) for p in again.proposals
    ]


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=6, max_offers=6))
def test_each_reason_shown_is_true_of_the_pair(instance):
    needs, offers = instance
    result = solve(needs, offers, TODAY)
    by_need = {n.id: n for n in needs}
    by_offer = {o.id: o for o in offers}
    for proposal in result.proposals:
        need, offer = by_need[proposal.need_id], by_offer[proposal.offer_id]
        for reason in proposal.reasons:
            assert _true(reason, need, offer), reason


def _true(reason, need, offer):
    km = pair_distance_km(need, offer)
    if reason.endswith(" km apart"):
        return need.kind != "befriending_phone" and f"{km:.1f} km apart" == reason
    if reason == "by phone: no travel":
        return need.kind == "befriending_phone"
    if reason.startswith("both enjoy "):
        return bool(need.interests & offer.interests)
    if reason.startswith("both speak "):
        named = {"English": "en", "Polish": "pl", "Gujarati": "gu"}
        said = {code for word, code in named.items() if word in reason}
        return said == need.languages & offer.languages
    if reason.startswith("both free on "):
        return bool(need.availability & offer.availability)
    if reason.startswith("the volunteer has lived experience of "):
        return bool(need.lived_experience & offer.lived_experience)
    if reason.startswith("supported "):
        ended_well = reason.endswith("and it ended well")
        return need.former_volunteers.get(offer.id, None) is ended_well
    if reason.startswith("waiting "):
        return reason == f"waiting {need.waiting_days} day" + (
            "" if need.waiting_days == 1 else "s"
        )
    if reason == "lonely often or always":
        return need.lonely_often
    if reason == "has few active ties":
        return need.isolated
    return False
