"""What the sign-in pages' rate limits count, and per what.

Each limit counts per client address (``Limiter``'s key, the real client's
behind ``PROXY_FIX_X_FOR`` proxies) and, where an account is named, per
account too, so that many addresses cannot share out the guesses against
one account. Sign-in steps count only the attempts that fail: a view calls
``passed()`` when the password or code was right, and ``failed_attempt``
(each limit's ``deduct_when``) counts every other answer. The counts live in
the limiter's storage (Redis across workers).
"""

from __future__ import annotations

import hashlib
import hmac
import time

from flask import current_app, g, jsonify, render_template, request, session
from flask_login import current_user

from betterway_map.accounts.services.sessions import normalise_email
from betterway_map.errors import InvalidInput
from betterway_map.extensions import limiter
from betterway_map.web.access import is_api_request

__all__ = [
    "login_limit",
    "account_login_limit",
    "two_factor_limit",
    "reset_limit",
    "account_reset_limit",
    "typed_account_key",
    "signed_in_account_key",
    "pending_account_key",
    "passed",
    "failed_attempt",
    "too_many_requests",
]

PENDING_KEY = "2fa_pending"


def login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def account_login_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def two_factor_limit() -> str:
    return current_app.config["TWO_FACTOR_RATE_LIMIT"]


def reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def account_reset_limit() -> str:
    return current_app.config["PASSWORD_RESET_ACCOUNT_RATE_LIMIT"]


def _account_key(email: str) -> str:
    """A keyed digest of the address: the storage holds no email addresses,
    and the same address always gives the same key in every worker."""
    digest = hmac.new(
        current_app.config["SECRET_KEY"].encode("utf-8"), email.encode("utf-8"), hashlib.sha256
    )
    return f"account:{digest.hexdigest()[:32]}"


def typed_account_key() -> str:
    """The account named by the email address typed, in its normal form, so
    that ``Ann@Example.org`` and ``ann@example.org `` count together; an
    address with no account is counted the same way as one with."""
    typed = request.form.get("email", "")
    try:
        email = normalise_email(typed)
    except InvalidInput:
        email = typed.strip().lower()
    return _account_key(email)


def signed_in_account_key() -> str:
    """The signed-in account, for typing the password again."""
    return _account_key(current_user.email)


def pending_account_key() -> str:
    """The account that typed the right password and owes a code."""
    pending = session.get(PENDING_KEY) or {}
    return f"pending:{pending.get('uid', 'none')}"


def passed() -> None:
    """The password or code was right: this attempt is not counted."""
    g.sign_in_passed = True


def failed_attempt(response) -> bool:
    """Count every answer but a right password or code, and but the refusal
    itself (a 429 is no attempt)."""
    return response.status_code != 429 and not g.get("sign_in_passed", False)


def too_many_requests(error):
    """A clear answer when a rate limit is reached: JSON for the API, a page otherwise."""
    wait = _wait_in_words()
    message = (
        "Too many attempts in a short time, from here or for this account, so we have "
        f"paused them for your safety. Please wait {wait} and try again."
    )
    if is_api_request():
        response = jsonify(
            {
                "code": 429,
                "status": "Too Many Requests",
                "message": message,
                "limit": str(error.description),
            }
        )
        return response, 429
    return render_template("accounts/auth/rate_limited.html", message=message, wait=wait), 429


def _wait_in_words() -> str:
    """About how long until the limit reached lets attempts through again."""
    reached = limiter.current_limit
    seconds = reached.reset_at - time.time() if reached is not None else 60
    minutes = max(1, round(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"
