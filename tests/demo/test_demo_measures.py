"""Demo measures (``generator.measures``): rhythms, contacts, feedback and
loneliness before and after, believable and within the rules, and the
dashboards have something to show on the loaded demo."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.accounts.services import password_reset, sessions
from betterway_map.demo import load as demo_service
from betterway_map.demo.generator import generate
from betterway_map.demo.generator.measures import DEMO_WORKER_LAPSED, QUALITY_MARKS, may_measure
from betterway_map.demo.generator.online import PEOPLE_EMAIL_DOMAIN
from betterway_map.demo.generator.people import OLDER_BANDS
from betterway_map.domain import vocab
from betterway_map.domain.measures.djg import DJG_ITEMS, score_djg
from betterway_map.domain.measures.equity import ALL
from betterway_map.extensions import db
from betterway_map.measures.models import Contact, Feedback, Rhythm
from betterway_map.measures.services import continuity_warnings, figures
from betterway_map.people.models import LonelinessMeasure, Person
from betterway_map.register.models import OrganisationAdmin
from tests.factories.accounts import clear_outbox, messages_to

TODAY = date(2026, 3, 2)
DJG_NAMES = [name for name, _, _ in DJG_ITEMS]


@pytest.fixture(scope="module")
def area():
    return generate(seed=42, people=3000, today=TODAY)


def _made(area):
    return (area.rhythms, area.contacts, area.feedback, area.relationship_measures)


def test_the_same_seed_gives_the_same_measures():
    first, second = (generate(seed=7, people=300, today=TODAY) for _ in range(2))
    assert _made(first) == _made(second)
    assert _made(first) != _made(generate(seed=8, people=300, today=TODAY))


def test_measures_change_nothing_made_before_them(area):
    # Everything before the step is what the generator made without it: a
    # stream of its own, and only its own lists are filled.
    assert area.counts()["matches"] > 0
    assert all(c.kind in ("match", "group", "caseload") for c in area.contacts)
    assert len(area.contacts) > 10 * len(area.rhythms) / 2


def _spans(area):
    """Each relationship's (start, end or None), by its where-columns."""
    spans = {}
    for number, m in enumerate(area.matches):
        if m.started_on:
            person = area.support_requests[m.request].person
            spans[("match", person, number, None, None)] = (m.started_on, m.ended_on)
    for a in area.attendances:
        end = a.last_attended_on
        spans[("group", a.person, None, a.group, None)] = (a.since, end)
    for a in area.assignments:
        spans[("caseload", a.person, None, None, a.worker)] = (a.assigned_on, None)
    return spans


def test_contacts_are_within_their_relationship_and_never_in_the_future(area):
    spans = _spans(area)
    for c in area.contacts:
        start, end = spans[(c.kind, c.person, c.match, c.group, c.worker)]
        assert start <= c.contacted_on <= TODAY, c
        assert end is None or c.contacted_on <= end, c


def test_contacts_have_believable_modes_durations_and_people(area):
    modes = set(vocab.values(vocab.CONTACT_MODES))
    for c in area.contacts:
        assert c.mode in modes and 1 <= c.duration_min <= 24 * 60
        assert (c.with_volunteer is not None) == (c.kind == "match")
        assert (c.with_worker is not None) == (c.kind == "caseload")
    by_kind = Counter((c.kind, c.mode) for c in area.contacts)
    assert by_kind["match", "phone"] and by_kind["match", "visit"]
    assert by_kind["caseload", "phone"] > by_kind["caseload", "online"]
    assert by_kind["group", "group"] > by_kind["group", "online"] > 0


