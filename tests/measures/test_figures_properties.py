"""Property: no figure of one organisation changes when records of another
organisation change (its groups' memberships, contacts, rhythms, feedback)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from betterway_map.extensions import db
from betterway_map.measures.models import Contact, Feedback, Rhythm
from betterway_map.measures.services import figures
from betterway_map.people.models import Attendance
from tests.conftest import make_user
from tests.factories.measure_histories import add_attendance, add_contacts, add_feedback, add_rhythm
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import make_person
from tests.measures.test_figures import TODAY, _organisation_with_members, as_user

others = st.lists(
    st.tuples(
        st.integers(0, 6),  # which person
        st.integers(1, 400),  # member since, days ago
        st.lists(st.integers(0, 400), max_size=4),  # contacts, days ago
        st.sampled_from([None, "weekly", "monthly"]),
        st.none() | st.integers(1, 5),  # a mark
    ),
    max_size=8,
)


@settings(
    max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(records=others)
def test_another_organisations_records_change_nothing(app, records):
    with app.app_context():
        for model in (Contact, Feedback, Rhythm, Attendance):
            db.session.execute(delete(model))
        db.session.commit()
    admin = make_user(app, "org_admin")
    mine, _, members = _organisation_with_members(app, admin)
    before = as_user(app, admin, figures.organisation_figures, mine, today=TODAY)
    theirs = make_group(app, make_organisation(app))
    people = [*members, *(make_person(app) for _ in range(3))]
    seen = set()
    for which, since, contacts, rhythm, mark in records:
        person = people[which]
        if person in seen:
            continue
        seen.add(person)
        add_attendance(app, person, theirs, TODAY - timedelta(days=since), TODAY)
        add_contacts(
            app, [TODAY - timedelta(days=d) for d in contacts], "group", person, group_id=theirs
        )
        if rhythm:
            add_rhythm(app, rhythm, "group", person, group_id=theirs, agreed_on=date(2025, 1, 1))
        if mark:
            add_feedback(app, (mark,) * 6, "person", "group", person, group_id=theirs)
    assert as_user(app, admin, figures.organisation_figures, mine, today=TODAY) == before
