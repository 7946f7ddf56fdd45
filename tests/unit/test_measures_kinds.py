"""Continuity by kind beside the area's (``domain.measures.kinds``): the
area minus a shown kind gives no small number of relationships, people or
relationships behind their rhythm away."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.domain.measures.kinds import kinds_withheld, withheld_by_kind
from betterway_map.domain.measures.records import Contacts, Relationship
from betterway_map.domain.suppression import too_few

MIN = 5
TODAY = date(2025, 12, 31)
KINDS = ("match", "group", "caseload")


def test_a_kind_whose_rest_is_too_few_is_withheld_with_the_smallest_other():
    # 3 matches: too few; the area's 16 minus the 8 caseloads would give
    # them away, so the 5 groups go too.
    found = withheld_by_kind(
        {"match": 3, "group": 5, "caseload": 8}, 16, {"match": 3, "group": 5, "caseload": 8}, {}, ()
    )
    assert found.relationships == {"match", "group"}


def test_people_in_several_kinds_withhold_a_kind_with_few_people_outside_it():
    # 9 people, 7 of them in a group: 2 are not.
    found = withheld_by_kind(
        {"group": 7, "caseload": 9}, 9, {"group": 7, "caseload": 12}, {}, (), MIN
    )
    assert found.people == {"group"} and "group" in found.relationships


relationship = st.builds(
    lambda kind, i, person, start, rhythm: Relationship(
        ("match", i) if kind == "match" else (kind, person, i),
        person,
        1,
        TODAY - timedelta(days=start),
        rhythm=rhythm,
    ),
    st.sampled_from(KINDS),
    st.integers(0, 10_000),
    st.integers(1, 12),
    st.integers(0, 300),
    st.sampled_from([None, "weekly", "monthly"]),
)


@settings(max_examples=80, deadline=None)
@given(rels=st.lists(relationship, max_size=40, unique_by=lambda r: r.key))
def test_the_area_minus_the_shown_kinds_gives_no_small_number_away(rels):
    found = kinds_withheld(rels, Contacts.from_rows([]), TODAY, KINDS, MIN)
    count = {k: sum(r.kind == k for r in rels) for k in KINDS}
    people = {k: len({r.person_id for r in rels if r.kind == k}) for k in KINDS}
    everyone = len({r.person_id for r in rels})
    if too_few(everyone, MIN):
        return  # the area's own figures are withheld: nothing to subtract from
    shown = [count[k] for k in KINDS if k not in found.relationships]
    assert not too_few(len(rels) - sum(shown), MIN)
    for k in KINDS:
        if k not in found.people:
            assert not too_few(people[k], MIN) and not too_few(everyone - people[k], MIN)
