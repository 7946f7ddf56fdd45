"""Password policy and hashing (OWASP ASVS 4.0 V2.1, V2.4).

At least 12 characters, Unicode and long passphrases welcome, no composition
rules, refused when it is one of the 30,000 most common passwords (the list
that ships with zxcvbn), hashed with Argon2id by argon2-cffi.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn.frequency_lists import FREQUENCY_LISTS

__all__ = [
    "PasswordRejected",
    "check_password_policy",
    "hash_password",
    "verify_password",
    "needs_rehash",
    "unusable_password_hash",
    "has_usable_password",
    "MIN_LENGTH",
    "MAX_LENGTH",
]

MIN_LENGTH = 12
MAX_LENGTH = 1024  # bounds the hashing work an attacker can ask for

_STRONG = PasswordHasher()  # argon2-cffi's RFC 9106 low-memory profile
# Same algorithm at a fraction of the cost, for the test suite only.
_FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


class PasswordRejected(ValueError):
    """A password that does not meet the policy; the message says why."""


@lru_cache(maxsize=1)
def _common_passwords() -> frozenset[str]:
    return frozenset(word.casefold() for word in FREQUENCY_LISTS["passwords"])


def _normalise(password: str) -> str:
    # NFKC so that the same passphrase typed on two keyboards hashes the same.
    return unicodedata.normalize("NFKC", password)


def check_password_policy(password: str, email: str | None = None) -> None:
    """Raise ``PasswordRejected`` when ``password`` is not acceptable.

    >>> check_password_policy("correct horse battery staple")
    >>> check_password_policy("short")  # doctest: +IGNORE_EXCEPTION_DETAIL
    Traceback (most recent call last):
    PasswordRejected: Use at least 12 characters (this one has 5). ...
    """
    if not isinstance(password, str):
        raise PasswordRejected("The password must be text.")
    password = _normalise(password)
    length = len(password)
    if length < MIN_LENGTH:
        raise PasswordRejected(
            f"Use at least {MIN_LENGTH} characters (this one has {length}). "
            "A few ordinary words together make a good password."
        )
    if length > MAX_LENGTH:
        raise PasswordRejected(f"Use at most {MAX_LENGTH} characters (this one has {length}).")
    folded = password.casefold()
    if folded in _common_passwords() or folded.replace(" ", "") in _common_passwords():
        raise PasswordRejected(
            "That password is on the list of the most common passwords, "
            "so it is easy to guess. Choose another."
        )
    if email and folded == email.strip().casefold():
        raise PasswordRejected("The password must not be your email address.")


def _hasher(fast: bool) -> PasswordHasher:
    return _FAST if fast else _STRONG


def hash_password(password: str, fast: bool = False) -> str:
    return _hasher(fast).hash(_normalise(password))


# A stored hash starting with this is no hash at all: no password matches it.
UNUSABLE_PREFIX = "!"


def unusable_password_hash(reason: str) -> str:
    """A stored password hash that no password matches, for an account made
    for records and never to be signed in to (e.g. the demo's people); such
    an account gets no password reset link either (``has_usable_password``).

    >>> stored = unusable_password_hash("demo person")
    >>> verify_password(stored, stored), has_usable_password(stored)
    (False, False)
    """
    return f"{UNUSABLE_PREFIX}{reason}"


def has_usable_password(password_hash: str) -> bool:
    """Whether some password could match this stored hash."""
    return not password_hash.startswith(UNUSABLE_PREFIX)


def verify_password(password_hash: str, password: str) -> bool:
    if not has_usable_password(password_hash):
        return False
    try:
        return _STRONG.verify(password_hash, _normalise(password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, fast: bool = False) -> bool:
    return _hasher(fast).check_needs_rehash(password_hash)
