"""Hostile input never gives a 500 (issue 14): each case is a clear 4xx.

Each of these answered 500 before: numbers too large for the database in a
path, a query or a form; a NUL (which PostgreSQL refuses) in a search or a
form field; a value of the wrong type for a field whose message quotes the
value. Also refused with a clear message: names that are only spaces or
invisible, bidirectional controls in public names, bodies over the limit.
They run on SQLite, and on PostgreSQL when ``TEST_DATABASE_URL`` names it
(as CI does), where the database is the stricter of the two.
"""

from __future__ import annotations

import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import csrf_token
from tests.factories.organisations import make_group, make_organisation, token_headers

BIG = "99999999999999999999"


def _text(response) -> str:
    return html.unescape(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/api/v1/spaces/363476202436196761600", 404, "There is no record numbered"),
        (f"/groups/{BIG}", 404, "There is no record numbered"),
        (f"/api/v1/organisations/{'9' * 5000}", 404, "There is no record numbered"),
        (f"/organisations/?page={BIG}", 400, f"page must be between 1 and 2147483647, not {BIG}"),
        (f"/api/v1/organisations?page={BIG}", 422, "page must be between 1 and 2147483647"),
        (f"/api/v1/groups?page_size={BIG}", 422, "page_size must be between 1 and 100"),
        ("/api/v1/spaces?organisation_id=2147483648", 422, "between 1 and 2147483647"),
        ("/api/v1/groups?organisation_id=2147483648", 422, "between 1 and 2147483647"),
        ("/organisations/?q=a%00b", 422, "'q' contains the control character U+0000 (NULL)"),
        ("/api/v1/organisations?q=a%00b", 422, "contains the control character U+0000"),
        ("/groups/?q=%1b%5b31m", 422, "U+001B (ESCAPE)"),
        ("/organisations/?a%00=1", 422, "A field's name contains the control character"),
        ("/organisations/a%00b", 400, "This address contains the control character"),
    ],
)
def test_hostile_addresses_are_refused_clearly(client, url, status, message):
    response = client.get(url)
    assert response.status_code == status, _text(response)[:500]
    assert message in _text(response)


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        (f"/admin/users?page={BIG}", 422, "is not a page number"),
        ("/admin/users?page=%C2%B2", 422, "is not a page number"),  # "²" is a digit to isdigit
        (f"/network/my-people?page={BIG}", 400, "is not a page number"),
    ],
)
def test_hand_read_page_numbers_are_bounded(signed_in, url, status, message):
    client, _ = signed_in("site_admin", "worker")
    response = client.get(url)
    assert response.status_code == status, _text(response)[:500]
    assert message in _text(response)


@pytest.fixture()
def org_admin(app, signed_in):
    client, user_id = signed_in("org_admin")
    organisation_id = make_organisation(app, admin_user_id=user_id)
    return client, user_id, organisation_id


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"website": 123}, "website", "Website must be text."),
        ({"contact_email": {}}, "contact_email", "Contact email must be text."),
        ({"contact_phone": []}, "contact_phone", "Contact phone must be text."),
        ({"name": "   "}, "name", "Enter the name."),
        ({"name": "\u00a0\u200b\u3000"}, "name", "cannot be only spaces or invisible characters"),
        ({"name": "Tea \u202eekac"}, "name", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ({"name": "Tea \u2067and cake"}, "name", "U+2067 (RIGHT-TO-LEFT ISOLATE)"),
        ({"name": "Tea\u200f club"}, "name", "U+200F (RIGHT-TO-LEFT MARK)"),
        ({"name": "Tea\nclub"}, "name", "U+000A (LINE FEED) (it must fit on one line)"),
        ({"name": "Tea\x00club"}, "name", "U+0000 (NULL)"),
        ({"description": "a\x00b"}, "description", "U+0000 (NULL)"),
        ({"description": "\ud800"}, "description", "U+D800"),
        ({"name": 12}, "name", "Name must be text."),
    ],
)
def test_organisation_api_refuses_hostile_values_with_a_message(
    app, org_admin, body, field, message
):
    _, user_id, _ = org_admin
    payload = {"name": "Tea club", "sector": "voluntary"} | body
    response = app.test_client().post(
        "/api/v1/organisations", json=payload, headers=token_headers(app, user_id)
    )
    assert response.status_code == 422, response.get_json()
    assert any(message in m for m in response.get_json()["errors"]["json"][field])


