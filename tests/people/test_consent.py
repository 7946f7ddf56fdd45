"""Consent: recording and withdrawing it, on the pages and through the API."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.models import AuditEvent
from betterway_map.accounts.services.sessions import issue_api_token
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.people.models import Consent
from tests.conftest import csrf_token
from tests.factories.days import TODAY, TOMORROW, FromToday, dated
from tests.factories.people import make_assigned_person, make_consent, make_resident_with_profile


def _bearer(app, user_id) -> dict:
    with app.app_context():
        return {"Authorization": f"Bearer {issue_api_token(user_id)}"}


def _session(signed_in, role: str):
    """A signed-in client, its user id, and the CSRF header its API writes send."""
    client, user_id = signed_in(role)
    return client, user_id, {"X-CSRFToken": csrf_token(client)}


def _consent(app, consent_id) -> Consent:
    with app.app_context():
        return db.session.get(Consent, consent_id)


def _audit(app, action):
    with app.app_context():
        return [
            (e.subject_type, e.detail)
            for e in db.session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_the_consent_page_lists_and_records_consent(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
    assert "Keep their details on the register" in client.get(
        f"/people/{person_id}/consents"
    ).get_data(as_text=True)
    response = post_form(
        client,
        f"/people/{person_id}/consents",
        {
            "purposes": ["matching", "contact"],
            "method": "written",
            "given_on": today_in_uk().isoformat(),
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Be matched with a volunteer" in page and "Be contacted by phone or letter" in page
    with app.app_context():
        rows = db.session.scalars(select(Consent).where(Consent.recorded_by_id == worker))
        assert sorted(c.purpose for c in rows) == ["contact", "matching", "register"]
    assert sorted(detail for kind, detail in _audit(app, "create") if kind == "consent") == [
        f"person={person_id} contact",
        f"person={person_id} matching",
    ]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"purposes": []}, "purposes", "Choose at least one thing"),
        ({"given_on": TOMORROW}, "given_on", "is in the future"),
        ({"method": "psychic"}, "method", "'psychic' is not a way of giving consent"),
        ({"notes": "n" * 2001}, "notes", "at most 2000 characters"),
    ],
)
def test_bad_consent_is_shown_again_and_not_written(
    app, signed_in, post_form, change, field, message
):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    form = dated({"purposes": ["matching"], "method": "verbal", "given_on": TODAY, **change})
    response = post_form(client, f"/people/{person_id}/consents", form)
    assert response.status_code == 400
    page = response.get_data(as_text=True).replace("&#39;", "'")
    assert f'id="error-{field}"' in page and message in page
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Consent)) == 1


def test_withdrawing_consent_keeps_the_record_with_its_date(app, signed_in, post_form):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    today = today_in_uk()
    consent_id = make_consent(app, person_id, "matching", given_on=today - timedelta(days=10))
    url = f"/people/{person_id}/consents/{consent_id}/withdraw"
    assert "Withdraw" in client.get(url).get_data(as_text=True)
    yesterday = today - timedelta(days=1)
    assert post_form(client, url, {"withdrawn_on": yesterday.isoformat()}).status_code == 302
    assert _consent(app, consent_id).withdrawn_on == yesterday
    assert _audit(app, "withdraw") == [("consent", f"person={person_id} matching")]
    again = post_form(client, url, {"withdrawn_on": today.isoformat()})
    assert again.status_code == 409
    assert "already withdrawn" in again.get_data(as_text=True)


@pytest.mark.parametrize(
    ("withdrawn_on", "message"),
    [
        (TOMORROW, "is in the future"),
        (FromToday(-30), "is before the consent was given"),
        ("yesterday", "'yesterday' is not a date"),
    ],
)
def test_a_bad_withdrawal_date_is_refused(app, signed_in, post_form, withdrawn_on, message):
    client, worker = signed_in("worker")
    person_id = make_assigned_person(app, worker)
    consent_id = make_consent(
        app, person_id, "matching", given_on=today_in_uk() - timedelta(days=10)
    )
    url = f"/people/{person_id}/consents/{consent_id}/withdraw"
    response = post_form(client, url, {"withdrawn_on": dated(withdrawn_on)})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True).replace("&#39;", "'")
    assert _consent(app, consent_id).withdrawn_on is None


def test_a_consent_of_another_person_cannot_be_withdrawn_through_mine(app, signed_in, post_form):
    client, worker = signed_in("worker")
    mine = make_assigned_person(app, worker)
    theirs = make_assigned_person(app, signed_in("worker")[1])
    consent_id = make_consent(app, theirs, "matching")
    url = f"/people/{mine}/consents/{consent_id}/withdraw"
    assert client.get(url).status_code == 404
    assert post_form(client, url, {}).status_code == 404
    assert _consent(app, consent_id).withdrawn_on is None


def test_the_api_records_lists_and_withdraws_consent(app, signed_in):
    client, worker, headers = _session(signed_in, "worker")
    person_id = make_assigned_person(app, worker)
    created = client.post(
        f"/api/v1/people/{person_id}/consents",
        json={"purposes": ["measures"], "method": "verbal", "given_on": today_in_uk().isoformat()},
        headers=headers,
    )
    assert created.status_code == 201
    consent_id = created.get_json()[0]["id"]
    listed = client.get(f"/api/v1/people/{person_id}/consents", headers=headers).get_json()
    assert sorted(c["purpose"] for c in listed) == ["measures", "register"]
    before = today_in_uk()
    withdrawn = client.post(
        f"/api/v1/people/{person_id}/consents/{consent_id}/withdraw", json={}, headers=headers
    )
    assert withdrawn.status_code == 200
    assert withdrawn.get_json()["active"] is False
    # Withdrawn today, unless given (the day after, should midnight pass during the request).
    assert withdrawn.get_json()["withdrawn_on"] in {before.isoformat(), today_in_uk().isoformat()}


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"purposes": ["register"], "method": "verbal", "given_on": TOMORROW},
            "given_on",
            "is in the future",
        ),
        ({"method": "verbal", "given_on": "2025-01-01"}, "purposes", "Choose at least one"),
        (
            {"purposes": ["register"], "method": "verbal", "given_on": "1/1/25"},
            "given_on",
            "'1/1/25' is not a date",
        ),
    ],
)
def test_bad_consent_through_the_api_answers_422(app, signed_in, body, field, message):
    client, worker, headers = _session(signed_in, "worker")
    person_id = make_assigned_person(app, worker)
    response = client.post(
        f"/api/v1/people/{person_id}/consents", json=dated(body), headers=headers
    )
    assert response.status_code == 422
    assert message in response.get_json()["errors"]["json"][field][0]


def test_a_withdrawal_before_the_consent_answers_422_through_the_api(app, signed_in):
    client, worker, headers = _session(signed_in, "worker")
    person_id = make_assigned_person(app, worker)
    today = today_in_uk()
    consent_id = make_consent(app, person_id, "matching", given_on=today)
    response = client.post(
        f"/api/v1/people/{person_id}/consents/{consent_id}/withdraw",
        json={"withdrawn_on": (today - timedelta(days=1)).isoformat()},
        headers=headers,
    )
    assert response.status_code == 422
    assert (
        "before the consent was given" in response.get_json()["errors"]["json"]["withdrawn_on"][0]
    )


def test_a_resident_reads_their_own_consent_but_cannot_record_it(app, signed_in):
    client, user_id, headers = _session(signed_in, "resident")
    _, person_id = make_resident_with_profile(app, user_id)
    make_consent(app, person_id, method="online", recorded_by_id=user_id)
    assert len(client.get(f"/api/v1/people/{person_id}/consents", headers=headers).get_json()) == 1
    response = client.post(
        f"/api/v1/people/{person_id}/consents",
        json={"purposes": ["matching"], "method": "online", "given_on": today_in_uk().isoformat()},
        headers=headers,
    )
    assert response.status_code == 403


def test_another_workers_persons_consent_is_not_found_through_the_api(app, client, user_factory):
    stranger = user_factory("worker")
    person_id = make_assigned_person(app, user_factory("worker"))
    response = client.get(f"/api/v1/people/{person_id}/consents", headers=_bearer(app, stranger))
    assert response.status_code == 404
