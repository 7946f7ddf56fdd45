"""Signing in and staying signed in: passwords checked, server-side sessions
(idle timeout, fresh sign-in for sensitive actions, ending them all) and
API tokens (only a digest is stored)."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User, UserSession
from betterway_map.accounts.services.passwords import hash_password, needs_rehash, verify_password
from betterway_map.accounts.services.two_factor_policy import owes_enrolment, why_required
from betterway_map.domain.clock import utcnow
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.web.logs import pseudonym

__all__ = [
    "normalise_email",
    "authenticate",
    "start_session",
    "reauthenticate",
    "end_session",
    "end_all_sessions",
    "user_for_session",
    "session_is_fresh",
    "TOKEN_LIFETIMES_DAYS",
    "DEFAULT_TOKEN_DAYS",
    "TokenRefused",
    "issue_api_token",
    "end_api_token",
    "token_has_expired",
    "revoke_api_token",
    "user_for_api_token",
    "log_refused_sign_in",
]

log = logging.getLogger(__name__)


def log_refused_sign_in(reason: str, *, account_id: int | None = None, email: str = "") -> None:
    """A warning that a sign-in was refused: the account's id when there is
    one, else a keyed digest of the address given; never the address itself
    or anything typed as a password."""
    who = {"account_id": account_id} if account_id else {"address": pseudonym(email.lower())}
    log.warning(
        "Sign-in refused: %s", reason, extra={"event": "sign_in_refused", "reason": reason, **who}
    )


def normalise_email(email: str) -> str:
    """Check an email address's syntax and return its normal form (no DNS lookup)."""
    try:
        result = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput(
            f"{email!r} is not an email address: {error}",
            {"email": [f"{email!r} is not an email address: {error}"]},
        ) from None
    return result.normalized.lower()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """A hash to check against so that an unknown email costs as much as a real one."""
    return hash_password("not a real password, only for timing")


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _refuse(reason: str, *, account_id: int | None = None, email: str = "") -> None:
    """Log and audit a refused sign-in. The audit event names the account
    when there is one (who tried is unknown) and why; never the address
    given or anything typed as a password."""
    log_refused_sign_in(reason, account_id=account_id, email=email)
    audit.record(None, "login_fail", "user", account_id, reason)
    db.session.commit()


def authenticate(email: str, password: str, *, fast_hash: bool = False) -> User | None:
    """The active user with this email and password, or None.

    Upgrades the stored hash when the hashing parameters have changed.
    """
    try:
        email = normalise_email(email)
    except InvalidInput:
        verify_password(_dummy_hash(), password or "")
        _refuse("not an email address", email=email or "")
        return None
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        verify_password(_dummy_hash(), password or "")
        _refuse("no such account", email=email)
        return None
    if not verify_password(user.password_hash, password or ""):
        _refuse("wrong password", account_id=user.id)
        return None
    if not user.active:
        _refuse("account inactive", account_id=user.id)
        return None
    if needs_rehash(user.password_hash, fast=fast_hash):
        user.password_hash = hash_password(password, fast=fast_hash)
        db.session.commit()
    return user


def start_session(user: User) -> str:
    """Open a new server-side session for a user who has just signed in."""
    now = utcnow()
    session_id = secrets.token_urlsafe(32)
    db.session.add(
        UserSession(
            id=session_id, user_id=user.id, created_at=now, last_seen_at=now, authenticated_at=now
        )
    )
    user.last_login_at = now
    audit.record(user.id, "login", "user", user.id)
    db.session.commit()
    return session_id


def reauthenticate(session_id: str) -> None:
    """Mark a session as fresh after the password was typed again."""
    row = db.session.get(UserSession, session_id)
    if row is not None:
        row.authenticated_at = utcnow()
        db.session.commit()


def end_session(session_id: str | None, why: str | None = None) -> None:
    """Revoke a session so that its cookie no longer signs anyone in
    (``why``, for the audit log, when it was not the user signing out)."""
    if not session_id:
        return
    row = db.session.get(UserSession, session_id)
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(row.user_id, "logout", "user", row.user_id, why)
        db.session.commit()


def end_all_sessions(user_id: int, keep: str | None = None) -> None:
    """Revoke the user's sessions (except ``keep``) in the current transaction."""
    now = utcnow()
    for row in db.session.scalars(
        select(UserSession).where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
    ):
        if row.id != keep:
            row.revoked_at = now


