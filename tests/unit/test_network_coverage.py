"""Coverage on tiny hand-built areas whose right answers are worked out here."""

from __future__ import annotations

import pytest

from betterway_map.domain.network.coverage import (
    Share,
    band_ages,
    coverage,
    covered_person_ids,
    suitable,
    summarise,
)
from betterway_map.domain.vocab import AGE_BANDS, values
from tests.unit.test_network_cells_places import HOME, area, assessment, group, offset, person

HIDDEN = Share(None, None, None)


def banded_area():
    """Sixteen isolated people at HOME: 6 aged 75-84, 5 aged 65-74, 5 aged 50-64.

    Groups: an older people's lunch for 75 and over 400 m away (suits only
    the 75-84s); a walk for everyone 1 km away (beyond 800 m); a parents'
    group for 18-64 200 m away ("parents" restricts no one, and 50-64 lies
    within 18-64, so it suits the 50-64s; not the older bands, above 64).

    So 75-84: 6 of 6; 65-74: 0 of 5; 50-64: 5 of 5; overall 11 of 16.
    """
    people = [person(i, band="75-84") for i in range(1, 7)]
    people += [person(i, band="65-74") for i in range(7, 12)]
    people += [person(i, band="50-64") for i in range(12, 17)]
    groups = [
        group(1, offset(HOME, 400, 10), audiences=("older_people",), age_min=75),
        group(2, offset(HOME, 1000, 100), audiences=("everyone",)),
        group(3, offset(HOME, 200, 200), audiences=("parents",), age_min=18, age_max=64),
    ]
    return area(people, groups), {i: assessment(i, "isolated") for i in range(1, 17)}


def test_coverage_overall_and_by_age_band():
    records, assessments = banded_area()
    result = coverage(records, assessments)
    assert result.overall == Share(11 / 16, 11, 16)
    assert result.by_age_band["75-84"] == Share(1.0, 6, 6)
    assert result.by_age_band["65-74"] == Share(0.0, 0, 5)
    assert result.by_age_band["50-64"] == Share(1.0, 5, 5)


def test_every_age_band_is_listed_in_order_and_empty_ones_show_no_figure():
    records, assessments = banded_area()
    by_band = coverage(records, assessments).by_age_band
    assert tuple(by_band) == values(AGE_BANDS)
    for band in ("18-24", "25-34", "35-49", "85+"):
        assert by_band[band] == HIDDEN and by_band[band].suppressed


def test_a_longer_walk_reaches_the_walk_for_everyone():
    records, assessments = banded_area()
    assert coverage(records, assessments, walking_m=1000).by_age_band["65-74"] == Share(1.0, 5, 5)


def test_only_people_at_risk_count():
    """Of the 16, persons 1-6 (the 75-84s) are now connected and not lonely;
    person 7 (65-74) has one tie but feels lonely often or always, so is
    still at risk: at risk 10 (the five 65-74s and five 50-64s), covered 5
    (the 50-64s); the 75-84 band has nobody at risk: no figure."""
    records, assessments = banded_area()
    for i in range(1, 7):
        assessments[i] = assessment(i)
    assessments[7] = assessment(7, "weak", "often_always")
    result = coverage(records, assessments)
    assert result.overall == Share(0.5, 5, 10)
    assert result.by_age_band["65-74"] == Share(0.0, 0, 5)
    assert result.by_age_band["75-84"] == HIDDEN


def test_people_without_a_home_or_an_assessment_are_left_out():
    records, assessments = banded_area()
    records.people.append(person(17, None))
    assessments[17] = assessment(17, "isolated")
    records.people.append(person(18))  # no assessment: not at risk
    assert coverage(records, assessments).overall.denominator == 16


@pytest.mark.parametrize("status", ["paused", "ended"])
def test_groups_that_are_not_active_do_not_cover(status):
    records = area([person(i) for i in range(1, 6)], [group(1, HOME, status=status)])
    result = coverage(records, {i: assessment(i, "isolated") for i in range(1, 6)})
    assert result.overall == Share(0.0, 0, 5)


def test_online_groups_do_not_cover():
    records = area([person(i) for i in range(1, 6)], [group(1, None)])
    result = coverage(records, {i: assessment(i, "isolated") for i in range(1, 6)})
    assert result.overall == Share(0.0, 0, 5)


@pytest.mark.parametrize(
    ("age_min", "age_max", "band", "fits"),
    [
        (None, None, "18-24", True),
        (None, None, None, True),
        (60, None, "65-74", True),
        (65, None, "65-74", True),
        (70, None, "65-74", False),  # a 65-year-old is too young
        (None, 84, "75-84", True),
        (None, 80, "75-84", False),  # an 84-year-old is too old
        (None, 100, "85+", False),  # the band has no upper limit
        (85, None, "85+", True),
        (18, 64, "50-64", True),
        (60, None, None, False),  # age unknown: not for age-limited groups
    ],
)
def test_a_group_suits_an_age_band_only_when_its_range_holds_the_whole_band(
    age_min, age_max, band, fits
):
    assert suitable(group(1, HOME, age_min=age_min, age_max=age_max), band) is fits


