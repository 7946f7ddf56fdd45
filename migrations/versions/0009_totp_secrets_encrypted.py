"""TOTP secrets encrypted at rest

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-10 10:00:00

``users.totp_secret`` and ``users.totp_pending_secret`` hold Fernet tokens
(``betterway_map.accounts.secret_box``) instead of the base32 secrets: the
columns widen from 64 to 255 characters, and every secret already stored in
plain text is encrypted with the newest of the app's
``TOTP_ENCRYPTION_KEYS`` (so set them before upgrading in production).
Downgrade decrypts them and narrows the columns again.

SQLite enforces foreign keys here, so the ``users`` table is not rebuilt (a
rebuild drops it, which would cascade to every row that refers to a user):
each column is replaced in place with SQLite's own ADD, DROP and RENAME
COLUMN.
"""

import sqlalchemy as sa
from alembic import op

from betterway_map.accounts import secret_box

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

COLUMNS = ("totp_secret", "totp_pending_secret")


def _resize(length: int) -> None:
    bind = op.get_bind()
    for column in COLUMNS:
        if bind.dialect.name == "sqlite":
            temporary = f"{column}_resized"
            op.execute(f"ALTER TABLE users ADD COLUMN {temporary} VARCHAR({length:d})")
            op.execute(f"UPDATE users SET {temporary} = {column}")
            op.execute(f"ALTER TABLE users DROP COLUMN {column}")
            op.execute(f"ALTER TABLE users RENAME COLUMN {temporary} TO {column}")
        else:
            op.alter_column(
                "users",
                column,
                existing_type=sa.String(),
                type_=sa.String(length=length),
                existing_nullable=True,
            )


def _convert(change, wanted) -> None:
    """Apply ``change`` to every stored value for which ``wanted`` holds."""
    bind = op.get_bind()
    for column in COLUMNS:
        rows = bind.execute(
            sa.text(f"SELECT id, {column} FROM users WHERE {column} IS NOT NULL")
        ).all()
        for user_id, value in rows:
            if wanted(value):
                bind.execute(
                    sa.text(f"UPDATE users SET {column} = :value WHERE id = :id"),
                    {"value": change(value), "id": user_id},
                )


def upgrade():
    _resize(255)
    _convert(secret_box.encrypt, secret_box.is_plain_secret)


def downgrade():
    _convert(secret_box.decrypt, lambda value: not secret_box.is_plain_secret(value))
    _resize(64)