def user_for_session(user_id: str, session_id: str | None, idle_minutes: int) -> User | None:
    """The user of a live session, or None when it was revoked or has gone idle.

    ``last_seen_at`` is written at most once a minute, so a busy page does
    not write to the database on every request.
    """
    if not session_id or not str(user_id).isdigit():
        return None
    row = db.session.get(UserSession, session_id)
    if row is None or row.revoked_at is not None or str(row.user_id) != str(user_id):
        return None
    now = utcnow()
    if now - _aware(row.last_seen_at) > timedelta(minutes=idle_minutes):
        row.revoked_at = now
        db.session.commit()
        return None
    user = db.session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if now - _aware(row.last_seen_at) > timedelta(minutes=1):
        row.last_seen_at = now
        db.session.commit()
    return user


def session_is_fresh(session_id: str | None, fresh_minutes: int) -> bool:
    if not session_id:
        return False
    row = db.session.get(UserSession, session_id)
    if row is None or row.revoked_at is not None:
        return False
    return utcnow() - _aware(row.authenticated_at) <= timedelta(minutes=fresh_minutes)


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# How long a new API token may last, in days (None: until revoked).
TOKEN_LIFETIMES_DAYS: tuple[int | None, ...] = (30, 90, 365, None)
DEFAULT_TOKEN_DAYS = 90
# ``api_token_last_used_at`` is written at most this often, so that a busy
# program does not write to the database on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


@dataclass(frozen=True)
class TokenRefused:
    """Why a token that matched an account signs no one in."""

    message: str


def issue_api_token(user_id: int, days: int | None = DEFAULT_TOKEN_DAYS) -> str:
    """Make a new API token for a user, replacing any old one; returned once.

    It lasts ``days`` (one of ``TOKEN_LIFETIMES_DAYS``; None: until revoked
    or the password changes).
    """
    if days not in TOKEN_LIFETIMES_DAYS:
        choices = ", ".join(str(d) for d in TOKEN_LIFETIMES_DAYS if d) + " or none"
        message = f"A token can last {choices} days, not {days!r}."
        raise InvalidInput(message, {"days": [message]})
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if owes_enrolment(user):
        raise Conflict(
            f"Set up two-factor sign-in first: it is required for every {why_required(user)}, "
            "and a token is made only for an account that has it."
        )
    token = "bwm_" + secrets.token_urlsafe(32)
    now = utcnow()
    user.api_token_hash = _token_digest(token)
    user.api_token_created_at = now
    user.api_token_expires_at = now + timedelta(days=days) if days else None
    user.api_token_last_used_at = None
    audit.record(user.id, "token", "user", user.id, f"issued, days={days or 'none'}")
    db.session.commit()
    return token


def end_api_token(user: User, why: str) -> None:
    """Revoke the user's token, if any, in the current transaction (the caller commits)."""
    if user.api_token_hash:
        user.api_token_hash = None
        user.api_token_created_at = None
        user.api_token_expires_at = None
        user.api_token_last_used_at = None
        audit.record(user.id, "token", "user", user.id, f"revoked: {why}")


def revoke_api_token(user_id: int) -> None:
    user = db.session.get(User, user_id)
    if user is not None and user.api_token_hash:
        end_api_token(user, "by its owner")
        db.session.commit()


def token_has_expired(user: User) -> bool:
    expires_at = user.api_token_expires_at
    return expires_at is not None and utcnow() >= _aware(expires_at)


def user_for_api_token(token: str) -> User | TokenRefused | None:
    """The active user whose live token this is; ``TokenRefused`` (saying
    why) for a token of theirs that has expired, or whose roles need
    two-factor sign-in that they have not set up (the token works again once
    they have); None for anything else."""
    if not token or not token.startswith("bwm_") or len(token) > 100:
        return None
    user = db.session.scalar(select(User).where(User.api_token_hash == _token_digest(token)))
    if user is None or not user.active:
        return None
    if owes_enrolment(user):
        return TokenRefused(
            f"Two-factor sign-in is required for every {why_required(user)} and is not set up "
            "on this account: sign in in the browser and set it up; this token then works again."
        )
    if token_has_expired(user):
        return TokenRefused(
            f"This API token expired on {_aware(user.api_token_expires_at):%d %B %Y at %H:%M} "
            "UTC: make a new one on your account page."
        )
    now = utcnow()
    last = user.api_token_last_used_at
    if last is None or now - _aware(last) > TOKEN_USE_RESOLUTION:
        user.api_token_last_used_at = now
        db.session.commit()
    return user
