"""Consent is enforced purpose by purpose: each withdrawal takes effect at
once, everywhere (one test per purpose, and the resident's own page/API)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.services.loading import load_needs, load_offers
from betterway_map.network.loader import load_area
from betterway_map.people.models import Consent, HelpListing, LonelinessMeasure, Tie
from betterway_map.people.services.consent import UNNAMED_HELPER, has_withdrawn
from tests.conftest import csrf_token, login, make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.nearby import ORIGIN, add_postcode, offer_at
from tests.factories.people import make_assigned_person, make_consent


def _withdraw_as_worker(app, worker: int, person_id: int, purpose: str) -> None:
    """Withdraw through the worker's page, as in the product."""
    with app.app_context():
        consent_id = db.session.scalar(
            select(Consent.id).where(Consent.person_id == person_id, Consent.purpose == purpose)
        )
    client = app.test_client()
    login(client, app, worker)
    response = client.post(
        f"/people/{person_id}/consents/{consent_id}/withdraw",
        data={"withdrawn_on": today_in_uk().isoformat(), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def _measure(app, person_id: int, worker: int, direct: str = "often") -> None:
    with app.app_context():
        db.session.add(
            LonelinessMeasure(
                person_id=person_id, measured_on=today_in_uk(), direct=direct, recorded_by_id=worker
            )
        )
        db.session.commit()


def test_withdrawing_measures_refuses_new_ones_and_drops_them_from_figures(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker, latitude=51.5, longitude=-0.1)
    make_consent(app, person, "measures", recorded_by_id=worker)
    _measure(app, person, worker)
    with app.app_context():
        [record] = [p for p in load_area().people if p.id == person]
        assert record.direct == "often"
    _withdraw_as_worker(app, worker, person, "measures")
    with app.app_context():
        [record] = [p for p in load_area().people if p.id == person]
        assert (record.direct, record.ucla_total, record.measured_on) == (None, None, None)
    client = app.test_client()
    login(client, app, worker)
    response = client.post(
        f"/api/v1/people/{person}/measures",
        json={"measured_on": today_in_uk().isoformat(), "direct": "never"},
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert response.status_code == 409
    assert "withdrew consent to recording answers about loneliness" in response.json["message"]
    with app.app_context():
        assert db.session.scalar(select(db.func.count(LonelinessMeasure.id))) == 1


def test_withdrawing_matching_closes_open_requests_and_leaves_runs(app):
    worker = make_user(app, "worker")
    request_id = make_request(app, worker)
    volunteer = make_volunteer(app, worker)
    proposal = make_match(app, request_id, volunteer, status="proposed")
    with app.app_context():
        person = db.session.get(SupportRequest, request_id).person_id
    # A second request of theirs, with no proposal sent, waits for the next run.
    waiting_id = make_request(app, worker, person_id=person, kind="shopping")
    with app.app_context():
        assert waiting_id in [n.id for n in load_needs([], today_in_uk())[0]]
    _withdraw_as_worker(app, worker, person, "matching")
    with app.app_context():
        assert db.session.get(SupportRequest, request_id).status == "closed"
        assert db.session.get(SupportRequest, waiting_id).status == "closed"
        assert db.session.get(Match, proposal).status == "superseded"
        needs = [n.id for n in load_needs([], today_in_uk())[0]]
        assert request_id not in needs and waiting_id not in needs


def test_a_volunteer_who_withdraws_matching_is_offered_no_more(app):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker)
    make_consent(app, volunteer, "matching", recorded_by_id=worker)
    with app.app_context():
        assert volunteer in [o.id for o in load_offers(today_in_uk())[0]]
    _withdraw_as_worker(app, worker, volunteer, "matching")
    with app.app_context():
        assert volunteer not in [o.id for o in load_offers(today_in_uk())[0]]


def test_withdrawing_register_leaves_the_graph_matching_and_nearby_with_a_banner(app):
    worker = make_user(app, "worker")
    add_postcode(app)
    listing = offer_at(app, 0.5, first_name="Rowena")
    with app.app_context():
        person = db.session.get(HelpListing, listing).person_id
        from betterway_map.people.models import Assignment

        db.session.add(Assignment(person_id=person, worker_id=worker))
        db.session.commit()
    make_consent(app, person, "register", recorded_by_id=worker)
    friend = make_assigned_person(app, worker, latitude=ORIGIN[0], longitude=ORIGIN[1])
    with app.app_context():
        db.session.add(
            Tie(
                person_id=friend,
                other_person_id=person,
                other_label="Rowena",
                kind="friend",
                contact_frequency="weekly",
            )
        )
        db.session.commit()
    request_id = make_request(app, worker, person_id=person)
    client = app.test_client()
    nearby = {"lat": ORIGIN[0], "lon": ORIGIN[1], "what": "offer"}
    assert client.get("/api/v1/nearby", query_string=nearby).json["items"]
    _withdraw_as_worker(app, worker, person, "register")
    with app.app_context():
        area = load_area()
        assert person not in {p.id for p in area.people}
        assert all(t.other_person_id != person for t in area.ties)
        assert db.session.get(SupportRequest, request_id).status == "closed"
        assert has_withdrawn(person, "register")
    assert client.get("/api/v1/nearby", query_string=nearby).json["items"] == []
    assert client.get(f"/offers/{listing}/ask").status_code in (302, 404)
    login(client, app, worker)
    page = client.get(f"/people/{person}").get_data(as_text=True)
    assert "withdrew consent to being kept on the register" in page
    assert client.get(f"/people/{person}/group-suggestions").status_code == 409


@pytest.mark.parametrize("published", [True, False])
def test_a_first_name_is_shown_with_an_offer_only_with_its_own_consent(app, published):
    add_postcode(app)
    listing = offer_at(app, 0.5, first_name="Winifred", published=published)
    client = app.test_client()
    [item] = client.get(
        "/api/v1/nearby", query_string={"lat": ORIGIN[0], "lon": ORIGIN[1], "what": "offer"}
    ).json["items"]
    assert item["offered_by"] == ("Winifred" if published else UNNAMED_HELPER)
    ask = client.get(f"/offers/{listing}/ask")
    if ask.status_code == 200:
        assert ("Winifred" in ask.get_data(as_text=True)) is published


def test_withdrawing_publish_offer_hides_the_name_at_once(app):
    add_postcode(app)
    listing = offer_at(app, 0.5, first_name="Winifred", published=False)
    resident = make_user(app, "resident")
    with app.app_context():
        person = db.session.get(HelpListing, listing).person_id
        from betterway_map.people.models import Person

        db.session.get(Person, person).user_id = resident
        db.session.commit()
    client = app.test_client()
    login(client, app, resident)
    token = {"X-CSRFToken": csrf_token(client)}
    assert client.post("/api/v1/me/consents", json={"purposes": ["publish_offer"]}, headers=token)
    query = {"lat": ORIGIN[0], "lon": ORIGIN[1], "what": "offer"}
    assert client.get("/api/v1/nearby", query_string=query).json["items"][0]["offered_by"] == (
        "Winifred"
    )
    response = client.post("/api/v1/me/consents/publish_offer/withdraw", headers=token)
    assert response.status_code == 200
    assert {s["purpose"]: s["given"] for s in response.json}["publish_offer"] is False
    anonymous = app.test_client()
    [item] = anonymous.get("/api/v1/nearby", query_string=query).json["items"]
    assert item["offered_by"] == UNNAMED_HELPER


def test_a_resident_withdraws_their_own_consent_on_their_page(app):
    resident = make_user(app, "resident")
    client = app.test_client()
    login(client, app, resident)
    token = csrf_token(client)
    client.post("/profile/edit", data={"first_name": "Rita", "csrf_token": token})
    page = client.get("/rights/consents").get_data(as_text=True)
    assert "Keep your details on the register" in page and "Agreed on" in page
    response = client.post("/rights/consents/matching/withdraw", data={"csrf_token": token})
    assert response.status_code == 302
    with app.app_context():
        from betterway_map.accounts.models import User
        from betterway_map.people.permissions import own_person

        person = own_person(db.session.get(User, resident))
        assert has_withdrawn(person.id, "matching")
    again = client.post("/rights/consents/matching/withdraw", data={"csrf_token": token})
    assert "already withdrawn" in client.get(again.headers["Location"]).get_data(as_text=True)
    bad = client.post("/api/v1/me/consents/nonsense/withdraw", headers={"X-CSRFToken": token})
    assert (
        bad.status_code == 422 and "'nonsense' is not something to agree to" in bad.json["message"]
    )
