"""Two-factor sign-in REQUIRED for the roles that see personal data
(``TWO_FACTOR_REQUIRED_ROLES``: site admins and community workers by
default): set up between the password and being signed in, nothing else
reachable until then, never switched off, reset by a site admin or the
command line, and API tokens only for an account that has it."""

from __future__ import annotations

import pytest

from betterway_map.accounts.models import AuditEvent, User
from betterway_map.accounts.services import sessions, two_factor
from betterway_map.domain import vocab
from betterway_map.errors import Conflict
from betterway_map.extensions import db
from tests.conftest import PASSWORD, TOTP_SECRET, csrf_token, login, make_user
from tests.factories.accounts import code_for, email_of, make_stale, post, secret_of

REQUIRED = ("site_admin", "worker")
SETUP = "/auth/two-factor/setup"


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


def _actions(app, user_id) -> list[tuple[str, str | None]]:
    with app.app_context():
        return [
            (event.action, event.detail)
            for event in db.session.scalars(
                db.select(AuditEvent)
                .where(AuditEvent.subject_type == "user", AuditEvent.subject_id == user_id)
                .order_by(AuditEvent.id)
            )
        ]


@pytest.fixture()
def newcomer(app):
    """A community worker who has not set two-factor sign-in up, after the
    password step: (client, user_id)."""
    user_id = make_user(app, "worker", two_factor=False)
    client = app.test_client()
    response = _password_step(app, client, user_id, next_path="/account")
    assert response.headers["Location"] == SETUP
    return client, user_id


@pytest.mark.parametrize("role", vocab.values(vocab.ROLES))
def test_only_the_required_roles_are_taken_to_set_it_up(app, role):
    user_id = make_user(app, role, two_factor=False)
    response = _password_step(app, app.test_client(), user_id)
    assert (response.headers["Location"] == SETUP) is (role in REQUIRED)


@pytest.mark.parametrize("path", ["/me", "/account", "/people/", "/measures/caseload"])
def test_nothing_is_open_before_it_is_set_up(app, newcomer, path):
    client, _ = newcomer
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/auth/login")


def test_no_personal_data_api_through_the_half_signed_in_session(app, newcomer):
    client, _ = newcomer
    response = client.get("/api/v1/people")
    assert response.status_code == 401


def test_the_setup_page_shows_a_new_secret_and_why(app, newcomer):
    client, user_id = newcomer
    page = client.get(SETUP)
    text = page.get_data(as_text=True)
    secret = secret_of(app, user_id, pending=True)
    assert page.status_code == 200
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in text
    assert "community worker" in text and 'src="data:image/svg+xml' in text
    assert page.headers["Cache-Control"] == "no-store"


def test_a_right_code_turns_it_on_and_signs_in_to_the_page_asked_for(app, newcomer):
    client, user_id = newcomer
    response = post(client, SETUP, {"code": code_for(secret_of(app, user_id, pending=True))})
    assert response.status_code == 302 and response.headers["Location"] == "/account"
    assert client.get("/account").status_code == 200
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.totp_secret and user.totp_pending_secret is None
    assert ("2fa_enrol", "at sign-in, required for community worker") in _actions(app, user_id)


def test_a_wrong_code_signs_no_one_in_and_is_audited(app, newcomer):
    client, user_id = newcomer
    right = code_for(secret_of(app, user_id, pending=True))
    response = post(client, SETUP, {"code": "000000" if right != "000000" else "111111"})
    assert response.status_code == 400 and "not right" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302
    assert ("2fa_fail", "wrong code while setting up") in _actions(app, user_id)


def test_the_setup_page_without_the_password_step_says_to_sign_in(app, client):
    response = client.get(SETUP)
    assert "Sign in again" in response.get_data(as_text=True)


def test_the_setup_step_expires(app, newcomer):
    client, user_id = newcomer
    with client.session_transaction() as session:
        pending = dict(session["2fa_pending"])
        pending["at"] -= app.config["TWO_FACTOR_ENROL_MINUTES"] * 60 + 1
        session["2fa_pending"] = pending
    response = post(client, SETUP, {"code": code_for(secret_of(app, user_id, pending=True))})
    assert "Sign in again" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302


def test_the_code_step_and_the_setup_step_do_not_stand_in_for_each_other(app, newcomer):
    client, user_id = newcomer
    response = post(client, "/auth/two-factor", {"code": code_for(TOTP_SECRET)})
    assert "Sign in again" in response.get_data(as_text=True)


def test_a_required_user_cannot_switch_it_off(app, signed_in):
    client, user_id = signed_in("worker")
    page = client.get("/account").get_data(as_text=True)
    assert "/account/two-factor/disable" not in page
    assert "cannot be switched off" in page and "community worker" in page
    response = post(client, "/account/two-factor/disable")
    assert response.headers["Location"] == "/account"
    assert "cannot be switched off" in client.get("/account").get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).totp_secret is not None


