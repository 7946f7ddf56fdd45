"""Suppression: no figure about fewer than min_count people, none by subtraction.

The property tests build random areas (people clustered around a few
places, random risk, age bands and groups) and check every published
figure of the cells and of coverage.
"""

from __future__ import annotations

from collections import Counter

import h3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from betterway_map.domain.network.cells import area_cells, shown_totals
from betterway_map.domain.network.coverage import at_risk_people, coverage, summarise
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.suppression import hidden_keys, suppress
from betterway_map.domain.vocab import AGE_BANDS, values
from betterway_map.network.report import _coverage
from tests.unit.test_network_cells_places import HOME, TODAY, assessment, group, offset, person

CELL_FIGURES = (
    "people",
    "at_risk",
    "groups_within_walk",
    "accessible_groups_within_walk",
    "spaces_within_walk",
    "accessible_spaces_within_walk",
    "gap_score",
)
# A few neighbourhoods about 1.5 km apart, so cells and walks overlap.
PLACES = [HOME] + [offset(HOME, 1500, bearing) for bearing in (0, 72, 144, 216, 288)]
# Mostly a few bands, so that bands near min_count (the cases that matter) are common.
BANDS = (None, "50-64", "65-74", "75-84", "75-84", "85+", *values(AGE_BANDS))


@pytest.mark.parametrize(
    ("count", "min_count", "shown"),
    [(0, 5, None), (1, 5, None), (4, 5, None), (5, 5, 5), (6, 5, 6), (None, 5, None), (1, 1, 1)],
)
def test_suppress_shows_a_count_only_from_min_count(count, min_count, shown):
    assert suppress(count, min_count) == shown


@pytest.mark.parametrize("min_count", [0, -1, 1.5, True, "5"])
def test_suppress_refuses_a_bad_min_count(min_count):
    with pytest.raises(ValueError, match="min_count must be a whole number of at least 1"):
        suppress(3, min_count)


@pytest.mark.parametrize(
    ("sizes", "unpublished", "hidden"),
    [
        ({"a": 9, "b": 6}, 0, set()),
        ({"a": 9, "b": 6, "c": 0}, 0, {"c"}),  # hides nobody: nothing more to hide
        ({"a": 9, "b": 6, "c": 3}, 0, {"b", "c"}),
        ({"a": 9, "b": 6, "c": 3, "d": 2}, 0, {"c", "d"}),
        ({"a": 9, "b": 6}, 2, {"b"}),
        ({"a": 5, "b": 5}, 4, {"a"}),  # ties by key
        ({"a": 3}, 0, {"a"}),
        ({"a": 6}, 1, {"a"}),  # everything hidden; the total must then hide itself
    ],
)
def test_hidden_keys_hide_the_small_and_what_would_give_them_away(sizes, unpublished, hidden):
    assert hidden_keys(sizes, 5, unpublished) == hidden


@given(
    st.dictionaries(st.text(max_size=3), st.integers(0, 20), max_size=12),
    st.integers(0, 8),
    st.integers(1, 8),
)
def test_hidden_parts_hold_nobody_or_at_least_min_count(sizes, unpublished, min_count):
    hidden = hidden_keys(sizes, min_count, unpublished)
    held = unpublished + sum(sizes[key] for key in hidden)
    assert all(size >= min_count for key, size in sizes.items() if key not in hidden)
    assert held == 0 or held >= min_count or hidden == set(sizes)


