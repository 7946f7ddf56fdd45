"""The one small-number rule (``domain.suppression``), by plain function calls.

No app and no database: every answer below is worked out by hand with
``min_count`` 5 unless the test says otherwise.
"""

from __future__ import annotations

import pytest

from betterway_map.domain.network.coverage import summarise
from betterway_map.domain.network.inputs import PersonRecord
from betterway_map.domain.suppression import (
    MIN_CELL_COUNT,
    hidden_keys,
    hidden_with_rest,
    share_shown,
    suppress,
    suppress_breakdown,
    too_few,
)
from betterway_map.network import summary


def test_the_default_is_designs_min_cell_count_of_five():
    assert MIN_CELL_COUNT == 5


@pytest.mark.parametrize(
    ("count", "min_count", "expected"),
    [
        (0, 5, False),  # nobody gives nobody away
        (1, 5, True),
        (4, 5, True),
        (5, 5, False),
        (1, 1, False),  # min_count 1: every count may be shown
        (2, 3, True),
    ],
)
def test_too_few_is_one_to_min_count_minus_one(count, min_count, expected):
    assert too_few(count, min_count) is expected


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (5, 10, True),  # 5 in, 5 out
        (0, 5, True),  # nobody covered: a share of 0 tells about nobody
        (6, 6, True),  # everybody: the rest is nobody
        (3, 6, False),  # the part is 3 people
        (5, 6, False),  # the rest is 1 person
        (2, 4, False),  # the whole is 4 people
        (0, 0, False),  # a share of nobody is no figure
    ],
)
def test_a_share_is_shown_only_when_whole_part_and_rest_are_safe(part, whole, shown):
    assert share_shown(part, whole, 5) is shown


@pytest.mark.parametrize(("part", "whole"), [(-1, 5), (6, 5)])
def test_a_share_with_an_impossible_part_is_refused(part, whole):
    with pytest.raises(ValueError, match="a share's part must be from 0 to its whole"):
        share_shown(part, whole, 5)


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        # (covered, not covered): 1 covered is too few on its own.
        ({"a": (5, 5), "b": (1, 9)}, {"a", "b"}),
        # 3 not covered in "b"; the overall minus the shown bands would
        # still show them, so "a" (the smaller shown band) goes too.
        ({"a": (0, 5), "b": (5, 3), "c": (10, 10)}, {"a", "b"}),
        # As before, but "a" adds no one not covered, so it would not help:
        # "c" goes instead. (Issue 13: the rule now hides only parts that add
        # people of the kind that is short; before, it hid "a" needlessly too.)
        ({"a": (5, 0), "b": (5, 3), "c": (10, 10)}, {"b", "c"}),
        # Both kinds in every band are 0 or at least 5: nothing to hide.
        ({"a": (0, 5), "b": (6, 0)}, set()),
    ],
)
def test_hidden_keys_hide_parts_with_too_few_of_any_kind(sizes, hidden):
    assert hidden_keys(sizes, 5) == hidden


@pytest.mark.parametrize(
    ("sizes", "total", "hidden"),
    [
        # 21 people, 17 speak English, 8 Polish: 4 do not speak English.
        ({"en": 17, "pl": 8}, 21, {"en"}),
        # Parts that do not overlap: the rest is the other parts, already safe.
        ({"a": 9, "b": 6}, 15, set()),
        # (with a tie, without): 2 of the 12 without a tie are not in "en",
        # and 1 of the 6 with a tie is not in "pl".
        ({"en": (6, 10), "pl": (5, 5)}, (6, 12), {"en", "pl"}),
        # Too few in the part itself, and what hidden_keys hides with it.
        ({"en": 3, "pl": 20, "so": 9}, 25, {"en", "so"}),
    ],
)
def test_overlapping_parts_are_hidden_when_the_people_outside_them_are_too_few(
    sizes, total, hidden
):
    assert hidden_with_rest(sizes, total, 5) == hidden


