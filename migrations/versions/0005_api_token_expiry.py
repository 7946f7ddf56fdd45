"""An API token can expire, and the account page says when it was last used

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 19:01:19

Adds ``users.api_token_expires_at`` (empty: the token lasts until it is
revoked or the password changes) and ``users.api_token_last_used_at``.
Tokens made before this revision keep working with no expiry, so that no
program stops on upgrade; their owners see them on the account page.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("api_token_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(
            sa.Column("api_token_last_used_at", sa.DateTime(timezone=True), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("users") as batch:
        batch.drop_column("api_token_last_used_at")
        batch.drop_column("api_token_expires_at")
