"""Site admins' management of users: list and search, invite, (de)activate.

Role changes live in ``accounts.set_roles``. Every change here ends the
user's sessions so that it applies at once, and is audited.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, or_, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.accounts.services import mail
from betterway_map.accounts.services.password_reset import link_url
from betterway_map.accounts.services.sessions import end_all_sessions
from betterway_map.accounts.services.users import create_user
from betterway_map.database import contains
from betterway_map.errors import Conflict, InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.web.paging import Paged, paginate

__all__ = [
    "UserPage",
    "list_users",
    "get_user",
    "view_user",
    "invite_user",
    "set_active",
    "MAX_QUERY_LENGTH",
]

MAX_QUERY_LENGTH = 100


@dataclass(frozen=True)
class UserPage(Paged):
    """One page of users, and where it sits in the whole."""

    users: list[User]
    page: int
    page_size: int
    total: int


def list_users(query: str = "", page: int = 1, per_page: int = 25) -> UserPage:
    """Users whose email or name contains ``query``, newest first, one page of them."""
    query = (query or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        message = f"Search for at most {MAX_QUERY_LENGTH} characters (this has {len(query)})."
        raise InvalidInput(message, {"q": [message]})
    if page < 1 or not 1 <= per_page <= 100:
        message = f"Page {page} of {per_page} per page is not possible: pages start at 1, 1 to 100 per page."
        raise InvalidInput(message, {"page": [message]})
    statement = select(User)
    if query:
        # LIKE wildcards typed by the admin are matched literally.
        statement = statement.where(
            or_(
                contains(func.lower(User.email), query.lower()),
                contains(func.lower(User.display_name), query.lower()),
            )
        )
    found = paginate(statement.order_by(User.created_at.desc(), User.id.desc()), page, per_page)
    return UserPage(found.items, found.page, found.page_size, found.total)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    return user


def view_user(user_id: int, viewer_id: int | None) -> User:
    """A user's account details for a site admin; the viewing is audited."""
    user = get_user(user_id)
    audit.record(viewer_id, "view", "user", user.id)
    db.session.commit()
    return user


def invite_user(email: str, roles, display_name: str | None, created_by: int | None, link_for):
    """Create a user with a random unknown password and email them a one-off
    link to choose their own; returns ``(user, link)`` so the admin can pass
    the link on when email is not set up. ``link_for`` turns the link's
    token into its full address."""
    user = create_user(
        email,
        secrets.token_urlsafe(32),
        roles,
        display_name,
        fast_hash=current_app.config.get("PASSWORD_HASH_FAST", False),
        commit=False,
    )
    audit.record(created_by, "create", "user", user.id, f"by site admin; roles={','.join(roles)}")
    link = link_url(user, "invite", link_for)
    hours = current_app.config["INVITE_MAX_AGE_HOURS"]
    db.session.commit()
    mail.send(
        user.email,
        "Your Better Way Map account",
        f"Hello {user.display_name},\n\nAn account on Better Way Map has been made for you. "
        f"To choose your password and sign in, open this link:\n\n{link}\n\n"
        f"The link works once, within {hours} hours. If it has expired, use "
        "'Forgotten your password?' on the sign-in page.\n",
    )
    return user, link


def set_active(user_id: int, active: bool, changed_by: int | None) -> User:
    """Activate or deactivate a user; a deactivated user's sessions end."""
    user = get_user(user_id)
    if not active and user.id == changed_by:
        message = "You cannot deactivate your own account: ask another site admin."
        raise Conflict(message, {"active": [message]})
    user.active = bool(active)
    if not active:
        end_all_sessions(user.id)
    audit.record(changed_by, "activate" if active else "deactivate", "user", user.id)
    db.session.commit()
    return user