def test_an_overlapping_part_larger_than_its_total_is_refused():
    with pytest.raises(ValueError, match="part 'en' holds more people than the total"):
        hidden_with_rest({"en": 22}, 21, 5)


def test_hidden_keys_refuse_parts_of_different_shapes():
    with pytest.raises(ValueError, match="part 'b' has 1 counts, not 2"):
        hidden_keys({"a": (5, 5), "b": 3}, 5)


@pytest.mark.parametrize(
    ("counts", "total", "parts", "shown_total"),
    [
        # 2 is too few; 19 - 10 would give it away, so the 7 goes too.
        ({"a": 10, "b": 2, "c": 7}, 19, {"a": 10, "b": None, "c": None}, 19),
        # A zero is withheld but adds up to nobody: the 7 stays.
        ({"a": 10, "b": 0, "c": 7}, 17, {"a": 10, "b": None, "c": 7}, 17),
        # Everything is small, the total too.
        ({"a": 3, "b": 1}, 4, {"a": None, "b": None}, None),
        # 2 of the total are in no part: hidden from the start, so the 6 goes.
        ({"a": 9, "b": 6}, 17, {"a": 9, "b": None}, 17),
    ],
)
def test_a_breakdown_withholds_small_parts_and_what_gives_them_away(
    counts, total, parts, shown_total
):
    assert suppress_breakdown(counts, total, 5) == (parts, shown_total)


def test_a_breakdown_refuses_a_total_below_its_parts():
    with pytest.raises(ValueError, match="the total 3 is less than the sum of its parts"):
        suppress_breakdown({"a": 2, "b": 2}, 3, 5)


@pytest.mark.parametrize(
    "call",
    [
        lambda m: suppress(3, m),
        lambda m: too_few(3, m),
        lambda m: share_shown(3, 6, m),
        lambda m: hidden_keys({"a": 3}, m),
        lambda m: hidden_with_rest({"a": 3}, 5, m),
        lambda m: suppress_breakdown({"a": 3}, 3, m),
    ],
)
@pytest.mark.parametrize("min_count", [0, -1, 1.5, True, "5"])
def test_every_function_refuses_a_bad_min_count(call, min_count):
    with pytest.raises(ValueError, match="min_count must be a whole number of at least 1"):
        call(min_count)


def _bands_hidden_by_coverage(sizes: dict[str, int], min_count: int) -> set[str]:
    """The age bands the network's coverage figures withhold, for at-risk
    people in bands of the given sizes (nobody covered)."""
    people, next_id = [], 1
    for band, size in sizes.items():
        for _ in range(size):
            people.append(PersonRecord(next_id, "P", band, 52.5, -1.5, True))
            next_id += 1
    by_band = summarise(people, set(), min_count=min_count).by_age_band
    return {band for band in sizes if by_band[band].suppressed}


@pytest.mark.parametrize(
    ("sizes", "withheld"),
    [
        # Formerly the council also withheld the 6 here (a withheld zero
        # "added up to less than 5"), while the network figures did not.
        ({"65-74": 9, "75-84": 6, "85+": 0}, {"85+"}),
        ({"65-74": 9, "75-84": 6, "85+": 3}, {"75-84", "85+"}),
        ({"65-74": 9, "75-84": 6, "85+": 3, "50-64": 2}, {"85+", "50-64"}),
        ({"65-74": 5, "75-84": 5}, set()),
        ({"65-74": 5, "75-84": 0, "85+": 5}, {"75-84"}),
    ],
)
def test_the_council_figures_and_the_network_figures_withhold_the_same_parts(sizes, withheld):
    """``/council`` (``network.summary``) and coverage by age band, once two
    rules, now give the same answer for the same parts."""
    council_parts, _ = summary.suppress(sizes, sum(sizes.values()), 5)
    council = {key for key, value in council_parts.items() if value is None}
    assert council == _bands_hidden_by_coverage(sizes, 5) == withheld
