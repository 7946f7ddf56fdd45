"""The measures' services on small hand-built histories, worked out here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import Forbidden
from betterway_map.extensions import db
from betterway_map.measures.services import continuity_warnings, figures
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.measure_histories import (
    add_attendance,
    add_contacts,
    add_feedback,
    add_measure,
    add_rhythm,
)
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import make_person

TODAY = date(2026, 3, 2)


def as_user(app, user_id, call, *args, **kw):
    with app.app_context():
        return call(db.session.get(User, user_id), *args, **kw)


def test_a_worker_sees_a_warning_for_three_weeks_without_contact_on_a_weekly_rhythm(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    request = make_request(app, worker, person={"first_name": "Iris", "last_name": "Lane"})
    match = make_match(app, request, volunteer, "active", started_on=TODAY - timedelta(days=60))
    with app.app_context():
        from betterway_map.matching.models import SupportRequest

        iris = db.session.get(SupportRequest, request).person_id
    add_rhythm(app, "weekly", "match", iris, match_id=match)
    add_contacts(
        app, [TODAY - timedelta(days=d) for d in (50, 35, 21)], "match", iris, match_id=match
    )
    # The caseload: monthly, last seen 10 days ago: no warning.
    add_rhythm(app, "monthly", "caseload", iris, worker_id=worker)
    add_contacts(app, [TODAY - timedelta(days=10)], "caseload", iris, worker_id=worker)
    (warning,) = as_user(app, worker, continuity_warnings.worker_warnings, today=TODAY)
    assert warning.message == "No contact for 3 weeks, agreed weekly."
    assert (warning.person_name, warning.with_name, warning.kind) == ("Iris Lane", "Vera", "match")
    assert warning.last_contact_on == TODAY - timedelta(days=21)
    # A match's warning names the match, for a link to its page.
    assert warning.match_id == match


def test_a_caseload_warning_names_no_match(app):
    worker = make_user(app, "worker")
    request = make_request(app, worker)
    with app.app_context():
        from betterway_map.matching.models import SupportRequest

        person = db.session.get(SupportRequest, request).person_id
    today = today_in_uk()  # the person was assigned today
    add_rhythm(app, "weekly", "caseload", person, worker_id=worker)
    add_contacts(app, [today], "caseload", person, worker_id=worker)
    (warning,) = as_user(
        app, worker, continuity_warnings.worker_warnings, today=today + timedelta(days=30)
    )
    assert (warning.kind, warning.with_name, warning.match_id) == ("caseload", "you", None)


def test_another_workers_people_give_no_warnings(app):
    worker, other = make_user(app, "worker"), make_user(app, "worker")
    request = make_request(app, other)
    volunteer = make_volunteer(app, other)
    make_match(app, request, volunteer, "active", started_on=TODAY - timedelta(days=60))
    assert as_user(app, worker, continuity_warnings.worker_warnings, today=TODAY) == []


def test_only_workers_have_warnings(app):
    council = make_user(app, "council")
    with pytest.raises(Forbidden):
        as_user(app, council, continuity_warnings.worker_warnings)


def _organisation_with_members(app, admin, members=6, mark=4):
    organisation = make_organisation(app, admin)
    group = make_group(app, organisation)
    people = [make_person(app, first_name=f"M{i}") for i in range(members)]
    for i, person in enumerate(people):
        # Members for 10, 20, ... days; weekly rhythm kept (contacts every 7 days).
        since = TODAY - timedelta(days=10 * (i + 1))
        add_attendance(app, person, group, since, TODAY - timedelta(days=1))
        add_rhythm(app, "weekly", "group", person, group_id=group)
        add_contacts(
            app,
            [since + timedelta(days=7 * k) for k in range(i + 2)],
            "group",
            person,
            group_id=group,
            mode="group",
        )
        add_feedback(app, (mark,) * 6, "person", "group", person, group_id=group)
        add_feedback(app, (mark - 1,) * 6, "worker", "group", person, group_id=group)
    return organisation, group, people


def test_organisation_figures_on_a_hand_built_group(app):
    admin = make_user(app, "org_admin")
    organisation, _, _ = _organisation_with_members(app, admin)
    found = as_user(app, admin, figures.organisation_figures, organisation, today=TODAY)
    # Six members for 10..60 days: median 35, quartiles 22.5 and 47.5.
    durations = found.continuity.durations["all"]
    assert (durations.median, durations.lower_quartile, durations.upper_quartile) == (
        35.0,
        22.5,
        47.5,
    )
    assert found.continuity.people == 6
    assert found.continuity.rhythm.gaps_kept == 1.0
    understanding = found.quality.marks[0]
    assert (understanding.mean, understanding.answers, understanding.people) == (3.5, 12, 6)
    assert found.quality.differences[0].mean_difference == -1.0


def test_an_organisation_of_too_few_people_shows_no_figures(app):
    admin = make_user(app, "org_admin")
    organisation, _, _ = _organisation_with_members(app, admin, members=3)
    found = as_user(app, admin, figures.organisation_figures, organisation, today=TODAY)
    assert found.continuity.people is None
    assert found.continuity.durations["all"].median is None
    assert all(m.mean is None for m in found.quality.marks)


def test_an_organisations_figures_are_its_own(app):
    admin, other_admin = make_user(app, "org_admin"), make_user(app, "org_admin")
    mine, _, _ = _organisation_with_members(app, admin, mark=4)
    before = as_user(app, admin, figures.organisation_figures, mine, today=TODAY)
    _organisation_with_members(app, other_admin, members=7, mark=2)
    after = as_user(app, admin, figures.organisation_figures, mine, today=TODAY)
    assert before == after


def test_an_admin_of_another_organisation_is_refused(app):
    admin, other = make_user(app, "org_admin"), make_user(app, "org_admin")
    organisation = make_organisation(app, admin)
    with pytest.raises(Forbidden):
        as_user(app, other, figures.organisation_figures, organisation)


def test_council_figures_only_for_council_viewers(app):
    worker = make_user(app, "worker")
    with pytest.raises(Forbidden):
        as_user(app, worker, figures.council_figures)


def test_council_figures_on_a_hand_built_area(app):
    worker, council = make_user(app, "worker"), make_user(app, "council")
    volunteer = make_volunteer(app, worker)
    requests = [make_request(app, worker, opened_on=TODAY - timedelta(days=300)) for _ in range(12)]
    with app.app_context():
        from betterway_map.matching.models import SupportRequest

        people = [db.session.get(SupportRequest, r).person_id for r in requests]
    started = TODAY - timedelta(days=280)  # 20 days' wait
    for i, request in enumerate(requests[:10]):
        if i < 5:  # five ended as planned after 100 days
            make_match(
                app,
                request,
                volunteer,
                "ended",
                started_on=started,
                ended_on=started + timedelta(days=100),
                end_kind="planned",
            )
        else:
            make_match(app, request, volunteer, "active", started_on=started)
    for person in people[:10]:
        add_measure(app, person, started - timedelta(days=5), ucla_total=8)
        add_measure(app, person, started + timedelta(weeks=13), ucla_total=6)
    found = as_user(app, council, figures.council_figures, today=TODAY)
    matches = found.continuity_by_kind["match"]
    assert matches.durations["planned"].median == 100.0
    assert matches.durations["ongoing"].median == 280.0
    # Five planned endings, no unplanned: the zero is withheld, not shown.
    assert matches.endings.counts == {"planned": 5, "unplanned": None}
    ucla = next(
        f for f in found.change.loneliness if (f.kind, f.measure) == ("match", "ucla_total")
    )
    assert (ucla.people, ucla.mean_before, ucla.mean_after, ucla.improved) == (10, 8.0, 6.0, 1.0)
    overall = next(r for r in found.equity["online"] if r.category == "all")
    # 12 asked (and the volunteer did not): 10 matched, 2 waiting -> withheld (2 is too few).
    assert overall.asked == 12 and overall.share_matched is None
    assert overall.median_wait_days == 20.0


def test_the_wait_for_a_match_runs_from_the_day_the_request_was_made_not_reopened(app):
    worker, council = make_user(app, "worker"), make_user(app, "council")
    volunteer = make_volunteer(app, worker)
    # Five requests made 300, 290, 280, 270 and 260 days ago (recorded at
    # noon, UTC), all reopened 100 days ago (which moves opened_on on), and
    # all matched 80 days ago: waits of 220, 210, 200, 190 and 180 days,
    # median 200. Counted from the reopening, every wait would be 20 days.
    for made_days_ago in (300, 290, 280, 270, 260):
        made = TODAY - timedelta(days=made_days_ago)
        request = make_request(
            app,
            worker,
            opened_on=TODAY - timedelta(days=100),
            created_at=datetime(made.year, made.month, made.day, 12, tzinfo=UTC),
        )
        make_match(app, request, volunteer, "active", started_on=TODAY - timedelta(days=80))
    found = as_user(app, council, figures.council_figures, today=TODAY)
    overall = next(r for r in found.equity["online"] if r.category == "all")
    assert (overall.matched, overall.median_wait_days) == (5, 200.0)