def test_rhythms_and_feedback_use_their_vocabularies_and_marks_are_1_to_5(area):
    frequencies = {"weekly", "fortnightly", "monthly"}
    assert {r.frequency for r in area.rhythms} <= frequencies
    assert {r.kind for r in area.rhythms} == {"match", "group", "caseload"}
    sides, occasions = Counter(), Counter()
    for f in area.feedback:
        sides[f.side] += 1
        occasions[f.occasion] += 1
        assert f.given_on <= TODAY
        assert f.occasion == "other" or f.kind == "match"
        for mark in QUALITY_MARKS:
            assert getattr(f, mark) is None or 1 <= getattr(f, mark) <= 5
    assert set(sides) == set(vocab.values(vocab.FEEDBACK_SIDES))
    assert set(occasions) == set(vocab.values(vocab.FEEDBACK_OCCASIONS))


def test_both_sides_of_a_match_sometimes_differ(area):
    sides = {}
    for f in area.feedback:
        if f.kind == "match":
            sides.setdefault((f.match, f.occasion, f.given_on), {})[f.side] = f
    pairs = [s for s in sides.values() if len(s) == 2]
    assert pairs
    assert any(s["person"].time_together != s["volunteer"].time_together for s in pairs)


def test_some_matches_lapse_and_most_keep_their_rhythm(area):
    last = {}
    for c in area.contacts:
        if c.kind == "match":
            last[c.match] = max(c.contacted_on, last.get(c.match, c.contacted_on))
    active = [i for i, m in enumerate(area.matches) if m.status == "active" and i in last]
    lapsed = [i for i in active if (TODAY - last[i]).days > 21]
    assert 0 < len(lapsed) < len(active) / 2


def test_measures_only_for_people_whose_consent_covers_them(area):
    allowed = may_measure(area)
    assert area.relationship_measures
    assert all(m.person in allowed for m in area.relationship_measures)
    assert all(m.measured_on <= TODAY for m in area.relationship_measures)


def test_some_people_improve_and_some_do_not(area):
    series = {}
    for m in sorted(area.relationship_measures, key=lambda m: m.measured_on):
        if m.direct:
            series.setdefault(m.person, []).append(m.direct)
    order = ["often_always", "some_of_the_time", "occasionally", "hardly_ever", "never"]
    moves = Counter(
        (order.index(s[-1]) > order.index(s[0])) - (order.index(s[-1]) < order.index(s[0]))
        for s in series.values()
        if len(s) > 1
    )
    assert moves[1] > moves[-1] > 0 and moves[0] > 0


def test_some_people_answer_the_de_jong_gierveld_scale(area):
    asked = [m for m in area.relationship_measures if any(getattr(m, n) for n in DJG_NAMES)]
    assert 0.15 < len(asked) / len(area.relationship_measures) < 0.6


def test_the_loaded_demo_shows_something_on_each_dashboard(app):
    area = generate(seed=42, people=1500, today=TODAY)
    with app.app_context():
        demo_service.load(area, fast_hash=True)
        count = lambda model: db.session.query(model).count()  # noqa: E731
        assert count(Contact) == len(area.contacts)
        assert count(Rhythm) == len(area.rhythms)
        assert count(Feedback) == len(area.feedback)
        assert count(LonelinessMeasure) == len(area.measures) + len(area.relationship_measures)

        # The De Jong Gierveld totals are the core's scoring of the stored answers.
        rows = db.session.scalars(
            select(LonelinessMeasure).where(LonelinessMeasure.djg_emptiness.is_not(None))
        ).all()
        assert rows
        for row in rows:
            scored = score_djg({n: getattr(row, n) for n in DJG_NAMES})
            assert row.djg_total == scored.total

        def user(prefix: str) -> User:
            return db.session.scalar(select(User).where(User.email.like(f"{prefix}@%")))

        warnings = continuity_warnings.worker_warnings(user("worker"), today=TODAY)
        assert len(warnings) >= min(3, DEMO_WORKER_LAPSED)
        assert all(w.message.startswith("No contact") for w in warnings)

        council = figures.council_figures(user("council"), today=TODAY)
        bands = [r for r in council.equity["age_band"] if r.category != ALL]
        shown = [r for r in bands if r.people is not None and r.share_active_tie is not None]
        assert len(shown) >= 3
        assert any(r.share_improved is not None for r in bands)
        assert council.quality.marks[0].mean is not None
        assert council.continuity.rhythm.gaps_kept is not None
        assert any(t.contacts for t in council.trends)

        # The demo organisation admin sees their groups' contacts and feedback.
        admin = user("org_admin")
        organisation_ids = db.session.scalars(
            select(OrganisationAdmin.organisation_id).where(OrganisationAdmin.user_id == admin.id)
        ).all()
        shown = [figures.organisation_figures(admin, i, today=TODAY) for i in organisation_ids]
        assert any(f.continuity.people for f in shown)
        assert any(t.contacts for f in shown for t in f.trends)
        assert any(m.mean is not None for f in shown for m in f.quality.marks)


