"""The demo's logins, kept in the instance folder so that running the
README's first command again can print them again.

Only the demo accounts are written, with the passphrase made for them and
the two-factor secrets of the logins whose roles need two-factor sign-in (a
community worker, a site admin), in a file only the server's user can read
(like ``instance/secret_key``). The demo must never be loaded on a site with
real people's data, so nothing real is ever in it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import NamedTuple

__all__ = ["LOGINS_FILE", "SavedLogins", "save_logins", "read_logins", "forget_logins", "find"]

LOGINS_FILE = "demo_logins.json"


class SavedLogins(NamedTuple):
    """``(role, email)`` pairs, their shared password, and the two-factor
    secrets by email of the logins that have one."""

    logins: list[tuple[str, str]]
    password: str
    totp_secrets: dict[str, str]


def save_logins(
    instance: Path,
    logins: list[tuple[str, str]],
    password: str,
    totp_secrets: dict[str, str] | None = None,
) -> Path:
    """Write ``(role, email)`` pairs, their shared password and two-factor
    secrets; only the owner may read the file."""
    path = Path(instance) / LOGINS_FILE
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(
            {
                "logins": [list(pair) for pair in logins],
                "password": password,
                "totp_secrets": dict(totp_secrets or {}),
            },
            handle,
        )
    os.replace(temporary, path)  # all or nothing: never half a file
    return path


def read_logins(instance: Path) -> SavedLogins | None:
    """The saved logins, or None when there are none (or the file is unreadable)."""
    path = Path(instance) / LOGINS_FILE
    try:
        saved = json.loads(path.read_text())
        return SavedLogins(
            [(role, email) for role, email in saved["logins"]],
            str(saved["password"]),
            {str(email): str(secret) for email, secret in saved.get("totp_secrets", {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def find(saved: SavedLogins, who: str) -> tuple[str, str] | None:
    """The saved login ``(role, email)`` named by its role (``worker``) or
    its email address (any case), or None.

    >>> saved = SavedLogins([("worker", "worker@demo.example")], "pw", {})
    >>> find(saved, "Worker@Demo.example"), find(saved, "site_admin")
    (('worker', 'worker@demo.example'), None)
    """
    wanted = who.strip().lower()
    for role, email in saved.logins:
        if wanted in (role.lower(), email.lower()):
            return role, email
    return None


def forget_logins(instance: Path) -> None:
    """Remove the saved logins (the demo they belong to is gone)."""
    (Path(instance) / LOGINS_FILE).unlink(missing_ok=True)
