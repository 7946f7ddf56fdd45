"""The organisations API: public reads, admin writes, 422s with a message per field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from betterway_map.accounts.services.sessions import issue_api_token
from betterway_map.extensions import db
from betterway_map.register.models import Organisation
from tests.conftest import csrf_token
from tests.factories.organisations import make_organisation


@pytest.fixture()
def bearer(app, user_factory):
    """``bearer(*roles)`` -> (headers, user_id) for a new user with an API token."""

    def make(*roles):
        user_id = user_factory(*roles)
        with app.app_context():
            token = issue_api_token(user_id)
        return {"Authorization": f"Bearer {token}"}, user_id

    return make


def test_org_admin_creates_reads_and_patches_an_organisation(client, bearer):
    headers, _ = bearer("org_admin")
    created = client.post(
        "/api/v1/organisations",
        json={"name": "Oak Trust", "sector": "voluntary", "charity_number": "sc012345"},
        headers=headers,
    )
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert body["charity_number"] == "SC012345"
    organisation_id = body["id"]
    patched = client.patch(
        f"/api/v1/organisations/{organisation_id}",
        json={"website": "https://oak.example.org"},
        headers=headers,
    )
    assert patched.status_code == 200
    read = client.get(f"/api/v1/organisations/{organisation_id}").get_json()
    assert read["website"] == "https://oak.example.org" and read["name"] == "Oak Trust"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "X", "sector": "nope"}, "sector"),
        ({"name": "X", "sector": "faith", "charity_number": "123"}, "charity_number"),
        ({"name": "X", "sector": "faith", "company_number": "123"}, "company_number"),
        ({"name": "X", "sector": "faith", "website": "ftp://x.org"}, "website"),
        ({"sector": "faith"}, "name"),
        ({"name": "X", "sector": "faith", "admin": 1}, "admin"),
    ],
)
def test_bad_organisation_json_is_422_per_field(app, client, bearer, body, field):
    headers, _ = bearer("org_admin")
    response = client.post("/api/v1/organisations", json=body, headers=headers)
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Organisation)) == 0


def test_patch_validates_only_what_is_sent(app, client, bearer):
    headers, user_id = bearer("org_admin")
    organisation_id = make_organisation(app, user_id)
    response = client.patch(
        f"/api/v1/organisations/{organisation_id}", json={"charity_number": "12"}, headers=headers
    )
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == ["charity_number"]


def test_patching_another_organisation_is_403(app, client, bearer, user_factory):
    organisation_id = make_organisation(app, user_factory("org_admin"), name="Theirs")
    headers, _ = bearer("org_admin")
    response = client.patch(
        f"/api/v1/organisations/{organisation_id}", json={"name": "Mine"}, headers=headers
    )
    assert response.status_code == 403
    assert "not an admin of organisation" in response.get_json()["message"]


def test_residents_cannot_create_organisations(client, bearer):
    headers, _ = bearer("resident")
    response = client.post(
        "/api/v1/organisations", json={"name": "X", "sector": "faith"}, headers=headers
    )
    assert response.status_code == 403


def test_unknown_organisation_is_404_json(client):
    response = client.get("/api/v1/organisations/424242")
    assert response.status_code == 404
    assert "424242" in response.get_json()["message"]


def test_list_is_paginated_and_filtered(app, client):
    for number in range(5):
        make_organisation(app, name=f"Chapel {number}", sector="faith")
    make_organisation(app, name="Surgery", sector="health")
    body = client.get("/api/v1/organisations?sector=faith&page=2&page_size=2").get_json()
    assert [item["name"] for item in body["items"]] == ["Chapel 2", "Chapel 3"]
    assert body["pagination"] == {"page": 2, "page_size": 2, "total": 5, "pages": 3}


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("page=0", "page"),
        ("page_size=500", "page_size"),
        ("page=x", "page"),
        ("sector=x", "sector"),
    ],
)
def test_bad_list_arguments_are_422(client, query, field):
    response = client.get(f"/api/v1/organisations?{query}")
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["query"]


def test_session_writes_need_the_csrf_token(app, signed_in):
    client, _ = signed_in("org_admin")
    body = {"name": "Session Org", "sector": "informal"}
    assert client.post("/api/v1/organisations", json=body).status_code == 400
    response = client.post(
        "/api/v1/organisations", json=body, headers={"X-CSRFToken": csrf_token(client)}
    )
    assert response.status_code == 201


def test_openapi_documents_the_register(client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in (
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation_id}",
        "/api/v1/organisations/{organisation_id}/partnerships",
        "/api/v1/organisations/{organisation_id}/partnerships/{partnership_id}",
        "/api/v1/organisations/{organisation_id}/partnerships/pending",
        "/api/v1/organisations/{organisation_id}/partnerships/{partnership_id}/confirm",
        "/api/v1/spaces",
        "/api/v1/spaces/{space_id}",
        "/api/v1/groups",
        "/api/v1/groups/{group_id}",
    ):
        assert path in paths
    assert set(paths["/api/v1/groups/{group_id}"]) >= {"get", "patch", "delete"}
