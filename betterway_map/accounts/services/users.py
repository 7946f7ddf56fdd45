"""Accounts: registration, finding users, roles and passwords (sessions and
API tokens are in ``sessions``)."""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User, UserRole
from betterway_map.accounts.services.passwords import (
    PasswordRejected,
    check_password_policy,
    hash_password,
    verify_password,
)
from betterway_map.accounts.services.sessions import (
    end_all_sessions,
    end_api_token,
    normalise_email,
)
from betterway_map.domain import text as text_rules
from betterway_map.domain import vocab
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db

__all__ = [
    "normalise_email",
    "create_user",
    "find_user",
    "user_by_email",
    "list_users",
    "set_roles",
    "change_password",
    "SELF_SERVICE_ROLES",
]

# Roles a person may give themselves when they sign up; the rest are given by a site admin.
SELF_SERVICE_ROLES = ("resident", "org_admin")
_ROLE_VALUES = vocab.values(vocab.ROLES)


def _check_roles(roles) -> list[str]:
    roles = list(dict.fromkeys(roles))
    unknown = [role for role in roles if role not in _ROLE_VALUES]
    if unknown or not roles:
        message = (
            f"Unknown role {', '.join(map(repr, unknown))}; " if unknown else "Choose a role; "
        ) + f"accepted roles are {', '.join(_ROLE_VALUES)}."
        raise InvalidInput(message, {"roles": [message]})
    return roles


def _check_display_name(name: str) -> None:
    """A display name is shown to other people: one line, something visible,
    no bidirectional controls (``domain.text``)."""
    char = text_rules.first_control_character(name)
    problem = (
        f"Name contains the control character {text_rules.describe(char)}: remove it."
        if char
        else text_rules.public_name_problem("Name", name)
    )
    if problem:
        raise InvalidInput(problem, {"display_name": [problem]})


def create_user(
    email: str,
    password: str,
    roles,
    display_name: str | None = None,
    *,
    fast_hash: bool = False,
    commit: bool = True,
) -> User:
    """Create an account with a checked password and the given roles."""
    email = normalise_email(email)
    roles = _check_roles(roles)
    try:
        check_password_policy(password, email)
    except PasswordRejected as error:
        raise InvalidInput(str(error), {"password": [str(error)]}) from None
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        message = f"There is already an account for {email}. Sign in instead, or use another email."
        raise Conflict(message, {"email": [message]})
    name = (display_name or "").strip() or email.split("@", 1)[0]
    if len(name) > 100:
        raise InvalidInput(
            "Your name must be at most 100 characters.",
            {"display_name": ["Use at most 100 characters."]},
        )
    _check_display_name(name)
    user = User(
        email=email,
        password_hash=hash_password(password, fast=fast_hash),
        display_name=name,
        roles=[UserRole(role=role) for role in roles],
    )
    db.session.add(user)
    db.session.flush()
    audit.record(user.id, "create", "user", user.id, f"roles={','.join(roles)}")
    if commit:
        db.session.commit()
    return user


def find_user(user_id) -> User | None:
    """The user with this id, or None (also for an id that is not a number)."""
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError, OverflowError):
        return None


def user_by_email(email: str) -> User | None:
    """The user with this email address (normalised first), or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def list_users(role: str | None = None) -> list[User]:
    """Every user in id order, or only those holding ``role``."""
    users = db.session.scalars(select(User).order_by(User.id))
    return [user for user in users if role is None or user.has_role(role)]


def change_password(
    user_id: int, current: str, new: str, confirm: str, session_id: str | None, *, fast_hash=False
) -> None:
    """Change one's own password: the current one is needed, the new one is
    checked against the policy, and every other session ends."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if not verify_password(user.password_hash, current or ""):
        message = "That is not your current password."
        raise InvalidInput(message, {"current_password": [message]})
    if new != confirm:
        message = "The two new passwords are not the same."
        raise InvalidInput(message, {"confirm": [message]})
    try:
        check_password_policy(new, user.email)
    except PasswordRejected as error:
        raise InvalidInput(str(error), {"new_password": [str(error)]}) from None
    user.password_hash = hash_password(new, fast=fast_hash)
    end_all_sessions(user.id, keep=session_id)
    end_api_token(user, "password changed")
    audit.record(user.id, "password", "user", user.id, "changed")
    db.session.commit()


def set_roles(user_id: int, roles, changed_by: int | None, keep_session: str | None = None) -> User:
    """Replace a user's roles; their sessions end so the change applies at once
    (except ``keep_session``: a site admin changing their own roles stays in)."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    roles = _check_roles(roles)
    if changed_by == user.id and user.has_role("site_admin") and "site_admin" not in roles:
        message = (
            "You cannot remove your own site admin role: ask another site admin, "
            "so that the site always has one."
        )
        raise Conflict(message, {"roles": [message]})
    user.roles = [UserRole(role=role) for role in roles]
    end_all_sessions(user.id, keep=keep_session if changed_by == user.id else None)
    audit.record(changed_by, "roles", "user", user.id, f"roles={','.join(roles)}")
    db.session.commit()
    return user
