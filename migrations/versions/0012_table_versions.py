"""A version per table, changed by every write

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 10:00:00

Adds ``table_versions`` (a table's name and a random number that every
committed write to the table replaces; ``betterway_map/database.py``), so
that a cache of what is read from a table is checked with one small query.
Every table that exists gets a version now, so that caches of tables with
rows already in them are kept from the first read.
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade():
    existing = sorted(sa.inspect(op.get_bind()).get_table_names())
    versions = op.create_table(
        "table_versions",
        sa.Column("table_name", sa.String(length=63), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("table_name", name=op.f("pk_table_versions")),
    )
    rows = [
        {"table_name": name, "version": secrets.randbits(62) + 1}
        for name in existing
        if name != "alembic_version"
    ]
    if rows:
        op.bulk_insert(versions, rows)


def downgrade():
    op.drop_table("table_versions")
