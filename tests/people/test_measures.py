"""Loneliness measures: recorded by the person or their worker, shown side by side."""

from __future__ import annotations

from datetime import date

import pytest

from betterway_map.accounts.models import AuditEvent
from betterway_map.domain.clock import today_in_uk
from betterway_map.people.models import LonelinessMeasure
from tests.conftest import csrf_token
from tests.factories.days import TODAY, TOMORROW, dated
from tests.factories.person_records import assigned_person, count, measure, own_person

VALID = {
    "measured_on": TODAY,
    "ucla_companionship": "3",
    "ucla_left_out": "2",
    "ucla_isolated": "3",
    "direct": "often_always",
}


def _resident(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    return client, person_id


def test_resident_records_answers_and_sees_them_side_by_side(app, signed_in, post_form):
    client, person_id = _resident(app, signed_in)
    page = client.get(f"/people/{person_id}/measures").get_data(as_text=True)
    assert "only if you choose" in page
    assert "Only you and the community workers who support you" in page
    response = post_form(client, f"/people/{person_id}/measures", dated(VALID))
    assert response.status_code == 302
    page = client.get(f"/people/{person_id}/measures").get_data(as_text=True)
    assert "<td>8</td>" in page and "<td>Often or always</td>" in page
    with app.app_context():
        from betterway_map.extensions import db

        row = db.session.scalar(db.select(LonelinessMeasure))
        assert (row.ucla_total, row.direct) == (8, "often_always")
        actions = set(db.session.scalars(db.select(AuditEvent.action)))
        assert {"view", "create"} <= actions


def test_direct_question_alone_is_accepted(app, signed_in, post_form):
    client, person_id = _resident(app, signed_in)
    data = {"measured_on": today_in_uk().isoformat(), "direct": "hardly_ever"}
    assert post_form(client, f"/people/{person_id}/measures", data).status_code == 302
    assert count(app, LonelinessMeasure, ucla_total=None, direct="hardly_ever") == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ucla_companionship": "0"}, "ucla_companionship", "0 is not an answer"),
        ({"ucla_left_out": "4"}, "ucla_left_out", "4 is not an answer"),
        (
            {"ucla_isolated": None},
            "ucla_isolated",
            "Answer all three questions about how you feel, or leave all three empty (2 of 3",
        ),
        ({"direct": "sometimes"}, "direct", "is not an answer to the direct question"),
        ({"measured_on": TOMORROW}, "measured_on", "is in the future"),
        ({"measured_on": "31/02/2024"}, "measured_on", "Not a valid date"),
        (
            {
                "ucla_companionship": None,
                "ucla_left_out": None,
                "ucla_isolated": None,
                "direct": None,
            },
            "_schema",
            "Answer the three questions about how you feel, “How often do you feel lonely?”, or both",
        ),
    ],
)
def test_bad_answers_are_refused_on_the_page_and_the_api(
    app, signed_in, post_form, changes, field, message
):
    client, person_id = _resident(app, signed_in)
    data = {k: v for k, v in dated({**VALID, **changes}).items() if v is not None}
    page = post_form(client, f"/people/{person_id}/measures", data)
    assert page.status_code == 400
    assert message in page.get_data(as_text=True)
    body = {k: (int(v) if k.startswith("ucla") and v.isdigit() else v) for k, v in data.items()}
    api = client.post(
        f"/api/v1/people/{person_id}/measures",
        json=body,
        headers={"X-CSRFToken": csrf_token(client)},
    )
    assert api.status_code == 422
    errors = api.get_json()["errors"]["json"]
    assert message in " ".join(errors[field])
    assert count(app, LonelinessMeasure) == 0


def test_worker_records_for_their_person_through_the_api(app, signed_in):
    client, worker = signed_in("worker")
    person_id = assigned_person(app, worker)
    measure(app, person_id, measured_on=date(2023, 6, 1), ucla_total=9, direct="often_always")
    headers = {"X-CSRFToken": csrf_token(client)}
    body = {
        "measured_on": today_in_uk().isoformat(),
        "ucla_companionship": 1,
        "ucla_left_out": 1,
        "ucla_isolated": 2,
    }
    created = client.post(f"/api/v1/people/{person_id}/measures", json=body, headers=headers)
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["ucla_total"] == 4
    assert created.get_json()["recorded_by_id"] == worker
    listed = client.get(f"/api/v1/people/{person_id}/measures", headers=headers).get_json()
    assert [(m["ucla_total"], m["direct"]) for m in listed] == [(9, "often_always"), (4, None)]


def test_another_workers_person_is_not_found(app, signed_in, user_factory, post_form):
    client, _ = signed_in("worker")
    person_id = assigned_person(app, user_factory("worker"))
    assert client.get(f"/people/{person_id}/measures").status_code == 404
    assert post_form(client, f"/people/{person_id}/measures", dated(VALID)).status_code == 404
    assert client.get(f"/api/v1/people/{person_id}/measures").status_code == 404
    assert count(app, LonelinessMeasure) == 0


def test_resident_without_a_profile_is_sent_to_fill_it_in(app, signed_in):
    client, _ = signed_in("resident")
    response = client.get("/my/measures")
    assert response.status_code == 302
    if "profile.edit" in app.view_functions:
        assert response.headers["Location"].startswith("/profile/edit")


def test_resident_with_a_profile_is_sent_to_their_own_page(app, signed_in):
    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    response = client.get("/my/measures")
    assert response.headers["Location"] == f"/people/{person_id}/measures"


def test_a_bearer_token_reads_measures(app, client, user_factory):
    from betterway_map.accounts.services.sessions import issue_api_token

    worker = user_factory("worker")
    person_id = assigned_person(app, worker)
    measure(app, person_id, ucla_total=5)
    with app.app_context():
        token = issue_api_token(worker)
    response = client.get(
        f"/api/v1/people/{person_id}/measures", headers={"Authorization": f"Bearer {token}"}
    )
    assert [m["ucla_total"] for m in response.get_json()] == [5]


@pytest.mark.parametrize(("direct", "kind"), [("often_always", True), ("some_of_the_time", False)])
def test_a_resident_who_is_often_lonely_is_answered_kindly(app, signed_in, post_form, direct, kind):
    from tests.factories.person_records import own_person

    client, user_id = signed_in("resident")
    _, person_id = own_person(app, user_id)
    response = post_form(
        client,
        f"/people/{person_id}/measures",
        {"direct": direct, "measured_on": "2026-01-05"},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert ("Thank you for telling us" in page) is kind
    if kind:
        assert "/nearby" in page.split("Thank you for telling us")[1]
        for clinical in ("diagnos", "disorder", "depress", "symptom"):
            assert clinical not in page.lower()