def test_a_multi_line_description_keeps_its_lines(app, org_admin):
    _, user_id, _ = org_admin
    payload = {"name": "Tea club", "sector": "voluntary", "description": "Tea.\r\n\tAnd cake."}
    response = app.test_client().post(
        "/api/v1/organisations", json=payload, headers=token_headers(app, user_id)
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["description"] == "Tea.\r\n\tAnd cake."


def test_names_in_other_scripts_are_welcome(app, org_admin):
    _, user_id, _ = org_admin
    payload = {"name": "مكتبة Café 図書館", "sector": "voluntary"}
    response = app.test_client().post(
        "/api/v1/organisations", json=payload, headers=token_headers(app, user_id)
    )
    assert response.status_code == 201, response.get_json()


@pytest.mark.parametrize("partner_id", [str(10**20), "-99999999999"])
def test_a_partner_number_too_large_is_refused(app, org_admin, post_form, partner_id):
    client, _, organisation_id = org_admin
    response = post_form(
        client,
        f"/organisations/{organisation_id}/partnerships/new",
        {"partner_id": partner_id, "kind": "joint_work"},
    )
    assert response.status_code == 400, _text(response)[:500]
    assert "must be between" in _text(response)


def test_a_partner_number_too_large_is_refused_by_the_api(app, org_admin):
    _, user_id, organisation_id = org_admin
    response = app.test_client().post(
        f"/api/v1/organisations/{organisation_id}/partnerships",
        json={"partner_id": 10**20, "kind": "joint_work"},
        headers=token_headers(app, user_id),
    )
    assert response.status_code == 422
    message = response.get_json()["errors"]["json"]["partner_id"][0]
    assert "must be between" in message and "not 100000000000000000000" in message


@pytest.mark.parametrize(
    "field", ["name", "website", "contact_email", "contact_phone", "description", "charity_number"]
)
def test_a_nul_in_any_page_form_field_is_refused(org_admin, post_form, field):
    client, _, _ = org_admin
    data = {"name": "Tea club", "sector": "voluntary", field: "a\x00b"}
    response = post_form(client, "/organisations/new", data)
    assert response.status_code == 422, _text(response)[:500]
    assert f"'{field}' contains the control character U+0000 (NULL)" in _text(response)


def test_a_bidi_override_in_a_page_form_name_is_shown_beside_the_field(org_admin, post_form):
    client, _, _ = org_admin
    response = post_form(
        client, "/organisations/new", {"name": "Tea \u202eclub", "sector": "voluntary"}
    )
    assert response.status_code == 400
    assert "RIGHT-TO-LEFT OVERRIDE" in _text(response)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("Ada \u202e", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("\u200b", "cannot be only spaces or invisible characters"),
        ("Ada\tLovelace", "U+0009 (TAB)"),
    ],
)
def test_a_display_name_must_show_something_and_keep_its_direction(client, name, message):
    response = client.post(
        "/auth/register",
        data={
            "email": "ada@example.org",
            "display_name": name,
            "password": "correct horse battery staple",
            "confirm": "correct horse battery staple",
            "role": "resident",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 400, _text(response)[:300]
    assert message in _text(response)


def test_a_group_page_number_in_range_that_is_not_a_group_is_still_a_plain_404(app, client):
    make_group(app, make_organisation(app))
    response = client.get("/groups/2147483647")
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/api/v1/organisations", "/organisations/new"])
def test_a_body_over_the_limit_is_refused_with_413_and_a_clear_message(org_admin, url):
    client, _, _ = org_admin
    big = "x" * (1_000_001)
    response = client.post(url, data={"description": big, "csrf_token": csrf_token(client)})
    assert response.status_code == 413
    assert "larger than 1 MB" in _text(response)


TEXT_FIELDS = (
    "name",
    "description",
    "website",
    "contact_email",
    "contact_phone",
    "charity_number",
    "company_number",
)
# Any character at all, control characters and lone surrogates included.
ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=300)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=300))
def test_any_text_in_a_page_form_or_search_is_never_a_server_error(org_admin, value):
    client, _, _ = org_admin
    token = csrf_token(client)
    data = dict.fromkeys(TEXT_FIELDS, value) | {"sector": "voluntary", "csrf_token": token}
    assert client.post("/organisations/new", data=data).status_code < 500
    assert client.get("/organisations/", query_string={"q": value}).status_code < 500


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=ANY_TEXT)
def test_any_text_sent_to_the_api_is_never_a_server_error(app, org_admin, value):
    _, user_id, _ = org_admin
    body = dict.fromkeys(TEXT_FIELDS, value) | {"sector": "voluntary"}
    response = app.test_client().post(
        "/api/v1/organisations", json=body, headers=token_headers(app, user_id)
    )
    assert response.status_code < 500, response.get_json()
