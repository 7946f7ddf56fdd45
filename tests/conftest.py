"""Fixtures: one migrated database per test session, emptied after each test.

The database is SQLite in a temporary folder unless ``TEST_DATABASE_URL``
names another (``.ci/run`` points it at PostgreSQL). The schema is made by
the real migrations, so every run also proves that they apply.
"""

from __future__ import annotations

import os
import re
import secrets
import string
import tempfile
from datetime import time
from pathlib import Path

import pytest
from sqlalchemy import text

from betterway_map import create_app
from betterway_map.domain.clock import now_in_uk
from betterway_map.extensions import db
from config import TestingConfig
from tests.factories.calendars import first_weekday_after

PASSWORD = "correct horse battery staple"
# The TOTP secret of every test user enrolled by ``make_user`` (site admins and
# workers, whose roles need two-factor sign-in): ``login`` types its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _database_url(folder: str) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{folder}/test.db"


@pytest.fixture(scope="session")
def app():
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BETTERWAY_INSTANCE"] = folder

        class SuiteConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = _database_url(folder)

        app = create_app(SuiteConfig)
        with app.app_context():
            _reset_schema()
            from flask_migrate import upgrade

            upgrade()
        yield app
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


def _reset_schema() -> None:
    """Start from an empty database (PostgreSQL keeps tables between runs)."""
    if db.engine.dialect.name == "postgresql":
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    else:
        db.drop_all()
        with db.engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


UNIT = Path(__file__).resolve().parent / "unit"


@pytest.fixture(autouse=True)
def _empty_tables(request):
    """Empty every table after a test that used the database (through the
    ``app`` fixture, directly or not); pure tests build no app at all."""
    if "app" not in request.fixturenames:
        yield
        return
    # tests/unit is the pure core: a test there that asks for the app belongs
    # beside its capability instead.
    assert UNIT not in Path(request.node.path).parents, f"{request.node.nodeid} builds an app"
    app = request.getfixturevalue("app")
    yield
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in reversed(db.metadata.sorted_tables)]
        with db.engine.begin() as connection:
            if db.engine.dialect.name == "postgresql":
                connection.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
            else:
                for table in tables:
                    connection.execute(text(f'DELETE FROM "{table}"'))


@pytest.fixture()
def app_ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def runner(app):
    return app.test_cli_runner()


def csrf_token(client) -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    page = client.get("/").get_data(as_text=True)
    match = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    assert match, "no CSRF token on the home page"
    return match.group(1)


_TOKENS = re.compile(r'(name="csrf-token" content|name="csrf_token" value)="[^"]*"')


def without_tokens(page: str) -> str:
    """A page without its random CSRF tokens, so that a test looking for a
    short figure or word does not find it inside one by chance."""
    return _TOKENS.sub(r'\1=""', page)


def make_user(app, *roles: str, email: str | None = None, name: str | None = None, two_factor=None):
    """Create a user with the test password and return its id.

    ``two_factor``: True switches two-factor sign-in on with ``TOTP_SECRET``;
    None (the default) does so when the roles need it, as a real user of
    those roles has done once signed in; False leaves it off (a user who
    still has to set it up)."""
    from betterway_map.accounts.services.two_factor import enrol_with_known_secret
    from betterway_map.accounts.services.two_factor_policy import is_required
    from betterway_map.accounts.services.users import create_user

    # Random, not counted: this module is imported both as "conftest" and as
    # "tests.conftest", and two counters would hand out the same address.
    # Letters only, so that no test looking for a number on a page finds it
    # in someone's address.
    email = (
        email
        or f"user-{''.join(secrets.choice(string.ascii_lowercase) for _ in range(14))}@example.org"
    )
    with app.app_context():
        user = create_user(email, PASSWORD, list(roles) or ["resident"], name, fast_hash=True)
        if two_factor or (two_factor is None and is_required(user)):
            enrol_with_known_secret(user.id, TOTP_SECRET, "test user")
        return user.id


def login(client, app, user_id: int) -> None:
    """Sign a client in through the real login form, and the code step when
    the user has two-factor sign-in on (a code not used before: see
    ``tests.factories.accounts.next_code``)."""
    from betterway_map.accounts.models import User

    with app.app_context():
        email = db.session.get(User, user_id).email
    response = client.post(
        "/auth/login", data={"email": email, "password": PASSWORD, "csrf_token": csrf_token(client)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    if response.headers["Location"] == "/auth/two-factor":
        from tests.factories.accounts import next_code

        response = client.post(
            "/auth/two-factor",
            data={"code": next_code(app, user_id), "csrf_token": csrf_token(client)},
        )
        assert response.status_code == 302, response.get_data(as_text=True)[:500]
        assert not response.headers["Location"].startswith("/auth/"), response.headers["Location"]


@pytest.fixture()
def user_factory(app):
    return lambda *roles, **kw: make_user(app, *roles, **kw)


@pytest.fixture()
def signed_in(app):
    """``signed_in(*roles)`` -> (client, user_id): a new client signed in as a new user."""

    def factory(*roles: str, **kw):
        client = app.test_client()
        user_id = make_user(app, *roles, **kw)
        login(client, app, user_id)
        return client, user_id

    return factory


@pytest.fixture()
def post_form():
    """``post_form(client, url, data)``: POST a form with the session's CSRF token."""

    def post(client, url, data=None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", csrf_token(client))
        return client.post(url, data=data, **kw)

    return post


@pytest.fixture()
def tuesday():
    """The day of the next meeting of a group with ``make_group``'s schedule
    (every Tuesday at 10am, UK wall-clock time), as the app finds it when
    the test starts: today on a Tuesday before the meeting begins, else the
    first Tuesday after today. Worked out when the test runs, never at
    collection, whose date is yesterday's once midnight has passed."""
    now = now_in_uk()
    if now.weekday() == 1 and now.time() <= time(10):
        return now.date()
    return first_weekday_after(now.date(), 1)


# The browser tests' fixtures (tests/browser/): one chromium per module, and
# people at it. Here rather than in tests/browser/conftest.py, whose module
# name would clash with this one (the tests are not packages).
@pytest.fixture(scope="module")
def browser():
    from tests.factories.browser import launch_browser

    yield from launch_browser()


@pytest.fixture()
def person(browser):
    """A person at a browser: ``person(viewport=...)`` -> (page, watch), each
    in a fresh context (no shared cookies), closed after the test."""
    from tests.factories.browser import new_page

    contexts = []

    def make(viewport=(1200, 900)):
        context, page, watch = new_page(browser, viewport)
        contexts.append(context)
        return page, watch

    yield make
    for context in contexts:
        context.close()
