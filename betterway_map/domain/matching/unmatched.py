"""Why a request went unmatched, whom to recruit, and who waits to help.

For a request with no proposal there are two kinds of answer. Either no
volunteer fits it at all, and the reason names what is missing, built from
the constraints that the closest volunteers still break::

    no volunteer with a DBS check within travelling distance speaks Gujarati

or some volunteers fit but each was proposed for someone else (capacity).
The reasons, counted and most common first, tell a service whom to recruit.

>>> from datetime import date
>>> from betterway_map.domain.matching.candidates import Table
>>> from betterway_map.domain.matching.model import Offer
>>> need = Need(1, 10, "befriending_phone", availability=frozenset({"tue_pm"}),
...             languages=frozenset({"gu"}))
>>> offers = [Offer(20, kinds=frozenset({"befriending_phone"}), languages=frozenset({"en"}),
...                 availability=frozenset({"tue_pm"}))]
>>> explain(Table([need], offers, date(2026, 1, 5)), 0)
'no volunteer speaks Gujarati'
"""

from __future__ import annotations

from collections import Counter

import numpy as np

from betterway_map.domain.matching.candidates import CODES, Table, checks
from betterway_map.domain.matching.model import REQUIRED_DBS, Need
from betterway_map.domain.vocab import HELP_KINDS, LANGUAGES, labels

__all__ = ["CAPACITY_REASON", "explain", "unmatched", "summary", "waiting_offers", "blocking"]

CAPACITY_REASON = "the volunteers who fit were all proposed for others"
_KIND_LABELS = labels(HELP_KINDS)
_LANGUAGE_LABELS = labels(LANGUAGES)


def _or(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " or " + items[-1]


def _phrase(code: str, need: Need) -> tuple[str, str]:
    """(qualifier, predicate) for a rule: "with a DBS check" / "speaks Gujarati"."""
    kind = _KIND_LABELS.get(need.kind, need.kind).lower()
    if code == "kind":
        return f"who offers {kind}", f"offers {kind}"
    if code == "language":
        spoken = _or([_LANGUAGE_LABELS.get(c, c) for c in sorted(need.languages)])
        return f"who speaks {spoken}", f"speaks {spoken or 'a language they speak'}"
    if code == "availability":
        return "free when they are", "is free when they are"
    if code == "distance":
        return "within travelling distance", "lives within travelling distance"
    if code == "location":
        return "with a known location", "has a known location (add a postcode)"
    if code == "dbs":
        level = REQUIRED_DBS.get(need.kind, "basic")
        return f"with a current {level} DBS check", f"has a current {level} DBS check"
    if code == "preference":
        return "who fits their preferences", "fits their stated preferences"
    if code == "safeguarding":
        return "free of a safeguarding restriction", "is free of a safeguarding restriction"
    if code == "excluded":
        return "not excluded", "is not excluded by either side"
    return "outside their household", "is someone outside their household"


def blocking(table: Table, need_index: int) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """By constraint code, which offers pass it for this need; and which pass all."""
    ni = np.full(len(table.offers), need_index, dtype=np.int64)
    passed, _ = checks(table, ni, np.arange(len(table.offers), dtype=np.int64))
    every = np.logical_and.reduce([passed[code] for code in CODES]) if table.offers else None
    return passed, every


def explain(table: Table, need_index: int) -> str:
    """Why no volunteer fits this need: the rules met by the most volunteers
    come first as qualifiers ("no volunteer with ... within ..."), and the
    rule that then removes the last of them is the predicate."""
    need = table.needs[need_index]
    if not table.offers:
        return "there are no volunteers with room in this area"
    passed, every = blocking(table, need_index)
    if every.any():
        return CAPACITY_REASON
    remaining = np.ones(len(table.offers), dtype=bool)
    applied = []
    # Keep the rules that leave someone, most permissive first, until one empties.
    order = sorted(CODES, key=lambda code: (-int(passed[code].sum()), CODES.index(code)))
    for code in order:
        after = remaining & passed[code]
        if not after.any():
            # A rule every volunteer meets says nothing and may go unsaid.
            qualifiers = [_phrase(c, need)[0] for c in applied if not passed[c].all()]
            who = " ".join(["no volunteer", *qualifiers])
            return f"{who} {_phrase(code, need)[1]}"
        remaining = after
        applied.append(code)
    return CAPACITY_REASON


def unmatched(table: Table, matched_need_ids: set[int]) -> list[dict]:
    """``[{"request_id", "reason"}]`` for each need without a proposal, by id."""
    return [
        {"request_id": need.id, "reason": explain(table, index)}
        for index, need in enumerate(table.needs)
        if need.id not in matched_need_ids
    ]


def summary(rows: list[dict]) -> list[dict]:
    """``[{"reason", "count"}]``, most common first, then alphabetically."""
    counts = Counter(row["reason"] for row in rows)
    return [
        {"reason": reason, "count": count}
        for reason, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def waiting_offers(table: Table, proposed_offer_ids: set[int]) -> list[dict]:
    """Volunteers with room and no proposal: ``[{"offer_id", "waiting_days"}]``,
    longest waiting first."""
    rows = [
        {"offer_id": offer.id, "waiting_days": offer.waiting_days}
        for offer in table.offers
        if offer.id not in proposed_offer_ids and offer.capacity > 0
    ]
    return sorted(rows, key=lambda row: (-row["waiting_days"], row["offer_id"]))
