"""TOTP secrets encrypted at rest, with keys from the environment.

A TOTP secret is as good as a second password: anyone who reads it from the
database (a backup, a copy made for a report, a leaked dump) can make codes.
So the ``users.totp_secret`` and ``users.totp_pending_secret`` columns hold
Fernet tokens (AES-128-CBC with an HMAC-SHA256, from the ``cryptography``
package), never the secret itself, and the keys live outside the database:
``TOTP_ENCRYPTION_KEYS``, comma-separated, the newest first. ``MultiFernet``
encrypts with the first key and reads with any of them, so a key is rotated
by putting a new one in front, re-encrypting (``flask users rotate-2fa-key``)
and then dropping the old one.

A secret is decrypted only where a code is checked or a QR code is drawn,
never when a user is loaded, so a wrong key stops two-factor sign-in with a
clear message (``KeyMismatch``, a 503 naming the setting) rather than every
page.
"""

from __future__ import annotations

import logging
import re

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import Flask, current_app

from betterway_map.errors import Unavailable

__all__ = [
    "KEY_FILE",
    "KeyMismatch",
    "parse_keys",
    "new_key",
    "init_app",
    "encrypt",
    "decrypt",
    "rotate",
    "is_plain_secret",
]

log = logging.getLogger(__name__)

# The key made for an installation without TOTP_ENCRYPTION_KEYS (not production).
KEY_FILE = "totp_encryption_key"
_EXTENSION = "bwm_totp_keys"
_PLAIN_SECRET = re.compile(r"^[A-Z2-7]+=*$")  # base32, as pyotp makes them

MISMATCH = (
    "Two-factor sign-in cannot be checked just now: the site's TOTP_ENCRYPTION_KEYS "
    "setting does not hold the key the secrets were encrypted with. Nothing you did caused "
    "this; please tell the site's administrator."
)


class KeyMismatch(Unavailable):
    """A stored secret that none of the configured keys can read."""


def parse_keys(raw: str | None) -> MultiFernet:
    """The keys of a ``TOTP_ENCRYPTION_KEYS`` setting, newest first.

    Raises ``RuntimeError`` (the app refuses to start) naming which key is
    not a Fernet key, never the key itself.

    >>> parse_keys(new_key() + "," + new_key()).encrypt(b"x").startswith(b"gAAAAA")
    True
    """
    parts = [part.strip() for part in (raw or "").split(",") if part.strip()]
    if not parts:
        raise RuntimeError(
            "TOTP_ENCRYPTION_KEYS is empty: give one or more Fernet keys, comma-separated, "
            'the newest first (make one with `python -c "from cryptography.fernet import '
            'Fernet; print(Fernet.generate_key().decode())"`).'
        )
    keys = []
    for number, part in enumerate(parts, 1):
        try:
            keys.append(Fernet(part))
        except (ValueError, TypeError):
            raise RuntimeError(
                f"TOTP_ENCRYPTION_KEYS: key {number} of {len(parts)} is not a Fernet key "
                f"(it has {len(part)} characters; a Fernet key is 32 bytes in URL-safe base64, "
                "44 characters, as Fernet.generate_key() makes them)."
            ) from None
    return MultiFernet(keys)


def new_key() -> str:
    """A new random Fernet key, as text."""
    return Fernet.generate_key().decode("ascii")


def init_app(app: Flask) -> None:
    """Read the app's keys once (``create_app`` has checked them)."""
    app.extensions[_EXTENSION] = parse_keys(app.config["TOTP_ENCRYPTION_KEYS"])


def _keys() -> MultiFernet:
    return current_app.extensions[_EXTENSION]


def encrypt(secret: str) -> str:
    """The stored form of a base32 TOTP secret (encrypted with the newest key)."""
    return _keys().encrypt(secret.encode("ascii")).decode("ascii")


def decrypt(stored: str) -> str:
    """The base32 secret from its stored form; ``KeyMismatch`` when no key reads it."""
    try:
        return _keys().decrypt(stored.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        log.error(
            "A stored TOTP secret cannot be decrypted with TOTP_ENCRYPTION_KEYS",
            extra={"event": "totp_key_mismatch"},
        )
        raise KeyMismatch(MISMATCH) from None


def rotate(stored: str) -> str:
    """The same secret encrypted again with the newest key."""
    try:
        return _keys().rotate(stored.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError):
        raise KeyMismatch(MISMATCH) from None


def is_plain_secret(value: str | None) -> bool:
    """Whether a stored value is a secret in plain text (base32), as before
    secrets were encrypted; a Fernet token is URL-safe base64 and starts
    with a lower-case ``g``.

    >>> is_plain_secret("JBSWY3DPEHPK3PXP"), is_plain_secret("gAAAAABn")
    (True, False)
    """
    return bool(value) and _PLAIN_SECRET.match(value) is not None
