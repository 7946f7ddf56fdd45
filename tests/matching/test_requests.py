"""Requests for support: who may write them, consent, close and reopen,
and bad input refused with a clear message on pages and the API, writing nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.models import SupportRequest
from tests.conftest import without_tokens
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.people import make_assigned_person, make_consent, make_resident_with_profile
from tests.factories.person_records import count

GOOD = {
    "kind": "befriending_visit",
    "frequency": "weekly",
    "duration_min": 90,
    "availability": ["tue_pm", "thu_am"],
    "languages": ["pl", "en"],
    "interests": ["gardening"],
    "lived_experience": ["bereavement"],
    "volunteer_gender": "woman",
    "similar_age": True,
    "comes_to_me": False,
    "travel_km": 4.5,
    "notes": "Prefers afternoons.",
}
FORM = {
    **GOOD,
    "duration_min": "90",
    "travel_km": "4.5",
    "similar_age": "y",
    "excluded_volunteer_ids": "12, 40",
}
del FORM["comes_to_me"]


def _worker_with_person(app, signed_in, consent=True):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
    if consent:
        make_consent(app, person_id, purpose="matching", recorded_by_id=worker)
    return client, worker, person_id


def _only_request(app) -> SupportRequest:
    with app.app_context():
        rows = db.session.scalars(db.select(SupportRequest)).all()
        assert len(rows) == 1
        db.session.expunge_all()
        return rows[0]


def test_a_worker_asks_for_support_on_the_page(app, signed_in, post_form):
    client, worker, person_id = _worker_with_person(app, signed_in)
    response = post_form(client, f"/people/{person_id}/requests/new", FORM)
    assert response.status_code == 302
    row = _only_request(app)
    assert response.headers["Location"] == f"/matching/requests/{row.id}"
    assert (row.kind, row.status, row.opened_on, row.created_by_id) == (
        "befriending_visit",
        "open",
        today_in_uk(),
        worker,
    )
    assert row.availability == ["tue_pm", "thu_am"] and row.excluded_volunteer_ids == [12, 40]
    assert (row.comes_to_me, row.travel_km, row.similar_age) == (False, 4.5, True)
    assert count(app, AuditEvent, action="create", subject_type="support_request") == 1
    page = client.get(f"/matching/requests/{row.id}").get_data(as_text=True)
    assert "Befriending visits for Iris" in page and "Tuesday afternoon" in page
    assert "up to 4.5 km" in page and "volunteer 12, volunteer 40" in page


def test_the_new_request_form_is_filled_in_from_the_persons_record(app, signed_in):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(
        app, worker, availability=["wed_eve"], languages=["gu"], interests=["music"], travel_km=2
    )
    make_consent(app, person_id, purpose="matching", recorded_by_id=worker)
    page = client.get(f"/people/{person_id}/requests/new?kind=shopping").get_data(as_text=True)
    assert 'value="wed_eve" checked' in page
    assert 'value="gu" checked' in page and 'value="music" checked' in page
    assert 'value="shopping" selected' in page
    assert 'name="travel_km"' in page and 'value="2.0"' in page


def test_the_availability_grid_is_a_table_of_labelled_boxes(app, signed_in):
    client, _, person_id = _worker_with_person(app, signed_in)
    page = client.get(f"/people/{person_id}/requests/new").get_data(as_text=True)
    assert '<fieldset id="field-availability"' in page and "<legend>When are they free?" in page
    assert '<th scope="col">Afternoon</th>' in page and '<th scope="row">Sunday</th>' in page
    assert page.count('type="checkbox" id="availability-') == 21
    assert (
        '<label for="availability-tue_pm"><span class="visually-hidden">Tuesday afternoon' in page
    )


def test_without_consent_to_matching_a_worker_is_told_and_nothing_is_written(
    app, signed_in, post_form
):
    client, _, person_id = _worker_with_person(app, signed_in, consent=False)
    page = client.get(f"/people/{person_id}/requests/new").get_data(as_text=True)
    assert "has not given consent to be matched" in page
    response = post_form(client, f"/people/{person_id}/requests/new", FORM)
    assert response.status_code == 400
    assert "Iris has not given consent to be matched with a volunteer" in response.get_data(
        as_text=True
    )
    api = client.post(
        f"/api/v1/matching/people/{person_id}/requests",
        json=GOOD,
        headers={"X-CSRFToken": _token(client)},
    )
    assert api.status_code == 409 and "consent" in api.get_json()["message"]
    assert count(app, SupportRequest) == 0


def test_withdrawn_consent_does_not_count(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    make_consent(
        app, person_id, purpose="matching", recorded_by_id=worker, withdrawn_on=today_in_uk()
    )
    response = post_form(client, f"/people/{person_id}/requests/new", FORM)
    assert response.status_code == 400 and count(app, SupportRequest) == 0


def _token(client):
    from tests.conftest import csrf_token

    return csrf_token(client)


def test_a_resident_asks_for_their_own_support_without_a_consent_record(app, post_form):
    from tests.conftest import login

    user_id, person_id = make_resident_with_profile(app, first_name="Maud")
    client = app.test_client()
    login(client, app, user_id)
    start = client.get("/me/requests/new?kind=digital")
    assert start.headers["Location"] == f"/people/{person_id}/requests/new?kind=digital"
    page = without_tokens(client.get(start.headers["Location"]).get_data(as_text=True))
    assert "<legend>When are you free?" in page and "excluded_volunteer_ids" not in page
    response = post_form(client, f"/people/{person_id}/requests/new", FORM)
    assert response.status_code == 302
    assert _only_request(app).created_by_id == user_id


def test_a_resident_without_a_profile_is_asked_to_fill_it_in(app, signed_in):
    client, _ = signed_in("resident")
    assert client.get("/me/requests/new").headers["Location"].startswith("/profile")


BAD = [
    ({"kind": "juggling"}, "kind", "'juggling' is not a kind of support: choose one of"),
    ({"availability": ["mon_night"]}, "availability", "'mon_night' is not a time of the week"),
    ({"languages": []}, "languages", "Choose at least one language"),
    ({"duration_min": 5}, "duration_min", "must be between 15 and 480, not 5"),
    ({"travel_km": 60}, "travel_km", "60.0 km is not accepted"),
    ({"travel_km": None}, "travel_km", "Say how far they can travel"),
    ({"volunteer_gender": "other"}, "volunteer_gender", "'other' is not a volunteer's gender"),
    ({"availability": []}, "availability", "Tick at least one time of the week"),
]


@pytest.mark.parametrize(("change", "field", "message"), BAD, ids=[b[1] for b in BAD])
def test_bad_input_is_refused_on_the_api_naming_the_value(app, signed_in, change, field, message):
    client, _, person_id = _worker_with_person(app, signed_in)
    response = client.post(
        f"/api/v1/matching/people/{person_id}/requests",
        json={**GOOD, **change},
        headers={"X-CSRFToken": _token(client)},
    )
    assert response.status_code == 422
    assert message in str(response.get_json()["errors"]["json"][field])
    assert count(app, SupportRequest) == 0


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "juggling"}, "&#39;juggling&#39; is not a kind of support"),
        ({"availability": ["mon_am", "xyz_pm"]}, "&#39;xyz_pm&#39; is not a time of the week"),
        ({"languages": []}, "Choose at least one language"),
    ],
)
def test_bad_input_is_refused_on_the_page_beside_the_field(
    app, signed_in, post_form, change, message
):
    client, _, person_id = _worker_with_person(app, signed_in)
    response = post_form(client, f"/people/{person_id}/requests/new", {**FORM, **change})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app, SupportRequest) == 0


def test_edit_replaces_the_details(app, signed_in, post_form):
    client, worker, person_id = _worker_with_person(app, signed_in)
    request_id = make_request(app, worker, person_id=person_id)
    form = client.get(f"/matching/requests/{request_id}/edit").get_data(as_text=True)
    assert 'value="tue_pm" checked' in form
    response = post_form(client, f"/matching/requests/{request_id}/edit", FORM)
    assert response.status_code == 302
    row = _only_request(app)
    assert (row.kind, row.travel_km, row.languages) == ("befriending_visit", 4.5, ["pl", "en"])


def test_support_that_comes_to_them_keeps_no_distance(app, signed_in, post_form):
    client, _, person_id = _worker_with_person(app, signed_in)
    post_form(client, f"/people/{person_id}/requests/new", {**FORM, "comes_to_me": "y"})
    row = _only_request(app)
    assert (row.comes_to_me, row.travel_km) == (True, None)


def test_close_and_reopen_start_the_wait_again(app, signed_in, post_form):
    client, worker, person_id = _worker_with_person(app, signed_in)
    before = today_in_uk()
    request_id = make_request(app, worker, person_id=person_id)
    month_ago = timedelta(days=30)
    assert _only_request(app).opened_on in {before - month_ago, today_in_uk() - month_ago}
    post_form(client, f"/matching/requests/{request_id}/close")
    assert _only_request(app).status == "closed"
    again = client.post(
        f"/api/v1/matching/requests/{request_id}/close", headers={"X-CSRFToken": _token(client)}
    )
    assert again.status_code == 409
    before = today_in_uk()
    post_form(client, f"/matching/requests/{request_id}/reopen")
    row = _only_request(app)
    assert row.status == "open"
    assert row.opened_on in {before, today_in_uk()}  # the wait starts again today


def test_a_request_held_by_an_active_match_cannot_be_closed(app, signed_in):
    client, worker, person_id = _worker_with_person(app, signed_in)
    request_id = make_request(app, worker, person_id=person_id)
    make_match(app, request_id, make_volunteer(app, worker), status="active")
    response = client.post(
        f"/api/v1/matching/requests/{request_id}/close", headers={"X-CSRFToken": _token(client)}
    )
    assert response.status_code == 409 and "end that match first" in response.get_json()["message"]
    assert _only_request(app).status == "matched"


def test_someone_elses_request_is_not_found(app, signed_in):
    other = signed_in("worker")[1]
    request_id = make_request(app, other)
    client, _ = signed_in("worker")
    assert client.get(f"/matching/requests/{request_id}").status_code == 404
    assert client.get(f"/api/v1/matching/requests/{request_id}").status_code == 404


def test_the_api_lists_a_workers_peoples_requests_only(app, signed_in):
    client, worker, person_id = _worker_with_person(app, signed_in)
    mine = make_request(app, worker, person_id=person_id)
    make_request(app, signed_in("worker")[1])
    body = client.get("/api/v1/matching/requests").get_json()
    assert [item["id"] for item in body["items"]] == [mine]
    assert body["pagination"]["total"] == 1
    assert client.get("/api/v1/matching/requests?status=closed").get_json()["items"] == []
    bad = client.get("/api/v1/matching/requests?status=pending")
    assert bad.status_code == 422 and "'pending' is not a request status" in str(bad.get_json())


def test_the_api_updates_and_reads_a_request(app, signed_in):
    client, worker, person_id = _worker_with_person(app, signed_in)
    request_id = make_request(app, worker, person_id=person_id)
    response = client.put(
        f"/api/v1/matching/requests/{request_id}",
        json=GOOD,
        headers={"X-CSRFToken": _token(client)},
    )
    assert response.status_code == 200 and response.get_json()["kind"] == "befriending_visit"
    got = client.get(f"/api/v1/matching/requests/{request_id}").get_json()
    assert got["availability"] == ["tue_pm", "thu_am"] and got["status"] == "open"


def test_the_persons_page_and_my_page_link_to_matching(app, signed_in):
    client, _, person_id = _worker_with_person(app, signed_in)
    page = client.get(f"/people/{person_id}").get_data(as_text=True)
    assert f"/people/{person_id}/requests/new" in page and f"/people/{person_id}/offer" in page
    resident, _ = signed_in("resident")
    assert "/me/requests/new" in resident.get("/me").get_data(as_text=True)


def test_asking_about_an_offer_offers_a_volunteer_match_instead(app, signed_in):
    from betterway_map.people.models import HelpListing

    worker = signed_in("worker")[1]
    helper = make_assigned_person(app, worker, first_name="Daniel")
    with app.app_context():
        listing = HelpListing(person_id=helper, direction="offer", kind="lifts", status="open")
        db.session.add(listing)
        db.session.commit()
        listing_id = listing.id
    client, _ = signed_in("resident")
    page = client.get(f"/offers/{listing_id}/ask").get_data(as_text=True)
    assert 'href="/me/requests/new?kind=lifts">ask for a volunteer match instead' in page
    worker_client, _ = signed_in("worker")
    assert "volunteer match instead" not in worker_client.get(f"/offers/{listing_id}/ask").get_data(
        as_text=True
    )
