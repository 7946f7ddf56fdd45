"""The council report's cache key (issue 15): the versions of the tables the
report reads, the day, the settings and the disclosure rule. It is worked
out without reading a register row; it changes with every kind of write the
report depends on (through the services, bulk statements, the gazetteer's
import that bypasses the session, erasure) and with nothing else."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from flask import current_app
from sqlalchemy import delete, event, insert, update

from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.extensions import db
from betterway_map.geocoding.gazetteer import import_postcode_files
from betterway_map.network import report_store
from betterway_map.network.loader import NetworkSettings, load_area, settings
from betterway_map.network.report import build_layers, build_report
from betterway_map.network.report_store import REPORT_TABLES, report_key
from betterway_map.people.models import (
    Assignment,
    Attendance,
    Consent,
    LonelinessMeasure,
    Person,
    Tie,
    VolunteerProfile,
)
from betterway_map.register.models import Group, Organisation, Partnership, Space
from betterway_map.rights.services.erasure import erase_person
from tests.conftest import make_user
from tests.factories.network import CELL_A, small_area
from tests.factories.person_records import attendance, consent, measure, tie_of, volunteer

TODAY = date(2026, 3, 10)


@pytest.fixture()
def area(app):
    """The small council area, with a row in every table the report reads."""
    made = small_area(app)
    person = made["a_people"][0]
    tie_of(app, person, last_contact_on=TODAY)
    measure(app, person, measured_on=TODAY, ucla_total=8, direct="often_always")
    attendance(app, person, made["group"], last_attended_on=TODAY)
    volunteer(app, made["a_people"][1])
    consent(app, person, "register")
    return made | {"person": person}


def _key(config: NetworkSettings | None = None, day: date = TODAY) -> str:
    return report_key(day, config or settings())


def _statements(app, work) -> list[str]:
    seen: list[str] = []

    def note(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", note)
        try:
            work()
        finally:
            event.remove(db.engine, "before_cursor_execute", note)
    return seen


def _tables_read(statements: list[str]) -> set[str]:
    names = set(db.metadata.tables)
    found = set()
    for statement in statements:
        for name in re.findall(r'\b(?:FROM|JOIN)\s+"?(\w+)"?', statement):
            if name in names:
                found.add(name)
    return found


def test_the_key_reads_only_the_table_of_versions(app, area):
    with app.app_context():
        _key()  # gives any table never written a version first
    statements = _statements(app, _key)
    assert len(statements) == 1
    assert _tables_read(statements) == {"table_versions"}


def test_the_key_is_the_same_while_nothing_is_written(app, area, signed_in):
    with app.app_context():
        before = _key()
    client, _ = signed_in("council")
    assert client.get("/council/network").status_code == 200  # stores the report
    assert client.get("/api/v1/network/area").status_code == 200
    with app.app_context():
        assert _key() == before


def test_every_table_the_report_reads_is_in_the_key(app, area):
    """Whatever the report and its map layers read (the register, consent,
    the gazetteer naming the cells) must be a table whose version is in the key."""

    def job():
        config = settings()
        area_records = load_area(TODAY)
        report = build_report(area_records, config)
        build_layers(area_records, config, report)

    read = _tables_read(_statements(app, job))
    assert {"people", "postcodes", "consents"} <= read  # the check itself finds tables
    assert read <= set(REPORT_TABLES)


def _edit(model, **values):
    def write(made):
        row = db.session.scalars(db.select(model).limit(1)).one()
        for name, value in values.items():
            setattr(row, name, value)
        db.session.commit()

    return write


def _remove(model):
    def write(made):
        db.session.delete(db.session.scalars(db.select(model).limit(1)).one())
        db.session.commit()

    return write


def _bulk_people(made):
    rows = [
        {"first_name": f"Bulk{n}", "age_band": "85+", "latitude": 51.5, "longitude": -0.1}
        for n in range(3)
    ]
    db.session.execute(insert(Person), rows)  # executemany, as the demo and imports do
    db.session.commit()


def _statement_update(made):
    db.session.execute(update(Tie).values(contact_frequency="never"))
    db.session.commit()


def _statement_delete(made):
    db.session.execute(delete(Attendance))
    db.session.commit()


def _delete_person(made):
    db.session.delete(db.session.get(Person, made["b_people"][0]))  # cascades to their rows
    db.session.commit()


def _erase(made):
    admin = db.session.get(User, make_user(current_app._get_current_object(), "site_admin"))
    erase_person(admin, made["c_people"][0], vocab.values(vocab.ERASURE_REASONS)[0])


def _withdraw(made):
    db.session.add(
        Consent(
            person_id=made["person"],
            purpose="register",
            method="verbal",
            given_on=TODAY,
            withdrawn_on=TODAY,
        )
    )
    db.session.commit()


def _gazetteer(made, tmp_path):
    path = tmp_path / "postcodes.csv"
    path.write_text("postcode,lat,long\nZZ9 9ZZ,51.51,-0.11\n")
    import_postcode_files([path])  # bypasses the session on SQLite and PostgreSQL


WRITES = {
    "a person's home": _edit(Person, latitude=51.6),
    "a measure": _edit(LonelinessMeasure, ucla_total=3),
    "an assignment": _remove(Assignment),
    "a volunteer": _edit(VolunteerProfile, active=False),
    "a tie": _edit(Tie, kind="professional"),
    "an attendance": _edit(Attendance, status="former"),
    "a group": _edit(Group, status="paused"),
    "a space": _edit(Space, step_free=False),
    "an organisation": _edit(Organisation, sector="health"),
    "a partnership": _edit(Partnership, kind="shared_space"),
    "consent withdrawn": _withdraw,
    "people added in bulk": _bulk_people,
    "an UPDATE statement": _statement_update,
    "a DELETE statement": _statement_delete,
    "a person deleted": _delete_person,
    "an erasure": _erase,
}


@pytest.mark.parametrize("write", list(WRITES), ids=list(WRITES))
def test_every_kind_of_write_the_report_reads_changes_the_key(app, area, write):
    with app.app_context():
        before = _key()
        WRITES[write](area)
        db.session.remove()
    with app.app_context():
        assert _key() != before


def test_the_gazetteer_import_changes_the_key(app, area, tmp_path):
    with app.app_context():
        before = _key()
        _gazetteer(area, tmp_path)
        db.session.remove()
    with app.app_context():
        assert _key() != before


def _new_user(made):
    make_user(current_app._get_current_object(), "worker")


def _help_listing(made):
    from tests.factories.person_records import listing_of

    listing_of(current_app._get_current_object(), made["person"])


@pytest.mark.parametrize("write", [_new_user, _help_listing], ids=["a user", "a help listing"])
def test_a_write_the_report_does_not_read_leaves_the_key(app, area, write):
    with app.app_context():
        before = _key()
        write(area)
        db.session.remove()
    with app.app_context():
        assert _key() == before


@pytest.mark.parametrize(
    "other",
    [{"window_days": 30}, {"walking_m": 400}, {"resolution": 9}, {"min_count": 10}],
    ids=lambda o: next(iter(o)),
)
def test_the_key_depends_on_the_settings(app_ctx, area, other):
    assert _key(NetworkSettings(**other)) != _key(NetworkSettings())


def test_the_key_depends_on_the_day_and_the_disclosure_rule(app_ctx, area, monkeypatch):
    before = _key()
    assert _key(day=TODAY + timedelta(days=1)) != before
    monkeypatch.setattr(report_store, "RULE_VERSION", report_store.RULE_VERSION + 1)
    assert _key() != before


def test_a_cell_named_by_a_new_postcode_is_shown_after_the_import(app, area, tmp_path, signed_in):
    """The gazetteer names the cells: an import bypassing the session still
    refreshes the stored report (its key changed)."""
    client, _ = signed_in("council")
    first = client.get("/api/v1/network/area").get_json()
    (cell,) = first["cells"]["features"]
    assert cell["id"] == CELL_A
    with app.app_context():
        _gazetteer(area, tmp_path)
    again = client.get("/api/v1/network/area").get_json()
    assert again["computed_at"] > first["computed_at"]  # recomputed (background off in tests)
