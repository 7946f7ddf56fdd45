"""Flask-Limiter's check before each view, made only while a limit could apply there.

Flask-Limiter checks a request twice: in its ``before_request`` hook, for
the default, application, meta and blueprint limits, and in the decorator
of each view that has limits of its own. This app's limits are all of the
second kind (sign-in, two-factor, password resets, messages:
``accounts/views/limits.py``, ``inbox/views.py``), so on every other
request the first check resolves the view's limits and finds none to count:
about a tenth of a nearby search's time. It is made now only while a limit
of the first kind exists, looked for on every request (so one added by
configuration, ``RATELIMIT_DEFAULT`` say, or by code is counted as before).
Views' own limits are untouched: their decorators check them.
"""

from __future__ import annotations

from flask import Flask
from flask_limiter import Limiter

__all__ = ["init_app", "limits_before_views"]


def limits_before_views(limiter: Limiter) -> bool:
    """Whether any default, application, meta or blueprint limit is set."""
    manager = limiter.limit_manager
    return bool(
        manager._default_limits
        or manager._application_limits
        or manager._blueprint_limits
        or limiter._meta_limits
    )


def init_app(app: Flask, limiter: Limiter) -> None:
    """Call after ``limiter.init_app(app)``: its hook is replaced in place
    (with limits off, ``RATELIMIT_ENABLED=0``, it set none)."""
    check = limiter._check_request_limit
    hooks = app.before_request_funcs.get(None, [])
    if check not in hooks:
        return
    at = hooks.index(check)

    def check_limits_before_view() -> None:
        if limits_before_views(limiter):
            check()

    hooks[at] = check_limits_before_view
