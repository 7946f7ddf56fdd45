"""The app's Flask class remembers which functions are plain ones rather
than asking ``inspect`` on every call (``web/application.py``), and answers
as Flask does for the rest."""

from __future__ import annotations

import pytest
from flask import Flask

from betterway_map.web import application
from betterway_map.web.application import Application


def test_a_plain_function_is_remembered_and_given_back(monkeypatch):
    app = Application("remembering")
    asked = []
    monkeypatch.setattr("flask.app.iscoroutinefunction", lambda f: asked.append(f) or False)

    def view():
        return "hello"

    assert app.ensure_sync(view) is view
    assert app.ensure_sync(view) is view
    assert asked == [view]


def test_a_coroutine_function_goes_to_flask_every_time():
    async def view():
        return "hello"

    with pytest.raises(RuntimeError) as flasks:
        Flask("flask").ensure_sync(view)
    app = Application("coroutines")
    for _ in range(2):
        with pytest.raises(RuntimeError) as ours:
            app.ensure_sync(view)
        assert str(ours.value) == str(flasks.value)  # Flask's own answer (no async extra here)
    assert view not in app._known_sync


def test_an_unhashable_callable_and_more_than_the_most_remembered(monkeypatch):
    class Unhashable:
        __hash__ = None

        def __call__(self):
            return "hello"

    app = Application("bounded")
    odd = Unhashable()
    assert app.ensure_sync(odd) is odd
    monkeypatch.setattr(application, "KNOWN_MAX", 2)
    functions = [lambda n=n: n for n in range(3)]
    assert [app.ensure_sync(f) for f in functions] == functions
    assert len(app._known_sync) == 2


def test_the_app_is_made_from_it(app):
    assert isinstance(app, Application)
