"""Who must sign in with two factors: holders of ``TWO_FACTOR_REQUIRED_ROLES``
(by default site admins and community workers, who see personal data).

Such a user who has not set it up "owes enrolment": their password alone
signs them into nothing but the page that sets it up (``views.auth``), a
session of theirs from before counts as signed out, and their API token is
refused (``sessions.user_for_api_token``) until it is on. Kept apart from
``two_factor`` so that ``sessions`` can ask without importing it.
"""

from __future__ import annotations

from flask import current_app

from betterway_map.accounts.models import User
from betterway_map.domain import vocab

__all__ = ["required_roles", "is_required", "owes_enrolment", "why_required"]


def required_roles() -> tuple[str, ...]:
    return tuple(current_app.config.get("TWO_FACTOR_REQUIRED_ROLES") or ())


def is_required(user: User) -> bool:
    """Whether the user's roles need two-factor sign-in."""
    roles = required_roles()
    return bool(roles) and user.has_role(*roles)


def owes_enrolment(user: User) -> bool:
    """Required, and not set up yet."""
    return not user.totp_secret and is_required(user)


def why_required(user: User) -> str:
    """The roles that make it required, in words: "community worker and site admin"."""
    labels = vocab.labels(vocab.ROLES)
    names = [labels[role].lower() for role in required_roles() if user.has_role(role)]
    return " and ".join(names)
