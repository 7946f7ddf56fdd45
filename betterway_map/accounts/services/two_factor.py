"""Two-factor sign-in with time-based one-time codes (TOTP, RFC 6238, pyotp).

Switching on is two steps: ``start_setup`` makes a secret that the user adds
to an authenticator app (by the QR code or by typing it), and
``confirm_setup`` switches 2FA on only when a code from that app is right, so
nobody is locked out by a secret their phone never saw. Each accepted code is
remembered by its time step and refused if offered again.

Secrets are stored encrypted (``accounts.secret_box``), the pending one too,
and decrypted only here, to check a code or to show the secret while it is
being set up. Holders of the roles in ``TWO_FACTOR_REQUIRED_ROLES`` cannot
switch it off (``two_factor_policy``); a site admin, or ``flask users
reset-2fa``, can reset it for someone who has lost their phone, and they set
it up again at their next sign-in.
"""

from __future__ import annotations

import re
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import or_, select

from betterway_map.accounts import audit, secret_box
from betterway_map.accounts.models import User
from betterway_map.accounts.services.sessions import end_all_sessions, log_refused_sign_in
from betterway_map.accounts.services.two_factor_policy import is_required, why_required
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db

__all__ = [
    "start_setup",
    "pending_secret",
    "confirm_setup",
    "enrol_with_known_secret",
    "current_secret",
    "disable",
    "reset",
    "verify_code",
    "rotate_keys",
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
    """Make a new pending secret for the user (stored encrypted) and return it."""
    user = _user(user_id)
    if is_enabled(user):
        raise Conflict("Two-factor sign-in is already on. Switch it off first to use a new phone.")
    secret = pyotp.random_base32()
    user.totp_pending_secret = secret_box.encrypt(secret)
    audit.record(user.id, "2fa_setup", "user", user.id, "setup started")
    db.session.commit()
    return secret


def pending_secret(user: User) -> str | None:
    """The secret being set up, to show in the app's QR code, or None."""
    if not user.totp_pending_secret:
        return None
    return secret_box.decrypt(user.totp_pending_secret)


def confirm_setup(user_id: int, code: str, *, at_sign_in: bool = False) -> None:
    """Switch 2FA on when ``code`` is right for the pending secret."""
    user = _user(user_id)
    if not user.totp_pending_secret:
        raise Conflict("Start setting up two-factor sign-in first.")
    step = _matching_step(secret_box.decrypt(user.totp_pending_secret), _clean(code), None)
    if step is None:
        audit.record(user.id, "2fa_fail", "user", user.id, "wrong code while setting up")
        db.session.commit()
        message = (
            "That code is not right. Check the app shows Better Way Map, and try the newest code."
        )
        raise InvalidInput(message, {"code": [message]})
    user.totp_secret, user.totp_pending_secret = user.totp_pending_secret, None
    user.totp_last_step = step
    how = f"at sign-in, required for {why_required(user)}" if at_sign_in else "switched on"
    audit.record(user.id, "2fa_enrol", "user", user.id, how)
    db.session.commit()


def enrol_with_known_secret(user_id: int, secret: str, how: str, *, commit: bool = True) -> None:
    """Switch 2FA on with a secret made elsewhere, without a code: for the
    demo's logins (whose secrets it prints) and the tests' users only."""
    user = _user(user_id)
    pyotp.TOTP(secret).now()  # refuses a secret that is not base32
    user.totp_secret = secret_box.encrypt(secret)
    user.totp_pending_secret = None
    user.totp_last_step = None
    audit.record(None, "2fa_enrol", "user", user.id, how)
    if commit:
        db.session.commit()


def current_secret(user: User) -> str | None:
    """The user's secret, decrypted: only for the demo's own logins
    (``flask demo code``), whose secrets the demo prints anyway."""
    return secret_box.decrypt(user.totp_secret) if user.totp_secret else None


def _clear(user: User) -> None:
    user.totp_secret = None
    user.totp_pending_secret = None
    user.totp_last_step = None


def disable(user_id: int) -> None:
    """Switch one's own 2FA off; refused when one's roles need it."""
    user = _user(user_id)
    if is_required(user):
        raise Conflict(
            f"Two-factor sign-in cannot be switched off: it is required for every "
            f"{why_required(user)}, who can see personal data. If you have a new phone, ask a "
            "site admin to reset it; you then set it up again when you next sign in."
        )
    _clear(user)
    audit.record(user.id, "2fa_off", "user", user.id, "switched off by its owner")
    db.session.commit()


def reset(user_id: int, changed_by: int | None, how: str = "by a site admin") -> User:
    """Clear someone's 2FA for a lost phone and sign them out everywhere: when
    their roles need it they set it up again at their next sign-in. Not for
    one's own account (another site admin, or the command line, does it)."""
    user = _user(user_id)
    if changed_by is not None and changed_by == user.id:
        message = "You cannot reset your own two-factor sign-in: ask another site admin."
        raise Conflict(message, {"two_factor": [message]})
    _clear(user)
    end_all_sessions(user.id)
    audit.record(changed_by, "2fa_reset", "user", user.id, how)
    db.session.commit()
    return user


def verify_code(user_id: int, code: str) -> bool:
    """Check a sign-in code; a right code is used up (one commit)."""
    user = _user(user_id)
    if not user.totp_secret:
        return False
    step = _matching_step(secret_box.decrypt(user.totp_secret), _clean(code), user.totp_last_step)
    if step is None:
        log_refused_sign_in("wrong two-factor code", account_id=user.id)
        audit.record(user.id, "2fa_fail", "user", user.id)
        db.session.commit()
        return False
    user.totp_last_step = step
    db.session.commit()
    return True


def rotate_keys() -> tuple[int, list[int]]:
    """Encrypt every stored secret again with the newest key, in one
    transaction; returns how many were re-encrypted and the ids of users
    whose secrets no configured key can read (then nothing is changed)."""
    users = db.session.scalars(
        select(User).where(
            or_(User.totp_secret.is_not(None), User.totp_pending_secret.is_not(None))
        )
    ).all()
    rotated, unreadable = 0, []
    for user in users:
        try:
            for column in ("totp_secret", "totp_pending_secret"):
                stored = getattr(user, column)
                if stored:
                    setattr(user, column, secret_box.rotate(stored))
        except secret_box.KeyMismatch:
            unreadable.append(user.id)
        else:
            rotated += 1
    if unreadable:
        db.session.rollback()
        return 0, unreadable
    audit.record(None, "2fa_rekey", "user", None, f"secrets of {rotated} users re-encrypted")
    db.session.commit()
    return rotated, []


def provisioning_uri(email: str, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(
        name=email, issuer_name=current_app.config["TOTP_ISSUER"]
    )


def qr_svg_data_uri(uri: str) -> str:
    """The QR code of ``uri`` as an SVG ``data:`` URI, drawn here (no outside service).

    An ``<img src="data:image/svg+xml,...">`` keeps the page's markup free of
    generated HTML, so nothing needs marking safe in the template.

    >>> qr_svg_data_uri("otpauth://totp/x?secret=JBSWY3DPEHPK3PXP").startswith("data:image/svg+xml")
    True
    """
    return segno.make(uri, error="m").svg_data_uri(scale=5)
