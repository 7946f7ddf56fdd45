"""The optional De Jong Gierveld scale on the loneliness measure, through
the form and the API: scored exactly on the server, bad answers refused."""

from __future__ import annotations

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.people.models import LonelinessMeasure
from tests.conftest import csrf_token, login, make_user
from tests.factories.people import make_assigned_person

LONELIEST = {
    "djg_emptiness": "yes",
    "djg_miss_people": "more_or_less",
    "djg_rejected": "yes",
    "djg_rely_on": "no",
    "djg_trust": "more_or_less",
    "djg_close": "no",
}


def _worker_and_person(app):
    worker = make_user(app, "worker")
    person = make_assigned_person(app, worker)
    client = app.test_client()
    login(client, app, worker)
    return client, person


def _post_json(client, person, body):
    return client.post(
        f"/api/v1/people/{person}/measures",
        json=body,
        headers={"X-CSRFToken": csrf_token(client)},
    )


def test_the_scale_alone_is_recorded_and_totalled(app):
    client, person = _worker_and_person(app)
    response = _post_json(client, person, {"measured_on": today_in_uk().isoformat(), **LONELIEST})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["djg_total"], body["ucla_total"], body["direct"]) == (6, None, None)


def test_one_item_left_out_is_scored_from_the_five(app):
    client, person = _worker_and_person(app)
    # emptiness no (0), miss more or less (1), rejected left out;
    # rely on yes (0), trust no (1), close yes (0): 2 from five answers.
    answers = {
        "djg_emptiness": "no",
        "djg_miss_people": "more_or_less",
        "djg_rely_on": "yes",
        "djg_trust": "no",
        "djg_close": "yes",
    }
    body = _post_json(
        client, person, {"measured_on": today_in_uk().isoformat(), "direct": "never", **answers}
    )
    assert body.get_json()["djg_total"] == 2


def test_two_left_out_are_kept_but_not_totalled(app):
    client, person = _worker_and_person(app)
    body = {
        "measured_on": today_in_uk().isoformat(),
        "djg_emptiness": "yes",
        "djg_trust": "no",
        "djg_close": "no",
    }
    response = _post_json(client, person, body)
    assert response.status_code == 201
    assert response.get_json()["djg_total"] is None
    with app.app_context():
        assert db.session.scalar(db.select(LonelinessMeasure.djg_trust)) == "no"


def test_an_unknown_answer_is_refused_naming_it(app):
    client, person = _worker_and_person(app)
    response = _post_json(
        client, person, {"measured_on": today_in_uk().isoformat(), "djg_trust": "sometimes"}
    )
    assert response.status_code == 422
    assert "'sometimes' is not an answer" in str(response.get_json()["errors"])
    with app.app_context():
        assert db.session.query(LonelinessMeasure).count() == 0


def test_the_form_asks_the_statements_and_cites_the_scale(app):
    client, person = _worker_and_person(app)
    page = client.get(f"/people/{person}/measures").get_data(as_text=True)
    assert "I experience a general sense of emptiness." in page
    assert "De Jong Gierveld, J. &amp; Van Tilburg, T. (2006)" in page
    response = client.post(
        f"/people/{person}/measures",
        data={
            "measured_on": today_in_uk().isoformat(),
            **LONELIEST,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    page = client.get(f"/people/{person}/measures").get_data(as_text=True)
    assert "<td>6</td>" in page
