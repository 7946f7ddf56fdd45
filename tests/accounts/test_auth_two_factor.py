"""Two-factor sign-in with TOTP: setting it up, the second sign-in step, switching off."""

from __future__ import annotations

import pyotp
import pytest

from betterway_map.accounts.models import AuditEvent, User, UserSession
from betterway_map.accounts.services.sessions import reauthenticate
from betterway_map.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.factories.accounts import (
    code_for,
    email_of,
    make_stale,
    post,
    secret_of,
    turn_on_two_factor,
)


def _password_step(app, client, user_id, next_path=None):
    url = "/auth/login" + (f"?next={next_path}" if next_path else "")
    return client.post(
        url,
        data={
            "email": email_of(app, user_id),
            "password": PASSWORD,
            "csrf_token": csrf_token(client),
        },
    )


@pytest.fixture()
def two_factor_user(app, signed_in):
    """A resident with 2FA on, and a fresh client that is not signed in."""
    client, user_id = signed_in("resident")
    secret = turn_on_two_factor(app, client, user_id)
    return user_id, secret, app.test_client()


def test_setup_page_shows_the_secret_and_an_inline_qr_code(app, signed_in):
    client, user_id = signed_in("resident")
    post(client, "/account/two-factor/start")
    page = client.get("/account/two-factor")
    text = page.get_data(as_text=True)
    secret = secret_of(app, user_id, pending=True)
    assert page.status_code == 200
    assert secret[:4] in text
    assert 'src="data:image/svg+xml' in text  # drawn here, no outside QR service
    assert "http://" not in text.split('src="data:image/svg+xml', 1)[1].split('"', 1)[0].lower()
    assert page.headers["Cache-Control"] == "no-store"


def test_two_factor_is_not_on_until_a_code_confirms_it(app, signed_in):
    client, user_id = signed_in("resident")
    post(client, "/account/two-factor/start")
    response = post(client, "/account/two-factor/confirm", {"code": "000000"})
    assert response.status_code == 400
    assert "not right" in response.get_data(as_text=True)
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_secret is None and user.totp_pending_secret


@pytest.mark.parametrize("code", ["12345", "abcdef", "1234567", "12 34 5x"])
def test_a_code_that_is_not_six_digits_is_named_in_the_message(app, signed_in, code):
    client, _ = signed_in("resident")
    post(client, "/account/two-factor/start")
    response = post(client, "/account/two-factor/confirm", {"code": code})
    assert response.status_code == 400
    assert "6 digits" in response.get_data(as_text=True)


def test_starting_setup_needs_a_fresh_sign_in(app, signed_in):
    client, user_id = signed_in("resident")
    make_stale(app, user_id)
    response = post(client, "/account/two-factor/start")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/confirm")


def test_sign_in_asks_for_the_code_before_the_session_is_signed_in(app, two_factor_user):
    user_id, secret, client = two_factor_user
    response = _password_step(app, client, user_id)
    assert response.headers["Location"] == "/auth/two-factor"
    assert client.get("/me").status_code == 302  # not signed in yet
    response = post(client, "/auth/two-factor", {"code": code_for(secret, 1)})
    assert response.status_code == 302
    assert response.headers["Location"] == "/me"
    assert client.get("/me").status_code == 200


def test_the_second_step_keeps_the_next_page(app, two_factor_user):
    user_id, secret, client = two_factor_user
    _password_step(app, client, user_id, next_path="/account")
    response = post(client, "/auth/two-factor", {"code": code_for(secret, 1)})
    assert response.headers["Location"] == "/account"


def test_a_wrong_code_does_not_sign_in_and_is_audited(app, two_factor_user):
    user_id, secret, client = two_factor_user
    _password_step(app, client, user_id)
    wrong = "000000" if code_for(secret, 1) != "000000" else "111111"
    response = post(client, "/auth/two-factor", {"code": wrong})
    assert response.status_code == 400
    assert "not right" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302
    with app.app_context():
        assert (
            db.session.scalar(db.select(db.func.count()).where(AuditEvent.action == "2fa_fail"))
            == 1
        )


