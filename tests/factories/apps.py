"""A second app beside the suite's, with settings of its own, on the same database.

The extension objects (above all the rate limiter) are shared by every app
in a process, so leaving puts the suite's app back (limits off).
"""

from __future__ import annotations

from contextlib import contextmanager

from betterway_map import create_app
from betterway_map.extensions import db, limiter
from config import TestingConfig


@contextmanager
def app_with(suite_app, base=TestingConfig, **settings):
    """``with app_with(app, RATELIMIT_ENABLED=True) as other: ...``"""
    config = type(
        "Other",
        (base,),
        {"SQLALCHEMY_DATABASE_URI": suite_app.config["SQLALCHEMY_DATABASE_URI"], **settings},
    )
    other = create_app(config)
    try:
        yield other
    finally:
        with other.app_context():
            db.session.remove()
            db.engine.dispose()
        limiter.init_app(suite_app)
        assert limiter.enabled is False
