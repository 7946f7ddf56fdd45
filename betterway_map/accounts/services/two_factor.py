"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238, pyotp).

Switching on is two steps: ``start_setup`` makes a secret that the user adds
to an authenticator app (by the QR code or by typing it), and
``confirm_setup`` switches 2FA on only when a code from that app is right, so
nobody is locked out by a secret their phone never saw. Each accepted code is
remembered by its time step and refused if offered again.
"""

from __future__ import annotations

import re
import time

import pyotp
import segno
from flask import current_app

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.accounts.services.sessions import log_refused_sign_in
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db

__all__ = [
    "start_setup",
    "confirm_setup",
    "disable",
    "verify_code",
    "provisioning_uri",
    "qr_svg_data_uri",
    "is_enabled",
]

VALID_WINDOW_STEPS = 1  # accept the code before and after, for clocks a little out
_CODE = re.compile(r"^\d{6}$")


def is_enabled(user: User) -> bool:
    return bool(user.totp_secret)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    return user


def _clean(code: str | None) -> str:
    cleaned = re.sub(r"[\s-]", "", code or "")
    if not _CODE.match(cleaned):
        message = f"{code!r} is not a code: enter the 6 digits your authenticator app shows."
        raise InvalidInput(message, {"code": [message]})
    return cleaned


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step whose code is ``code``, if it is current and not used before."""
    totp = pyotp.TOTP(secret)
    now_step = int(time.time()) // totp.interval
    for offset in range(-VALID_WINDOW_STEPS, VALID_WINDOW_STEPS + 1):
        step = now_step + offset
        if last_step is not None and step <= last_step:
            continue
        if pyotp.utils.strings_equal(totp.generate_otp(step), code):
            return step
    return None


def start_setup(user_id: int) -> str:
    """Make a new pending secret for the user and return it."""
    user = _user(user_id)
    if is_enabled(user):
        raise Conflict("Two-factor sign-in is already on. Switch it off first to use a new phone.")
    user.totp_pending_secret = pyotp.random_base32()
    audit.record(user.id, "2fa", "user", user.id, "setup started")
    db.session.commit()
    return user.totp_pending_secret


def confirm_setup(user_id: int, code: str) -> None:
    """Switch 2FA on when ``code`` is right for the pending secret."""
    user = _user(user_id)
    if not user.totp_pending_secret:
        raise Conflict("Start setting up two-factor sign-in first.")
    step = _matching_step(user.totp_pending_secret, _clean(code), None)
    if step is None:
        message = (
            "That code is not right. Check the app shows Better Way Map, and try the newest code."
        )
        raise InvalidInput(message, {"code": [message]})
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_last_step = step
    audit.record(user.id, "2fa", "user", user.id, "switched on")
    db.session.commit()


def disable(user_id: int, changed_by: int | None = None) -> None:
    """Switch 2FA off (by the user, or by a site admin for a lost phone)."""
    user = _user(user_id)
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None
    actor = user.id if changed_by is None else changed_by
    audit.record(actor, "2fa", "user", user.id, "switched off")
    db.session.commit()


def verify_code(user_id: int, code: str) -> bool:
    """Check a sign-in code; a right code is used up (one commit)."""
    user = _user(user_id)
    if not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, _clean(code), user.totp_last_step)
    if step is None:
        log_refused_sign_in("wrong two-factor code", account_id=user.id)
        audit.record(user.id, "2fa_fail", "user", user.id)
        db.session.commit()
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=user.email, issuer_name=current_app.config["TOTP_ISSUER"]
    )


def qr_svg_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI, drawn here (no outside service).

    An ``<img src="data:image/svg+xml,...">`` keeps the page's markup free of
    generated HTML, so nothing needs marking safe in the template.

    >>> qr_svg_data_uri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").startswith("data:image/svg+xml")
    True
    """
    return segno.make(uri, error="m").svg_data_uri(scale=5)