@st.composite
def random_areas(draw):
    """Up to 45 people, each at one of PLACES (jittered up to 400 m) or with
    no home; random age band (mostly older ones, or none), random risk; up
    to 8 groups."""
    people, assessments = [], {}
    for person_id in range(1, draw(st.integers(0, 45)) + 1):
        if draw(st.integers(0, 9)) == 0:
            home = None
        else:
            place = draw(st.sampled_from(PLACES))
            home = offset(place, draw(st.floats(0, 400)), draw(st.floats(0, 360)))
        band = draw(st.sampled_from(BANDS))
        people.append(person(person_id, home, band))
        status = draw(st.sampled_from(("isolated", "professionals_only", "weak", "connected")))
        direct = draw(st.sampled_from((None, "often_always", "never")))
        assessments[person_id] = assessment(person_id, status, direct)
    groups = []
    for group_id in range(1, draw(st.integers(0, 8)) + 1):
        place = offset(
            draw(st.sampled_from(PLACES)), draw(st.floats(0, 900)), draw(st.floats(0, 360))
        )
        groups.append(
            group(
                group_id,
                place,
                status=draw(st.sampled_from(("active", "active", "paused"))),
                step_free=draw(st.booleans()),
                audiences=draw(st.sampled_from(((), ("older_people",), ("everyone",)))),
                age_min=draw(st.sampled_from((None, 65, 75))),
            )
        )
    return Area(TODAY, people=people, groups=groups), assessments


SLOW = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SLOW
@given(random_areas(), st.integers(1, 7))
def test_no_cell_shows_a_figure_about_fewer_than_min_count_people(case, min_count):
    records, assessments = case
    cells = area_cells(records, assessments, min_count=min_count)
    actual = Counter(
        h3.latlng_to_cell(p.latitude, p.longitude, 8)
        for p in records.people
        if p.latitude is not None
    )
    assert {c.cell for c in cells} == set(actual)
    for cell in cells:
        values_ = [getattr(cell, name) for name in CELL_FIGURES]
        if cell.suppressed:
            assert values_ == [None] * len(CELL_FIGURES)
        else:
            # Issue 13: the at-risk count (and the gap score that gives it
            # back) may be withheld in a shown cell; when shown, neither its
            # at risk nor its not at risk is too few.
            assert (cell.at_risk is None) == (cell.gap_score is None)
            assert None not in [
                v for k, v in zip(CELL_FIGURES, values_) if k not in ("at_risk", "gap_score")
            ]
            assert cell.people == actual[cell.cell] >= min_count
            if cell.at_risk is not None:
                assert not 0 < cell.at_risk < min_count
                assert not 0 < cell.people - cell.at_risk < min_count


@SLOW
@given(random_areas(), st.integers(1, 7))
def test_totals_cannot_be_differenced_back_to_a_suppressed_cell(case, min_count):
    """All located people (or at-risk people, as coverage counts them) minus the
    shown cells is about the hidden cells together: nobody, or at least
    min_count, or else every cell is hidden and the total itself is too small
    to publish."""
    records, assessments = case
    cells = area_cells(records, assessments, min_count=min_count)
    # Issue 13: the total is everyone registered (people with no home
    # location included), and the at-risk count is checked on its own.
    registered = len(records.people)
    hidden_people = registered - shown_totals(cells).people
    if 0 < hidden_people < min_count:
        assert all(c.suppressed for c in cells)
        assert suppress(registered, min_count) is None
    at_risk_hidden = len(at_risk_people(records, assessments)) - shown_totals(cells).at_risk
    if 0 < at_risk_hidden < min_count:
        assert all(c.at_risk is None for c in cells)
        assert len(at_risk_people(records, assessments)) < min_count


@SLOW
@given(random_areas(), st.integers(1, 7))
def test_coverage_shows_no_figure_about_fewer_than_min_count_people(case, min_count):
    records, assessments = case
    result = coverage(records, assessments, min_count=min_count)
    at_risk = at_risk_people(records, assessments)
    shares = [result.overall, *result.by_age_band.values()]
    for share in shares:
        if share.suppressed:
            assert share == (None, None, None)
        else:
            assert share.denominator >= min_count
            assert 0 <= share.numerator <= share.denominator
            assert share.share == share.numerator / share.denominator
            assert not 0 < share.numerator < min_count  # issue 13: part and rest
            assert not 0 < share.denominator - share.numerator < min_count
    if len(at_risk) < min_count:
        assert result.overall.suppressed
    for band, share in result.by_age_band.items():
        if not share.suppressed:
            assert share.denominator == sum(1 for p in at_risk if p.age_band == band)
    if not result.overall.suppressed:
        shown = sum(s.denominator for s in result.by_age_band.values() if not s.suppressed)
        hidden = result.overall.denominator - shown
        assert hidden == 0 or hidden >= min_count


