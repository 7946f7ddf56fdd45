"""Unmatched reasons, the summary, waiting volunteers and feasibility are true."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import given, settings

from betterway_map.domain.matching.candidates import CODES, Table
from betterway_map.domain.matching.constraints import failures
from betterway_map.domain.matching.feasibility import feasibility
from betterway_map.domain.matching.model import Need, Offer
from betterway_map.domain.matching.solver import solve
from betterway_map.domain.matching.unmatched import (
    CAPACITY_REASON,
    explain,
    summary,
    unmatched,
    waiting_offers,
)
from tests.unit.matching_strategies import TODAY, instances

HOME = (53.8, -1.55)


def _visit_offer(offer_id, languages, km_north, dbs="enhanced"):
    return Offer(
        offer_id,
        kinds=frozenset({"befriending_visit"}),
        languages=frozenset(languages),
        availability=frozenset({"tue_pm"}),
        location=(HOME[0] + km_north / 111.2, HOME[1]),
        travel_km=5.0,
        dbs_level=dbs,
        dbs_expires_on=TODAY + timedelta(days=400),
    )


def test_the_issue_example_names_the_missing_volunteer():
    """A Gujarati speaker wants visits. Near and checked volunteers speak
    only English; the Gujarati speaker lives 20 km away."""
    need = Need(
        1,
        10,
        "befriending_visit",
        availability=frozenset({"tue_pm"}),
        languages=frozenset({"gu"}),
        location=HOME,
    )
    offers = [
        _visit_offer(20, {"en"}, 1),
        _visit_offer(21, {"en"}, 2),
        _visit_offer(22, {"gu"}, 20),
        _visit_offer(23, {"gu"}, 1, dbs="none"),
    ]
    reason = explain(Table([need], offers, TODAY), 0)
    # Every volunteer offers visits and is free on Tuesdays: that goes unsaid.
    assert reason == (
        "no volunteer within travelling distance with a current enhanced DBS check speaks Gujarati"
    )


def test_capacity_is_the_reason_when_someone_fits_but_was_proposed_for_another():
    needs = [
        Need(n, n, "befriending_phone", frequency="once", languages=frozenset({"en"}))
        for n in (1, 2)
    ]
    offers = [Offer(20, kinds=frozenset({"befriending_phone"}), languages=frozenset({"en"}))]
    result = solve(needs, offers, TODAY)
    rows = unmatched(result.table, result.matched_need_ids)
    assert rows == [{"request_id": 1, "reason": CAPACITY_REASON}]


def test_the_summary_puts_the_most_common_reason_first():
    rows = [{"reason": "b"}, {"reason": "a"}, {"reason": "a"}, {"reason": "c"}]
    assert summary(rows) == [
        {"reason": "a", "count": 2},
        {"reason": "b", "count": 1},
        {"reason": "c", "count": 1},
    ]


def test_volunteers_waiting_longest_come_first():
    offers = [Offer(20, waiting_days=3), Offer(21, waiting_days=90), Offer(22, waiting_days=9)]
    waiting = waiting_offers(Table([], offers, TODAY), {22})
    assert waiting == [{"offer_id": 21, "waiting_days": 90}, {"offer_id": 20, "waiting_days": 3}]


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=6, max_offers=6))
def test_each_unmatched_reason_is_true(instance):
    needs, offers = instance
    result = solve(needs, offers, TODAY)
    for row in unmatched(result.table, result.matched_need_ids):
        need = next(n for n in result.table.needs if n.id == row["request_id"])
        fitting = [o for o in result.table.offers if not failures(need, o, TODAY)]
        if row["reason"] == CAPACITY_REASON:
            assert fitting
        else:
            assert not fitting and row["reason"]


@settings(max_examples=150, deadline=None)
@given(instances(max_needs=1, max_offers=8))
def test_feasibility_counts_what_failures_counts(instance):
    needs, offers = instance
    if not needs:
        return
    need = needs[0]
    room = [o for o in offers if o.capacity > 0]
    got = feasibility(need, offers, TODAY)
    assert got["volunteers"] == len(room)
    assert got["fitting"] == sum(not failures(need, o, TODAY) for o in room)
    for code in CODES if room else ():
        assert got["removed_by"][code] == sum(code in failures(need, o, TODAY) for o in room)
    if got["most_limiting"]:
        assert got["most_limiting"]["removes"] == max(got["removed_by"].values())
