"""A new demo already has months of trends for the council to see."""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.demo.cli import DEMO_SNAPSHOT_MONTHS
from betterway_map.extensions import db
from betterway_map.network.models import NetworkSnapshot
from tests.demo.test_demo_command import SMALL


def test_the_demo_stores_a_snapshot_for_each_recent_month(app, runner):
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    with app.app_context():
        months = db.session.scalars(select(NetworkSnapshot.month)).all()
    assert len(months) == DEMO_SNAPSHOT_MONTHS
    assert all(month.day == 1 for month in months)
    assert len({(month.year, month.month) for month in months}) == DEMO_SNAPSHOT_MONTHS
