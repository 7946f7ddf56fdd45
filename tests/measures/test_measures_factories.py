"""The measures factories make rows in each kind of relationship."""

from __future__ import annotations

from betterway_map.extensions import db
from betterway_map.measures.models import Contact, Feedback, Rhythm
from betterway_map.people.models import LonelinessMeasure
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.measures import make_contact, make_feedback, make_measure, make_rhythm
from tests.factories.people import make_assigned_person


def test_a_contact_in_a_match_names_the_person_and_the_volunteer(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    request_id = make_request(app, worker)
    match_id = make_match(app, request_id, volunteer, status="active")
    contact_id = make_contact(app, match_id=match_id, mode="visit")
    feedback_id = make_feedback(app, match_id=match_id, side="volunteer", empowerment=2)
    with app.app_context():
        contact = db.session.get(Contact, contact_id)
        assert (contact.kind, contact.with_volunteer_id, contact.mode) == (
            "match",
            volunteer,
            "visit",
        )
        assert contact.person_id != volunteer
        feedback = db.session.get(Feedback, feedback_id)
        assert (feedback.understanding, feedback.empowerment) == (4, 2)


def test_caseload_rows_name_the_worker(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    contact_id = make_contact(app, person_id=person, worker_id=worker)
    rhythm_id = make_rhythm(app, person_id=person, worker_id=worker, frequency="fortnightly")
    measure_id = make_measure(app, person, ucla=(1, 2, 3), djg=("yes",) * 6, djg_total=3)
    with app.app_context():
        assert db.session.get(Contact, contact_id).with_worker_id == worker
        assert db.session.get(Rhythm, rhythm_id).kind == "caseload"
        assert db.session.get(LonelinessMeasure, measure_id).ucla_total == 6