def test_a_session_from_before_the_requirement_is_signed_out(app, signed_in, monkeypatch):
    """A setting changed (or a role given) while someone is signed in: their
    next request is signed out, says why, and their password leads to setup."""
    client, user_id = signed_in("council")
    monkeypatch.setitem(app.config, "TWO_FACTOR_REQUIRED_ROLES", ("council",))
    response = client.get("/me")
    assert response.status_code == 302 and response.headers["Location"].startswith("/auth/login")
    assert "needs two-factor sign-in" in client.get("/").get_data(as_text=True)
    assert ("logout", "two-factor sign-in required, not set up") in _actions(app, user_id)
    assert _password_step(app, client, user_id).headers["Location"] == SETUP


def test_given_the_worker_role_they_set_it_up_at_their_next_sign_in(app, signed_in):
    admin, _ = signed_in("site_admin")
    resident_client, resident_id = signed_in("resident")
    response = post(admin, f"/admin/users/{resident_id}/roles", {"roles": "worker"})
    assert response.status_code == 302
    assert resident_client.get("/me").status_code == 302  # signed out by the change
    assert _password_step(app, app.test_client(), resident_id).headers["Location"] == SETUP


def test_a_site_admin_resets_a_lost_phone_and_they_set_it_up_again(app, signed_in):
    admin, admin_id = signed_in("site_admin")
    worker_client, worker_id = signed_in("worker")
    response = post(admin, f"/admin/users/{worker_id}/two-factor/reset")
    assert response.status_code == 302
    assert worker_client.get("/me").status_code == 302  # signed out everywhere
    with app.app_context():
        assert db.session.get(User, worker_id).totp_secret is None
        event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "2fa_reset"))
        assert (event.user_id, event.subject_id) == (admin_id, worker_id)
    assert _password_step(app, app.test_client(), worker_id).headers["Location"] == SETUP


def test_resetting_needs_a_fresh_sign_in(app, signed_in):
    admin, admin_id = signed_in("site_admin")
    worker_id = make_user(app, "worker")
    make_stale(app, admin_id)
    response = post(admin, f"/admin/users/{worker_id}/two-factor/reset")
    assert response.headers["Location"].startswith("/auth/confirm")
    with app.app_context():
        assert db.session.get(User, worker_id).totp_secret is not None


def test_a_site_admin_cannot_reset_their_own(app, signed_in):
    admin, admin_id = signed_in("site_admin")
    response = post(admin, f"/admin/users/{admin_id}/two-factor/reset")
    assert response.status_code == 400
    assert "ask another site admin" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, admin_id).totp_secret is not None


def test_the_command_line_resets_it(app, runner):
    worker_id = make_user(app, "worker")
    result = runner.invoke(args=["users", "reset-2fa", email_of(app, worker_id).upper()])
    assert result.exit_code == 0, result.output
    assert "set it up again when they next sign in" in result.output
    with app.app_context():
        assert db.session.get(User, worker_id).totp_secret is None
    assert ("2fa_reset", "from the command line") in _actions(app, worker_id)


def test_the_user_list_says_who_has_it_and_who_owes_it(app, runner):
    on = email_of(app, make_user(app, "worker"))
    owed = email_of(app, make_user(app, "site_admin", two_factor=False))
    lines = {
        line.split("\t")[1]: line
        for line in runner.invoke(args=["users", "list"]).output.splitlines()
    }
    assert "\ttwo-factor on\t" in lines[on]
    assert "two-factor off (required: set up at next sign-in)" in lines[owed]


def test_the_command_line_names_an_unknown_address(app, runner):
    result = runner.invoke(args=["users", "reset-2fa", "nobody@example.org"])
    assert result.exit_code == 2 and "nobody@example.org" in result.output


def _me(app, token):
    return app.test_client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})


def test_a_token_works_only_while_two_factor_sign_in_is_on(app):
    worker_id = make_user(app, "worker")
    with app.app_context():
        token = sessions.issue_api_token(worker_id)
        two_factor.reset(worker_id, changed_by=None)
    refused = _me(app, token)
    assert refused.status_code == 401
    assert "Two-factor sign-in is required" in refused.get_json()["message"]
    with app.app_context():
        two_factor.enrol_with_known_secret(worker_id, TOTP_SECRET, "test: set up again")
    assert _me(app, token).status_code == 200


def test_no_token_is_made_before_it_is_set_up(app):
    worker_id = make_user(app, "worker", two_factor=False)
    with app.app_context(), pytest.raises(Conflict, match="Set up two-factor sign-in first"):
        sessions.issue_api_token(worker_id)


def test_workers_and_site_admins_sign_in_with_a_code(app, client):
    """The suite's own sign-in helper goes through the code step for them."""
    user_id = make_user(app, "site_admin")
    login(client, app, user_id)
    assert client.get("/admin/users").status_code == 200
