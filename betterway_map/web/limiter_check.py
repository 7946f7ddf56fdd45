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

Its hooks after the view (the headers saying how much of a limit is left,
the deductions made only for some answers: refused sign-ins) and at the
end of the request (forgetting what it noted) read what a check noted in
the request. A request no check looked at (``_limiter_request_context``
was never made on it) has nothing there, so they are left out for it.
"""

from __future__ import annotations

from functools import partial

from flask import Flask
from flask.globals import request_ctx
from flask_limiter import Limiter

__all__ = ["init_app", "limits_before_views", "checked_in_this_request"]

# Where Flask-Limiter notes, on the request, what its checks found.
_NOTED = "_limiter_request_context"


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
    _after_a_check_only(app, limiter)


def checked_in_this_request() -> bool:
    """Whether a check of Flask-Limiter's has noted anything on this request."""
    return hasattr(request_ctx._get_current_object(), _NOTED)


def _after_a_check_only(app: Flask, limiter: Limiter) -> None:
    """Its hooks after the view and at the end, run only after a check."""
    inject = Limiter._Limiter__inject_headers
    release = limiter._Limiter__release_context
    after = app.after_request_funcs.get(None, [])
    for at, hook in enumerate(after):
        if isinstance(hook, partial) and hook.func is inject and hook.args == (limiter,):

            def headers_after_a_check(response, hook=hook):
                return hook(response) if checked_in_this_request() else response

            after[at] = headers_after_a_check
    ends = app.teardown_request_funcs.get(None, [])
    for at, hook in enumerate(ends):
        if hook == release:

            def release_after_a_check(error=None, hook=hook) -> None:
                if checked_in_this_request():
                    hook(error)

            ends[at] = release_after_a_check
