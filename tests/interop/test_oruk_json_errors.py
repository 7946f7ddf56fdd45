"""Under the ORUK base path every error is JSON in ORUK's style, never the
site's HTML error page: an unknown id, an unknown path, a wrong method."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "method, path, code",
    [
        ("GET", "/oruk/services/not-an-id", 404),
        ("GET", "/oruk/taxonomies/not-an-id", 404),
        ("GET", "/oruk/no-such-collection", 404),
        ("GET", "/oruk/services/x/more", 404),
        ("POST", "/oruk/services", 405),
    ],
)
def test_errors_under_oruk_are_json(client, method, path, code):
    response = client.open(path, method=method)
    assert response.status_code == code
    assert response.is_json, response.content_type
    body = response.get_json()
    assert body["code"] == code and body["message"]


def test_errors_elsewhere_are_still_pages(client):
    response = client.get("/orukish/nothing")
    assert response.status_code == 404 and response.content_type.startswith("text/html")
