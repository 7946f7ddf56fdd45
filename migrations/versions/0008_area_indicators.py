"""Area indicators: a figure per small area with its boundaries

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 09:04:47

Adds ``area_indicators`` (an indicator a council loads per small area, e.g.
a modelled loneliness index by LSOA: name, source, licence, the code system
and who imported it when) and ``area_indicator_values`` (each area's value,
decile, GeoJSON boundary, centre and bounding box).
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "area_indicators",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("source", sa.String(length=300), nullable=False),
        sa.Column("licence", sa.String(length=200), nullable=False),
        sa.Column("code_system", sa.String(length=80), nullable=False),
        sa.Column("value_label", sa.String(length=80), nullable=False),
        sa.Column("higher_is_more_need", sa.Boolean(), nullable=False),
        sa.Column("values_read", sa.Integer(), nullable=False),
        sa.Column("boundaries_read", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["imported_by_id"],
            ["users.id"],
            name=op.f("fk_area_indicators_imported_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_area_indicators")),
        sa.UniqueConstraint("name", name=op.f("uq_area_indicators_name")),
    )
    op.create_table(
        "area_indicator_values",
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("area_code", sa.String(length=20), nullable=False),
        sa.Column("area_name", sa.String(length=200), nullable=True),
        sa.Column("value", sa.Double(), nullable=False),
        sa.Column("decile", sa.Integer(), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("centroid_lat", sa.Double(), nullable=False),
        sa.Column("centroid_lon", sa.Double(), nullable=False),
        sa.Column("min_lat", sa.Double(), nullable=False),
        sa.Column("min_lon", sa.Double(), nullable=False),
        sa.Column("max_lat", sa.Double(), nullable=False),
        sa.Column("max_lon", sa.Double(), nullable=False),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["area_indicators.id"],
            name=op.f("fk_area_indicator_values_indicator_id_area_indicators"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("indicator_id", "area_code", name=op.f("pk_area_indicator_values")),
    )
    with op.batch_alter_table("area_indicator_values", schema=None) as batch_op:
        batch_op.create_index(
            "ix_area_indicator_values_box", ["indicator_id", "min_lat", "max_lat"], unique=False
        )


def downgrade():
    with op.batch_alter_table("area_indicator_values", schema=None) as batch_op:
        batch_op.drop_index("ix_area_indicator_values_box")

    op.drop_table("area_indicator_values")
    op.drop_table("area_indicators")
