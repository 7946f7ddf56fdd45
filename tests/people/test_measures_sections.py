"""The summaries other pages include: a person's records, the resident's links,
the group admin's link to the attendees page."""

from __future__ import annotations

from datetime import date

import pytest
from flask import render_template
from flask_login import login_user

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.people.models import Person
from betterway_map.register.models import Group
from tests.factories.person_records import (
    assigned_person,
    attendance,
    listing_of,
    measure,
    organisation_with_group,
    own_person,
    tie_of,
    volunteer,
)


def _render(app, user_id, template, **context):
    with app.test_request_context():
        login_user(db.session.get(User, user_id))
        context = {name: db.session.get(model, key) for name, (model, key) in context.items()}
        return render_template(template, **context)


def test_sections_summarise_a_persons_records_with_links(app, user_factory):
    worker = user_factory("worker")
    person_id = assigned_person(app, worker, first_name="Iris")
    measure(app, person_id, measured_on=date(2024, 2, 1), ucla_total=7, direct="some_of_the_time")
    tie_of(app, person_id)
    volunteer(app, person_id, capacity=3)
    listing_of(app, person_id, direction="offer", kind="lifts")
    listing_of(app, person_id, direction="request", kind="shopping", status="closed")
    attendance(app, person_id, organisation_with_group(app, name="Knit and Natter")[1])
    html = _render(app, worker, "people/records/_sections.html", person=(Person, person_id))
    assert (
        "Thursday 1 February 2024" in html and "7 out of 9" in html and "Some of the time" in html
    )
    assert "1 recorded" in html and "can support 3 people" in html
    assert "1 open offers" in html and "0 open requests" in html
    assert "Knit and Natter" in html
    for path in ("measures", "ties", "volunteer", "help", "groups"):
        assert f"/people/{person_id}/{path}" in html


def test_resident_links_go_to_their_own_pages(app, user_factory):
    html = _render(app, user_factory("resident"), "people/records/_resident_links.html")
    for section in ("measures", "ties", "volunteer", "help", "groups"):
        assert f'href="/my/{section}"' in html


def test_group_admin_page_links_to_the_attendees(app, user_factory):
    admin = user_factory("org_admin")
    group_id = organisation_with_group(app, admin, name="Knit and Natter")[1]
    html = _render(app, admin, "people/attendance/_group_admin_links.html", group=(Group, group_id))
    assert f'href="/groups/{group_id}/attendees"' in html


@pytest.mark.parametrize("who", ["worker", "resident"])
def test_the_person_pages_include_the_summary(app, signed_in, who):
    client, user_id = signed_in(who)
    if who == "worker":
        person_id, url, endpoint = assigned_person(app, user_id), None, "people.detail"
    else:
        person_id, url, endpoint = own_person(app, user_id)[1], "/profile", "profile.show"
    url = url or f"/people/{person_id}"
    if not any(
        rule.rule == url.replace(str(person_id), "<int:person_id>")
        for rule in app.url_map.iter_rules()
    ):
        pytest.skip(f"{endpoint} is not there yet")
    page = client.get(url).get_data(as_text=True)
    assert f"/people/{person_id}/measures" in page and "Loneliness questions" in page
