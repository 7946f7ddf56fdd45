"""Cancelled, moved and one-off meetings; calendar UIDs of imported groups

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-05 10:00:00

Adds ``meeting_changes`` (a meeting of a group's rule cancelled, or moved
to another day, time or place), ``one_off_meetings`` (an extra meeting of a
group, or an event of an organisation, on one day) and ``groups.ical_uid``
(the UID of the calendar event a group was imported from, unique within its
organisation, as is a one-off's).
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("groups") as batch:
        batch.add_column(sa.Column("ical_uid", sa.String(length=255), nullable=True))
        batch.create_index(
            "ix_groups_organisation_ical_uid", ["organisation_id", "ical_uid"], unique=True
        )
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
        sa.Column("source", sa.String(length=10), nullable=False),
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
    with op.batch_alter_table("meeting_changes") as batch:
        batch.create_index(batch.f("ix_meeting_changes_space_id"), ["space_id"], unique=False)
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
        sa.Column("ical_uid", sa.String(length=255), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
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
    with op.batch_alter_table("one_off_meetings") as batch:
        for column in ("organisation_id", "group_id", "occurs_on", "space_id"):
            batch.create_index(
                batch.f(f"ix_one_off_meetings_{column}"), [column], unique=False
            )
        batch.create_index(
            "ix_one_off_meetings_organisation_ical_uid",
            ["organisation_id", "ical_uid"],
            unique=True,
        )


def downgrade():
    op.drop_table("one_off_meetings")
    op.drop_table("meeting_changes")
    with op.batch_alter_table("groups") as batch:
        batch.drop_index("ix_groups_organisation_ical_uid")
        batch.drop_column("ical_uid")
