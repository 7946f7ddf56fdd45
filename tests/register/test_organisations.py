"""Organisation pages: register, edit, list, co-admins, record-level refusals."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.extensions import db
from betterway_map.register.models import Organisation, OrganisationAdmin
from tests.factories.organisations import add_admin, make_organisation

GOOD = {
    "name": "Riverside Friends",
    "sector": "voluntary",
    "charity_number": "1123456",
    "company_number": "",
    "website": "https://riverside.example.org",
    "contact_email": "hello@riverside.example.org",
    "contact_phone": "020 7946 0000",
    "description": "Lunch clubs and walks.",
}


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_org_admin_registers_an_organisation_and_becomes_its_admin(app, signed_in, post_form):
    client, user_id = signed_in("org_admin")
    response = post_form(client, "/organisations/new", GOOD)
    assert response.status_code == 302
    with app.app_context():
        organisation = db.session.scalar(select(Organisation))
        assert organisation.name == "Riverside Friends"
        assert organisation.company_number is None
        assert [a.user_id for a in organisation.admins] == [user_id]
        organisation_id = organisation.id
    assert response.headers["Location"] == f"/organisations/{organisation_id}/manage"
    page = client.get(f"/organisations/{organisation_id}").get_data(as_text=True)
    assert "Riverside Friends" in page and "Voluntary or community" in page


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("charity_number", "12345", "'12345' is not a charity number"),
        ("charity_number", "SC12345", "Scottish ones SC and 6 digits"),
        ("charity_number", "NI123", "'NI123' is not a charity number"),
        ("company_number", "1234567", "'1234567' is not a company number"),
        ("company_number", "ABC12345", "2 letters and 6 digits"),
        ("website", "riverside.example.org", "starting http:// or https://"),
        ("website", "javascript:alert(1)", "is not a web address"),
        ("contact_email", "not-an-email", "'not-an-email' is not an email address"),
        ("contact_phone", "call me", "'call me' is not a phone number"),
        ("sector", "pirates", "'pirates' is not a choice for sector"),
        ("name", "", "Enter the name."),
        ("name", "x" * 201, "Use at most 200 characters."),
    ],
)
def test_bad_organisation_details_are_explained_and_nothing_is_written(
    app, signed_in, post_form, field, value, expected
):
    client, _ = signed_in("org_admin")
    response = post_form(client, "/organisations/new", {**GOOD, field: value})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert expected.replace("'", "&#39;") in page
    assert f'id="error-{field}"' in page
    assert _count(app, Organisation) == 0


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("sc 012345", "SC012345"), ("1123456-1", "1123456-1"), ("nic100002", "NIC100002")],
)
def test_charity_numbers_of_each_register_are_accepted_in_standard_form(
    app, signed_in, post_form, typed, stored
):
    client, _ = signed_in("org_admin")
    assert (
        post_form(client, "/organisations/new", {**GOOD, "charity_number": typed}).status_code
        == 302
    )
    with app.app_context():
        assert db.session.scalar(select(Organisation.charity_number)) == stored


def test_admin_edits_their_organisation(app, signed_in, post_form):
    client, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id, name="Old name")
    form = client.get(f"/organisations/{organisation_id}/edit").get_data(as_text=True)
    assert 'value="Old name"' in form
    response = post_form(client, f"/organisations/{organisation_id}/edit", {**GOOD, "name": "New"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, organisation_id).name == "New"


def test_another_organisations_admin_cannot_edit_it(app, signed_in, post_form, user_factory):
    organisation_id = make_organisation(app, user_factory("org_admin"), name="Theirs")
    client, _ = signed_in("org_admin")
    assert client.get(f"/organisations/{organisation_id}/edit").status_code == 403
    response = post_form(client, f"/organisations/{organisation_id}/edit", {**GOOD, "name": "Mine"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, organisation_id).name == "Theirs"


def test_unknown_organisation_is_404_with_a_message(client):
    response = client.get("/organisations/999999")
    assert response.status_code == 404
    assert "no organisation with the number 999999" in response.get_data(as_text=True)


def test_list_filters_by_sector_and_name_and_pages(app, client):
    for number in range(25):
        make_organisation(app, name=f"Faith Group {number:02d}", sector="faith")
    make_organisation(app, name="Health Hub", sector="health")
    page = client.get("/organisations/?sector=faith").get_data(as_text=True)
    assert "25 organisations found" in page and "Health Hub" not in page
    assert "Page 1 of 2" in page and "Faith Group 19" in page and "Faith Group 20" not in page
    second = client.get("/organisations/?sector=faith&page=2").get_data(as_text=True)
    assert "Faith Group 20" in second
    assert "1 organisation found" in client.get("/organisations/?q=hub").get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("page=0", "page must be 1 or more, not 0."),
        ("page=abc", "page must be a whole number, not &#39;abc&#39;."),
        ("page_size=101", "page_size must be between 1 and 100, not 101."),
        ("sector=pirates", "&#39;pirates&#39; is not a choice for sector"),
    ],
)
def test_bad_list_queries_are_explained(client, query, expected):
    response = client.get(f"/organisations/?{query}")
    assert response.status_code == 400
    assert expected in response.get_data(as_text=True)


def test_my_page_lists_the_organisations_i_run(app, signed_in, user_factory):
    client, user_id = signed_in("org_admin")
    make_organisation(app, user_id, name="Mine One")
    make_organisation(app, user_factory("org_admin"), name="Not Mine")
    page = client.get("/me").get_data(as_text=True)
    assert "Your organisations" in page and "Mine One" in page and "Not Mine" not in page


def test_home_page_links_to_the_lists(client):
    page = client.get("/").get_data(as_text=True)
    for path in ("/groups/", "/spaces/", "/organisations/"):
        assert f'href="{path}"' in page


def test_admin_adds_and_removes_a_co_admin(app, signed_in, post_form, user_factory):
    client, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    other = user_factory("org_admin", email="co@example.org")
    response = post_form(
        client, f"/organisations/{organisation_id}/admins", {"email": "CO@example.org"}
    )
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(OrganisationAdmin, (organisation_id, other)) is not None
    assert "co@example.org" in client.get(f"/organisations/{organisation_id}/manage").get_data(
        as_text=True
    )
    response = post_form(client, f"/organisations/{organisation_id}/admins/{other}/remove")
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(OrganisationAdmin, (organisation_id, other)) is None


@pytest.mark.parametrize("role", ["resident", "worker", None])
def test_co_admin_must_be_an_org_admin_account(app, signed_in, post_form, user_factory, role):
    client, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    email = "someone@example.org"
    if role:
        user_factory(role, email=email)
    response = post_form(client, f"/organisations/{organisation_id}/admins", {"email": email})
    assert response.status_code == 400
    # The same words whether or not the account exists: the form reveals no accounts.
    assert "No organisation admin account has the email address" in response.get_data(as_text=True)
    assert _count(app, OrganisationAdmin) == 1


def test_the_last_admin_cannot_be_removed(app, signed_in, post_form):
    client, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, user_id)
    response = post_form(
        client, f"/organisations/{organisation_id}/admins/{user_id}/remove", follow_redirects=True
    )
    assert "needs at least one admin" in response.get_data(as_text=True)
    assert _count(app, OrganisationAdmin) == 1


def test_an_admin_of_several_organisations_manages_each(app, signed_in):
    client, user_id = signed_in("org_admin")
    first = make_organisation(app, user_id, name="First")
    second = make_organisation(app, name="Second")
    add_admin(app, second, user_id)
    for organisation_id in (first, second):
        assert client.get(f"/organisations/{organisation_id}/manage").status_code == 200


def test_user_text_is_escaped_on_pages(app, client):
    organisation_id = make_organisation(
        app, name="<script>alert(1)</script>", description="<b>bold</b>"
    )
    page = client.get(f"/organisations/{organisation_id}").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page and "&lt;b&gt;" in page
