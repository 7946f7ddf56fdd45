"""Equity breakdowns on hand-built people."""

from __future__ import annotations

from datetime import date, timedelta

from betterway_map.domain.measures.equity import ALL, equity, equity_breakdown
from betterway_map.domain.measures.records import PersonFacts

ASKED = date(2025, 1, 1)


def person(i, online, wait=None, **kw):
    return PersonFacts(
        i,
        kw.pop("age_band", "75-84"),
        kw.pop("district", "LS6"),
        online=online,
        requested_on=ASKED,
        matched_on=None if wait is None else ASKED + timedelta(days=wait),
        **kw,
    )


def test_people_not_online_wait_longer_and_are_matched_less():
    # Online: 10 people, all matched after 10 days. Not online: 10 people,
    # 5 matched after 40 days, 5 waiting.
    people = [person(i, True, 10) for i in range(10)]
    people += [person(10 + i, False, 40 if i < 5 else None) for i in range(10)]
    rows = {r.category: r for r in equity(people, 5)["online"]}
    assert rows["online"].share_matched == 1.0 and rows["online"].median_wait_days == 10.0
    assert rows["not online"].share_matched == 0.5
    assert rows["not online"].median_wait_days == 40.0
    assert rows[ALL].share_matched == 0.75 and rows[ALL].median_wait_days == 10.0


def test_a_small_category_and_the_next_smallest_are_withheld():
    people = [person(i, True, 10, age_band="75-84") for i in range(10)]
    people += [person(10 + i, True, 10, age_band="65-74") for i in range(6)]
    people += [person(20 + i, True, 10, age_band="85+") for i in range(3)]
    rows = {r.category: r for r in equity(people, 5)["age_band"]}
    assert rows["85+"].people is None
    # 19 − 10 would give away 85+'s 3 if 65-74's 6 were shown.
    assert rows["65-74"].people is None
    assert rows["75-84"].people == 10
    assert rows[ALL].people == 19


def test_people_in_several_languages_count_in_each():
    people = [person(i, True, 10, languages=("en", "pa")) for i in range(5)]
    rows = {
        r.category: r for r in equity_breakdown(people, "language", lambda p: list(p.languages), 5)
    }
    assert rows["en"].people == 5 and rows["pa"].people == 5


def test_active_tie_and_improved_shares():
    people = [person(i, True, 10, active_tie=i < 5, improved=i % 2 == 0) for i in range(10)]
    (row,) = [r for r in equity(people, 5)["online"] if r.category == "online"]
    assert row.share_active_tie == 0.5
    assert row.share_improved == 0.5 and row.measured == 10


def test_disability_is_what_the_requests_say():
    people = [person(i, True, 10, disability=i < 5) for i in range(10)]
    rows = [r.category for r in equity(people, 5)["disability"]]
    assert rows == [
        "asked for a volunteer with lived experience of disability",
        "no record of disability",
        ALL,
    ]
