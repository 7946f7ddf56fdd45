"""``Cache-Control: no-store`` on every answer that may hold personal data,
walked over the URL map with the authorisation matrix's cases."""

from __future__ import annotations

import pytest

from betterway_map.accounts.services.sessions import issue_api_token
from tests.authorisation.matrix import PUBLIC, SIGNED_IN, Case
from tests.authorisation.test_authorisation_matrix import (
    CASES,
    _id,
    _request,
    _skip_if_unavailable,
    _values,
)
from tests.conftest import login, make_user

READS = [case for case in CASES if case.method == "GET"]
# The site's own files are the same for everyone and may be cached.
SHARED_FILES = {"static", "maps.vendor"}
# Views declared web.access.private_cache: their answers hold no personal
# data (aggregates already through disclosure control, public places) and
# the signed-in user's own browser may keep them (issue 15).
PRIVATELY_CACHED = {"council_network.map_data"}


def _a_role_allowed(case: Case) -> str:
    if case.allowed in (PUBLIC, SIGNED_IN):
        return "worker"
    return sorted(case.allowed)[0]


def _stored(response) -> bool:
    return "no-store" not in response.headers.get("Cache-Control", "")


def _signed_in_answer(app, case: Case):
    """The answer to ``case`` for someone signed in with a role it allows."""
    _skip_if_unavailable(case)
    client = app.test_client()
    user_id = make_user(app, _a_role_allowed(case))
    login(client, app, user_id)
    response = _request(app, client, case, _values(app, case, user_id))
    response.close()
    return response


@pytest.mark.parametrize(
    "case", [c for c in READS if c.endpoint not in SHARED_FILES | PRIVATELY_CACHED], ids=_id
)
def test_every_page_and_api_answer_to_someone_signed_in_is_not_stored(app, case: Case):
    response = _signed_in_answer(app, case)
    assert not _stored(response), f"{_id(case)} answered {response.status_code} cacheable"


@pytest.mark.parametrize("case", [c for c in READS if c.allowed != PUBLIC], ids=_id)
def test_a_route_that_is_not_public_is_not_stored_even_when_refused(app, case: Case):
    _skip_if_unavailable(case)
    response = _request(app, app.test_client(), case, _values(app, case, None))
    response.close()
    assert not _stored(response)


def test_a_public_api_answer_to_a_token_is_not_stored(app, client):
    with app.app_context():
        token = issue_api_token(make_user(app, "worker"))
    response = client.get("/api/v1/groups", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert not _stored(response)


@pytest.mark.parametrize("path", ["/", "/groups/", "/api/v1/groups"])
def test_public_pages_to_someone_not_signed_in_may_be_cached(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert _stored(response)


def test_the_sites_own_files_may_be_cached_by_someone_signed_in(app, signed_in):
    client, _ = signed_in("worker")
    response = client.get("/static/css/site.css")
    response.close()
    assert response.status_code == 200
    assert _stored(response)


def test_only_the_listed_views_may_be_kept_privately(app):
    declared = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if getattr(view, "private_cache", False)
    }
    assert declared == PRIVATELY_CACHED


@pytest.mark.parametrize("case", [c for c in READS if c.endpoint in PRIVATELY_CACHED], ids=_id)
def test_a_privately_cached_answer_is_kept_by_the_users_browser_only(app, case: Case):
    response = _signed_in_answer(app, case)
    assert response.status_code == 200
    control = response.cache_control
    assert control.private and not control.public and not control.no_store
