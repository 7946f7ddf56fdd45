"""A new demo already has months of trends for the council to see."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from betterway_map.database import table_versions
from betterway_map.demo.cli import DEMO_SNAPSHOT_MONTHS
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.network.models import NetworkSnapshot
from betterway_map.network.report_files import TREND_COLUMNS
from betterway_map.network.trends import take_snapshot, take_snapshots
from tests.demo.test_demo_command import SMALL


def test_the_demo_stores_a_snapshot_for_each_recent_month(app, runner):
    result = runner.invoke(args=SMALL)
    assert result.exit_code == 0, result.output
    with app.app_context():
        months = db.session.scalars(select(NetworkSnapshot.month)).all()
    assert len(months) == DEMO_SNAPSHOT_MONTHS
    assert all(month.day == 1 for month in months)
    assert len({(month.year, month.month) for month in months}) == DEMO_SNAPSHOT_MONTHS


# Every figure of a month as the exports write it, and the settings it was taken under.
SNAPSHOT_COLUMNS = (*TREND_COLUMNS, "settings")


def _stored(app) -> dict:
    with app.app_context():
        return {
            row.month: tuple(repr(getattr(row, column)) for column in SNAPSHOT_COLUMNS)
            for row in db.session.scalars(select(NetworkSnapshot))
        }


def test_months_from_one_load_are_the_months_taken_one_by_one(app, runner):
    """``take_snapshots`` (one load of the register for all the months, as
    the demo takes them) stores what ``take_snapshot`` stores for each day."""
    assert runner.invoke(args=["demo", "--people", "400", "--seed", "3"]).exit_code == 0
    days = [today_in_uk() - timedelta(days=n) for n in (200, 120, 45)]
    with app.app_context():
        take_snapshots(days)
    together = _stored(app)
    with app.app_context():
        for day in days:
            take_snapshot(day)
    one_by_one = _stored(app)
    assert together == one_by_one
    # The activity window moves with the day, so the months differ.
    assert len({figures for figures in one_by_one.values()}) > 1


def test_the_demo_gives_the_tables_it_writes_new_versions(app, runner):
    """The demo writes in bulk on the session's connection; the council's
    caches must still see the tables change."""
    with app.app_context():
        before = table_versions("people", "groups", "ties", "attendances", "area_indicators")
    assert runner.invoke(args=SMALL).exit_code == 0
    with app.app_context():
        after = table_versions("people", "groups", "ties", "attendances", "area_indicators")
    assert all(version is not None for version in after)
    assert all(old != new for old, new in zip(before, after))