@pytest.mark.parametrize(
    ("audiences", "band", "fits"),
    [
        ((), "25-34", True),
        (("everyone",), "25-34", True),
        (("older_people",), "65-74", True),
        (("older_people",), "85+", True),
        (("older_people",), "50-64", False),
        (("older_people",), None, False),
        (("carers",), "25-34", True),
        (("parents",), "85+", True),
        (("older_people", "carers"), "35-49", True),  # any audience that fits
    ],
)
def test_a_group_suits_a_band_when_one_of_its_audiences_fits(audiences, band, fits):
    assert suitable(group(1, HOME, audiences=audiences), band) is fits


@pytest.mark.parametrize(
    ("band", "ages"), [("18-24", (18, 24)), ("65-74", (65, 74)), ("85+", (85, None))]
)
def test_band_ages(band, ages):
    assert band_ages(band) == ages


def test_an_unknown_age_band_is_refused_by_name():
    records = area([person(1, band="ancient")])
    with pytest.raises(ValueError, match="unknown age band 'ancient'; the age bands are 18-24"):
        coverage(records, {1: assessment(1, "isolated")})


def test_a_small_band_is_hidden_with_the_next_smallest():
    """Add four 85+ people (too few): hidden. The overall count (20) minus the
    shown bands would then give those four away, so the smallest shown band
    (65-74 or 50-64, both 5: the first by name, 50-64) is hidden too."""
    records, assessments = banded_area()
    records.people += [person(i, band="85+") for i in range(17, 21)]
    assessments.update({i: assessment(i, "isolated") for i in range(17, 21)})
    result = coverage(records, assessments)
    assert result.overall.denominator == 20
    assert result.by_age_band["85+"] == HIDDEN
    assert result.by_age_band["50-64"] == HIDDEN
    assert result.by_age_band["65-74"] == Share(0.0, 0, 5)
    shown = sum(s.denominator for s in result.by_age_band.values() if not s.suppressed)
    assert result.overall.denominator - shown == 9


def test_people_with_no_age_band_count_overall_and_are_never_given_away():
    """Two isolated people with no age band, neither reached: overall 11 of
    18. The overall minus the shown bands would give the 2 unreached away,
    so the band that adds unreached people, 65-74 (0 of 5), is hidden too
    (2 + 5 = 7). Issue 13: the one rule hides a band that helps, no longer
    simply the smallest (50-64, 5 of 5, which would hide no one unreached)."""
    records, assessments = banded_area()
    records.people += [person(i, band=None) for i in (17, 18)]
    assessments.update({i: assessment(i, "isolated") for i in (17, 18)})
    result = coverage(records, assessments)
    assert result.overall.denominator == 18
    assert result.by_age_band["65-74"] == HIDDEN
    assert result.by_age_band["50-64"] == Share(1.0, 5, 5)
    assert result.by_age_band["75-84"] == Share(1.0, 6, 6)


def test_fewer_than_min_count_at_risk_shows_no_figure_at_all():
    records = area([person(i) for i in range(1, 5)], [group(1, HOME)])
    result = coverage(records, {i: assessment(i, "isolated") for i in range(1, 5)})
    assert result.overall == HIDDEN
    assert all(share == HIDDEN for share in result.by_age_band.values())


def test_covered_people_are_measured_from_each_home_not_the_cell():
    """Two at-risk people in one cell, 600 m apart; a group 700 m from one
    and 1.3 km from the other covers only the first."""
    first = offset(HOME, 300, 90)
    second = offset(HOME, 300, 270)
    records = area([person(1, first), person(2, second)], [group(1, offset(first, 700, 90))])
    found = covered_person_ids(
        records, {1: assessment(1, "isolated"), 2: assessment(2, "isolated")}
    )
    assert found == {1}


@pytest.mark.parametrize("resolution", [6, 7, 9, 10])
def test_the_answer_does_not_depend_on_the_index_resolution(resolution):
    records, assessments = banded_area()
    assert coverage(records, assessments, resolution=resolution) == coverage(records, assessments)


def test_summarise_counts_what_it_is_given():
    people = [person(i, band="65-74") for i in range(1, 11)]
    result = summarise(people, {1, 2, 3, 4, 5}, walking_m=500, min_count=5)
    assert result.overall == Share(5 / 10, 5, 10)
    # Issue 13: 2 of 7 reached is a share whose part is too few: withheld.
    assert summarise(people[:7], {1, 2}, min_count=5).overall == HIDDEN
    assert (result.walking_m, result.min_count) == (500.0, 5)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"walking_m": -1}, "walking distance must be a number of metres above 0, not -1"),
        ({"resolution": 99}, "H3 resolution must be a whole number from 0 to 15, not 99"),
        ({"min_count": -3}, "min_count must be a whole number of at least 1, not -3"),
    ],
)
def test_bad_settings_are_refused_with_the_value_named(settings, message):
    records, assessments = banded_area()
    with pytest.raises(ValueError, match=message):
        coverage(records, assessments, **settings)
