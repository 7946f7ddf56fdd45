"""The demo generator: pure, seeded, believable, and consistent with the register's rules."""

from __future__ import annotations

import ast
import hashlib
import math
import os
import subprocess
import sys
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest

from betterway_map.demo.generator import MAX_PEOPLE, MIN_PEOPLE, generate, sizes
from betterway_map.demo.generator.town import KM_PER_DEGREE_LAT, TOWN_CENTRE
from betterway_map.domain import vocab
from betterway_map.domain.geo.postcodes import is_fictional, normalise_postcode
from betterway_map.domain.schedule.recurrence import Schedule, next_meetings

TODAY = date(2026, 3, 2)
ROOT = Path(__file__).resolve().parents[2]
DEMO_PACKAGE = ROOT / "betterway_map" / "demo" / "generator"


@pytest.fixture(scope="module")
def small():
    return generate(seed=7, people=200, today=TODAY)


@pytest.fixture(scope="module")
def default():
    return generate(seed=42, people=3000, today=TODAY)


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    north = (a[0] - b[0]) * KM_PER_DEGREE_LAT
    east = (a[1] - b[1]) * KM_PER_DEGREE_LAT * math.cos(math.radians(a[0]))
    return math.hypot(north, east)


# --- determinism and size -------------------------------------------------


def test_the_same_seed_gives_the_same_area(small):
    assert generate(seed=7, people=200, today=TODAY) == small


_DIGEST = (
    "import hashlib, datetime; from betterway_map.demo.generator import generate; "
    "area = generate(seed=7, people=200, today=datetime.date(2026, 3, 2)); "
    "print(hashlib.sha256(repr(area).encode()).hexdigest())"
)


def test_the_same_seed_gives_the_same_area_in_any_process(small):
    """Nothing may depend on the order of a set, which changes with PYTHONHASHSEED."""
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(ROOT)}
        output = subprocess.run(  # noqa: S603 (a fixed command: this Python, our own code)
            [sys.executable, "-c", _DIGEST], env=env, capture_output=True, text=True, check=True
        )
        digests.add(output.stdout.strip())
    assert digests == {hashlib.sha256(repr(small).encode()).hexdigest()}


def test_a_different_seed_gives_a_different_area(small):
    other = generate(seed=8, people=200, today=TODAY)
    assert other.people != small.people
    assert other.groups != small.groups


def test_dates_follow_the_day_passed_in(small):
    later = generate(seed=7, people=200, today=date(2027, 3, 2))
    assert later.people[5].registered_on - small.people[5].registered_on == (
        date(2027, 3, 2) - TODAY
    )


@pytest.mark.parametrize("people", [MIN_PEOPLE, 400, 1600])
def test_counts_scale_with_the_number_of_people(people):
    area = generate(seed=3, people=people, today=TODAY)
    counts, expected = area.counts(), sizes(people)
    assert counts["people"] == people
    for kind in ("postcodes", "organisations", "spaces"):
        assert counts[kind] == expected[kind]
    # The groups people go to, and a few run for volunteers.
    assert counts["groups"] == expected["groups"] + expected["volunteering_roles"]
    for kind in ("ties", "measures", "attendances", "consents"):
        assert 0.3 * people < counts[kind] < 6 * people, kind


def test_the_default_size_has_dozens_of_organisations_and_hundreds_of_groups(default):
    counts = default.counts()
    assert (counts["organisations"], counts["spaces"], counts["groups"]) == (40, 200, 305)


@pytest.mark.parametrize("people", [MIN_PEOPLE - 1, MAX_PEOPLE + 1, 0, -5, "many"])
def test_a_size_out_of_range_is_refused(people):
    with pytest.raises(ValueError, match=f"from {MIN_PEOPLE} to {MAX_PEOPLE}"):
        generate(seed=1, people=people, today=TODAY)


