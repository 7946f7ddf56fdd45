"""Cancelled, moved and one-off meetings

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05 10:00:00

Adds ``meeting_changes`` (a meeting of a group's rule cancelled, or moved
to another day, time or place) and ``one_off_meetings`` (an extra meeting
of a group, or an event of an organisation, on one day). Both say where an
imported one came from (``source``; a one-off also ``source_ref``, unique
per organisation, as 0010 does for groups), so that importing a calendar
again updates them. New tables only: nothing existing is altered.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "meeting_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("occurs_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.Column("moved_on", sa.Date(), nullable=True),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("space_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=60), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_meeting_changes_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_meeting_changes_space_id_spaces"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_changes")),
        sa.UniqueConstraint("group_id", "occurs_on", name=op.f("uq_meeting_changes_group_id")),
    )
    op.create_index(op.f("ix_meeting_changes_space_id"), "meeting_changes", ["space_id"])
    op.create_table(
        "one_off_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("occurs_on", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("end_time", sa.Time(), nullable=True),
        sa.Column("space_id", sa.Integer(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=True),
        sa.Column("source", sa.String(length=60), nullable=True),
        sa.Column("source_ref", sa.String(length=200), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_one_off_meetings_organisation_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_one_off_meetings_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["space_id"],
            ["spaces.id"],
            name=op.f("fk_one_off_meetings_space_id_spaces"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_one_off_meetings")),
    )
    for column in ("organisation_id", "group_id", "occurs_on", "space_id"):
        op.create_index(op.f(f"ix_one_off_meetings_{column}"), "one_off_meetings", [column])
    op.create_index(
        "uq_one_off_meetings_source_ref",
        "one_off_meetings",
        ["organisation_id", "source", "source_ref"],
        unique=True,
    )


def downgrade():
    op.drop_table("one_off_meetings")
    op.drop_table("meeting_changes")
