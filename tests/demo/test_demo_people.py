"""The demo's people: believable shares, consent, caseloads, ties and loneliness."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from betterway_map.demo.generator import generate
from betterway_map.demo.generator.activity import LAPSED_AFTER_DAYS
from betterway_map.demo.generator.loneliness import calibrate_intercept, systematic_sample
from betterway_map.domain.measures.loneliness import score

TODAY = date(2026, 3, 2)
OLDER = ("65-74", "75-84", "85+")


@pytest.fixture(scope="module")
def default():
    return generate(seed=42, people=3000, today=TODAY)


def _share(items, keep) -> float:
    items = list(items)
    return sum(1 for item in items if keep(item)) / len(items)


def _latest_direct(area) -> dict[int, str]:
    latest = {}
    for m in area.measures:
        if m.person not in latest or m.measured_on > latest[m.person].measured_on:
            latest[m.person] = m
    return {person: m.direct for person, m in latest.items() if m.direct}


def _lonely_share(area, keep=lambda person: True) -> float:
    answers = [a for p, a in _latest_direct(area).items() if keep(area.people[p])]
    return sum(a == "often_always" for a in answers) / len(answers)


# --- who they are ---------------------------------------------------------


def test_ages_are_skewed_towards_older_residents(default):
    assert _share(default.people, lambda p: p.age_band in OLDER) > 0.6
    assert _share(default.people, lambda p: p.age_band == "18-24") < 0.06


def test_living_alone_is_commoner_among_the_widowed(default):
    widowed = [p for p in default.people if p.marital_status == "widowed"]
    married = [p for p in default.people if p.marital_status == "married"]
    assert _share(widowed, lambda p: p.lives_alone) > 0.7
    assert _share(married, lambda p: p.lives_alone) < 0.1


def test_health_is_worse_in_older_age(default):
    def poor(people):
        return _share(people, lambda p: p.general_health in ("bad", "very_bad"))

    oldest = [p for p in default.people if p.age_band == "85+"]
    youngest = [p for p in default.people if p.age_band in ("18-24", "25-34")]
    assert poor(oldest) > 2 * poor(youngest)


def test_most_speak_english_and_some_speak_other_languages(default):
    assert _share(default.people, lambda p: "en" in p.languages) > 0.85
    others = Counter(lang for p in default.people for lang in p.languages if lang != "en")
    assert len(others) >= 5
    assert all(p.languages for p in default.people)


def test_demo_contact_details_are_fictional(default):
    for person in default.people:
        assert person.phone is None or person.phone.startswith(("01632 960", "07700 900"))
        assert person.email is None or person.email.endswith("@example.com")


# --- registration, consent and caseloads ----------------------------------


def test_every_person_registered_by_a_worker_has_consent_recorded_by_that_worker(default):
    consents = {}
    for consent in default.consents:
        consents.setdefault(consent.person, []).append(consent)
    registered = [(i, p) for i, p in enumerate(default.people) if p.registered_by]
    assert registered
    for index, person in registered:
        given = consents[index]
        assert "register" in {c.purpose for c in given}
        assert {c.recorded_by for c in given} == {person.registered_by}
        assert {c.method for c in given} <= {"verbal", "written"}


def test_everyone_has_consent_to_be_on_the_register(default):
    with_register = {c.person for c in default.consents if c.purpose == "register"}
    assert with_register == set(range(len(default.people)))


def test_measures_and_requests_have_the_consent_they_need(default):
    purposes = {(c.person, c.purpose) for c in default.consents}
    assert all((m.person, "measures") in purposes for m in default.measures)
    requests = [item for item in default.listings if item.direction == "request"]
    assert all((r.person, "matching") in purposes for r in requests)


def test_a_person_registered_by_a_worker_is_on_that_workers_caseload(default):
    assigned = {(a.person, a.worker) for a in default.assignments}
    for index, person in enumerate(default.people):
        if person.registered_by:
            assert (index, person.registered_by) in assigned


def test_workers_record_only_for_people_assigned_to_them(default):
    workers = {a.key for a in default.accounts if a.role == "worker"}
    assigned = {(a.person, a.worker) for a in default.assignments}
    for kind in ("measures", "ties", "attendances"):
        for record in getattr(default, kind):
            if record.recorded_by in workers:
                assert (record.person, record.recorded_by) in assigned, kind


def test_there_are_several_workers_each_with_a_caseload(default):
    caseloads = Counter(a.worker for a in default.assignments)
    workers = [a.key for a in default.accounts if a.role == "worker"]
    assert len(workers) >= 4
    assert set(caseloads) == set(workers)
    accounts = [person.account for person in default.people]
    assert accounts[0] == "resident"
    logins = {a.key for a in default.accounts if a.can_sign_in}
    # The only logins people have are the demo residents'; the others' own
    # accounts (they are online) are for no one to sign in to.
    assert sorted(a for a in accounts if a in logins) == ["requester", "resident"]


# --- ties, attendance, volunteering, help ---------------------------------


def test_some_people_have_no_ties_and_some_only_professional_ones(default):
    kinds: dict[int, set[str]] = {}
    for tie in default.ties:
        kinds.setdefault(tie.person, set()).add(tie.kind)
    none = len(default.people) - len(kinds)
    only_professional = sum(k == {"professional"} for k in kinds.values())
    assert 0.02 < none / len(default.people) < 0.15
    assert only_professional > 0.01 * len(default.people)


_WITHIN = {"daily": 3, "weekly": 10, "monthly": 40, "less": 250}


def test_last_contact_agrees_with_how_often_they_are_in_touch(default):
    for tie in default.ties:
        if tie.contact_frequency in _WITHIN:
            assert (TODAY - tie.last_contact_on).days <= _WITHIN[tie.contact_frequency]
        if tie.other_person is not None:
            assert tie.other_person != tie.person


def test_some_members_have_not_been_for_over_ninety_days(default):
    members = [a for a in default.attendances if a.status == "member" and a.last_attended_on]
    lapsed = _share(members, lambda a: (TODAY - a.last_attended_on).days > LAPSED_AFTER_DAYS)
    assert 0.05 < lapsed < 0.4
    assert all(a.since <= (a.last_attended_on or TODAY) for a in default.attendances)


def test_between_five_and_eight_percent_volunteer_with_dbs_status_and_capacity(default):
    assert 0.05 <= len(default.volunteers) / len(default.people) <= 0.08
    workers = {a.key for a in default.accounts if a.role == "worker"}
    for volunteer in default.volunteers:
        assert 1 <= volunteer.capacity <= 3
        assert volunteer.dbs_recorded_by is None or volunteer.dbs_recorded_by in workers
        assert (volunteer.dbs_checked_on is None) == (volunteer.dbs_status in ("none", "applied"))
    assert len({v.dbs_status for v in default.volunteers}) == 5


def test_offers_come_mostly_from_volunteers_and_requests_are_open(default):
    volunteers = {v.person for v in default.volunteers}
    offers = [item for item in default.listings if item.direction == "offer"]
    requests = [item for item in default.listings if item.direction == "request"]
    assert _share(offers, lambda o: o.person in volunteers) > 0.6
    assert _share(requests, lambda r: r.status == "open") > 0.5


# --- loneliness -------------------------------------------------------------


def test_every_measure_is_a_valid_ons_measure(default):
    for m in default.measures:
        score(m.ucla_companionship, m.ucla_left_out, m.ucla_isolated, m.direct)


def test_a_good_share_of_people_have_measures(default):
    assert 0.3 < len(_latest_direct(default)) / len(default.people) < 0.8


@pytest.mark.parametrize("seed", [42, 1, 2024])
def test_five_to_seven_percent_of_adults_are_lonely_often_or_always(seed):
    area = generate(seed=seed, people=3000, today=TODAY)
    assert 0.05 <= _lonely_share(area) <= 0.07


@pytest.mark.parametrize(
    "group",
    [
        lambda p: p.marital_status == "widowed",
        lambda p: p.lives_alone,
        lambda p: p.general_health in ("bad", "very_bad"),
    ],
    ids=["widowed", "living alone", "poor health"],
)
def test_loneliness_is_commoner_among_the_widowed_alone_and_unwell(default, group):
    assert _lonely_share(default, group) > 1.5 * _lonely_share(default)
    assert _lonely_share(default, group) > _lonely_share(default, lambda p: not group(p))


def test_ucla_scores_are_higher_for_those_lonely_often():
    area = generate(seed=5, people=2000, today=TODAY)
    totals: dict[str, list[int]] = {}
    for m in area.measures:
        if m.direct and m.ucla_total:
            totals.setdefault(m.direct, []).append(m.ucla_total)

    def mean(values):
        return sum(values) / len(values)

    assert mean(totals["often_always"]) > mean(totals["never"]) + 2


def test_calibration_solves_for_the_target_mean():
    logits = [0.0, 1.0, 2.0, -1.0]
    intercept = calibrate_intercept(logits, 0.1)
    mean = sum(1 / (1 + pow(2.718281828459045, -(intercept + x))) for x in logits) / 4
    assert mean == pytest.approx(0.1, abs=1e-6)


def test_systematic_sampling_draws_within_one_of_the_expected_number():
    rng = random.Random(3)
    chances = [rng.uniform(0, 0.2) for _ in range(500)]
    for seed in range(20):
        drawn = systematic_sample(random.Random(seed), chances)
        assert abs(len(drawn) - sum(chances)) <= 1


# --- the demo logins' own records -------------------------------------------


def test_there_is_one_demo_login_per_role_and_a_second_resident(default):
    logins = {a.key: (a.role, a.email) for a in default.accounts if a.demo_login}
    roles = {"resident", "org_admin", "worker", "council", "site_admin"}
    assert set(logins) == roles | {"requester"}
    assert {role for role, _ in logins.values()} == roles
    assert logins["worker"] == ("worker", "worker@demo.betterway.example")
    assert logins["requester"] == ("resident", "requester@demo.betterway.example")


def test_the_demo_resident_has_a_profile_goes_to_groups_and_offers_help(default):
    (resident,) = [i for i, p in enumerate(default.people) if p.account == "resident"]
    groups = [a for a in default.attendances if a.person == resident]
    assert len(groups) >= 2
    assert all(default.groups[a.group].status == "active" for a in groups)
    offers = [x for x in default.listings if x.person == resident and x.direction == "offer"]
    assert offers and offers[0].status == "open"


def test_the_demo_org_admin_runs_organisations_with_spaces_and_groups(default):
    mine = {i for i, o in enumerate(default.organisations) if o.admin == "org_admin"}
    assert len(mine) >= 2
    for index in mine:
        assert any(s.organisation == index for s in default.spaces)
        assert any(g.organisation == index for g in default.groups)


@pytest.mark.parametrize("people", [50, 200, 3000])
def test_the_demo_worker_has_isolated_people_with_measures_and_ties(people):
    area = generate(seed=42, people=people, today=TODAY)
    caseload = {a.person for a in area.assignments if a.worker == "worker"}
    personal = {t.person for t in area.ties if t.kind != "professional"}
    measured = {m.person for m in area.measures}
    with_ties = {t.person for t in area.ties}
    assert (caseload - personal) & measured
    assert caseload & with_ties
