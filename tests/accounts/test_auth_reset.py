"""Forgotten password: a signed, time-limited, single-use link sent by email."""

from __future__ import annotations

import re

import pytest

from betterway_map.accounts.models import User
from betterway_map.accounts.services import password_reset
from betterway_map.extensions import db
from tests.conftest import PASSWORD, csrf_token
from tests.factories.accounts import clear_outbox, email_of, link_in, messages_to, post

NEW_PASSWORD = "a quite different passphrase"


@pytest.fixture(autouse=True)
def _empty_outbox(app):
    clear_outbox(app)
    yield
    clear_outbox(app)


def _ask(client, address: str):
    return post(client, "/auth/forgotten-password", {"email": address})


def _link_for(app, client, user_id) -> str:
    address = email_of(app, user_id)
    _ask(client, address)
    messages = messages_to(app, address)
    assert len(messages) == 1
    return link_in(messages[0])


def _sign_in(app, client, user_id, password):
    return client.post(
        "/auth/login",
        data={
            "email": email_of(app, user_id),
            "password": password,
            "csrf_token": csrf_token(client),
        },
    )


def test_login_page_offers_a_way_back_in(client):
    assert "/auth/forgotten-password" in client.get("/auth/login").get_data(as_text=True)


def test_reset_flow_end_to_end(app, client, user_factory):
    user_id = user_factory("resident")
    link = _link_for(app, client, user_id)
    page = client.get(link)
    assert page.status_code == 200
    assert email_of(app, user_id) in page.get_data(as_text=True)
    response = post(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.headers["Location"] == "/auth/login"
    assert _sign_in(app, app.test_client(), user_id, PASSWORD).status_code == 400
    assert _sign_in(app, app.test_client(), user_id, NEW_PASSWORD).status_code == 302


def _comparable(page: str, address: str) -> str:
    """The page without what differs by design: the address typed and the
    per-form CSRF token (a fresh one on each page)."""
    page = page.replace(address, "ADDRESS")
    return re.sub(
        r'(name="csrf_token" value|name="csrf-token" content)="[^"]*"',
        "CSRF",
        page,
    )


def test_the_page_answers_the_same_with_or_without_an_account(app, client, user_factory):
    user_id = user_factory("resident")
    known = _ask(client, email_of(app, user_id)).get_data(as_text=True)
    unknown = _ask(client, "nobody@example.org").get_data(as_text=True)
    assert _comparable(known, email_of(app, user_id)) == _comparable(unknown, "nobody@example.org")
    assert messages_to(app, "nobody@example.org") == []


def test_the_user_facing_page_does_not_mention_the_outbox(app, client):
    for page in (client.get("/auth/forgotten-password"), _ask(client, "someone@example.org")):
        assert "outbox" not in page.get_data(as_text=True).lower()


def test_a_link_works_only_once(app, client, user_factory):
    user_id = user_factory("resident")
    link = _link_for(app, client, user_id)
    post(client, link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = post(
        client, link, {"password": "yet another passphrase", "confirm": "yet another passphrase"}
    )
    assert again.status_code == 400
    assert "does not work" in again.get_data(as_text=True)
    assert _sign_in(app, app.test_client(), user_id, NEW_PASSWORD).status_code == 302


def test_a_link_dies_when_the_password_changes_another_way(app, client, user_factory):
    user_id = user_factory("resident")
    link = _link_for(app, client, user_id)
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = password_reset.hash_password("changed elsewhere meanwhile", fast=True)
        db.session.commit()
    assert client.get(link).status_code == 400


def test_an_expired_link_says_so(app, client, user_factory, monkeypatch):
    user_id = user_factory("resident")
    link = _link_for(app, client, user_id)
    monkeypatch.setitem(app.config, "PASSWORD_RESET_MAX_AGE_MINUTES", -1)
    response = client.get(link)
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "token", ["nonsense", "eyJ1IjoxLCJwIjoicmVzZXQifQ.forged.signature", "a" * 300]
)
def test_a_broken_link_is_refused_clearly(app, client, user_factory, token):
    user_factory("resident")
    response = client.get(f"/auth/choose-password/{token}")
    assert response.status_code == 400
    assert "does not work" in response.get_data(as_text=True)


def test_a_link_for_a_deactivated_user_does_not_work(app, client, user_factory):
    user_id = user_factory("resident")
    link = _link_for(app, client, user_id)
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    assert client.get(link).status_code == 400


def test_no_link_is_sent_to_a_deactivated_user(app, client, user_factory):
    user_id = user_factory("resident")
    with app.app_context():
        db.session.get(User, user_id).active = False
        db.session.commit()
    _ask(client, email_of(app, user_id))
    assert messages_to(app, email_of(app, user_id)) == []


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        ("short", "short", "at least 12 characters"),
        ("password1234", "password1234", "most common passwords"),
        (NEW_PASSWORD, "something else entirely", "not the same"),
        ("", "", "Choose a password"),
    ],
)
def test_a_bad_new_password_is_refused_and_the_link_still_works(
    app, client, user_factory, password, confirm, message
):
    user_id = user_factory("resident")
    link = _link_for(app, client, user_id)
    response = post(client, link, {"password": password, "confirm": confirm})
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert client.get(link).status_code == 200
    assert _sign_in(app, app.test_client(), user_id, PASSWORD).status_code == 302


