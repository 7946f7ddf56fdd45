"""Listing only the groups that meet online (the link nearby search gives)."""

from __future__ import annotations

import pytest

from tests.factories.organisations import make_group, make_organisation, make_space


@pytest.fixture()
def groups(app):
    organisation = make_organisation(app)
    space = make_space(app, organisation)
    return {
        "online": make_group(app, organisation, name="Online Book Chat"),
        "hall": make_group(app, organisation, space, name="Hall Book Chat"),
        "hybrid": make_group(
            app,
            organisation,
            space,
            name="Hybrid Book Chat",
            online=True,
            online_url="https://meet.example.org/hybrid",
        ),
    }


def test_the_api_lists_only_online_groups_when_asked(client, groups):
    every = client.get("/api/v1/groups").get_json()["items"]
    online = client.get("/api/v1/groups?online=true").get_json()["items"]
    assert {g["name"] for g in every} == {"Online Book Chat", "Hall Book Chat", "Hybrid Book Chat"}
    assert [g["name"] for g in online] == ["Online Book Chat"]


def test_the_page_lists_only_online_groups_when_asked(client, groups):
    page = client.get("/groups/?online=true").get_data(as_text=True)
    assert "Online Book Chat" in page
    assert "Hall Book Chat" not in page and "Hybrid Book Chat" not in page
    assert 'id="filter-online" name="online" value="true" checked' in page


@pytest.mark.parametrize("url", ["/groups/?online=perhaps", "/api/v1/groups?online=perhaps"])
def test_a_bad_online_value_is_refused_naming_it(client, url):
    response = client.get(url)
    assert response.status_code in (400, 422)
    assert "'perhaps'" in response.get_data(as_text=True).replace("&#39;", "'")
