"""Group suggestions (``domain.matching.groups``): tiny hand-built people and
groups whose answer is explained, and a property test that no suggestion
breaks a hard filter and every reason shown is true."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time

import pytest
from geographiclib.geodesic import Geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from betterway_map.domain import vocab
from betterway_map.domain.geo.distance import distance_km
from betterway_map.domain.matching.groups import (
    ACCESS_NEEDS,
    CIRCUMSTANCES,
    OLDER_AGE_BANDS,
    GroupCandidate,
    Seeker,
    band_years,
    explain,
    failures,
    members_like,
    open_to,
    slot_of,
    suggest,
)

TODAY = date(2026, 3, 2)
HOME = (52.45, -0.98)


def at(km: float, bearing: float = 0.0) -> tuple[float, float]:
    found = Geodesic.WGS84.Direct(HOME[0], HOME[1], bearing, km * 1000)
    return found["lat2"], found["lon2"]


def group(group_id: int = 1, **fields) -> GroupCandidate:
    """A free group for everyone, 1 km north, Tuesday at 2pm."""
    values = {"name": f"Group {group_id}", "location": at(1.0), "weekday": "tue"}
    values["start_time"] = time(14)
    return GroupCandidate(group_id, **(values | fields))


ME = Seeker(HOME, travel_km=2.0, availability=frozenset({"tue_pm"}), age_band="75-84")


def ids(seeker: Seeker, groups) -> list[int]:
    return [s.group_id for s in suggest(seeker, groups, today=TODAY).suggestions]


# --- hard filters, one at a time ---------------------------------------------


@pytest.mark.parametrize(
    ("changed", "code"),
    [
        ({"status": "paused"}, "active"),
        ({"ends_on": date(2026, 3, 1)}, "active"),  # ended yesterday
        ({"location": None}, "place"),  # online only
        ({"location": at(2.5)}, "distance"),  # 2.5 km, travels 2 km
        ({"weekday": "wed"}, "time"),  # free on Tuesday only
        ({"start_time": time(11, 59)}, "time"),  # a Tuesday morning
        ({"audiences": frozenset({"parents"})}, "audience"),  # not a parent
        ({"age_min": 80}, "audience"),  # 75-84 is not all 80 or over
    ],
)
def test_a_group_failing_one_filter_is_not_suggested(changed, code):
    failing = group(**changed)
    assert failures(ME, failing, TODAY) == (code,)
    assert ids(ME, [failing]) == []


def test_a_group_ending_today_is_still_active():
    assert failures(ME, group(ends_on=TODAY), TODAY) == ()


def test_cost_is_filtered_only_when_the_person_says_what_they_can_pay():
    dear = group(cost_pence=500)
    assert failures(ME, dear, TODAY) == ()
    assert failures(replace(ME, max_cost_pence=300), dear, TODAY) == ("cost",)
    assert failures(replace(ME, max_cost_pence=500), dear, TODAY) == ()  # exactly affordable


def test_every_access_need_must_be_met():
    me = replace(ME, access_needs=frozenset({"step_free", "hearing_loop"}))
    assert failures(me, group(access=frozenset({"step_free"})), TODAY) == ("access",)
    assert (
        failures(me, group(access=frozenset({"step_free", "hearing_loop", "parking"})), TODAY) == ()
    )


def test_a_person_who_has_not_said_when_they_are_free_is_not_filtered_on_time():
    assert failures(replace(ME, availability=frozenset()), group(weekday="sun"), TODAY) == ()


def test_a_group_exactly_at_the_travel_distance_is_within_it():
    edge = group(location=at(2.0))
    km = distance_km(*HOME, *edge.location)
    assert failures(replace(ME, travel_km=km), edge, TODAY) == ()


@pytest.mark.parametrize(
    ("age_band", "audiences", "said", "expected"),
    [
        ("50-64", {"older_people"}, set(), True),  # older people's groups from 50
        ("35-49", {"older_people"}, set(), False),
        (None, {"older_people"}, set(), False),  # age unknown: not assumed
        ("35-49", {"carers"}, {"carers"}, True),  # said they are a carer
        ("35-49", {"carers", "parents"}, {"parents"}, True),
        ("35-49", {"everyone", "carers"}, set(), True),  # for everyone too
        ("35-49", set(), set(), True),  # no audience recorded: everyone
    ],
)
def test_audience(age_band, audiences, said, expected):
    seeker = Seeker(HOME, age_band=age_band, audiences=frozenset(said))
    assert open_to(seeker, group(audiences=frozenset(audiences))) is expected


@pytest.mark.parametrize(
    ("age_band", "age_min", "age_max", "expected"),
    [
        ("65-74", 65, None, True),
        ("65-74", 60, 74, True),
        ("65-74", 60, 70, False),  # a 72-year-old would be too old
        ("85+", 60, 99, False),  # no upper bound to the band
        ("85+", 60, None, True),
        (None, 18, None, False),  # an age range needs a known age
    ],
)
def test_an_age_range_must_hold_the_whole_age_band(age_band, age_min, age_max, expected):
    assert open_to(Seeker(HOME, age_band=age_band), group(age_min=age_min, age_max=age_max)) is (
        expected
    )


def test_slots_follow_the_part_of_day_of_the_start():
    assert [slot_of("mon", time(h)) for h in (9, 12, 16, 17)] == [
        "mon_am",
        "mon_pm",
        "mon_pm",
        "mon_eve",
    ]


def test_band_years_covers_every_band():
    assert [band_years(band) for band in vocab.values(vocab.AGE_BANDS)][0] == (18, 24)
    assert all(band_years(band) for band in vocab.values(vocab.AGE_BANDS))


# --- ranking -------------------------------------------------------------------


def test_a_shared_interest_outranks_being_nearer():
    # The near group (0.1 km) scores about 0.95 for nearness; the garden club,
    # 1.5 km away, 0.25 for nearness plus 2 for the interest shared.
    me = replace(ME, interests=frozenset({"gardening"}))
    near = group(1, location=at(0.1))
    garden = group(2, location=at(1.5), interests=frozenset({"gardening"}))
    assert ids(me, [near, garden]) == [2, 1]


def test_equal_groups_come_nearest_first_then_by_name():
    a, b, c = group(3, name="B"), group(1, name="C"), group(2, name="A", location=at(0.5))
    assert ids(ME, [a, b, c]) == [2, 3, 1]


def test_people_like_them_count_only_from_the_small_number_limit():
    # Four members around their age is too few to say or to rank on; five is not.
    four, five = group(1, members_similar_age=4), group(2, members_similar_age=5)
    found = suggest(ME, [four, five], today=TODAY).suggestions
    assert [s.group_id for s in found] == [2, 1]
    assert [r.code for r in found[0].reasons].count("like") == 1
    assert "like" not in [r.code for r in found[1].reasons]


def test_a_volunteer_to_go_along_ranks_a_group_higher_and_says_so():
    plain, buddy = group(1, location=at(0.5)), group(2, go_along_volunteers=1)
    found = suggest(ME, [plain, buddy], today=TODAY).suggestions
    assert [s.group_id for s in found] == [2, 1]
    assert any("go along" in r.text for r in found[0].reasons)


def test_limit_keeps_the_best():
    groups = [group(i, location=at(0.1 * i)) for i in range(1, 6)]
    assert [s.group_id for s in suggest(ME, groups, today=TODAY, limit=2).suggestions] == [1, 2]


def test_members_like_counts_without_naming_anyone():
    seeker = Seeker(HOME, interests=frozenset({"music", "games"}), age_band="65-74")
    members = [("65-74", []), ("75-84", ["music"]), ("50-64", ["games", "music"]), ("18-24", [])]
    # Similar age: 65-74, 75-84, 50-64 (the same band or next); sharing: 2.
    assert members_like(seeker, members) == (3, 2)


# --- reasons -----------------------------------------------------------------------


def test_the_reasons_of_a_group_are_in_plain_english():
    me = replace(
        ME,
        interests=frozenset({"music", "walking"}),
        max_cost_pence=300,
        access_needs=frozenset({"hearing_loop"}),
    )
    choir = group(
        interests=frozenset({"music", "walking", "books"}),
        cost_pence=250,
        access=frozenset({"hearing_loop", "step_free"}),
        audiences=frozenset({"older_people", "carers"}),
        members_sharing_interest=6,
    )
    texts = [r.text for r in suggest(me, [choir], today=TODAY).suggestions[0].reasons]
    assert texts == [
        "It is about things you enjoy: music and singing and walking.",
        "1.0 km from your home: within 2 km.",
        "It meets on Tuesday afternoons, a time you are free.",
        "It costs £2.50, within the £3.00 you can pay.",
        "It meets somewhere with a hearing loop, as you need.",
        "It is for older people and carers.",
        "At least 5 people who go enjoy something you enjoy.",
    ]


# --- explanations -----------------------------------------------------------------


def test_nothing_within_reach_says_so():
    assert explain(ME, [group(location=at(3))], TODAY) == (
        "There are no active groups on the register within 2 km of your home."
    )


def test_nothing_at_a_free_time_names_the_time_filter():
    found = suggest(ME, [group(1, weekday="mon"), group(2, weekday="sun")], today=TODAY)
    assert found.explanation == (
        "There are 2 groups within 2 km of your home, but none meets when you are free."
    )


def test_the_explanation_names_the_filters_passed_before_the_one_that_left_none():
    me = replace(ME, access_needs=frozenset({"step_free"}))
    found = suggest(me, [group(1), group(2, weekday="sun")], today=TODAY)
    assert found.explanation == (
        "There is 1 group within 2 km of your home that meets when you are free, "
        "but none has step-free access."
    )


def test_an_unknown_home_is_explained():
    assert "do not know where you live" in explain(Seeker(None), [group()], TODAY)


# --- properties -------------------------------------------------------------------

SLOTS = vocab.values(vocab.AVAILABILITY)
INTERESTS = vocab.values(vocab.INTERESTS)
NEEDS = [value for value, _ in ACCESS_NEEDS]
AUDIENCES = vocab.values(vocab.AUDIENCES)


def subsets(values, max_size=4):
    return st.frozensets(st.sampled_from(list(values)), max_size=max_size)


def sometimes(strategy, value=None):
    """``value`` four times in five (the common case, so that many groups
    pass every filter), else a value drawn from ``strategy``."""
    return st.tuples(st.sampled_from([1, 1, 1, 1, 0]), strategy).map(
        lambda p: value if p[0] else p[1]
    )


seekers = st.builds(
    Seeker,
    location=sometimes(st.none(), HOME),
    travel_km=st.sampled_from([0.5, 2.0, 3.5]),
    availability=sometimes(st.frozensets(st.sampled_from(SLOTS), min_size=10), frozenset()),
    interests=subsets(INTERESTS),
    age_band=st.one_of(st.none(), st.sampled_from(vocab.values(vocab.AGE_BANDS))),
    access_needs=sometimes(subsets(NEEDS, max_size=2), frozenset()),
    max_cost_pence=st.one_of(st.none(), st.integers(0, 600)),
    audiences=subsets([value for value, _ in CIRCUMSTANCES]),
)

candidates = st.builds(
    GroupCandidate,
    id=st.integers(1, 10_000),
    name=st.sampled_from(["Choir", "Lunch Club", "Walk"]),
    location=st.builds(at, st.floats(0, 3), st.floats(0, 360)).flatmap(
        lambda point: sometimes(st.none(), point)
    ),
    weekday=st.sampled_from(vocab.values(vocab.WEEKDAYS)),
    start_time=st.builds(time, st.integers(7, 21), st.sampled_from([0, 30])),
    status=sometimes(st.sampled_from(["paused", "ended"]), "active"),
    ends_on=sometimes(st.dates(date(2026, 1, 1), date(2026, 6, 1))),
    interests=subsets(INTERESTS),
    audiences=sometimes(subsets(AUDIENCES), frozenset({"everyone"})),
    age_min=sometimes(st.sampled_from([18, 50, 60, 65])),
    age_max=sometimes(st.sampled_from([64, 80, 99])),
    cost_pence=st.sampled_from([0, 0, 150, 300, 500]),
    access=subsets(NEEDS, max_size=4),
    members_similar_age=st.integers(0, 8),
    members_sharing_interest=st.integers(0, 8),
    go_along_volunteers=st.integers(0, 2),
)


def _breaks_nothing(seeker: Seeker, g: GroupCandidate) -> bool:
    """The hard filters, written out again from their definitions."""
    if g.status != "active" or (g.ends_on and g.ends_on < TODAY):
        return False
    if seeker.location is None or g.location is None:
        return False
    if distance_km(*seeker.location, *g.location) > seeker.travel_km:
        return False
    part = "am" if g.start_time < time(12) else "pm" if g.start_time < time(17) else "eve"
    if seeker.availability and f"{g.weekday}_{part}" not in seeker.availability:
        return False
    if seeker.max_cost_pence is not None and g.cost_pence > seeker.max_cost_pence:
        return False
    if not all(need in g.access for need in seeker.access_needs):
        return False
    mine = set(seeker.audiences) | (
        {"older_people"} if seeker.age_band in OLDER_AGE_BANDS else set()
    )
    if g.audiences and "everyone" not in g.audiences and not (g.audiences & mine):
        return False
    if g.age_min is not None or g.age_max is not None:
        years = band_years(seeker.age_band)
        if years is None or (g.age_min is not None and years[0] < g.age_min):
            return False
        if g.age_max is not None and (years[1] is None or years[1] > g.age_max):
            return False
    return True


def _true(reason, seeker: Seeker, g: GroupCandidate, km: float) -> bool:
    text = reason.text
    if reason.code == "interests":
        return bool(seeker.interests & g.interests) and all(
            vocab.labels(vocab.INTERESTS)[i].lower() in text for i in seeker.interests & g.interests
        )
    if reason.code == "distance":
        return km <= seeker.travel_km and (f"{km:.1f} km" in text or "less than 0.1" in text)
    if reason.code == "time":
        return bool(seeker.availability) and slot_of(g.weekday, g.start_time) in seeker.availability
    if reason.code == "cost":
        return g.cost_pence == 0 if text == "It is free." else g.cost_pence <= seeker.max_cost_pence
    if reason.code == "access":
        return bool(seeker.access_needs) and seeker.access_needs <= g.access
    if reason.code == "audience":
        return "everyone" not in g.audiences and bool(g.audiences)
    if reason.code == "age":
        return g.age_min is not None or g.age_max is not None
    if reason.code == "like":
        about_age = "around your age" in text
        return (g.members_similar_age if about_age else g.members_sharing_interest) >= 5
    if reason.code == "buddy":
        return g.go_along_volunteers > 0
    return False


@settings(max_examples=300, deadline=None)
@given(seekers, st.lists(candidates, min_size=1, max_size=12, unique_by=lambda g: g.id))
def test_no_suggestion_breaks_a_hard_filter_and_every_reason_is_true(seeker, groups):
    found = suggest(seeker, groups, today=TODAY)
    by_id = {g.id: g for g in groups}
    for suggestion in found.suggestions:
        g = by_id[suggestion.group_id]
        assert _breaks_nothing(seeker, g)
        km = distance_km(*seeker.location, *g.location)
        assert suggestion.reasons, "every suggestion has at least its distance"
        for reason in suggestion.reasons:
            assert _true(reason, seeker, g, km), reason
    # Every group passing every filter is suggested, and an empty list says why.
    assert {s.group_id for s in found.suggestions} == {
        g.id for g in groups if _breaks_nothing(seeker, g)
    }
    assert (found.explanation is None) == bool(found.suggestions)
    scores = [s.score for s in found.suggestions]
    assert scores == sorted(scores, reverse=True)
