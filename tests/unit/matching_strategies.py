"""Hypothesis strategies for small random matching instances, near enough to
each other that every hard rule, distance included, passes and fails."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import strategies as st

from betterway_map.domain.matching.model import Need, Offer

TODAY = date(2026, 1, 5)
KINDS = ("befriending_phone", "befriending_visit", "shopping")
SLOTS = ("tue_pm", "wed_am", "thu_eve")
LANGUAGES = ("en", "pl", "gu")
INTERESTS = ("gardening", "music", "books")
LIVED = ("bereavement", "caring")
AGES = (None, "50-64", "65-74", "75-84", "85+")


def _subset(items, min_size=0):
    return st.frozensets(st.sampled_from(items), min_size=min_size)


_place = st.one_of(
    st.none(),
    st.tuples(st.floats(53.78, 53.82), st.floats(-1.58, -1.52)),
)


@st.composite
def needs(draw, index: int) -> Need:
    comes = draw(st.booleans())
    return Need(
        id=index + 1,
        person_id=draw(st.sampled_from((1, 2, 3, 4, 100))),
        kind=draw(st.sampled_from(KINDS)),
        frequency=draw(st.sampled_from(("weekly", "once"))),
        availability=draw(_subset(SLOTS)),
        languages=draw(_subset(LANGUAGES, 1)),
        interests=draw(_subset(INTERESTS)),
        lived_experience=draw(_subset(LIVED)),
        location=draw(_place),
        comes_to_me=comes,
        travel_km=0.0 if comes else draw(st.floats(0, 2)),
        volunteer_gender=draw(st.sampled_from((None, None, "woman", "man"))),
        similar_age=draw(st.booleans()),
        age_band=draw(st.sampled_from(AGES)),
        excluded_volunteer_ids=draw(_subset((100, 101, 102))),
        household=draw(st.sampled_from((None, None, "h1", "h2"))),
        former_volunteers=draw(st.dictionaries(st.sampled_from((100, 101, 102)), st.booleans())),
        isolated=draw(st.booleans()),
        lonely_often=draw(st.booleans()),
        waiting_days=draw(st.integers(0, 400)),
    )


@st.composite
def offers(draw, index: int) -> Offer:
    return Offer(
        id=100 + index,
        kinds=draw(_subset(KINDS)),
        capacity=draw(st.integers(0, 3)),
        availability=draw(_subset(SLOTS)),
        languages=draw(_subset(LANGUAGES)),
        interests=draw(_subset(INTERESTS)),
        lived_experience=draw(_subset(LIVED)),
        location=draw(_place),
        travel_km=draw(st.floats(0, 4)),
        dbs_level=draw(st.sampled_from(("none", "basic", "enhanced", "expired"))),
        dbs_expires_on=draw(
            st.sampled_from((None, TODAY + timedelta(days=41), TODAY + timedelta(days=42)))
        ),
        restricted_kinds=draw(_subset(KINDS)),
        excluded_person_ids=draw(_subset((1, 2, 3))),
        gender=draw(st.sampled_from((None, "woman", "man"))),
        age_band=draw(st.sampled_from(AGES)),
        household=draw(st.sampled_from((None, None, "h1", "h2"))),
        waiting_days=draw(st.integers(0, 100)),
    )


@st.composite
def instances(draw, max_needs: int = 6, max_offers: int = 6):
    n = draw(st.integers(0, max_needs))
    m = draw(st.integers(0, max_offers))
    return [draw(needs(i)) for i in range(n)], [draw(offers(j)) for j in range(m)]
