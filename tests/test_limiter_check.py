"""Flask-Limiter's check before each view is made only while a default,
application, meta or blueprint limit exists (``web/limiter_check.py``); the
views' own limits are checked by their decorators as before."""

from __future__ import annotations

import pytest

from betterway_map.extensions import limiter
from betterway_map.web.limiter_check import limits_before_views
from tests.factories.accounts import post
from tests.factories.apps import app_with

NEARBY = "/api/v1/nearby?lat=52.45&lon=-0.98"


@pytest.fixture()
def resolutions(monkeypatch):
    """Each time Flask-Limiter works out which limits apply to a request."""
    calls = []
    resolve = limiter.limit_manager.resolve_limits

    def counted(*args, **kwargs):
        calls.append(kwargs.get("in_middleware", args[4] if len(args) > 4 else False))
        return resolve(*args, **kwargs)

    monkeypatch.setattr(limiter.limit_manager, "resolve_limits", counted)
    return calls


@pytest.fixture()
def default_limits_restored():
    yield
    limiter.limit_manager.set_default_limits([])  # the limiter is shared by every app


def test_a_default_limit_is_still_counted_before_every_view(app, default_limits_restored):
    with app_with(
        app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_DEFAULT="2 per minute",
    ) as limited:
        assert limits_before_views(limiter)
        client = limited.test_client()
        answers = [client.get(NEARBY).status_code for _ in range(3)]
    assert answers == [200, 200, 429]


def test_with_no_such_limit_a_view_without_its_own_is_not_checked(app, resolutions):
    with app_with(app, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://") as limited:
        assert not limits_before_views(limiter)
        client = limited.test_client()
        assert client.get(NEARBY).status_code == 200
        assert resolutions == []
        # A view with limits of its own is checked by its decorator.
        _bad_login(client)
    assert resolutions and not any(resolutions)  # none from the hook before the view


def test_a_views_own_limit_still_answers_429(app):
    with app_with(
        app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        LOGIN_RATE_LIMIT="2 per minute",
    ) as limited:
        client = limited.test_client()
        answers = [_bad_login(client).status_code for _ in range(3)]
    assert answers == [400, 400, 429]  # two refused sign-ins, then the limit


def _bad_login(client):
    return post(
        client, "/auth/login", {"email": "nobody@example.org", "password": "wrong password"}
    )


def test_its_hooks_after_the_view_run_only_after_a_check(app):
    from functools import partial

    from flask_limiter import Limiter

    with app_with(app, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI="memory://") as limited:
        after = limited.after_request_funcs[None]
        ends = limited.teardown_request_funcs[None]
        inject = Limiter._Limiter__inject_headers
        assert not [h for h in after if isinstance(h, partial) and h.func is inject]
        assert "headers_after_a_check" in [h.__name__ for h in after]
        assert limiter._Limiter__release_context not in ends
        assert "release_after_a_check" in [getattr(h, "__name__", "") for h in ends]


def test_a_views_own_limit_still_says_what_is_left_and_a_search_says_nothing(app):
    with app_with(
        app,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI="memory://",
        RATELIMIT_HEADERS_ENABLED=True,
        LOGIN_RATE_LIMIT="5 per minute",
    ) as limited:
        client = limited.test_client()
        first, second = _bad_login(client), _bad_login(client)
        search = client.get(NEARBY)
    assert first.headers["X-RateLimit-Limit"] == "5"
    # Refused sign-ins are counted after the view (deduct_when): one, then two.
    assert first.headers["X-RateLimit-Remaining"] == "4"
    assert second.headers["X-RateLimit-Remaining"] == "3"
    assert search.status_code == 200
    assert not [name for name in search.headers.keys() if name.startswith("X-RateLimit")]