def test_the_generator_uses_no_flask_or_database():
    """The generator is pure: it imports the core and itself, nothing else of ours."""
    for path in DEMO_PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                assert node.level == 0, (path.name, node.module)
                names = [node.module or ""]
            for name in names:
                assert not name.startswith(("flask", "sqlalchemy")), (path.name, name)
                if name.startswith("betterway_map"):
                    assert name.startswith(
                        ("betterway_map.domain", "betterway_map.demo.generator")
                    ), (path.name, name)
                assert not name.startswith(
                    ("betterway_map.models", "betterway_map.services", "betterway_map.web")
                ), (path.name, name)


# --- the place ------------------------------------------------------------


def test_postcodes_are_fictional_valid_unique_and_in_the_town(default):
    codes = [p.postcode for p in default.postcodes]
    assert len(set(codes)) == len(codes)
    for point in default.postcodes:
        assert normalise_postcode(point.postcode) == point.postcode
        assert is_fictional(point.postcode)
        assert point.outcode in {f"ZZ{n}" for n in range(1, 10)}
        assert point.postcode.startswith(point.sector) and len(point.sector) == 5
        assert _km((point.lat, point.lon), TOWN_CENTRE) < 6


def test_people_and_spaces_are_at_postcodes_of_the_gazetteer(default):
    points = {p.postcode: (p.lat, p.lon) for p in default.postcodes}
    for person in default.people:
        assert _km((person.lat, person.lon), points[person.postcode]) < 0.5
        assert person.postcode.startswith(person.outcode)
    for space in default.spaces:
        assert (space.lat, space.lon) == points[space.postcode]


def test_every_schedule_is_valid_and_active_groups_meet_again(default):
    for group in default.groups:
        schedule = Schedule(
            group.frequency,
            group.weekday,
            group.start_time,
            group.end_time,
            group.starts_on,
            nth=group.nth,
            ends_on=group.ends_on,
        )
        if group.status == "active" and group.ends_on is None:
            assert next_meetings(schedule, datetime.combine(TODAY, group.start_time))


def _vocabulary_checks(area):
    v = vocab.values
    yield from ((o.sector, v(vocab.SECTORS)) for o in area.organisations)
    for group in area.groups:
        yield group.status, v(vocab.GROUP_STATUSES)
        yield group.frequency, v(vocab.RECURRENCE_FREQUENCIES)
        yield from ((i, v(vocab.INTERESTS)) for i in group.interests)
        yield from ((a, v(vocab.AUDIENCES)) for a in group.audiences)
    for person in area.people:
        yield person.age_band, v(vocab.AGE_BANDS)
        yield person.marital_status, v(vocab.MARITAL_STATUSES)
        yield person.general_health, v(vocab.GENERAL_HEALTH)
        yield from ((i, v(vocab.INTERESTS)) for i in person.interests)
        yield from ((lang, v(vocab.LANGUAGES)) for lang in person.languages)
        yield from ((slot, v(vocab.AVAILABILITY)) for slot in person.availability)
    yield from ((p.kind, v(vocab.PARTNERSHIP_KINDS)) for p in area.partnerships)
    for tie in area.ties:
        yield tie.kind, v(vocab.TIE_KINDS)
        yield tie.contact_frequency, v(vocab.CONTACT_FREQUENCIES)
    for consent in area.consents:
        yield consent.purpose, v(vocab.CONSENT_PURPOSES)
        yield consent.method, v(vocab.CONSENT_METHODS)
    for volunteer in area.volunteers:
        yield volunteer.dbs_status, v(vocab.DBS_STATUSES)
        yield from ((e, v(vocab.LIVED_EXPERIENCE)) for e in volunteer.lived_experience)
    for listing in area.listings:
        yield listing.kind, v(vocab.HELP_KINDS)
        yield listing.status, v(vocab.LISTING_STATUSES)
        yield listing.direction, ("offer", "request")
    yield from ((a.status, ("member", "interested", "left")) for a in area.attendances)


def test_every_value_comes_from_its_vocabulary(default):
    wrong = [(value, allowed) for value, allowed in _vocabulary_checks(default) if value not in allowed]  # fmt: skip
    assert wrong == []


