"""Matching: requests for support, volunteers' offers, runs and matches

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 07:51:01

Adds ``support_requests`` (a request for support for one person),
``volunteer_offers`` (what a volunteer will do, when and from where, and a
worker's safeguarding restrictions), ``matching_runs``, ``matches`` with
their ``match_events`` (each step of a match's journey), and
``matching_weights`` (a site admin's weight for each soft score); and
``volunteer_profiles.dbs_expires_on`` (empty: three years after the check).
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "matching_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_by_id", sa.Integer(), nullable=True),
        sa.Column("area", sa.JSON(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("request_count", sa.Integer(), nullable=False),
        sa.Column("offer_count", sa.Integer(), nullable=False),
        sa.Column("proposal_count", sa.Integer(), nullable=False),
        sa.Column("total_score", sa.Float(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("unmatched", sa.JSON(), nullable=False),
        sa.Column("unmatched_summary", sa.JSON(), nullable=False),
        sa.Column("waiting_volunteers", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["run_by_id"],
            ["users.id"],
            name=op.f("fk_matching_runs_run_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matching_runs")),
    )
    op.create_table(
        "matching_weights",
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_matching_weights_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_matching_weights")),
    )
    op.create_table(
        "support_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("frequency", sa.String(length=12), nullable=False),
        sa.Column("duration_min", sa.Integer(), nullable=False),
        sa.Column("availability", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("lived_experience", sa.JSON(), nullable=False),
        sa.Column("volunteer_gender", sa.String(length=10), nullable=True),
        sa.Column("similar_age", sa.Boolean(), nullable=False),
        sa.Column("excluded_volunteer_ids", sa.JSON(), nullable=False),
        sa.Column("comes_to_me", sa.Boolean(), nullable=False),
        sa.Column("travel_km", sa.Float(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_support_requests_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_support_requests_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_support_requests")),
    )
    with op.batch_alter_table("support_requests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_support_requests_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index("ix_support_requests_status_kind", ["status", "kind"], unique=False)

    op.create_table(
        "volunteer_offers",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("availability", sa.JSON(), nullable=False),
        sa.Column("languages", sa.JSON(), nullable=False),
        sa.Column("interests", sa.JSON(), nullable=False),
        sa.Column("travel_km", sa.Float(), nullable=False),
        sa.Column("from_postcode", sa.String(length=8), nullable=True),
        sa.Column("from_latitude", sa.Double(), nullable=True),
        sa.Column("from_longitude", sa.Double(), nullable=True),
        sa.Column("gender", sa.String(length=10), nullable=True),
        sa.Column("restricted_kinds", sa.JSON(), nullable=False),
        sa.Column("excluded_person_ids", sa.JSON(), nullable=False),
        sa.Column("restriction_notes", sa.Text(), nullable=True),
        sa.Column("restrictions_recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("available_since", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_volunteer_offers_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["restrictions_recorded_by_id"],
            ["users.id"],
            name=op.f("fk_volunteer_offers_restrictions_recorded_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("person_id", name=op.f("pk_volunteer_offers")),
    )
    op.create_table(
        "matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("volunteer_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("volunteer_response", sa.String(length=10), nullable=True),
        sa.Column("volunteer_reason", sa.Text(), nullable=True),
        sa.Column("person_response", sa.String(length=10), nullable=True),
        sa.Column("person_reason", sa.Text(), nullable=True),
        sa.Column("person_answered_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("next_review_on", sa.Date(), nullable=True),
        sa.Column("end_requested_by", sa.String(length=10), nullable=True),
        sa.Column("end_requested_reason", sa.Text(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_kind", sa.String(length=10), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.Column("ended_well", sa.Boolean(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"],
            ["users.id"],
            name=op.f("fk_matches_approved_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_answered_by_id"],
            ["users.id"],
            name=op.f("fk_matches_person_answered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["support_requests.id"],
            name=op.f("fk_matches_request_id_support_requests"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["matching_runs.id"],
            name=op.f("fk_matches_run_id_matching_runs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["people.id"],
            name=op.f("fk_matches_volunteer_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_matches")),
    )
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_matches_request_id"), ["request_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_matches_run_id"), ["run_id"], unique=False)
        batch_op.create_index("ix_matches_status", ["status"], unique=False)
        batch_op.create_index(
            "ix_matches_volunteer_status", ["volunteer_id", "status"], unique=False
        )

    op.create_table(
        "match_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("match_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("step", sa.String(length=24), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_match_events_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["match_id"],
            ["matches.id"],
            name=op.f("fk_match_events_match_id_matches"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_match_events")),
    )
    with op.batch_alter_table("match_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_events_match_id"), ["match_id"], unique=False)

    with op.batch_alter_table("volunteer_profiles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("dbs_expires_on", sa.Date(), nullable=True))


def downgrade():
    with op.batch_alter_table("volunteer_profiles", schema=None) as batch_op:
        batch_op.drop_column("dbs_expires_on")

    with op.batch_alter_table("match_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_events_match_id"))

    op.drop_table("match_events")
    with op.batch_alter_table("matches", schema=None) as batch_op:
        batch_op.drop_index("ix_matches_volunteer_status")
        batch_op.drop_index("ix_matches_status")
        batch_op.drop_index(batch_op.f("ix_matches_run_id"))
        batch_op.drop_index(batch_op.f("ix_matches_request_id"))

    op.drop_table("matches")
    op.drop_table("volunteer_offers")
    with op.batch_alter_table("support_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_support_requests_status_kind")
        batch_op.drop_index(batch_op.f("ix_support_requests_person_id"))

    op.drop_table("support_requests")
    op.drop_table("matching_weights")
    op.drop_table("matching_runs")
