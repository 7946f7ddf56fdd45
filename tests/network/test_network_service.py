"""Loading the register as plain records (the cache's key: test_report_key.py)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import event

from betterway_map.extensions import db
from betterway_map.network.loader import load_area
from tests.conftest import make_user
from tests.factories.organisations import (
    make_group,
    make_organisation,
    make_partnership,
    make_space,
)
from tests.factories.person_records import assigned_person, attendance, measure, tie_of, volunteer

TODAY = date(2026, 3, 10)


def _register(app, people: int) -> dict:
    """A worker with ``people`` people, each with a tie, a measure and a group."""
    worker = make_user(app, "worker")
    org = make_organisation(app, sector="faith")
    other = make_organisation(app, sector="health")
    make_partnership(app, org, other, "referral", last_active_on=TODAY)
    space = make_space(app, org, latitude=51.51, longitude=-0.12, step_free=True)
    group = make_group(app, org, space)
    ids = []
    for n in range(people):
        pid = assigned_person(app, worker, first_name=f"P{n}", latitude=51.5, longitude=-0.1)
        tie_of(app, pid, last_contact_on=TODAY)
        measure(app, pid, measured_on=TODAY - timedelta(days=30), ucla_total=4)
        measure(app, pid, measured_on=TODAY, ucla_total=8, direct="often_always")
        attendance(app, pid, group, last_attended_on=TODAY)
        ids.append(pid)
    return {"worker": worker, "people": ids, "group": group, "space": space, "orgs": (org, other)}


def _statements(app, people: int) -> int:
    _register(app, people)
    seen = []

    def count(*args):
        seen.append(1)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            load_area(TODAY)
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def test_load_area_makes_one_query_per_table_whatever_the_number_of_people(app):
    """Two registers of 1 and 6 people cost the same number of queries: no
    per-row query (one per table, and one per consent purpose withdrawn)."""
    few = _statements(app, 1)
    many = _statements(app, 5)  # the tables now hold 6 people
    assert few == many <= 12


def test_load_area_reads_the_records_the_analyses_need(app, app_ctx):
    made = _register(app, 2)
    with app.app_context():
        volunteer(app, made["people"][0])
    area = load_area(TODAY)
    first = next(p for p in area.people if p.id == made["people"][0])
    assert (first.ucla_total, first.direct, first.measured_on) == (8, "often_always", TODAY)
    assert first.worker_ids == (made["worker"],)
    assert first.is_volunteer and not next(p for p in area.people if p.id != first.id).is_volunteer
    group = area.groups[0]
    assert (group.latitude, group.longitude, group.step_free) == (51.51, -0.12, True)
    assert {(a.person_id, a.group_id) for a in area.attendances} == {
        (pid, made["group"]) for pid in made["people"]
    }
    assert len(area.ties) == 2 and area.matches == []
    assert [(p.organisation_id, p.partner_id, p.kind) for p in area.partnerships] == [
        (*made["orgs"], "referral")
    ]
    assert {o.sector for o in area.organisations} == {"faith", "health"}


def test_an_online_group_is_placed_nowhere(app, app_ctx):
    org = make_organisation(app)
    make_group(app, org)  # online
    (group,) = load_area(TODAY).groups
    assert (group.latitude, group.longitude, group.space_id) == (None, None, None)
