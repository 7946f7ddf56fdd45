"""Helpers for the accounts tests: the outbox, TOTP codes, stale sessions."""

from __future__ import annotations

import email
import re
import time
from datetime import timedelta
from pathlib import Path

import pyotp

from betterway_map.accounts import secret_box
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


def secret_of(app, user_id: int, *, pending: bool = False) -> str:
    """The user's TOTP secret (or the one being set up), decrypted."""
    with app.app_context():
        user = db.session.get(User, user_id)
        stored = user.totp_pending_secret if pending else user.totp_secret
        return secret_box.decrypt(stored)


# A code of the step before is refused once the server's clock reaches the
# next step; it is not offered this close to the end of a step.
_MARGIN_SECONDS = 5


def next_code(app, user_id: int) -> str:
    """A code the server accepts now for the user: the earliest time step in
    its window (the step before, now, the step after) that is later than the
    last one used, as the replay guard (``totp_last_step``) wants. So one
    user can sign in three times in a step; a fourth waits for the next step
    (at most 30 s), as a person with the app would."""
    with app.app_context():
        user = db.session.get(User, user_id)
        secret, last = secret_box.decrypt(user.totp_secret), user.totp_last_step
    totp = pyotp.TOTP(secret)
    while True:
        now = time.time()
        step, into = divmod(now, totp.interval)
        step = int(step)
        first = step - 1 if into < totp.interval - _MARGIN_SECONDS else step
        for candidate in range(first, step + 2):
            if last is None or candidate > last:
                return totp.generate_otp(candidate)
        time.sleep(totp.interval - into + 0.05)


def next_code_for_email(app, email: str) -> str:
    with app.app_context():
        user_id = db.session.scalar(db.select(User.id).where(User.email == email))
    return next_code(app, user_id)


def turn_on_two_factor(app, client, user_id: int) -> str:
    """Switch 2FA on through the account pages; return the secret."""
    assert (
        client.post(
            "/account/two-factor/start", data={"csrf_token": csrf_token(client)}
        ).status_code
        == 302
    )
    secret = secret_of(app, user_id, pending=True)
    response = client.post(
        "/account/two-factor/confirm",
        data={"code": code_for(secret), "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return secret


def post(client, url: str, data: dict | None = None, **kw):
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kw)