# --- who is online ---------------------------------------------------------------


def test_some_people_are_online_more_of_the_younger_and_none_a_worker_registered(area):
    logins = {a.key for a in area.accounts if a.can_sign_in}
    own = {a.key: a for a in area.accounts if not a.can_sign_in}
    online = [p for p in area.people if p.account in own]
    assert {p.account for p in online} == set(own)
    assert not any(p.registered_by for p in online)
    assert all(
        not a.demo_login and a.email.endswith(f"@{PEOPLE_EMAIL_DOMAIN}") for a in own.values()
    )
    assert {a.key for a in area.accounts if a.demo_login} <= logins

    def share(bands):
        people = [p for p in area.people if p.age_band in bands]
        return sum(p.account in own for p in people) / len(people)

    younger = [b for b in vocab.values(vocab.AGE_BANDS) if b not in OLDER_BANDS]
    assert 0.2 < share(younger) < 0.35
    assert 0.05 < share(("75-84", "85+")) < 0.15


def test_people_online_ask_for_themselves_and_answer_for_themselves(area):
    own = {a.key for a in area.accounts if not a.can_sign_in}
    theirs = [r for r in area.support_requests if area.people[r.person].account in own]
    assert len(theirs) > 20
    assert all(r.created_by == area.people[r.person].account for r in theirs)
    answered = [m for m in area.matches if m.person_answered_by in own]
    assert answered
    assert all(
        area.people[area.support_requests[m.request].person].account == m.person_answered_by
        for m in answered
    )


def test_the_loaded_demo_shows_that_people_not_online_wait_longer(app):
    area = generate(seed=42, people=1500, today=TODAY)
    with app.app_context():
        loaded = demo_service.load(area, fast_hash=True, password="a demo passphrase here")
        own = [a for a in area.accounts if not a.can_sign_in]
        people = db.session.scalars(
            select(User).where(User.email.like(f"%@{PEOPLE_EMAIL_DOMAIN}"))
        ).all()
        assert len(people) == len(own)
        online = db.session.query(Person).filter(Person.user_id.is_not(None)).count()
        assert online == len(own) + 2  # and the two demo residents
        # Nobody signs in to them, nor gets a link to choose a password, and
        # they are not among the logins printed.
        assert not {email for _, email in loaded.logins} & {u.email for u in people}
        clear_outbox(app)
        for user in people[:3]:
            assert sessions.authenticate(user.email, loaded.password, fast_hash=True) is None
            assert sessions.authenticate(user.email, user.password_hash, fast_hash=True) is None
            password_reset.request_reset(user.email, lambda token: f"/choose/{token}")
            assert messages_to(app, user.email) == []

        council = db.session.scalar(select(User).where(User.email.like("council@%")))
        rows = {
            r.category: r for r in figures.council_figures(council, today=TODAY).equity["online"]
        }
        assert set(rows) == {"online", "not online", ALL}
        for row in (rows["online"], rows["not online"]):
            assert row.people is not None and row.asked is not None
            assert row.share_matched is not None and row.median_wait_days is not None
        online, offline = rows["online"], rows["not online"]
        assert offline.median_wait_days >= max(
            1.5 * online.median_wait_days, online.median_wait_days + 30
        )
        assert online.share_matched > offline.share_matched
