"""The worker's network pages: their people by need, and connectors."""

from __future__ import annotations

import re
from datetime import timedelta

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from tests.conftest import make_user
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.person_records import assigned_person, attendance, measure, tie_of


def _rows(page: str) -> list[str]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.split("<tr>")[1:]


def test_my_people_lists_the_most_cut_off_first_with_reasons_and_measures_apart(app, signed_in):
    """Iris: lone tie lapsed 4 months ago, lives alone, UCLA 8 -> isolated, first.
    Joe: a friend and a group this week -> connected, last.
    Kim: one weekly tie with a paid worker -> only professionals, between."""
    client, worker = signed_in("worker")
    today = today_in_uk()
    iris = assigned_person(app, worker, first_name="Iris", lives_alone=True)
    tie_of(app, iris, last_contact_on=today - timedelta(days=125))
    measure(app, iris, measured_on=today, ucla_total=8, direct="some_of_the_time")
    joe = assigned_person(app, worker, first_name="Joe")
    tie_of(app, joe, kind="friend", last_contact_on=today)
    group = make_group(app, make_organisation(app), make_space(app, make_organisation(app)))
    attendance(app, joe, group, last_attended_on=today)
    kim = assigned_person(app, worker, first_name="Kim")
    tie_of(app, kim, kind="professional", last_contact_on=today)

    page = client.get("/network/my-people").get_data(as_text=True)
    rows = _rows(page)
    assert [re.search(r'/people/\d+">([^<]+)<', r).group(1) for r in rows] == ["Iris", "Kim", "Joe"]
    assert "Isolated: no active ties" in rows[0] and "At risk" in rows[0]
    assert "no active ties for 4 months; lives alone; UCLA-3 score 8" in rows[0]
    # The two measures in their own columns, never merged.
    assert "<td>8</td>" in rows[0] and "<td>Some of the time</td>" in rows[0]
    assert "Only in touch with professionals" in rows[1]
    assert "Connected" in rows[2] and "Friends: 1" in rows[2] and "Groups: 1" in rows[2]
    assert f'href="/people/{iris}"' in rows[0]


def test_my_people_shows_only_the_workers_own_people_and_audits_each(app, signed_in):
    client, worker = signed_in("worker")
    mine = assigned_person(app, worker, first_name="Mine")
    other_worker = make_user(app, "worker")
    theirs = assigned_person(app, other_worker, first_name="Zebedee")
    page = client.get("/network/my-people").get_data(as_text=True)
    assert "Mine" in page and "Zebedee" not in page
    assert "1 in all" in page
    with app.app_context():
        audited = db.session.scalars(
            db.select(AuditEvent.subject_id).where(AuditEvent.user_id == worker)
        ).all()
    assert mine in audited and theirs not in audited


def test_my_people_says_so_when_no_one_is_assigned(signed_in):
    client, _ = signed_in("worker")
    assert "No one is assigned to you yet" in client.get("/network/my-people").get_data(
        as_text=True
    )


def _two_clusters(app, worker, other_worker):
    """Two groups joined only by Bridget (the worker's) and Bert (another
    worker's), each a member of both: they and the groups are connectors."""
    org = make_organisation(app, name="Hall Trust")
    space = make_space(app, org)
    lunch = make_group(app, org, space, name="Lunch Club")
    choir = make_group(app, org, space, name="Choir")
    today = today_in_uk()
    for name, group in [("A", lunch), ("B", lunch), ("C", choir), ("D", choir)]:
        pid = assigned_person(app, other_worker, first_name=name)
        attendance(app, pid, group, last_attended_on=today)
    bridget = assigned_person(app, worker, first_name="Bridget")
    attendance(app, bridget, lunch, last_attended_on=today)
    attendance(app, bridget, choir, last_attended_on=today)
    return bridget, lunch, choir


def test_connectors_show_groups_and_only_the_workers_own_people(app, signed_in):
    client, worker = signed_in("worker")
    other_worker = make_user(app, "worker")
    bridget, lunch, choir = _two_clusters(app, worker, other_worker)
    page = client.get("/network/connectors").get_data(as_text=True)
    assert "Lunch Club" in page and "Choir" in page
    assert "Bridget" in page and "One of your people" in page
    assert f'href="/people/{bridget}"' in page
    # The other worker's people appear nowhere, not even the ones who link groups.
    other_client, _ = signed_in("worker")
    other_page = other_client.get("/network/connectors").get_data(as_text=True)
    assert "Bridget" not in other_page and "Lunch Club" in other_page


def test_connectors_view_is_audited_for_the_workers_own_people(app, signed_in):
    client, worker = signed_in("worker")
    bridget, _, _ = _two_clusters(app, worker, make_user(app, "worker"))
    client.get("/network/connectors")
    with app.app_context():
        events = db.session.scalars(
            db.select(AuditEvent).where(
                AuditEvent.user_id == worker, AuditEvent.detail.like("network:%")
            )
        ).all()
    assert [(e.subject_id, e.detail) for e in events] == [(bridget, "network: connectors")]
