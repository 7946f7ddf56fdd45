"""The demo's matching: offers, requests and matches that keep the matcher's rules.

Every match that holds a place (proposed, agreed, active) is checked with the
matcher's own hard constraints (``domain.matching.constraints.failures``),
reading the generated records as the matcher reads the database.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import User
from betterway_map.demo.generator import generate
from betterway_map.demo.generator.matching import DBS_WARNING_DAYS, _need, _offer, dbs_expiry
from betterway_map.domain import vocab
from betterway_map.domain.matching.constraints import failures
from betterway_map.domain.matching.model import FIRST_REVIEW_DAYS, REQUIRED_DBS, Offer
from betterway_map.extensions import db
from betterway_map.matching.models import Match, MatchEvent, SupportRequest, VolunteerOffer
from betterway_map.people.models import Assignment, Consent, Person
from tests.factories.days import demo_day

TODAY = date(2026, 3, 2)
HOLDING = ("proposed", "agreed", "active")  # matches that take a place
STEPS = {
    "proposed",
    "volunteer_accepted",
    "volunteer_declined",
    "person_accepted",
    "person_declined",
    "approved",
    "reviewed",
    "end_requested",
    "ended",
    "superseded",
}


@pytest.fixture(scope="module")
def small():
    return generate(seed=7, people=200, today=TODAY)


@pytest.fixture(scope="module")
def default():
    return generate(seed=42, people=3000, today=TODAY)


# --- reading the records as the matcher reads the database ---------------------


def _offers(area) -> dict[int, Offer]:
    profiles = {v.person: v for v in area.volunteers}
    return {o.person: _offer(area, o, profiles[o.person]) for o in area.offers}


def _room(area) -> dict[int, int]:
    profiles = {v.person: v for v in area.volunteers}
    held = Counter(m.volunteer for m in area.matches if m.status in HOLDING)
    return {o.person: profiles[o.person].capacity - held[o.person] for o in area.offers}


def _fitting(area, index: int, offers: dict[int, Offer], room=None) -> list[int]:
    need = _need(area, index)
    return [
        person
        for person, offer in offers.items()
        if (room is None or room[person] > 0)
        and need.kind in offer.kinds
        and not failures(need, offer, area.today)
    ]


def _login_person(area, key: str) -> int:
    return next(i for i, p in enumerate(area.people) if p.account == key)


# --- determinism ---------------------------------------------------------------


def test_the_same_seed_gives_the_same_offers_requests_and_matches(small):
    again = generate(seed=7, people=200, today=TODAY)
    for kind in ("offers", "support_requests", "matches", "match_events", "volunteers"):
        assert getattr(again, kind) == getattr(small, kind), kind


def test_a_different_seed_gives_different_matches(small):
    other = generate(seed=8, people=200, today=TODAY)
    assert other.support_requests != small.support_requests


@pytest.mark.parametrize("people", [50, 200, 1600])
def test_every_size_generates_matching_that_keeps_the_rules(people):
    area = generate(seed=3, people=people, today=TODAY)
    assert area.offers and area.support_requests and area.matches
    offers = _offers(area)
    for match in area.matches:
        if match.status in HOLDING:
            assert failures(_need(area, match.request), offers[match.volunteer], TODAY) == ()
    assert min(_room(area).values()) >= 0


# --- believable proportions ----------------------------------------------------


def test_more_requests_for_visits_than_volunteers_who_visit(default):
    visits = [r for r in default.support_requests if r.kind == "befriending_visit"]
    visitors = [o for o in default.offers if "befriending_visit" in o.kinds]
    assert len(visits) > len(visitors) >= 10
    assert len(default.support_requests) > 0.8 * len(default.offers)


def test_over_75s_living_alone_mostly_ask_for_phone_befriending(default):
    kinds = Counter(
        r.kind
        for r in default.support_requests
        if default.people[r.person].age_band in ("75-84", "85+")
        and default.people[r.person].lives_alone
    )
    assert kinds.most_common(1)[0][0] == "befriending_phone"


def test_polish_and_gujarati_speakers_offer_and_ask(default):
    for language in ("pl", "gu"):
        assert sum(language in o.languages for o in default.offers) >= 2, language
        assert sum(language in r.languages for r in default.support_requests) >= 2, language


def test_some_volunteers_are_phone_only_and_some_visit(default):
    phone_only = [o for o in default.offers if o.kinds == ["befriending_phone"]]
    assert 0.2 < len(phone_only) / len(default.offers) < 0.7
    assert any("befriending_visit" in o.kinds for o in default.offers)


def test_capacity_travel_and_availability_are_believable(default):
    profiles = {v.person: v for v in default.volunteers}
    for offer in default.offers:
        assert 1 <= profiles[offer.person].capacity <= 3
        assert 2 <= offer.travel_km <= 8
        assert offer.availability
    assert len({o.travel_km for o in default.offers}) > 5


def test_a_few_volunteers_have_no_current_dbs_check_or_one_expiring_soon(default):
    profiles = {v.person: v for v in default.volunteers}
    offering = [profiles[o.person] for o in default.offers]
    without = [v for v in offering if v.dbs_status in ("none", "applied", "expired")]
    soon = [
        v
        for v in offering
        if v.dbs_status in ("basic", "enhanced")
        and TODAY <= dbs_expiry(v) <= TODAY + timedelta(days=DBS_WARNING_DAYS)
    ]
    assert 5 <= len(without) < len(offering) / 2
    assert len(soon) >= 2
    # The demo worker is warned of them.
    caseload = {a.person for a in default.assignments if a.worker == "worker"}
    assert {v.person for v in soon} <= caseload
    checked = [v for v in default.volunteers if v.dbs_checked_on is not None]
    assert sum(v.dbs_expires_on is not None for v in checked) > 0.7 * len(checked)
    for volunteer in checked:
        assert dbs_expiry(volunteer) > volunteer.dbs_checked_on


def test_one_or_two_volunteers_have_a_safeguarding_restriction_with_a_note(default):
    restricted = [o for o in default.offers if o.restricted_kinds or o.excluded_persons]
    assert 1 <= len(restricted) <= 2
    workers = {a.key for a in default.accounts if a.role == "worker"}
    for offer in restricted:
        assert offer.restriction_notes
        assert offer.restrictions_recorded_by in workers


def test_some_people_have_waited_months(default):
    waiting = [(TODAY - r.opened_on).days for r in default.support_requests if r.status == "open"]
    assert sum(days > 90 for days in waiting) >= 5
    assert sum(days < 30 for days in waiting) >= 5


def test_statuses_cover_the_journey(default):
    statuses = Counter(m.status for m in default.matches)
    assert statuses["active"] >= 10
    assert statuses["ended"] >= 3
    assert statuses["agreed"] == 2
    assert statuses["proposed"] >= 2
    assert statuses["declined"] >= 1
    endings = {(m.end_kind, m.ended_well) for m in default.matches if m.status == "ended"}
    assert {kind for kind, _ in endings} == {"planned", "unplanned"}
    assert {well for _, well in endings} == {True, False}
    assert all(m.end_reason for m in default.matches if m.status == "ended")


def test_every_value_comes_from_its_vocabulary(default):
    v = vocab.values
    for offer in default.offers:
        assert set(offer.kinds) <= set(v(vocab.HELP_KINDS))
        assert set(offer.availability) <= set(v(vocab.AVAILABILITY))
        assert set(offer.languages) <= set(v(vocab.LANGUAGES))
        assert set(offer.restricted_kinds) <= set(v(vocab.HELP_KINDS))
        assert offer.gender in (None, *v(vocab.VOLUNTEER_GENDERS))
    for request in default.support_requests:
        assert request.kind in v(vocab.HELP_KINDS)
        assert request.frequency in v(vocab.SUPPORT_FREQUENCIES)
        assert request.status in v(vocab.REQUEST_STATUSES)
        assert set(request.availability) <= set(v(vocab.AVAILABILITY))
        assert set(request.lived_experience) <= set(v(vocab.LIVED_EXPERIENCE))
        assert request.volunteer_gender in (None, *v(vocab.VOLUNTEER_GENDERS))
    for match in default.matches:
        assert match.status in v(vocab.MATCH_STATUSES)
        assert match.end_kind in (None, *v(vocab.MATCH_ENDINGS))
    assert {e.step for e in default.match_events} <= STEPS


# --- the rules -----------------------------------------------------------------


@pytest.mark.parametrize("area", ["small", "default"])
def test_no_match_that_holds_a_place_breaks_a_hard_constraint(area, request):
    area = request.getfixturevalue(area)
    offers = _offers(area)
    held = [m for m in area.matches if m.status in HOLDING]
    assert held
    broken = [
        (
            m.status,
            m.request,
            m.volunteer,
            failures(_need(area, m.request), offers[m.volunteer], TODAY),
        )  # fmt: skip
        for m in held
    ]
    assert [b for b in broken if b[3]] == []


@pytest.mark.parametrize("area", ["small", "default"])
def test_no_volunteer_holds_more_people_than_their_capacity(area, request):
    area = request.getfixturevalue(area)
    assert min(_room(area).values()) >= 0
    # A request holds at most one volunteer at a time.
    holding = Counter(m.request for m in area.matches if m.status in HOLDING)
    assert max(holding.values()) == 1


def test_request_statuses_follow_their_matches(default):
    by_request: dict[int, list] = {}
    for match in default.matches:
        by_request.setdefault(match.request, []).append(match)
    for index, request in enumerate(default.support_requests):
        statuses = {m.status for m in by_request.get(index, [])}
        assert (request.status == "matched") == ("active" in statuses), index
        if request.status == "closed":
            assert statuses == {"ended"}


def test_matches_join_people_on_the_caseload_of_the_worker_who_approves(default):
    assigned = {(a.person, a.worker) for a in default.assignments}
    assert len(assigned) == len(default.assignments)  # one row per person and worker
    workers = {a.key for a in default.accounts if a.role == "worker"}
    for match in default.matches:
        person = default.support_requests[match.request].person
        proposer = next(
            e.actor
            for e in default.match_events
            if default.matches[e.match] is match and e.step == "proposed"
        )
        assert proposer in workers
        assert (person, proposer) in assigned
        assert (match.volunteer, proposer) in assigned
        if match.approved_by:
            assert match.approved_by == proposer


def test_everyone_with_a_request_consented_to_matching_before_it(default):
    given = {(c.person, c.purpose): c for c in default.consents}
    workers = {a.key for a in default.accounts if a.role == "worker"}
    for request in default.support_requests:
        consent = given[(request.person, "matching")]
        assert consent.given_on <= request.first_opened_on <= request.opened_on
        person = default.people[request.person]
        if request.created_by in workers and not person.registered_by:
            assert consent.recorded_by in (request.created_by, None)


# --- histories -------------------------------------------------------------------


def _events(area) -> dict[int, list]:
    events: dict[int, list] = {}
    for event in area.match_events:
        events.setdefault(event.match, []).append(event)
    return events


@pytest.mark.parametrize("area", ["small", "default"])
def test_histories_are_in_order_and_agree_with_the_match(area, request):
    area = request.getfixturevalue(area)
    events = _events(area)
    for number, match in enumerate(area.matches):
        history = events[number]
        times = [e.at for e in history]
        assert times == sorted(times) and len(set(times)) == len(times), number
        assert history[0].step == "proposed"
        assert history[0].at.date() == match.proposed_on
        assert all(e.at.date() <= TODAY for e in history)
        steps = [e.step for e in history]
        opened = area.support_requests[match.request].first_opened_on
        assert opened <= match.proposed_on
        if match.status == "proposed":
            assert steps == ["proposed"] and match.volunteer_response is None
        elif match.status == "agreed":
            assert steps == ["proposed", "volunteer_accepted", "person_accepted"]
        elif match.status == "declined":
            assert steps[-1] in ("volunteer_declined", "person_declined")
            assert match.volunteer_reason or match.person_reason
        else:
            assert steps[1:4] == ["volunteer_accepted", "person_accepted", "approved"]
            assert match.approved_by and match.started_on
            assert history[3].at.date() == match.started_on
            reviews = [e.at.date() for e in history if e.step == "reviewed"]
            if reviews:
                assert reviews[0] >= match.started_on + timedelta(days=FIRST_REVIEW_DAYS)
        if match.status == "active":
            assert "ended" not in steps
            assert match.next_review_on > max(
                [match.started_on] + [e.at.date() for e in history if e.step == "reviewed"]
            )
        if match.status == "ended":
            assert steps[-1] == "ended"
            assert match.started_on < match.ended_on <= TODAY
            assert history[-1].at.date() == match.ended_on


def test_some_active_matches_have_had_reviews_and_some_are_due(default):
    active = [m for m in default.matches if m.status == "active"]
    events = _events(default)
    reviewed = [
        m for m in active if any(e.step == "reviewed" for e in events[default.matches.index(m)])
    ]
    assert reviewed
    assert any(m.next_review_on <= TODAY for m in active)
    assert any(m.next_review_on > TODAY for m in active)
    started = sorted((TODAY - m.started_on).days for m in active)
    assert started[0] < 60 and started[-1] > 180


def test_a_former_volunteer_who_ended_well_fits_the_reopened_request(default):
    offers, room = _offers(default), _room(default)
    found = []
    for match in default.matches:
        request = default.support_requests[match.request]
        if match.status == "ended" and match.ended_well and request.status == "open":
            assert request.opened_on > match.ended_on
            if match.volunteer in _fitting(default, match.request, offers, room):
                found.append(match)
    assert found
    # The demo worker's run shows it: the person is on their caseload.
    caseload = {a.person for a in default.assignments if a.worker == "worker"}
    assert any(default.support_requests[m.request].person in caseload for m in found)


def test_a_person_who_did_not_get_on_with_a_volunteer_excludes_them(default):
    excluded = [r for r in default.support_requests if r.excluded_volunteers]
    assert excluded
    for request in excluded:
        index = default.support_requests.index(request)
        assert any(
            m.request == index and m.volunteer in request.excluded_volunteers and not m.ended_well
            for m in default.matches
        )


# --- what a worker and the two residents see ---------------------------------------


def test_the_demo_worker_can_run_matching_at_once_and_get_proposals(default):
    caseload = {a.person for a in default.assignments if a.worker == "worker"}
    offers, room = _offers(default), _room(default)
    holding = {m.request for m in default.matches if m.status in HOLDING}
    ready = [
        index
        for index, r in enumerate(default.support_requests)
        if r.status == "open"
        and r.person in caseload
        and index not in holding
        and _fitting(default, index, offers, room)
    ]
    assert len(ready) >= 5


def test_some_requests_no_volunteer_can_meet(default):
    offers = _offers(default)
    unmet = [
        index
        for index, r in enumerate(default.support_requests)
        if r.status == "open" and not _fitting(default, index, offers)
    ]
    assert len(unmet) >= 3
    gujarati_visits = [
        i
        for i in unmet
        if default.support_requests[i].languages == ["gu"]
        and default.support_requests[i].kind == "befriending_visit"
    ]
    assert gujarati_visits
    # No Gujarati speaker has the check visits need.
    assert not any(
        "gu" in o.languages
        and "befriending_visit" in o.kinds
        and o.dbs_level == REQUIRED_DBS["befriending_visit"]
        for o in offers.values()
    )


@pytest.mark.parametrize("area", ["small", "default"])
def test_the_volunteer_resident_is_proposed_to_the_resident_who_asked(area, request):
    area = request.getfixturevalue(area)
    resident, requester = _login_person(area, "resident"), _login_person(area, "requester")
    (match,) = [m for m in area.matches if m.volunteer == resident and m.status == "proposed"]
    asked = area.support_requests[match.request]
    assert (match.status, asked.person, asked.created_by) == ("proposed", requester, "requester")
    assert asked.kind == "befriending_visit" and asked.status == "open"
    assert {("resident", "resident"), ("requester", "resident")} <= {
        (a.key, a.role) for a in area.accounts if a.demo_login
    }
    assert area.people[requester].first_name == "Halina"
    assert any("km apart" in reason for reason in match.reasons)
    caseload = {a.person for a in area.assignments if a.worker == "worker"}
    assert {resident, requester} <= caseload


def test_reasons_are_true_of_the_pair(default):
    offers = _offers(default)
    for match in default.matches:
        need, offer = _need(default, match.request), offers[match.volunteer]
        for reason in match.reasons:
            if reason.endswith("km apart"):
                assert float(reason.split()[0]) == pytest.approx(match.distance_km, abs=0.051)
            if reason.startswith("both speak "):
                assert need.languages & offer.languages - {"en"}
            if reason.startswith("both free on "):
                assert need.availability & offer.availability
            if reason.startswith("the volunteer has lived experience"):
                assert need.lived_experience & offer.lived_experience


# --- loading -------------------------------------------------------------------------


def test_the_demo_loads_offers_requests_and_matches_into_the_database(app, runner):
    result = runner.invoke(args=["demo", "--people", "200", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "requester@demo.betterway.example" in result.output
    area = generate(seed=5, people=200, today=demo_day(app))
    with app.app_context():
        count = lambda model: db.session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert count(VolunteerOffer) == len(area.offers)
        assert count(SupportRequest) == len(area.support_requests)
        assert count(Match) == len(area.matches)
        assert count(MatchEvent) == len(area.match_events)

        def person_of(email: str) -> Person:
            user = db.session.scalar(select(User).where(User.email == email))
            return db.session.scalar(select(Person).where(Person.user_id == user.id))

        volunteer = person_of("resident@demo.betterway.example")
        halina = person_of("requester@demo.betterway.example")
        match = db.session.scalar(
            select(Match).where(Match.volunteer_id == volunteer.id, Match.status == "proposed")
        )
        assert match.request.person_id == halina.id
        assert [e.step for e in match.events] == ["proposed"]
        worker = db.session.scalar(select(User).where(User.email.like("worker@%")))
        for person in (volunteer, halina):
            assert db.session.get(Assignment, (person.id, worker.id)) is not None
        consent = db.session.scalar(
            select(Consent).where(Consent.person_id == halina.id, Consent.purpose == "matching")
        )
        assert consent is not None
        for active in db.session.scalars(select(Match).where(Match.status == "active")):
            assert active.approved_at and active.approved_by_id and active.started_on
            assert active.request.status == "matched"
        people = set(db.session.scalars(select(Person.id)))
        for offer in db.session.scalars(select(VolunteerOffer)):
            assert set(offer.excluded_person_ids) <= people
        for request in db.session.scalars(select(SupportRequest)):
            assert set(request.excluded_volunteer_ids) <= people