def test_no_record_is_dated_after_today_except_the_end_of_a_course(default):
    dates = [p.registered_on for p in default.people]
    dates += [c.given_on for c in default.consents] + [m.measured_on for m in default.measures]
    dates += [t.last_contact_on for t in default.ties if t.last_contact_on]
    dates += [a.since for a in default.attendances]
    dates += [a.last_attended_on for a in default.attendances if a.last_attended_on]
    dates += [v.dbs_checked_on for v in default.volunteers if v.dbs_checked_on]
    dates += [g.starts_on for g in default.groups]
    dates += [g.details_checked_on for g in default.groups if g.details_checked_on]
    dates += [p.started_on for p in default.partnerships]
    dates += [a.assigned_on for a in default.assignments]
    assert max(dates) <= TODAY
    assert all(g.ends_on <= TODAY for g in default.groups if g.status == "ended")


# --- organisations, spaces, groups ------------------------------------------------


def test_sectors_are_mostly_voluntary_and_faith_with_some_of_each_other(default):
    sectors = Counter(o.sector for o in default.organisations)
    assert set(sectors) == set(vocab.values(vocab.SECTORS))
    assert (sectors["voluntary"] + sectors["faith"]) / len(default.organisations) > 0.6


def test_names_read_like_real_listings_and_are_unique(default):
    for kind in ("organisations", "spaces", "groups"):
        names = [item.name for item in getattr(default, kind)]
        assert len(set(names)) == len(names), kind
    assert any(" at " in g.name for g in default.groups)
    assert all(g.description and g.name for g in default.groups)


def test_most_groups_are_free_or_cost_one_to_five_pounds(default):
    costs = [g.cost_pence for g in default.groups]
    free = sum(c == 0 for c in costs) / len(costs)
    modest = sum(100 <= c <= 500 for c in costs) / len(costs)
    assert 0.35 < free < 0.75
    assert free + modest > 0.9
    assert all(c % 50 == 0 for c in costs)


def test_some_groups_are_paused_or_ended(default):
    statuses = Counter(g.status for g in default.groups)
    assert statuses["active"] / len(default.groups) > 0.75
    assert statuses["paused"] > 0 and statuses["ended"] > 0


@pytest.mark.parametrize("feature", ["step_free", "accessible_toilet", "hearing_loop"])
def test_accessibility_is_often_but_not_always_there(default, feature):
    share = sum(getattr(s, feature) for s in default.spaces) / len(default.spaces)
    assert 0.3 < share < 0.95


def test_partnerships_link_two_different_organisations_once_per_kind(default):
    keys = [(p.organisation, p.partner, p.kind) for p in default.partnerships]
    assert len(set(keys)) == len(keys)
    assert all(p.organisation != p.partner for p in default.partnerships)
    assert {p.kind for p in default.partnerships} == set(vocab.values(vocab.PARTNERSHIP_KINDS))


def test_a_group_at_another_organisations_space_comes_with_a_shared_space_partnership(default):
    shared = {(p.organisation, p.partner) for p in default.partnerships if p.kind == "shared_space"}
    for group in default.groups:
        if group.space is not None:
            host = default.spaces[group.space].organisation
            assert host == group.organisation or (group.organisation, host) in shared


def test_partnerships_are_confirmed_by_the_partner_but_two_that_wait(default):
    """The demo shows partnerships waiting for confirmation on the demo org
    admin's pages: one of theirs waits for the other side, and another
    organisation's waits for them; the rest are confirmed (public)."""
    administered = {i for i, o in enumerate(default.organisations) if o.admin == "org_admin"}
    pending = [p for p in default.partnerships if p.confirmed_on is None]
    assert [(p.organisation in administered, p.partner in administered) for p in pending] == [
        (True, False),
        (False, True),
    ]
    assert all(p.confirmed_by is None for p in pending)
    for p in default.partnerships:
        if p.confirmed_on is not None:
            assert p.confirmed_by == default.organisations[p.partner].admin
