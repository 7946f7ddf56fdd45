"""What "My page" shows, from ``home.dashboard.dashboard_for``: one call per
page, with the figures of each part the user's roles give them."""

from __future__ import annotations

import pytest

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.home import views
from betterway_map.home.dashboard import Dashboard, OrganisationSummary, OwnProfile, dashboard_for
from tests.factories.organisations import (
    make_group,
    make_organisation,
    make_partnership,
    make_space,
)
from tests.factories.people import make_assigned_person, make_resident_with_profile


def _dashboard(app, user_id: int) -> Dashboard:
    with app.app_context():
        return dashboard_for(db.session.get(User, user_id))


@pytest.mark.parametrize(
    ("roles", "expected"),
    [
        (("site_admin", "resident"), ("resident", "site_admin")),
        (("council", "worker", "org_admin"), ("org_admin", "worker", "council")),
        (("resident",), ("resident",)),
    ],
)
def test_the_roles_come_in_the_order_of_the_page(app, user_factory, roles, expected):
    assert _dashboard(app, user_factory(*roles)).roles == expected


def test_a_resident_without_a_profile_has_none(app, user_factory):
    assert _dashboard(app, user_factory("resident")).profile is None


def test_a_resident_sees_their_own_profile(app):
    user_id, person_id = make_resident_with_profile(app, first_name="Ada", postcode="ZZ1 1AA")
    make_resident_with_profile(app, first_name="Someone else")
    assert _dashboard(app, user_id).profile == OwnProfile(
        first_name="Ada", postcode="ZZ1 1AA", person_id=person_id
    )


def test_an_org_admin_sees_their_organisations_by_name_with_their_counts(app, user_factory):
    admin = user_factory("org_admin")
    busy = make_organisation(app, admin, name="B Busy")
    quiet = make_organisation(app, admin, name="A Quiet")
    make_organisation(app, user_factory("org_admin"), name="C Not theirs")
    hall = make_space(app, busy)
    make_space(app, busy)
    make_group(app, busy, hall)
    assert _dashboard(app, admin).organisations == (
        OrganisationSummary(id=quiet, name="A Quiet", space_count=0, group_count=0),
        OrganisationSummary(id=busy, name="B Busy", space_count=2, group_count=1),
    )


def test_an_org_admin_sees_how_many_partnerships_wait_for_them_to_confirm(app, signed_in):
    client, admin = signed_in("org_admin")
    ours = make_organisation(app, admin, name="Ours")
    make_partnership(app, make_organisation(app), ours, pending=True)
    make_partnership(app, make_organisation(app), ours)  # confirmed already
    make_partnership(app, ours, make_organisation(app), pending=True)  # the other side confirms
    (summary,) = _dashboard(app, admin).organisations
    assert summary.partnerships_to_confirm == 1
    page = client.get("/me").get_data(as_text=True)
    assert "1 partnership to confirm or decline" in page


def test_a_worker_counts_only_the_people_assigned_to_them(app, user_factory):
    worker, other = user_factory("worker"), user_factory("worker")
    make_assigned_person(app, worker)
    make_assigned_person(app, worker)
    make_assigned_person(app, other)
    assert _dashboard(app, worker).people_count == 2


def test_figures_for_a_role_the_user_lacks_are_left_empty(app, user_factory):
    """An admin of an organisation who is not (or no longer) an org admin has
    no organisations part, so none are listed."""
    resident = user_factory("resident")
    make_organisation(app, resident)
    found = _dashboard(app, resident)
    assert (found.organisations, found.people_count) == ((), 0)


@pytest.mark.parametrize(("secret", "on"), [(None, False), ("JBSWY3DPEHPK3PXP", True)])
def test_two_factor_is_on_when_the_user_has_a_secret(app, user_factory, secret, on):
    user_id = user_factory("site_admin")
    with app.app_context():
        db.session.get(User, user_id).totp_secret = secret
        db.session.commit()
    assert _dashboard(app, user_id).two_factor_on is on


def test_my_page_shows_the_figures_of_one_service_call(signed_in, monkeypatch):
    calls = []

    def fake(user):
        calls.append(user.id)
        return Dashboard(roles=("worker",), people_count=7)

    monkeypatch.setattr(views, "dashboard_for", fake)
    client, worker = signed_in("worker")
    page = client.get("/me").get_data(as_text=True)
    assert calls == [worker]
    assert "7 people are assigned to you" in page


def test_a_resident_sees_their_groups_soonest_meeting_first(app, client):
    from betterway_map.people.models import Attendance
    from tests.conftest import login

    user_id, person_id = make_resident_with_profile(app, first_name="Ada")
    org = make_organisation(app)
    space = make_space(app, org)
    weekly = make_group(app, org, space, name="Tuesday Club", weekday="tue")
    paused = make_group(app, org, space, name="Resting Choir", status="paused")
    wanted = make_group(app, org, space, name="Monday Walk", weekday="mon")
    left = make_group(app, org, space, name="Old Club")
    with app.app_context():
        for group_id, status in (
            (weekly, "member"),
            (paused, "member"),
            (wanted, "interested"),
            (left, "left"),
        ):
            db.session.add(Attendance(person_id=person_id, group_id=group_id, status=status))
        db.session.commit()
    groups = _dashboard(app, user_id).groups
    assert [g.name for g in groups][-1] == "Resting Choir"  # paused: no meeting, last
    assert {g.name for g in groups} == {"Tuesday Club", "Resting Choir", "Monday Walk"}
    assert all(g.next_meeting is not None for g in groups[:2])
    assert groups[0].next_meeting <= groups[1].next_meeting
    assert [g.interested for g in groups if g.name == "Monday Walk"] == [True]
    login(client, app, user_id)
    page = client.get("/me").get_data(as_text=True)
    assert "Your groups" in page and "next meets" in page and "no meeting planned" in page
