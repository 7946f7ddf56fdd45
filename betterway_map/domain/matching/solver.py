"""The assignment of volunteers to requests with the best total score.

A maximum-weight b-matching: each request gets at most one volunteer, each
volunteer at most ``Offer.capacity`` requests, only feasible pairs
(``candidates``) may be used, and the sum of the chosen pairs' scores is as
large as it can be. A request may stay unmatched: it is never forced onto
a volunteer to make the numbers work.

It is solved as a rectangular assignment problem by scipy's LAPJVsp
(``scipy.sparse.csgraph.min_weight_full_bipartite_matching``): a volunteer
with capacity *c* becomes *c* identical slot columns, and each request has
one private "unmatched" column, so that a full matching of the requests
always exists. A pair costs ``BASE − score`` and the private column costs
``BASE`` (every cost positive: scipy treats zeros as no edge), so the
minimum cost is the maximum score. ``benchmarks/matching.py`` compares it
with OR-Tools' min-cost flow and with networkx's ``max_weight_matching``.

Deterministic: the records are sorted by id before the problem is built,
and LAPJVsp is deterministic for the same input; among equal totals, the
one found for the ids in that order is kept.

>>> from datetime import date
>>> en = frozenset({"en"})
>>> needs = [Need(1, 10, "befriending_phone", frequency="once", languages=en),
...          Need(2, 11, "befriending_phone", frequency="once", languages=en, waiting_days=180)]
>>> offers = [Offer(20, kinds=frozenset({"befriending_phone"}), languages=en)]
>>> result = solve(needs, offers, date(2026, 1, 5))
>>> [(p.need_id, p.offer_id) for p in result.proposals]
[(2, 20)]
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from betterway_map.domain.matching.candidates import Pairs, Table, components, pairs
from betterway_map.domain.matching.constraints import pair_distance_km
from betterway_map.domain.matching.model import NO_TRAVEL_KINDS, Need, Offer, Weights
from betterway_map.domain.matching.scores import reasons as reasons_for

__all__ = ["Proposal", "Solution", "assign", "solve"]


@dataclass(frozen=True)
class Proposal:
    """One proposed pair and why."""

    need_id: int
    offer_id: int
    score: float
    components: dict[str, float]
    reasons: list[str]
    distance_km: float | None


@dataclass(frozen=True)
class Solution:
    """What a run proposes: the pairs, their total, and what went in."""

    proposals: list[Proposal]
    total_score: float
    table: Table = field(repr=False)
    pairs: Pairs = field(repr=False)
    # Indices (in table order) of the chosen pairs within ``pairs``.
    chosen: np.ndarray = field(repr=False)

    @property
    def matched_need_ids(self) -> set[int]:
        return {p.need_id for p in self.proposals}


def assign(found: Pairs, capacity: np.ndarray, n_needs: int) -> np.ndarray:
    """The indices into ``found`` of the pairs of a best assignment.

    ``capacity[j]`` is how many requests offer ``j`` may take.
    """
    if not len(found):
        return np.empty(0, dtype=np.int64)
    oi = found.offer_index
    # No offer needs more slots than it has candidate requests.
    slots = np.minimum(capacity, np.bincount(oi, minlength=len(capacity))).astype(np.int64)
    first_slot = np.concatenate(([0], np.cumsum(slots)[:-1]))
    n_slots = int(slots.sum())
    base = float(found.score.max(initial=0.0)) + 1.0
    # One edge per pair and slot of its offer: slot k of every pair, k = 0, 1, ...
    rows, cols, costs = [], [], []
    for k in range(int(slots.max(initial=0))):
        at = np.flatnonzero(slots[oi] > k)
        rows.append(found.need_index[at])
        cols.append((first_slot[oi[at]] + k).astype(np.int32))
        costs.append(base - found.score[at])
    rows.append(np.arange(n_needs, dtype=np.int32))
    cols.append((n_slots + np.arange(n_needs)).astype(np.int32))
    costs.append(np.full(n_needs, base))
    rows, cols, costs = np.concatenate(rows), np.concatenate(cols), np.concatenate(costs)
    graph = csr_array((costs, (rows, cols)), shape=(n_needs, n_slots + n_needs))
    del rows, cols, costs
    row_ind, col_ind = min_weight_full_bipartite_matching(graph)
    del graph
    matched = col_ind < n_slots
    row_ind, col_ind = row_ind[matched], col_ind[matched]
    chosen_offer = np.searchsorted(first_slot, col_ind, side="right") - 1
    # Back to the pair: its position among pairs sorted by (need, offer).
    width = len(capacity)
    keys = found.need_index.astype(np.int64) * width + oi
    return np.sort(np.searchsorted(keys, row_ind.astype(np.int64) * width + chosen_offer))


def components_at(table: Table, found: Pairs, at) -> dict[str, np.ndarray]:
    """The soft score components of the pairs ``found[at]``."""
    at = np.atleast_1d(at)
    ni, oi = found.need_index[at].astype(np.int64), found.offer_index[at].astype(np.int64)
    return components(table, ni, oi, found.distance_km[at])


def _sorted(needs: list[Need], offers: list[Offer]):
    return sorted(needs, key=lambda n: n.id), sorted(offers, key=lambda o: o.id)


def solve(
    needs: list[Need],
    offers: list[Offer],
    today: date,
    weights: Weights | None = None,
    first_names: dict[int, str] | None = None,
) -> Solution:
    """The best assignment of ``offers`` to ``needs``, with reasons.

    ``first_names`` (need id → the person's first name) names the person in
    the continuity reason.
    """
    weights = weights or Weights()
    first_names = first_names or {}
    needs, offers = _sorted(needs, offers)
    table = Table(needs, offers, today)
    found = pairs(table, weights)
    chosen = assign(found, table.capacity, len(needs))
    proposals = []
    for at in chosen:
        need, offer = needs[found.need_index[at]], offers[found.offer_index[at]]
        km = None if need.kind in NO_TRAVEL_KINDS else pair_distance_km(need, offer)
        parts = {name: float(value[0]) for name, value in components_at(table, found, at).items()}
        proposals.append(
            Proposal(
                need_id=need.id,
                offer_id=offer.id,
                score=float(found.score[at]),
                components=parts,
                reasons=reasons_for(need, offer, km, first_names.get(need.id)),
                distance_km=km,
            )
        )
    total = float(sum(p.score for p in proposals))
    return Solution(proposals, total, table, found, chosen)