def test_a_used_code_cannot_be_used_again(app, two_factor_user):
    user_id, secret, client = two_factor_user
    code = code_for(secret, 1)
    _password_step(app, client, user_id)
    assert post(client, "/auth/two-factor", {"code": code}).status_code == 302
    other = app.test_client()
    _password_step(app, other, user_id)
    response = post(other, "/auth/two-factor", {"code": code})
    assert response.status_code == 400
    assert other.get("/me").status_code == 302


def test_too_many_wrong_codes_need_the_password_again(app, two_factor_user):
    user_id, secret, client = two_factor_user
    _password_step(app, client, user_id)
    right = code_for(secret, 1)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        assert post(client, "/auth/two-factor", {"code": wrong}).status_code == 400
    response = post(client, "/auth/two-factor", {"code": wrong})
    assert response.headers["Location"] == "/auth/login"
    response = post(client, "/auth/two-factor", {"code": right})
    assert "Sign in again" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_the_second_step_without_a_password_first_signs_nobody_in(app, two_factor_user):
    _, secret, client = two_factor_user
    response = post(client, "/auth/two-factor", {"code": code_for(secret, 1)})
    assert "Sign in again" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_a_wrong_password_never_reaches_the_second_step(app, two_factor_user):
    user_id, _, client = two_factor_user
    response = client.post(
        "/auth/login",
        data={
            "email": email_of(app, user_id),
            "password": "not the password at all",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 400


def test_a_pending_sign_in_expires(app, two_factor_user):
    user_id, secret, client = two_factor_user
    _password_step(app, client, user_id)
    with client.session_transaction() as session:
        pending = dict(session["2fa_pending"])
        pending["at"] -= app.config["TWO_FACTOR_PENDING_MINUTES"] * 60 + 1
        session["2fa_pending"] = pending
    response = post(client, "/auth/two-factor", {"code": code_for(secret, 1)})
    assert "Sign in again" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_confirming_it_is_you_asks_for_a_code_too(app, signed_in):
    client, user_id = signed_in("resident")
    secret = turn_on_two_factor(app, client, user_id)  # uses the current step's code
    make_stale(app, user_id)
    without_code = post(client, "/auth/confirm?next=/account", {"password": PASSWORD})
    assert without_code.status_code == 400
    assert "6 digits" in without_code.get_data(as_text=True)
    # The very code that switched it on (its step is stored), not "the
    # current code": a 30-second step may have ended since.
    with app.app_context():
        last_step = db.session.get(User, user_id).totp_last_step
    totp = pyotp.TOTP(secret)
    used_code = post(
        client,
        "/auth/confirm?next=/account",
        {"password": PASSWORD, "code": totp.at(last_step * totp.interval)},
    )
    assert used_code.status_code == 400
    response = post(
        client, "/auth/confirm?next=/account", {"password": PASSWORD, "code": code_for(secret, 1)}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/account"


def test_switching_off_needs_a_fresh_sign_in_then_works(app, signed_in):
    client, user_id = signed_in("resident")
    turn_on_two_factor(app, client, user_id)
    make_stale(app, user_id)
    response = post(client, "/account/two-factor/disable")
    assert response.headers["Location"].startswith("/auth/confirm")
    with app.app_context():
        assert db.session.get(User, user_id).totp_secret is not None
    with app.app_context():
        for row in db.session.scalars(db.select(UserSession).where(UserSession.user_id == user_id)):
            reauthenticate(row.id)
    assert post(client, "/account/two-factor/disable").status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id).totp_secret is None


def test_site_admin_dashboard_prompts_to_switch_two_factor_on_where_not_required(
    app, signed_in, monkeypatch
):
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("worker",))
    client, user_id = signed_in("site_admin")
    assert "Please switch on two-factor sign-in" in client.get("/me").get_data(as_text=True)
    turn_on_two_factor(app, client, user_id)
    assert "Please switch on two-factor sign-in" not in client.get("/me").get_data(as_text=True)


def test_the_secret_is_shown_only_to_a_fresh_sign_in(app, signed_in):
    client, user_id = signed_in("resident")
    post(client, "/account/two-factor/start")
    make_stale(app, user_id)
    response = client.get("/account/two-factor")
    assert response.headers["Location"].startswith("/auth/confirm")
