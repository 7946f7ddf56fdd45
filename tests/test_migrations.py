"""The migrations are the schema: they match the models exactly."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from betterway_map.extensions import db


def test_models_and_migrations_agree(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == [], (
        "models differ from the migrations; run scripts/regenerate_initial_migration.sh: "
        f"{differences}"
    )


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(app):
    with app.app_context(), db.engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            pytest.skip("SQLite pragmas do not apply to this database")
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_partnerships_recorded_before_confirmation_existed_stay_public(monkeypatch, tmp_path):
    """Every partnership was public before 0004: the upgrade marks each one
    confirmed (when it was recorded, by no one in particular), so none
    disappears from the public pages."""
    from flask_migrate import upgrade
    from sqlalchemy import text

    from betterway_map import create_app
    from config import TestingConfig

    class OldDatabase(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{tmp_path}/old.db"

    monkeypatch.setenv("BETTERWAY_INSTANCE", str(tmp_path))
    old = create_app(OldDatabase)
    recorded = "2025-04-01 09:30:00.000000"
    with old.app_context():
        upgrade(revision="0002")
        with db.engine.begin() as connection:
            for number, name in ((1, "Riverside Trust"), (2, "Hillside Surgery")):
                connection.execute(
                    text(
                        "INSERT INTO organisations (id, name, sector, created_at, updated_at) "
                        "VALUES (:id, :name, 'voluntary', :at, :at)"
                    ),
                    {"id": number, "name": name, "at": recorded},
                )
            connection.execute(
                text(
                    "INSERT INTO partnerships (organisation_id, partner_id, kind, created_at, "
                    "updated_at) VALUES (1, 2, 'joint_work', :at, :at)"
                ),
                {"at": recorded},
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT confirmed_at, confirmed_by_id FROM partnerships")
            ).one()
        db.engine.dispose()
    assert row == (recorded, None)
