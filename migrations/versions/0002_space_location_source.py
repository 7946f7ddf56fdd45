"""How each space was placed on the map; spaces and homes placed from their postcodes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 21:50:00

Adds ``spaces.location_source`` ("postcode", "geocoder", "typed", or empty
when not placed) and places every space and person home that has a postcode
the gazetteer knows but no coordinates (they were stored unplaced, so they
never appeared in nearby search, on maps or in council coverage). Spaces
that already had coordinates keep them, with no source recorded.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_PLACE = """
UPDATE {table} SET
    latitude = (SELECT p.latitude FROM postcodes p WHERE p.postcode = {table}.postcode),
    longitude = (SELECT p.longitude FROM postcodes p WHERE p.postcode = {table}.postcode){source}
WHERE latitude IS NULL AND postcode IS NOT NULL
  AND EXISTS (SELECT 1 FROM postcodes p WHERE p.postcode = {table}.postcode)
"""


def upgrade():
    with op.batch_alter_table("spaces") as batch:
        batch.add_column(sa.Column("location_source", sa.String(length=20), nullable=True))
    op.execute(_PLACE.format(table="spaces", source=", location_source = 'postcode'"))
    op.execute(_PLACE.format(table="people", source=""))


def downgrade():
    with op.batch_alter_table("spaces") as batch:
        batch.drop_column("location_source")
