"""Helpers for the accounts tests: the outbox, TOTP codes, stale sessions."""

from __future__ import annotations

import email
import re
import time
from datetime import timedelta
from pathlib import Path

import pyotp

from betterway_map.accounts.models import User, UserSession
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db
from tests.conftest import csrf_token


def outbox(app) -> Path:
    return Path(app.instance_path) / "outbox"


def clear_outbox(app) -> None:
    for path in outbox(app).glob("*.eml"):
        path.unlink()


def messages_to(app, address: str) -> list[email.message.EmailMessage]:
    found = []
    for path in sorted(outbox(app).glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        if message["To"] == address:
            found.append(message)
    return found


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    match = re.search(r"https?://[^/\s]+(/auth/choose-password/\S+)", body)
    assert match, body
    return match.group(1)


def email_of(app, user_id: int) -> str:
    with app.app_context():
        return db.session.get(User, user_id).email


def make_stale(app, user_id: int) -> None:
    """Make every session of the user older than the fresh-sign-in window."""
    with app.app_context():
        for row in db.session.scalars(db.select(UserSession).where(UserSession.user_id == user_id)):
            row.authenticated_at = utcnow() - timedelta(hours=2)
        db.session.commit()


def code_for(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset_steps * totp.interval)


def turn_on_two_factor(app, client, user_id: int) -> str:
    """Switch 2FA on through the account pages; return the secret."""
    assert (
        client.post(
            "/account/two-factor/start", data={"csrf_token": csrf_token(client)}
        ).status_code
        == 302
    )
    with app.app_context():
        secret = db.session.get(User, user_id).totp_pending_secret
    response = client.post(
        "/account/two-factor/confirm",
        data={"code": code_for(secret), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return secret


def post(client, url: str, data: dict | None = None, **kw):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kw)
