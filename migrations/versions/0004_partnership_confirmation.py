"""Partnerships wait for the partner to confirm them before they are public

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 18:00:00

Adds ``partnerships.confirmed_at`` (empty while the partner has not
confirmed) and ``partnerships.confirmed_by_id`` (who confirmed). Every
partnership already recorded was public, so it is marked confirmed when it
was recorded, by no one in particular: nothing disappears on upgrade.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("partnerships") as batch:
        batch.add_column(sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("confirmed_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f("fk_partnerships_confirmed_by_id_users"),
            "users",
            ["confirmed_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
    op.execute("UPDATE partnerships SET confirmed_at = created_at WHERE confirmed_at IS NULL")


def downgrade():
    with op.batch_alter_table("partnerships") as batch:
        batch.drop_constraint(batch.f("fk_partnerships_confirmed_by_id_users"), type_="foreignkey")
        batch.drop_column("confirmed_by_id")
        batch.drop_column("confirmed_at")
