"""Property: every figure the core publishes follows the suppression rule —
no count about 1 to MIN - 1 people, and no withheld part recoverable as the
total minus the shown parts."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.domain.measures import continuity, quality
from betterway_map.domain.measures.change import loneliness_change
from betterway_map.domain.measures.equity import ALL, equity
from betterway_map.domain.measures.published import Breakdown
from betterway_map.domain.measures.records import (
    Contacts,
    FeedbackRecord,
    MeasureRecord,
    PersonFacts,
    Relationship,
)
from betterway_map.domain.measures.trends import monthly
from betterway_map.domain.suppression import too_few

MIN = 5
TODAY = date(2025, 12, 31)
COUNT_FIELDS = {
    "people",
    "answers",
    "relationships",
    "asked",
    "matched",
    "measured",
    "people_in_relationships",
    "people_in_contact",
    "matches_started",
    "total",
}

day = st.dates(date(2024, 1, 1), TODAY)


@st.composite
def relationships(draw):
    n = draw(st.integers(0, 40))
    found = []
    for i in range(n):
        kind = draw(st.sampled_from(["match", "group", "caseload"]))
        person = draw(st.integers(1, 15))
        start = draw(day)
        ended = draw(st.none() | st.integers(1, 300))
        key = ("match", i) if kind == "match" else (kind, person, i)
        found.append(
            Relationship(
                key,
                person,
                draw(st.integers(1, 4)),
                start,
                None if ended is None else start + timedelta(days=ended),
                draw(st.sampled_from([None, "planned", "unplanned"])),
                draw(st.sampled_from([None, "weekly", "monthly"])),
            )
        )
    return found


def contacts_for(rels, data):
    rows = []
    for i, r in enumerate(rels):
        for _ in range(data.draw(st.integers(0, 6))):
            rows.append(
                (
                    i,
                    r.started_on + timedelta(days=data.draw(st.integers(0, 200))),
                    r.person_id,
                    data.draw(st.none() | st.integers(1, 3)),
                )
            )
    return Contacts.from_rows(rows)


def walk(value):
    """Every dataclass and Breakdown inside ``value``."""
    if isinstance(value, dict):
        for v in value.values():
            yield from walk(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from walk(v)
    elif dataclasses.is_dataclass(value):
        yield value
        for f in dataclasses.fields(value):
            yield from walk(getattr(value, f.name))


def assert_suppressed(published):
    for item in walk(published):
        for f in dataclasses.fields(item):
            v = getattr(item, f.name)
            if f.name in COUNT_FIELDS and isinstance(v, int):
                assert v >= MIN, (item, f.name)
        if isinstance(item, Breakdown):
            for v in item.counts.values():
                assert v is None or v >= MIN
            if item.total is not None:
                rest = item.total - sum(v for v in item.counts.values() if v is not None)
                assert not too_few(rest, MIN), item


@settings(max_examples=60, deadline=None)
@given(rels=relationships(), data=st.data())
def test_continuity_quality_change_and_trends_are_suppressed(rels, data):
    contacts = contacts_for(rels, data)
    feedback = [
        FeedbackRecord(
            r.key,
            r.person_id,
            data.draw(st.sampled_from(["person", "volunteer"])),
            r.started_on,
            tuple(data.draw(st.none() | st.integers(1, 5)) for _ in range(6)),
        )
        for r in rels
        if data.draw(st.booleans())
    ]
    measures = [
        MeasureRecord(
            p,
            data.draw(day),
            data.draw(st.none() | st.integers(3, 9)),
            None,
            data.draw(st.none() | st.integers(0, 6)),
        )
        for p in range(1, 16)
        for _ in range(data.draw(st.integers(0, 3)))
    ]
    published = [
        continuity.durations(rels, TODAY, MIN),
        continuity.endings(rels, MIN),
        continuity.same_counterpart(contacts, MIN),
        continuity.rhythm_kept(rels, contacts, MIN),
        continuity.changes(rels, MIN),
        quality.marks(feedback, MIN),
        quality.differences(feedback, MIN),
        loneliness_change(rels, measures, min_count=MIN),
        monthly(rels, contacts, TODAY, min_count=MIN),
    ]
    assert_suppressed(published)


people_facts = st.builds(
    PersonFacts,
    person_id=st.integers(1, 10_000),
    age_band=st.sampled_from([None, "65-74", "75-84", "85+"]),
    district=st.sampled_from([None, "LS6", "LS7"]),
    languages=st.lists(st.sampled_from(["en", "pa"]), max_size=2, unique=True).map(tuple),
    needs=st.lists(st.sampled_from(["shopping", "lifts"]), max_size=2, unique=True).map(tuple),
    disability=st.booleans(),
    online=st.booleans(),
    requested_on=st.none() | st.just(date(2025, 1, 1)),
    matched_on=st.none() | st.just(date(2025, 2, 1)),
    active_tie=st.booleans(),
    improved=st.none() | st.booleans(),
)


@settings(max_examples=80, deadline=None)
@given(people=st.lists(people_facts, max_size=60))
def test_equity_is_suppressed_and_no_withheld_category_is_recoverable(people):
    rows = equity(people, MIN)
    assert_suppressed(rows)
    for dimension in ("age_band", "district", "disability", "online"):  # one category each
        by = {r.category: r for r in rows[dimension]}
        overall = by.pop(ALL)
        if overall.people is not None:
            shown = sum(r.people for r in by.values() if r.people is not None)
            assert not too_few(overall.people - shown, MIN)
        for r in by.values():
            for share, whole in (
                (r.share_matched, r.asked),
                (r.share_active_tie, r.people),
                (r.share_improved, r.measured),
            ):
                if share is not None and whole is not None:
                    part = round(share * whole)
                    assert not too_few(part, MIN) and not too_few(whole - part, MIN)


@settings(max_examples=80, deadline=None)
@given(people=st.lists(people_facts, max_size=60))
def test_no_overlapping_category_leaves_too_few_people_outside_it(people):
    """A person may speak several languages or ask for several kinds of
    help: the overall row minus a shown category counts those not in it."""
    rows = equity(people, MIN)
    for dimension in ("language", "need"):
        by = {r.category: r for r in rows[dimension]}
        overall = by.pop(ALL)
        for r in by.values():
            for field in ("people", "asked", "measured"):
                part, whole = getattr(r, field), getattr(overall, field)
                if part is not None and whole is not None:
                    assert not too_few(whole - part, MIN), (dimension, r.category, field)


@settings(max_examples=60, deadline=None)
@given(rels=relationships(), data=st.data())
def test_no_two_months_of_a_trend_are_a_small_count_apart(rels, data):
    rows = monthly(rels, contacts_for(rels, data), TODAY, min_count=MIN)
    for field in ("people_in_relationships", "people_in_contact", "matches_started"):
        shown = [getattr(r, field) for r in rows if getattr(r, field) is not None]
        for i, a in enumerate(shown):
            assert not any(too_few(abs(a - b), MIN) for b in shown[i + 1 :]), (field, shown)


@settings(max_examples=60, deadline=None)
@given(rels=relationships())
def test_no_duration_group_leaves_too_few_people_outside_it_in_a_group_holding_it(rels):
    people = {name: d.people for name, d in continuity.durations(rels, TODAY, MIN).items()}
    for inner, outer in (
        ("ongoing", "all"),
        ("ended", "all"),
        ("planned", "ended"),
        ("unplanned", "ended"),
        ("planned", "all"),
        ("unplanned", "all"),
    ):
        if people[inner] is not None and people[outer] is not None:
            assert not too_few(people[outer] - people[inner], MIN), (inner, outer, people)