def test_choosing_a_new_password_ends_every_session(app, signed_in):
    client, user_id = signed_in("resident")
    link = _link_for(app, app.test_client(), user_id)
    post(app.test_client(), link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert client.get("/me").status_code == 302


@pytest.mark.parametrize("address", ["", "not an address", "x" * 300 + "@example.org"])
def test_a_bad_address_gets_a_message_or_the_same_answer(app, client, address):
    response = _ask(client, address)
    assert response.status_code in (200, 400)
    assert response.status_code != 500
    if address == "":
        assert "Enter the email address" in response.get_data(as_text=True)


def test_links_are_sent_through_smtp_when_a_server_is_set(app, client, user_factory, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            sent.append(("connect", host, port))

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context):
            sent.append(("starttls",))

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, message):
            sent.append(("send", message["To"], message.get_content()))

    monkeypatch.setattr("betterway_map.accounts.services.mail.smtplib.SMTP", FakeSMTP)
    monkeypatch.setitem(app.config, "MAIL_SERVER", "mail.example.org")
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "bwm")
    user_id = user_factory("resident")
    _ask(client, email_of(app, user_id))
    assert sent[0] == ("connect", "mail.example.org", 587)
    assert ("starttls",) in sent and ("login", "bwm") in sent
    assert sent[-1][1] == email_of(app, user_id)
    assert "/auth/choose-password/" in sent[-1][2]
    assert messages_to(app, email_of(app, user_id)) == []  # not written to the outbox


def test_a_forged_host_header_cannot_redirect_the_emailed_link(
    app, client, user_factory, monkeypatch
):
    monkeypatch.setitem(app.config, "PUBLIC_BASE_URL", "https://map.example.org/")
    user_id = user_factory("resident")
    forged = {"Host": "evil.example"}
    page = client.get("/", headers=forged).get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    response = client.post(
        "/auth/forgotten-password",
        data={"email": email_of(app, user_id), "csrf_token": token},
        headers=forged,
    )
    assert response.status_code == 200
    body = messages_to(app, email_of(app, user_id))[0].get_body().get_content()
    assert "https://map.example.org/auth/choose-password/" in body
    assert "evil.example" not in body


def test_an_account_no_password_opens_gets_no_link_and_no_sign_in(app, client, user_factory):
    # Accounts made for records only (e.g. the demo's people who are online)
    # carry a hash no password matches: no reset link is sent for them, a
    # link made for one anyway does not work, and nobody signs in.
    from betterway_map.accounts.services.passwords import unusable_password_hash

    user_id = user_factory("resident")
    stored = unusable_password_hash("for records only")
    with app.app_context():
        user = db.session.get(User, user_id)
        user.password_hash = stored
        db.session.commit()
        token = password_reset.make_link_token(user, "reset")
    address = email_of(app, user_id)
    _ask(client, address)
    assert messages_to(app, address) == []
    page = client.get(f"/auth/choose-password/{token}")
    assert page.status_code == 400
    for password in (PASSWORD, stored, stored[1:], ""):
        assert _sign_in(app, app.test_client(), user_id, password).status_code == 400