@settings(max_examples=400, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(BANDS), st.booleans()), max_size=40),
    st.integers(1, 7),
)
def test_coverage_bands_cannot_be_differenced_from_the_overall_figure(answers, min_count):
    """At-risk people as (age band, covered): whatever the mix, the overall
    figures minus the shown bands tell about nobody or at least min_count."""
    people = [person(i, band=band) for i, (band, _) in enumerate(answers, start=1)]
    covered = {i for i, (_, yes) in enumerate(answers, start=1) if yes}
    result = summarise(people, covered, min_count=min_count)
    if result.overall.suppressed:
        # Issue 13: also withheld when its reached or not reached are too
        # few; each band then stands on its own.
        for s in result.by_age_band.values():
            assert s.suppressed or not 0 < s.numerator < min_count
        return
    shown = [s for s in result.by_age_band.values() if not s.suppressed]
    hidden = result.overall.denominator - sum(s.denominator for s in shown)
    hidden_covered = result.overall.numerator - sum(s.numerator for s in shown)
    assert hidden == 0 or hidden >= min_count
    assert 0 <= hidden_covered <= hidden
    assert all(s.denominator >= min_count for s in shown)


@given(
    st.dictionaries(
        st.text(max_size=3), st.tuples(st.integers(0, 12), st.integers(0, 12)), max_size=10
    ),
    st.tuples(st.integers(0, 6), st.integers(0, 6)),
    st.integers(1, 8),
)
def test_hidden_parts_hold_nobody_or_enough_of_each_kind(sizes, unpublished, min_count):
    """Parts as counts of two kinds (covered, not covered): every shown part
    has enough people and no kind too few, and the hidden parts together hold
    nobody or at least min_count of each kind, unless everything is hidden."""
    hidden = hidden_keys(sizes, min_count, unpublished)
    for key, counts in sizes.items():
        if key not in hidden:
            assert sum(counts) >= min_count
            assert all(c == 0 or c >= min_count for c in counts)
    if hidden != set(sizes):
        for kind in (0, 1):
            held = unpublished[kind] + sum(sizes[key][kind] for key in hidden)
            assert held == 0 or held >= min_count


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(BANDS), st.booleans()), max_size=40),
    st.integers(1, 7),
)
def test_published_coverage_shows_no_share_whose_part_or_rest_is_too_few(answers, min_count):
    """The report's coverage (what the page, API, exports and snapshots get):
    no share, and no difference of the overall share and the shown bands,
    tells about 1 to min_count - 1 people covered or not covered."""
    people = [person(i, band=band) for i, (band, _) in enumerate(answers, start=1)]
    covered = {i for i, (_, yes) in enumerate(answers, start=1) if yes}
    published = _coverage(summarise(people, covered, min_count=min_count))
    overall = published["overall"]
    shown = [s for s in published["by_age_band"] if not s["suppressed"]]

    def too_few(count):
        return 0 < count < min_count

    for share in (overall, *shown):
        if not share["suppressed"]:
            assert share["denominator"] >= min_count
            assert not too_few(share["numerator"])
            assert not too_few(share["denominator"] - share["numerator"])
    if not overall["suppressed"]:
        hidden_covered = overall["numerator"] - sum(s["numerator"] for s in shown)
        hidden_people = overall["denominator"] - sum(s["denominator"] for s in shown)
        assert not too_few(hidden_covered)
        assert not too_few(hidden_people - hidden_covered)
