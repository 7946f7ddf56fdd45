"""\"I'd like to go\" from the nearby search: an attendance with status
"interested" that the group's organisers see by first name."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import pytest
from sqlalchemy import select

from betterway_map.extensions import db
from betterway_map.people.models import Attendance
from tests.conftest import login
from tests.factories.nearby import POSTCODE, add_postcode, space_at
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import make_resident_with_profile

SEARCH = f"/nearby?postcode={POSTCODE.replace(' ', '+')}"


@pytest.fixture()
def group(app):
    add_postcode(app)
    organisation_id = make_organisation(app)
    return make_group(
        app, organisation_id, space_at(app, organisation_id, 0.4), name="Knit and Natter"
    )


@pytest.fixture()
def resident(app):
    """A signed-in resident with a profile: (client, person_id)."""
    client = app.test_client()
    user_id, person_id = make_resident_with_profile(app, first_name="Edna")
    login(client, app, user_id)
    return client, person_id


def _statuses(app, person_id) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(select(Attendance.status).where(Attendance.person_id == person_id))
        )


def _say(client, post_form, group_id, next_url=SEARCH):
    return post_form(client, f"/nearby/groups/{group_id}/interested", {"next": next_url})


def test_resident_says_they_would_like_to_go(app, resident, group, post_form):
    client, person_id = resident
    response = _say(client, post_form, group)
    assert response.status_code == 302 and response.headers["Location"] == SEARCH
    assert _statuses(app, person_id) == ["interested"]
    page = client.get(SEARCH).get_data(as_text=True)
    assert "the organisers of Knit and Natter can see that you would like to go" in page
    assert "You said you would like to go" in page


def test_saying_it_twice_records_it_once(app, resident, group, post_form):
    client, person_id = resident
    _say(client, post_form, group)
    _say(client, post_form, group)
    assert _statuses(app, person_id) == ["interested"]
    assert "already said that you would like to go" in client.get(SEARCH).get_data(as_text=True)


def test_a_member_stays_a_member(app, resident, group, post_form):
    client, person_id = resident
    with app.app_context():
        db.session.add(Attendance(person_id=person_id, group_id=group, status="member"))
        db.session.commit()
    _say(client, post_form, group)
    assert _statuses(app, person_id) == ["member"]


def test_someone_who_left_can_say_it_again(app, resident, group, post_form):
    client, person_id = resident
    with app.app_context():
        db.session.add(Attendance(person_id=person_id, group_id=group, status="left"))
        db.session.commit()
    _say(client, post_form, group)
    assert _statuses(app, person_id) == ["interested"]


def test_the_organisers_see_a_first_name_under_would_like_to_come(
    app, resident, group, post_form, signed_in
):
    client, _ = resident
    _say(client, post_form, group)
    admin, admin_id = signed_in("org_admin")
    with app.app_context():
        from betterway_map.register.models import Group, OrganisationAdmin

        organisation_id = db.session.get(Group, group).organisation_id
        db.session.add(OrganisationAdmin(organisation_id=organisation_id, user_id=admin_id))
        db.session.commit()
    page = admin.get(f"/groups/{group}/attendees").get_data(as_text=True)
    section = page.split("<h2>Would like to come</h2>")[1].split("<h2>")[0]
    assert "Edna" in section
    assert "1 person has said they would like to come." in section
    assert "0 people come to" in page  # interested is not the same as going


def test_resident_without_a_profile_is_sent_to_fill_it_in(app, signed_in, group, post_form):
    client, _ = signed_in("resident")
    response = _say(client, post_form, group)
    assert response.status_code == 302 and response.headers["Location"] == "/profile/edit"
    with app.app_context():
        assert db.session.scalar(select(Attendance)) is None


def test_anonymous_visitors_are_asked_to_sign_in_and_keep_their_choice(client, group):
    """The link goes to the group's "would you like to go?" page, which sends
    a visitor to sign in and then back to the same group (no form, no button
    for them on the search page itself)."""
    page = client.get(SEARCH).get_data(as_text=True)
    assert "Sign in to say you'd like to go" in page
    assert "<form" not in page.split("Sign in to say")[0].split("<li")[-1]
    link = re.search(r'<a href="([^"]+)">Sign in to say', page).group(1)
    link = html.unescape(link)
    assert link.startswith(f"/nearby/groups/{group}/interested?next=")
    to_sign_in = client.get(link)
    assert to_sign_in.status_code == 302
    assert to_sign_in.headers["Location"].startswith("/auth/login?next=")
    assert f"/nearby/groups/{group}/interested" in unquote(to_sign_in.headers["Location"])


def test_after_signing_in_the_page_asks_about_the_same_group(resident, group):
    client, _ = resident
    page = client.get(f"/nearby/groups/{group}/interested?next={SEARCH}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Would you like to go to" in text and "Yes, I'd like to go" in text


def test_saying_yes_from_the_group_page_goes_back_to_it(app, resident, group, post_form):
    client, person_id = resident
    response = _say(client, post_form, group, f"/groups/{group}")
    assert response.headers["Location"] == f"/groups/{group}"
    assert _statuses(app, person_id) == ["interested"]


def test_the_group_page_offers_it_to_visitors_and_residents(client, resident, group):
    for who in (client, resident[0]):
        page = who.get(f"/groups/{group}").get_data(as_text=True)
        assert f"/nearby/groups/{group}/interested?next=/groups/{group}" in html.unescape(page)


def test_residents_see_a_button_with_a_csrf_token(resident, group):
    client, _ = resident
    page = client.get(SEARCH).get_data(as_text=True)
    form = page.split(f'action="/nearby/groups/{group}/interested"')[1].split("</form>")[0]
    assert 'name="csrf_token"' in form and "I'd like to go" in form


def test_without_a_csrf_token_nothing_is_recorded(app, resident, group):
    client, person_id = resident
    response = client.post(f"/nearby/groups/{group}/interested", data={"next": SEARCH})
    assert response.status_code == 400 and _statuses(app, person_id) == []


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/nearby", "//evil.example/nearby", "/groups/999999", "/\\evil"],
)
def test_only_goes_back_to_a_search(resident, group, post_form, next_url):
    client, _ = resident
    response = _say(client, post_form, group, next_url)
    assert response.headers["Location"] == "/nearby"


def test_a_paused_group_cannot_be_chosen(app, resident, post_form):
    client, person_id = resident
    organisation_id = make_organisation(app)
    paused = make_group(app, organisation_id, space_at(app, organisation_id, 0.4), status="paused")
    response = _say(client, post_form, paused)
    assert response.status_code == 422 and "paused" in response.get_data(as_text=True)
    assert _statuses(app, person_id) == []


def test_an_unknown_group_is_not_found(resident, post_form):
    client, _ = resident
    assert _say(client, post_form, 999_999).status_code == 404
