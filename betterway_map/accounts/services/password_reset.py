"""One-off links to choose a password: "forgotten your password" and invitations.

A link carries the user's id, signed with the app's secret key (itsdangerous)
and salted with the user's *current* password hash, so it is time-limited and
works once: choosing a password changes the hash and every older link dies.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.accounts.services import mail
from betterway_map.accounts.services.passwords import (
    PasswordRejected,
    check_password_policy,
    has_usable_password,
    hash_password,
)
from betterway_map.accounts.services.sessions import (
    end_all_sessions,
    end_api_token,
    normalise_email,
)
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db

__all__ = [
    "PURPOSES",
    "make_link_token",
    "user_for_link_token",
    "request_reset",
    "set_password_from_link",
    "LinkInvalid",
]

# purpose -> (config setting, seconds per unit of that setting)
PURPOSES = {
    "reset": ("PASSWORD_RESET_MAX_AGE_MINUTES", 60),
    "invite": ("INVITE_MAX_AGE_HOURS", 3600),
}


class LinkInvalid(InvalidInput):
    """A link that is broken, has expired or has already been used."""

    status_code = 400


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"])


def _salt(purpose: str, user: User) -> str:
    return f"bwm-password-{purpose}:{user.password_hash}"


def max_age_seconds(purpose: str) -> int:
    setting, unit = PURPOSES[purpose]
    return int(current_app.config[setting]) * unit


def make_link_token(user: User, purpose: str) -> str:
    if purpose not in PURPOSES:
        raise ValueError(f"unknown link purpose {purpose!r}")
    return _serializer().dumps({"u": user.id, "p": purpose}, salt=_salt(purpose, user))


def user_for_link_token(token: str) -> tuple[User, str]:
    """The active user a link was made for, and its purpose; ``LinkInvalid`` otherwise."""
    broken = LinkInvalid(
        "This link does not work: it may have been used already, have expired, or "
        "been copied only in part. Ask for a new one from the sign-in page."
    )
    serializer = _serializer()
    _, payload = serializer.loads_unsafe(token or "")
    if not isinstance(payload, dict) or payload.get("p") not in PURPOSES:
        raise broken
    user = db.session.get(User, payload.get("u")) if isinstance(payload.get("u"), int) else None
    if user is None or not user.active or not has_usable_password(user.password_hash):
        raise broken
    purpose = payload["p"]
    try:
        checked = serializer.loads(
            token, salt=_salt(purpose, user), max_age=max_age_seconds(purpose)
        )
    except SignatureExpired:
        raise LinkInvalid(
            "This link has expired. Ask for a new one from the sign-in page."
        ) from None
    except BadSignature:
        raise broken from None
    if checked != payload:
        raise broken
    return user, purpose


def link_url(user: User, purpose: str, link_for: Callable[[str], str]) -> str:
    """The full address of a one-off link, for an email: ``link_for`` turns
    the signed token into an address (the pages know their own URLs)."""
    return link_for(make_link_token(user, purpose))


def request_reset(email: str, link_for: Callable[[str], str]) -> None:
    """Email a reset link when ``email`` is an active account that a password
    can open (``has_usable_password``); do nothing otherwise.

    The caller answers the same either way, so nobody can learn from the page
    whether an address has an account.
    """
    try:
        email = normalise_email(email)
    except InvalidInput:
        return
    user = db.session.scalar(select(User).where(User.email == email))
    # An account that no password opens was made never to be signed in to.
    if user is None or not user.active or not has_usable_password(user.password_hash):
        return
    minutes = current_app.config["PASSWORD_RESET_MAX_AGE_MINUTES"]
    mail.send(
        user.email,
        "Choose a new password for Better Way Map",
        f"Hello {user.display_name},\n\n"
        "Someone (we hope you) asked to choose a new password for your Better Way Map "
        "account. To do so, open this link:\n\n"
        f"{link_url(user, 'reset', link_for)}\n\n"
        f"The link works once, within {minutes} minutes. If you did not ask, you can "
        "ignore this email: your password has not changed.\n",
    )
    audit.record(None, "reset_req", "user", user.id)
    db.session.commit()


def set_password_from_link(token: str, password: str, confirm: str, *, fast_hash=False) -> User:
    """Choose a password through a link; every session of the user ends."""
    user, purpose = user_for_link_token(token)
    if password != confirm:
        message = "The two passwords are not the same."
        raise InvalidInput(message, {"confirm": [message]})
    try:
        check_password_policy(password, user.email)
    except PasswordRejected as error:
        raise InvalidInput(str(error), {"password": [str(error)]}) from None
    user.password_hash = hash_password(password, fast=fast_hash)
    end_all_sessions(user.id)
    end_api_token(user, f"password set through a {purpose} link")
    audit.record(user.id, "password", "user", user.id, f"set through a {purpose} link")
    db.session.commit()
    return user
