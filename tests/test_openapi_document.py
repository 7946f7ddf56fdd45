"""The OpenAPI document says what the server does: who needs credentials,
which values are accepted, what the answers look like."""

from __future__ import annotations

import pytest

from tests.conftest import make_user
from tests.factories.organisations import make_organisation, token_headers


def _document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def test_public_operations_need_no_credentials_and_the_others_do(client):
    paths = _document(client)["paths"]
    assert paths["/api/v1/groups"]["get"]["security"] == []
    assert "security" not in paths["/api/v1/groups"]["post"]  # the default: a token or a session
    assert paths["/api/v1/users"]["post"]["security"] == [{"sessionAuth": []}]  # fresh sign-in


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/api/v1/groups"), ("delete", "/api/v1/spaces/1"), ("patch", "/api/v1/people/1")],
)
def test_an_api_write_without_credentials_is_401_not_an_expired_form(client, method, path):
    response = getattr(client, method)(path, json={})
    assert response.status_code == 401
    assert response.get_json()["message"].startswith("Sign in first")


def test_timestamps_carry_their_utc_offset(app, client):
    organisation_id = make_organisation(app)
    body = client.get(f"/api/v1/organisations/{organisation_id}").get_json()
    assert body["created_at"].endswith("+00:00")


@pytest.mark.parametrize(("value", "shown"), [(1.5, "1.5"), ("12", "'12'"), (True, "True")])
def test_a_json_whole_number_is_not_coerced(app, client, value, shown):
    admin = make_user(app, "org_admin")
    organisation_id = make_organisation(app, admin_user_id=admin)
    response = client.post(
        "/api/v1/spaces",
        json={"organisation_id": organisation_id, "name": "Hall", "capacity": value},
        headers=token_headers(app, admin),
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["capacity"] == [
        f"Capacity must be a whole number, not {shown}."
    ]


def test_text_fields_declare_the_characters_they_refuse(client):
    name = _document(client)["components"]["schemas"]["Group"]["properties"]["name"]
    assert name["pattern"] == r"^[^\x00-\x1f\x7f-\x9f]*$"
