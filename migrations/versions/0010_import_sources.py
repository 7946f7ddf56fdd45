"""Where imported organisations, spaces and groups came from

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03 13:40:00

Adds ``source`` (the feed: "oruk", "sheet", ...) and ``source_ref`` (the
record's id there) to ``organisations``, ``spaces`` and ``groups``, unique
per source (per organisation for spaces and groups), so that importing a
feed or a spreadsheet again updates what it made instead of adding it twice.
Records made on the site leave both empty.

Plain ``ADD COLUMN`` and unique indexes, not batch mode: on SQLite a batch
copies and drops the table, and dropping ``organisations`` would cascade to
every partnership, space and group that refers to it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

_UNIQUE = {
    "organisations": ("uq_organisations_source_ref", ["source", "source_ref"]),
    "spaces": ("uq_spaces_source_ref", ["organisation_id", "source", "source_ref"]),
    "groups": ("uq_groups_source_ref", ["organisation_id", "source", "source_ref"]),
}


def upgrade():
    for table, (name, columns) in _UNIQUE.items():
        op.add_column(table, sa.Column("source", sa.String(length=60), nullable=True))
        op.add_column(table, sa.Column("source_ref", sa.String(length=200), nullable=True))
        op.create_index(name, table, columns, unique=True)


def downgrade():
    for table, (name, _) in _UNIQUE.items():
        op.drop_index(name, table_name=table)
        op.drop_column(table, "source_ref")
        op.drop_column(table, "source")
