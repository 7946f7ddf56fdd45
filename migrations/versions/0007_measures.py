"""Measures: contacts, agreed rhythms and feedback within relationships

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 08:40:00

Adds ``contacts`` (date, mode, duration, with whom and a private note),
``rhythms`` (the agreed rhythm of a relationship) and
``relationship_feedback`` (the six marks of a good relationship, 1-5, from
one side), each tied to a match, a person's group or a worker's caseload;
and the De Jong Gierveld 6-item answers and total on
``loneliness_measures``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "contacts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contacted_on", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=8), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("with_volunteer_id", sa.Integer(), nullable=True),
        sa.Column("with_worker_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_contacts_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_contacts_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_contacts_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_contacts_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["with_volunteer_id"],
            ["people.id"],
            name=op.f("fk_contacts_with_volunteer_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["with_worker_id"],
            ["users.id"],
            name=op.f("fk_contacts_with_worker_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["users.id"],
            name=op.f("fk_contacts_worker_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index("ix_contacts_match_on", ["match_id", "contacted_on"], unique=False)
        batch_op.create_index("ix_contacts_person_on", ["person_id", "contacted_on"], unique=False)

    op.create_table(
        "relationship_feedback",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=10), nullable=False),
        sa.Column("occasion", sa.String(length=12), nullable=False),
        sa.Column("given_on", sa.Date(), nullable=False),
        sa.Column("understanding", sa.SmallInteger(), nullable=True),
        sa.Column("collaboration", sa.SmallInteger(), nullable=True),
        sa.Column("commitment", sa.SmallInteger(), nullable=True),
        sa.Column("communication", sa.SmallInteger(), nullable=True),
        sa.Column("empowerment", sa.SmallInteger(), nullable=True),
        sa.Column("time_together", sa.SmallInteger(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"],
            ["groups.id"],
            name=op.f("fk_relationship_feedback_group_id_groups"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_relationship_feedback_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_relationship_feedback_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_relationship_feedback_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"],
            ["users.id"],
            name=op.f("fk_relationship_feedback_worker_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_relationship_feedback")),
    )
    with op.batch_alter_table("relationship_feedback", schema=None) as batch_op:
        batch_op.create_index("ix_relationship_feedback_match", ["match_id"], unique=False)
        batch_op.create_index("ix_relationship_feedback_person", ["person_id"], unique=False)

    op.create_table(
        "rhythms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("frequency", sa.String(length=12), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=True),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=True),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("worker_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["group_id"], ["groups.id"], name=op.f("fk_rhythms_group_id_groups"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_rhythms_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_rhythms_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_rhythms_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["worker_id"], ["users.id"], name=op.f("fk_rhythms_worker_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rhythms")),
    )
    with op.batch_alter_table("rhythms", schema=None) as batch_op:
        batch_op.create_index("ix_rhythms_person", ["person_id"], unique=False)

    with op.batch_alter_table("loneliness_measures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("djg_emptiness", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("djg_miss_people", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("djg_rejected", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("djg_rely_on", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("djg_trust", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("djg_close", sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column("djg_total", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("loneliness_measures", schema=None) as batch_op:
        batch_op.drop_column("djg_total")
        batch_op.drop_column("djg_close")
        batch_op.drop_column("djg_trust")
        batch_op.drop_column("djg_rely_on")
        batch_op.drop_column("djg_rejected")
        batch_op.drop_column("djg_miss_people")
        batch_op.drop_column("djg_emptiness")

    with op.batch_alter_table("rhythms", schema=None) as batch_op:
        batch_op.drop_index("ix_rhythms_person")

    op.drop_table("rhythms")
    with op.batch_alter_table("relationship_feedback", schema=None) as batch_op:
        batch_op.drop_index("ix_relationship_feedback_person")
        batch_op.drop_index("ix_relationship_feedback_match")

    op.drop_table("relationship_feedback")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index("ix_contacts_person_on")
        batch_op.drop_index("ix_contacts_match_on")

    op.drop_table("contacts")
