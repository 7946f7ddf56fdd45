"""Accounts, roles, sessions, API tokens and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from betterway_map.database import TimestampMixin, UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db


class User(TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Only a SHA-256 of the token is kept; the token is shown once.
    api_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    api_token_created_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # None: the token lasts until it is revoked or the password changes.
    api_token_expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    api_token_last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # The TOTP secret (RFC 6238) once two-factor sign-in is switched on,
    # ENCRYPTED (a Fernet token, ``accounts.secret_box``): never the secret.
    totp_secret: Mapped[str | None] = mapped_column(String(255))
    # A secret shown to the user but not yet confirmed with a code (encrypted too).
    totp_pending_secret: Mapped[str | None] = mapped_column(String(255))
    # The last TOTP time step accepted: a code is good only once (ASVS 2.8.4).
    totp_last_step: Mapped[int | None]

    roles: Mapped[list[UserRole]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login protocol.
    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    @property
    def role_names(self) -> set[str]:
        return {role.role for role in self.roles}

    def has_role(self, *names: str) -> bool:
        return bool(self.role_names.intersection(names))

    def __repr__(self) -> str:
        return f"<User {self.id} {sorted(self.role_names)}>"


class UserRole(db.Model):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(20), primary_key=True)

    user: Mapped[User] = relationship(back_populates="roles")


class UserSession(db.Model):
    """A signed-in session, kept on the server so that logout really ends it.

    The cookie carries only ``id``; a cookie whose row is gone or revoked is
    no longer signed in, even if it is replayed.
    """

    __tablename__ = "user_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    # When the password was last typed: sensitive actions need this to be recent.
    authenticated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class AuditEvent(db.Model):
    """Who viewed or changed personal data, and when."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    subject_type: Mapped[str] = mapped_column(String(40))
    subject_id: Mapped[int | None] = mapped_column(index=True)
    detail: Mapped[str | None] = mapped_column(Text)
