"""'Ask about this offer': a question about an open offer of help reaches
the helper's community worker (or, when nobody looks after the helper, the
site's admins), never the helper's contact details."""

from __future__ import annotations

import html
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.people.models import HelpListing
from tests.conftest import make_user
from tests.factories.nearby import POSTCODE, add_postcode, offer_at_point
from tests.factories.people import (
    make_assigned_person,
    make_consent,
    make_resident_with_profile,
)

HOME = (52.451, -0.98)  # near the search postcode of tests.factories.nearby


def _offer_by(app, person_id, **fields) -> int:
    fields.setdefault("direction", "offer")
    fields.setdefault("kind", "shopping")
    fields.setdefault("status", "open")
    with app.app_context():
        row = HelpListing(person_id=person_id, **fields)
        db.session.add(row)
        db.session.commit()
        return row.id


@pytest.fixture()
def helper(app):
    """Daniel, looked after by a worker, offers shopping and agreed to his
    first name being shown with it: (worker_id, listing_id)."""
    worker = make_user(app, "worker", name="Wendy")
    person_id = make_assigned_person(
        app,
        worker,
        first_name="Daniel",
        address="7 Secret Lane",
        phone="01234 567890",
        latitude=HOME[0],
        longitude=HOME[1],
    )
    make_consent(app, person_id, "publish_offer", recorded_by_id=worker)
    return worker, _offer_by(app, person_id, description="Happy to shop on Fridays.")


def _inbox(app, user_id):
    with app.app_context():
        rows = db.session.scalars(select(Message).where(Message.recipient_id == user_id))
        return [(row.subject, row.body, row.sender_label, row.about_type) for row in rows]


def test_the_question_reaches_the_helpers_worker(app, helper, signed_in, post_form):
    worker, listing_id = helper
    client, _ = signed_in("resident", name="Edna")
    page = html.unescape(client.get(f"/offers/{listing_id}/ask").get_data(as_text=True))
    assert "Ask about Daniel’s offer of shopping" in page
    assert "Happy to shop on Fridays." in page
    assert "goes to the community worker who looks after Daniel" in page
    response = post_form(client, f"/offers/{listing_id}/ask", {"body": "Could you help me?"})
    assert response.status_code == 302 and response.headers["Location"] == "/inbox"
    [(subject, body, label, about)] = _inbox(app, worker)
    assert subject == "A question about Daniel’s offer of shopping"
    assert body.startswith("Edna asks about the offer of shopping by Daniel, whom you look after")
    assert body.endswith("Could you help me?")
    assert (label, about) == ("Edna (resident)", "help_listing")
    flashed = html.unescape(client.get("/inbox").get_data(as_text=True))
    assert "Your question about Daniel’s offer is sent" in flashed


def test_the_question_says_nothing_of_the_helpers_address_or_phone(
    app, helper, signed_in, post_form
):
    worker, listing_id = helper
    client, _ = signed_in("resident")
    page = client.get(f"/offers/{listing_id}/ask").get_data(as_text=True)
    post_form(client, f"/offers/{listing_id}/ask", {"body": "Hello"})
    [(_, body, _, _)] = _inbox(app, worker)
    for private in ("7 Secret Lane", "01234 567890"):
        assert private not in page and private not in body


def test_without_a_worker_the_question_goes_to_the_site_admins(app, signed_in, post_form):
    admins = [make_user(app, "site_admin"), make_user(app, "site_admin")]
    _, person_id = make_resident_with_profile(app, first_name="Ola")
    listing_id = _offer_by(app, person_id)
    client, _ = signed_in("resident")
    page = html.unescape(client.get(f"/offers/{listing_id}/ask").get_data(as_text=True))
    assert "goes to the people who run Better Way Map here" in page
    post_form(client, f"/offers/{listing_id}/ask", {"body": "Hello"})
    for admin in admins:
        [(_, body, _, _)] = _inbox(app, admin)
        assert "Nobody looks after Ola yet: please assign a community worker" in body


def test_a_worker_can_ask_for_someone_they_look_after(app, helper, signed_in, post_form):
    worker, listing_id = helper
    client, _ = signed_in("worker", name="Priya")
    response = post_form(client, f"/offers/{listing_id}/ask", {"body": "For Mrs Jones?"})
    assert response.status_code == 302
    [(_, _, label, _)] = _inbox(app, worker)
    assert label == "Priya (community worker)"


def test_the_helpers_own_worker_is_told_to_talk_to_them_directly(app, helper, post_form):
    from tests.conftest import login

    worker, listing_id = helper
    client = app.test_client()
    login(client, app, worker)
    response = post_form(client, f"/offers/{listing_id}/ask", {"body": "Hello"})
    assert response.status_code == 400
    assert "You look after Daniel yourself" in response.get_data(as_text=True)
    assert _inbox(app, worker) == []


def test_nobody_asks_about_their_own_offer(app, signed_in, post_form):
    client, user_id = signed_in("resident")
    with app.app_context():
        from betterway_map.people.models import Person

        person = Person(first_name="Me", user_id=user_id)
        db.session.add(person)
        db.session.commit()
        person_id = person.id
    listing_id = _offer_by(app, person_id)
    make_user(app, "site_admin")
    response = post_form(client, f"/offers/{listing_id}/ask", {"body": "Hello"})
    assert response.status_code == 400
    assert "This is your own offer" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "fields", [{"status": "closed"}, {"direction": "request"}], ids=["closed", "a request"]
)
def test_only_an_open_offer_can_be_asked_about(app, signed_in, post_form, fields):
    worker = make_user(app, "worker")
    listing_id = _offer_by(app, make_assigned_person(app, worker), **fields)
    client, _ = signed_in("resident")
    response = client.get(f"/offers/{listing_id}/ask")
    assert response.status_code == 404
    assert "no open offer of help" in response.get_data(as_text=True)
    assert post_form(client, f"/offers/{listing_id}/ask", {"body": "Hi"}).status_code == 404
    assert _inbox(app, worker) == []


def test_an_empty_question_is_refused_and_nothing_is_sent(app, helper, signed_in, post_form):
    worker, listing_id = helper
    client, _ = signed_in("resident")
    response = post_form(client, f"/offers/{listing_id}/ask", {"body": ""})
    assert response.status_code == 400
    assert "Enter the message." in response.get_data(as_text=True)
    assert _inbox(app, worker) == []


def test_the_search_offers_to_ask_and_signing_in_comes_back(app, client):
    add_postcode(app)
    listing_id = offer_at_point(app, HOME, first_name="Winifred")
    page = client.get(f"/nearby?what=offer&postcode={POSTCODE.replace(' ', '+')}").get_data(
        as_text=True
    )
    assert f'href="/offers/{listing_id}/ask"' in page
    assert "Sign in to ask about this offer" in page
    response = client.get(f"/offers/{listing_id}/ask")
    assert response.status_code == 302
    assert unquote(response.headers["Location"]) == f"/auth/login?next=/offers/{listing_id}/ask"


def test_a_signed_in_resident_sees_ask_about_this_offer(app, signed_in):
    add_postcode(app)
    offer_at_point(app, HOME)
    client, _ = signed_in("resident")
    page = client.get(f"/nearby?what=offer&postcode={POSTCODE.replace(' ', '+')}").get_data(
        as_text=True
    )
    assert "Ask about this offer" in page
    assert "Sign in to ask" not in page
