"""Required two-factor sign-in in headless chromium with axe-core on every
page: a community worker who has not set it up types their password, is
taken to set it up (reads the key from the page, as an authenticator app
would, and types its code), and only then reaches their page; they cannot
switch it off, and the account page says why. A site admin resets it for a
lost phone, and the worker sets it up again at their next sign-in."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
import pytest

from tests.factories.browser import assert_accessible, serve, sign_in, skip_reason, visit

pytestmark = pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")

WORKER_EMAIL = "wren.worker@example.org"  # has not set it up
PHONE_LOST_EMAIL = "wynn.worker@example.org"  # has, and loses the phone
ADMIN_EMAIL = "ada.admin@example.org"


def _seed(app) -> None:
    from tests.conftest import make_user

    make_user(app, "worker", email=WORKER_EMAIL, name="Wren", two_factor=False)
    make_user(app, "worker", email=PHONE_LOST_EMAIL, name="Wynn")
    make_user(app, "site_admin", email=ADMIN_EMAIL, name="Ada")


@pytest.fixture(scope="module")
def site():
    with serve(_seed) as (base, app):
        yield base, app


def _password_step(page, base: str, email: str, next_path: str = "") -> None:
    from tests.conftest import PASSWORD

    visit(page, f"{base}/auth/login{next_path}")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    assert urlsplit(page.url).path == "/auth/two-factor/setup", page.inner_text("main")
    assert_accessible(page)


def _set_up(page) -> str:
    """Read the key from the page, type the app's code; the secret."""
    assert "community worker" in page.inner_text("main")
    assert page.get_by_role("img", name="QR code").count() == 1
    secret = page.inner_text("#secret").replace(" ", "")
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Set it up and sign in").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
    return secret


def test_a_worker_sets_it_up_at_sign_in_and_cannot_switch_it_off(site, person):
    base, _ = site
    page, watch = person()
    _password_step(page, base, WORKER_EMAIL, "?next=/account")

    # Half-way through signing in, nothing else is open.
    page.goto(f"{base}/people/", wait_until="load")
    assert urlsplit(page.url).path == "/auth/login"
    page.go_back(wait_until="load")
    page.reload(wait_until="load")
    assert urlsplit(page.url).path == "/auth/two-factor/setup"
    assert_accessible(page)

    _set_up(page)
    assert urlsplit(page.url).path == "/account", page.inner_text("main")
    assert "Two-factor sign-in is on" in page.inner_text(".messages")
    assert "cannot be switched off" in page.inner_text("#two-factor-required")
    assert page.get_by_role("button", name="Switch two-factor sign-in off").count() == 0
    visit(page, f"{base}/me")
    watch.check(page)


def test_after_a_reset_the_worker_sets_it_up_again(site, person):
    base, _ = site
    admin, watch = person()
    sign_in(admin, base, ADMIN_EMAIL)
    visit(admin, f"{base}/admin/users?q=wynn")
    admin.get_by_role("link", name=PHONE_LOST_EMAIL).click()
    admin.wait_for_load_state("load")
    assert_accessible(admin)
    admin.get_by_role("button", name="Reset their two-factor sign-in").click()
    admin.wait_for_load_state("load")
    assert_accessible(admin)
    assert f"reset for {PHONE_LOST_EMAIL}" in admin.inner_text(".messages")
    watch.check(admin)

    page, _ = person()
    _password_step(page, base, PHONE_LOST_EMAIL)
    _set_up(page)
    assert urlsplit(page.url).path == "/me", page.inner_text("main")
