"""The matching factories make records the core can read."""

from __future__ import annotations

from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer


def test_an_active_match_marks_its_request_matched(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    request_id = make_request(app, worker)
    match_id = make_match(app, request_id, volunteer, status="active")
    with app.app_context():
        assert db.session.get(SupportRequest, request_id).status == "matched"
        match = db.session.get(Match, match_id)
        assert match.started_on is not None and [e.step for e in match.events] == ["proposed"]
        assert db.session.get(VolunteerOffer, volunteer).person.volunteer.capacity == 1
