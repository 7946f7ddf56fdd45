"""The demo's logins, kept in the instance folder so that running the
README's first command again can print them again.

Only the demo accounts are written, with the passphrase made for them, in a
file only the server's user can read (like ``instance/secret_key``). The
demo must never be loaded on a site with real people's data, so nothing
real is ever in it.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

__all__ = ["LOGINS_FILE", "save_logins", "read_logins", "forget_logins"]

LOGINS_FILE = "demo_logins.json"


def save_logins(instance: Path, logins: list[tuple[str, str]], password: str) -> Path:
    """Write ``(role, email)`` pairs and their shared password; only the owner may read it."""
    path = Path(instance) / LOGINS_FILE
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"logins": [list(pair) for pair in logins], "password": password}, handle)
    os.replace(temporary, path)  # all or nothing: never half a file
    return path


def read_logins(instance: Path) -> tuple[list[tuple[str, str]], str] | None:
    """The saved logins and password, or None when there are none (or the file is unreadable)."""
    path = Path(instance) / LOGINS_FILE
    try:
        saved = json.loads(path.read_text())
        return [(role, email) for role, email in saved["logins"]], str(saved["password"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def forget_logins(instance: Path) -> None:
    """Remove the saved logins (the demo they belong to is gone)."""
    (Path(instance) / LOGINS_FILE).unlink(missing_ok=True)
