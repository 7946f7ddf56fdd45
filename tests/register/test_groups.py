"""Groups through the pages: the whole journey, bad input, status, checks, delete."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.register.models import Group
from tests.factories.organisations import make_group, make_organisation, make_space

FORM = {
    "name": "Thursday Lunch Club",
    "description": "A hot meal and good company.",
    "interests": ["social", "cooking"],
    "tags": "lunch, Hot Meal",
    "audiences": ["older_people"],
    "age_min": "60",
    "age_max": "",
    "frequency": "monthly",
    "weekday": "thu",
    "nth": "-1",
    "start_time": "12:00",
    "end_time": "14:00",
    "starts_on": "2026-01-01",
    "cost": "3.50",
    "cost_note": "includes pudding",
    "capacity": "30",
    "contact_phone": "020 7946 0001",
    "status": "active",
}


def _groups(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Group))


def test_new_organisation_to_public_group_page(app, signed_in, post_form, client):
    admin, _ = signed_in("org_admin")
    organisation = {"name": "Riverside Friends", "sector": "voluntary"}
    location = post_form(admin, "/organisations/new", organisation).headers["Location"]
    organisation_id = int(location.split("/")[2])
    space = {
        "name": "Riverside Hall",
        "address": "1 Quay St",
        "postcode": "ZZ2 3AB",
        "step_free": "y",
        "hearing_loop": "y",
    }
    location = post_form(admin, f"/organisations/{organisation_id}/spaces/new", space).headers[
        "Location"
    ]
    space_id = int(location.rsplit("/", 1)[1])
    form = admin.get(f"/organisations/{organisation_id}/groups/new").get_data(as_text=True)
    assert f'<option value="{space_id}">Riverside Hall, ZZ2 3AB</option>' in form
    response = post_form(
        admin, f"/organisations/{organisation_id}/groups/new", {**FORM, "space_id": str(space_id)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    group_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert (group.nth, group.cost_pence, group.tags) == (-1, 350, ["lunch", "hot meal"])
    page = client.get(f"/groups/{group_id}").get_data(as_text=True)
    for text in (
        "Thursday Lunch Club",
        "The last Thursday of the month, 12pm to 2pm",
        "Riverside Hall",
        "Step-free: Yes",
        "Hearing loop: Yes",
        "£3.50 (includes pudding)",
        "Older people; ages 60 and over",
        "020 7946 0001",
        "Not yet checked",
        "Next meetings",
    ):
        assert text in page, text
    assert "Thursday Lunch Club" in client.get("/groups/?interest=cooking").get_data(as_text=True)
    assert "Thursday Lunch Club" not in client.get("/groups/?interest=music").get_data(as_text=True)


def test_next_meetings_follow_the_recurrence(app, client):
    organisation_id = make_organisation(app)
    group_id = make_group(
        app,
        organisation_id,
        frequency="monthly",
        weekday="fri",
        nth=-1,
        starts_on=date(2026, 1, 1),
        ends_on=date(2099, 1, 1),
    )
    before = today_in_uk()
    page = client.get(f"/groups/{group_id}").get_data(as_text=True)
    assert page.count("<li>Friday ") == 3
    assert "Free" in page and "Online" in page
    days = [
        datetime.strptime(day, "%d %B %Y").date()
        for day in re.findall(r"<li>Friday (\d{1,2} \w+ \d{4})", page)
    ]
    # The last Friday of three months in a row, dated with their years (in
    # late December, next year's), from the next one on: this month's while
    # it is to come, else next month's, at most five weeks away.
    assert all(day.weekday() == 4 and (day + timedelta(days=7)).month != day.month for day in days)
    assert [day.year * 12 + day.month for day in days] == [
        days[0].year * 12 + days[0].month + n for n in range(3)
    ]
    assert before <= days[0] <= before + timedelta(days=35)


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"nth": ""}, "nth", "A monthly group needs which week"),
        ({"nth": "5"}, "nth", "Which week must be 1, 2, 3, 4 or -1 (the last), not 5."),
        ({"end_time": "11:00"}, "end_time", "End time 11:00 must be after start time 12:00."),
        (
            {"start_time": "noon"},
            "start_time",
            "Start time must be a time like 10:30, not &#39;noon&#39;.",
        ),
        (
            {"age_min": "70", "age_max": "65"},
            "age_max",
            "The oldest age (65) must be at least the youngest age (70).",
        ),
        ({"age_min": "17"}, "age_min", "Youngest age must be between 18 and 120, not 17."),
        ({"age_max": "121"}, "age_max", "Oldest age must be between 18 and 120, not 121."),
        ({"frequency": "daily"}, "frequency", "&#39;daily&#39; is not a choice for how often"),
        ({"weekday": "xyz"}, "weekday", "&#39;xyz&#39; is not a choice for day of the week"),
        (
            {"interests": ["knitting"]},
            "interests",
            "&#39;knitting&#39; is not a choice for interests",
        ),
        (
            {"starts_on": "31/01/2026"},
            "starts_on",
            "First meeting on must be a date like 2026-03-31",
        ),
        (
            {"ends_on": "2025-01-01"},
            "ends_on",
            "End date 2025-01-01 is before start date 2026-01-01.",
        ),
        ({"cost": "3.5.0"}, "cost", "Cost must be an amount in pounds and pence"),
        ({"online": "y"}, "online_url", "Give the web address people use to join online."),
        ({}, "space_id", "Choose where the group meets, or say that it meets online."),
    ],
)
def test_bad_group_details_are_explained_and_nothing_is_written(
    app, signed_in, post_form, changes, field, expected
):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    response = post_form(admin, f"/organisations/{organisation_id}/groups/new", {**FORM, **changes})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected in page
    assert f'id="error-{field}"' in page
    assert _groups(app) == 0


def test_a_space_of_another_organisation_is_refused_by_name(
    app, signed_in, post_form, user_factory
):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    theirs = make_space(app, make_organisation(app, user_factory("org_admin")), name="Their Hall")
    response = post_form(
        admin, f"/organisations/{organisation_id}/groups/new", {**FORM, "space_id": str(theirs)}
    )
    assert response.status_code == 400
    assert f"Space {theirs} (Their Hall) belongs to another organisation" in response.get_data(
        as_text=True
    )
    assert _groups(app) == 0


def test_online_group_needs_no_space(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    online = {**FORM, "online": "y", "online_url": "https://meet.example.org/lunch"}
    assert (
        post_form(admin, f"/organisations/{organisation_id}/groups/new", online).status_code == 302
    )


def test_admin_pauses_ends_and_checks_a_group(app, signed_in, post_form, client):
    admin, user_id = signed_in("org_admin")
    group_id = make_group(app, make_organisation(app, user_id), name="Choir")
    post_form(admin, f"/groups/{group_id}/status", {"status": "paused"})
    page = client.get(f"/groups/{group_id}").get_data(as_text=True)
    assert "This group is paused" in page and "None while the group is paused" in page
    assert "Choir" not in client.get("/groups/").get_data(as_text=True)
    assert "Choir" in client.get("/groups/?status=paused").get_data(as_text=True)
    post_form(admin, f"/groups/{group_id}/status", {"status": "ended"})
    before = today_in_uk()
    post_form(admin, f"/groups/{group_id}/checked")
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert group.status == "ended"
        # Checked today (the day after, should midnight pass meanwhile).
        assert group.details_checked_on in {before, today_in_uk()}
    assert "This group has ended" in client.get(f"/groups/{group_id}").get_data(as_text=True)


@pytest.mark.parametrize("status", ["", "closed", "ACTIVE"])
def test_an_unknown_status_is_refused(app, signed_in, post_form, status):
    admin, user_id = signed_in("org_admin")
    group_id = make_group(app, make_organisation(app, user_id))
    response = post_form(admin, f"/groups/{group_id}/status", {"status": status})
    assert response.status_code == 422
    assert "use active, paused or ended" in response.get_data(as_text=True)


def test_edit_keeps_values_and_saves(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    space_id = make_space(app, organisation_id)
    group_id = make_group(app, organisation_id, space_id, cost_pence=250, tags=["tea", "cake"])
    form = admin.get(f"/groups/{group_id}/edit").get_data(as_text=True)
    assert 'value="2.50"' in form and 'value="tea, cake"' in form
    response = post_form(
        admin, f"/groups/{group_id}/edit", {**FORM, "space_id": str(space_id), "cost": ""}
    )
    assert response.status_code == 302
    with app.app_context():
        group = db.session.get(Group, group_id)
        assert (group.name, group.cost_pence, group.space_id) == (
            "Thursday Lunch Club",
            0,
            space_id,
        )


def test_another_organisation_cannot_touch_a_group(app, signed_in, post_form, user_factory):
    group_id = make_group(app, make_organisation(app, user_factory("org_admin")))
    admin, _ = signed_in("org_admin")
    for path in ("edit", "status", "checked", "delete"):
        assert (
            post_form(admin, f"/groups/{group_id}/{path}", {"status": "ended"}).status_code == 403
        )
    with app.app_context():
        assert db.session.get(Group, group_id).status == "active"


def test_deleting_a_group_asks_first(app, signed_in, post_form):
    admin, user_id = signed_in("org_admin")
    group_id = make_group(app, make_organisation(app, user_id), name="Walkers")
    assert "Delete Walkers?" in admin.get(f"/groups/{group_id}/delete").get_data(as_text=True)
    assert _groups(app) == 1
    assert post_form(admin, f"/groups/{group_id}/delete").status_code == 302
    assert _groups(app) == 0


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("interest=knitting", "&#39;knitting&#39; is not a choice for interest"),
        ("status=open", "use active, paused, ended or any"),
        ("organisation_id=abc", "organisation_id must be a whole number"),
    ],
)
def test_bad_group_list_queries_are_explained(client, query, expected):
    response = client.get(f"/groups/?{query}")
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_interest_filter_matches_whole_values(app, client):
    organisation_id = make_organisation(app)
    make_group(app, organisation_id, name="Pottery Club", interests=["arts_crafts"])
    make_group(app, organisation_id, name="Reading Circle", interests=["books"])
    page = client.get("/groups/?interest=arts_crafts").get_data(as_text=True)
    assert "Pottery Club" in page and "Reading Circle" not in page
