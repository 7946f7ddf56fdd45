"""A version per table: every write through the services gives the tables it
wrote (and those the database changes with them) a new version, in the same
transaction; nothing else does. ``Versioned`` keeps a value until then."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import create_engine, delete, insert, select, text, update

from betterway_map.accounts.models import User
from betterway_map.database import TABLE_VERSIONS, Versioned, new_version, table_versions
from betterway_map.extensions import db
from betterway_map.register.models import Group, Organisation, Space
from betterway_map.register.services import groups as group_service
from betterway_map.register.services import spaces as space_service
from tests.conftest import make_user
from tests.factories.organisations import make_group, make_organisation, make_space

TABLES = ("spaces", "groups", "organisations")


@pytest.fixture()
def hall(app):
    """An organisation admin, their organisation, a space and a group meeting there."""
    user_id = make_user(app, "org_admin")
    organisation_id = make_organisation(app, admin_user_id=user_id)
    space_id = make_space(app, organisation_id)
    group_id = make_group(app, organisation_id, space_id)
    return {"user": user_id, "org": organisation_id, "space": space_id, "group": group_id}


def _in_another_process(url: str, *statements) -> None:
    """Run ``statements`` in one transaction on another engine of the same
    database, as another worker (or a restart) would."""
    other = create_engine(url)
    try:
        with other.begin() as connection:
            for statement in statements:
                connection.execute(statement)
    finally:
        other.dispose()


def _new_spaces_version():
    return (
        update(TABLE_VERSIONS)
        .where(TABLE_VERSIONS.c.table_name == "spaces")
        .values(version=new_version())
    )


def _changed(before: tuple) -> set[str]:
    return {name for name, a, b in zip(TABLES, before, table_versions(*TABLES)) if a != b}


def _create_space(user, ids):
    space_service.create_space(
        user,
        {"organisation_id": ids["org"], "name": "New hall", "address": "2 Road",
         "postcode": "ZZ1 1AA", "latitude": 51.5, "longitude": -0.1},
    )  # fmt: skip


def _create_group(user, ids):
    group_service.create_group(
        user,
        {"organisation_id": ids["org"], "name": "New club", "space_id": ids["space"],
         "frequency": "weekly", "weekday": "wed", "start_time": time(10),
         "end_time": time(11), "starts_on": date(2026, 1, 7)},
    )  # fmt: skip


@pytest.mark.parametrize(
    "write, changed",
    [
        (_create_space, {"spaces"}),
        (lambda user, ids: space_service.update_space(user, ids["space"], {"name": "Renamed"}),
         {"spaces"}),
        # Its groups stay, with no venue: the groups' version changes too.
        (lambda user, ids: space_service.delete_space(user, ids["space"]), {"spaces", "groups"}),
        (_create_group, {"groups"}),
        (lambda user, ids: group_service.set_status(user, ids["group"], "paused"), {"groups"}),
        (lambda user, ids: group_service.delete_group(user, ids["group"]), {"groups"}),
    ],
    ids=["create space", "update space", "delete space", "create group", "pause group",
         "delete group"],
)  # fmt: skip
def test_a_service_write_changes_the_versions_of_the_tables_it_wrote(app, hall, write, changed):
    with app.app_context():
        before = table_versions(*TABLES)
        write(db.session.get(User, hall["user"]), hall)
        assert _changed(before) == changed


def test_every_table_written_before_has_a_version(app, hall):
    with app.app_context():
        assert None not in table_versions(*TABLES)


def test_a_write_rolled_back_changes_no_version(app, hall):
    with app.app_context():
        before = table_versions(*TABLES)
        db.session.get(Space, hall["space"]).name = "Never saved"
        db.session.flush()
        db.session.rollback()
        assert _changed(before) == set()


@pytest.mark.parametrize(
    "statement, changed",
    [
        (lambda ids: update(Group).where(Group.id == ids["group"]).values(name="Bulk"), {"groups"}),
        (lambda ids: insert(Space).values(organisation_id=ids["org"], name="Bulk hall",
                                          address="3 Road", postcode="ZZ1 1AA"), {"spaces"}),
        # The database deletes the organisation's spaces and groups with it.
        (lambda ids: delete(Organisation).where(Organisation.id == ids["org"]),
         {"organisations", "spaces", "groups"}),
    ],
    ids=["update", "insert", "delete with cascade"],
)  # fmt: skip
def test_a_statement_run_through_the_session_changes_the_versions(app, hall, statement, changed):
    with app.app_context():
        before = table_versions(*TABLES)
        db.session.execute(statement(hall))
        db.session.commit()
        assert _changed(before) == changed


def test_reading_changes_no_version(app, hall):
    with app.app_context():
        before = table_versions(*TABLES)
        db.session.scalars(select(Space)).all()
        db.session.commit()
        assert _changed(before) == set()


def _counting_names():
    built = []

    def build():
        built.append(1)
        return sorted(db.session.scalars(select(Space.name)))

    return Versioned(["spaces"], build), built


def test_a_versioned_value_is_kept_until_its_table_is_written(app, hall):
    names, built = _counting_names()
    with app.app_context():
        first = names.get()
        assert names.get() == first and len(built) == 1
        space_service.update_space(db.session.get(User, hall["user"]), hall["space"], {"name": "B"})
        assert names.get() == ["B"] and len(built) == 2


def test_a_versioned_value_is_not_kept_from_a_transaction_that_wrote_its_table(app, hall):
    names, _ = _counting_names()
    with app.app_context():
        names.get()
        db.session.get(Space, hall["space"]).name = "Uncommitted"
        assert names.get() == ["Uncommitted"]  # this transaction sees its own write
        db.session.rollback()
        assert names.get() != ["Uncommitted"]


def test_a_versioned_value_sees_at_once_what_another_process_committed(app, hall):
    """Each use in a fresh request reads the versions on the connection the
    process keeps for them; a write committed by another process (here
    another engine on the same database, as another worker has) is seen by
    the very next use, and nothing else builds the value again."""
    names, built = _counting_names()
    with app.app_context():
        first = names.get()
        url = db.engine.url.render_as_string(hide_password=False)
    with app.app_context():
        assert names.get() == first and len(built) == 1  # kept: nothing was written
    _in_another_process(url, update(Space).values(name="Elsewhere"), _new_spaces_version())
    with app.app_context():
        assert names.get() == ["Elsewhere"] and len(built) == 2


def test_the_kept_connection_reads_the_versions_the_session_reads(app, hall):
    """A fresh request reads the versions on the connection each process
    keeps (on PostgreSQL by a statement prepared once on it), the same as
    its session reads them; a table never written reads as None."""
    from betterway_map.database.versioned import _connection, _kept, kept_table_versions

    tables = (*TABLES, "one_off_meetings")
    with app.app_context():
        db.session.execute(delete(TABLE_VERSIONS).where(TABLE_VERSIONS.c.table_name == tables[-1]))
        db.session.commit()
        expected = table_versions(*tables)
        db.session.remove()
        assert expected[-1] is None and None not in expected[:-1]
        for _ in range(3):  # made, then reused
            assert kept_table_versions(db.engine, tables) == expected
        assert kept_table_versions(db.engine, tables[:2]) == expected[:2]  # another statement
        if db.engine.dialect.name == "postgresql":
            cursor = _connection(db.engine).cursor()
            cursor.execute(text("SELECT name FROM pg_prepared_statements").text)
            prepared = {row[0] for row in cursor.fetchall()}
            cursor.close()
            made = _kept(db.engine).statements
            assert {made[tables].decode(), made[tables[:2]].decode()} <= prepared
            assert made[tables] != made[tables[:2]]


def test_after_the_kept_connection_is_lost_the_next_read_works_again(app, hall):
    """The kept connection's server process ended (a restart, an idle
    timeout): that read fails as the database's outage does (SQLAlchemy's
    OperationalError: a 503), and the next makes a new connection (and
    prepares its statement on it again)."""
    from sqlalchemy.exc import OperationalError

    from betterway_map.database.versioned import _connection, _kept, kept_table_versions

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("a server process to end: PostgreSQL only")
        expected = table_versions(*TABLES)
        db.session.remove()
        assert kept_table_versions(db.engine, TABLES) == expected
        pid = _connection(db.engine).dbapi_connection.pgconn.backend_pid
        url = db.engine.url.render_as_string(hide_password=False)
        _in_another_process(url, text(f"SELECT pg_terminate_backend({int(pid)})"))
        with pytest.raises(OperationalError):
            kept_table_versions(db.engine, TABLES)
        assert kept_table_versions(db.engine, TABLES) == expected
        kept = _connection(db.engine)
        assert kept.dbapi_connection.pgconn.backend_pid != pid
        cursor = kept.cursor()
        cursor.execute("SELECT name FROM pg_prepared_statements")
        assert _kept(db.engine).statements[TABLES].decode() in {r[0] for r in cursor.fetchall()}
        cursor.close()


def test_sqlite_reads_the_versions_again_only_after_another_connection_committed(app, hall):
    """SQLite: while no other connection has committed, the kept connection
    answers from its last read after one ``PRAGMA data_version``; a commit by
    another process (another engine) or by this process's own session is
    seen by the very next read."""
    from betterway_map.database.versioned import _connection, kept_table_versions

    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite's data version")
        db.session.remove()
        expected = kept_table_versions(db.engine, TABLES)
        statements: list[str] = []
        driver = _connection(db.engine).dbapi_connection
        driver.set_trace_callback(statements.append)
        try:
            assert kept_table_versions(db.engine, TABLES) == expected
            assert statements == ["PRAGMA data_version"]  # nothing committed: no query

            url = db.engine.url.render_as_string(hide_password=False)
            _in_another_process(url, _new_spaces_version())
            statements.clear()
            after_other = kept_table_versions(db.engine, TABLES)
            assert after_other != expected and after_other[1:] == expected[1:]
            assert len(statements) == 2 and "table_versions" in statements[1]

            db.session.get(Group, hall["group"]).name = "Renamed here"
            db.session.commit()  # through the session: another connection of this process
            db.session.remove()
            after_ours = kept_table_versions(db.engine, TABLES)
            assert after_ours[1] != after_other[1] and after_ours == table_versions(*TABLES)
            db.session.remove()
            statements.clear()
            assert kept_table_versions(db.engine, TABLES) == after_ours
            assert statements == ["PRAGMA data_version"]
        finally:
            driver.set_trace_callback(None)
