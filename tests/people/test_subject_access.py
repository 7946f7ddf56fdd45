"""Subject access: everything held about a person, for themself or their
worker, as JSON and as a page; the other side of a match never shows more
than a first name."""

from __future__ import annotations

import json

from sqlalchemy import select

from betterway_map.accounts.models import AuditEvent
from betterway_map.extensions import db
from betterway_map.people.models import Tie
from tests.conftest import login, make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.people import make_assigned_person, make_resident_with_profile


def _world(app):
    worker = make_user(app, "worker")
    request_id = make_request(app, worker, person={"first_name": "Iris", "phone": "0111 222333"})
    volunteer = make_volunteer(
        app, worker, person={"first_name": "Vera", "phone": "0999 888777", "address": "1 Vera St"}
    )
    make_match(app, request_id, volunteer, status="active", volunteer_reason="Vera's own words")
    with app.app_context():
        from betterway_map.matching.models import SupportRequest

        iris = db.session.get(SupportRequest, request_id).person_id
    friend = make_assigned_person(app, worker, first_name="Fred")
    with app.app_context():
        db.session.add(
            Tie(
                person_id=friend,
                other_person_id=iris,
                other_label="Iris",
                kind="neighbour",
                contact_frequency="weekly",
            )
        )
        db.session.commit()
    return worker, iris


def test_a_worker_produces_everything_held_about_one_of_their_people(app):
    worker, iris = _world(app)
    client = app.test_client()
    login(client, app, worker)
    client.get(f"/people/{iris}")  # a view, to be found in the audit section
    response = client.get(f"/rights/people/{iris}/data.json")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    data = json.loads(response.get_data(as_text=True))["person"]
    assert data["first_name"] == "Iris" and data["phone"] == "0111 222333"
    assert [t["kind"] for t in data["ties_others_recorded"]] == ["neighbour"]
    assert "Fred" not in json.dumps(data["ties_others_recorded"])
    [match] = data["matches"]
    assert match["other_side_first_name"] == "Vera" and match["your_part"] == "asked for support"
    text = json.dumps(data)
    assert "0999 888777" not in text and "1 Vera St" not in text and "Vera's own words" not in text
    assert len(data["requests_for_support"]) == 1
    actions = {(e["action"], e["record"]) for e in data["audit_entries"]}
    assert {("view", "person"), ("export", "person")} <= actions
    with app.app_context():
        assert db.session.scalar(
            select(AuditEvent).where(
                AuditEvent.action == "export",
                AuditEvent.subject_id == iris,
                AuditEvent.user_id == worker,
            )
        )


def test_the_readable_page_has_every_section(app):
    worker, iris = _world(app)
    client = app.test_client()
    login(client, app, worker)
    page = client.get(f"/rights/people/{iris}/data").get_data(as_text=True)
    for title in (
        "Other people on the register who are in touch with you",
        "Your requests for support",
        "Your matches",
        "Who looked at or changed your records",
    ):
        assert title in page


def test_a_residents_own_download_holds_the_same_sections(app):
    resident, person = make_resident_with_profile(app, first_name="Ada")
    client = app.test_client()
    login(client, app, resident)
    data = json.loads(client.get("/profile/export").get_data(as_text=True))["person"]
    assert {"ties_others_recorded", "matches", "audit_entries", "messages"} <= set(data)
    api = client.get(f"/api/v1/people/{person}/subject-access")
    assert api.status_code == 200 and api.json["person"]["first_name"] == "Ada"


def test_another_worker_cannot_produce_it(app):
    _, iris = _world(app)
    client = app.test_client()
    login(client, app, make_user(app, "worker"))
    assert client.get(f"/rights/people/{iris}/data.json").status_code == 404
