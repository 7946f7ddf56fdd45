"""``load_area`` reads rows past SQLAlchemy's per-row processing (issue 15):
the records must still hold exactly what the ORM reads — dates as ``date``
(stored as text on SQLite), booleans as ``bool`` (0/1 on SQLite), None kept —
one object per distinct value, and consent applied. Run on SQLite and on
PostgreSQL (``TEST_DATABASE_URL``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from betterway_map.extensions import db
from betterway_map.network.loader import load_area
from betterway_map.people.models import Attendance, Person, Tie
from betterway_map.register.models import Partnership
from tests.factories.network import small_area
from tests.factories.person_records import attendance, consent, measure, tie_of, volunteer

TODAY = date(2026, 3, 10)
DAY = date(2026, 2, 14)


def _made(app):
    made = small_area(app)
    first, second, gone = made["a_people"][:3]
    tie_of(app, first, last_contact_on=DAY, other_person_id=second)
    tie_of(app, second, last_contact_on=DAY, kind="friend", contact_frequency="daily")
    tie_of(app, second, last_contact_on=None, other_person_id=gone)
    tie_of(app, gone, last_contact_on=DAY)
    measure(app, first, measured_on=date(2025, 1, 1), ucla_total=3, direct="never")
    measure(app, first, measured_on=DAY, ucla_total=8, direct="often_always")
    attendance(app, first, made["group"], since=date(2025, 5, 1), last_attended_on=DAY)
    attendance(app, second, made["group"], status="interested")
    attendance(app, gone, made["group"], last_attended_on=DAY)
    volunteer(app, second)
    with app.app_context():
        db.session.execute(db.update(Person).where(Person.id == first).values(lives_alone=True))
        db.session.execute(db.update(Person).where(Person.id == second).values(lives_alone=False))
        db.session.commit()
    consent(app, gone, "register", withdrawn_on=date(2026, 1, 1))
    return made | {"first": first, "second": second, "gone": gone}


def _exact(value, expected) -> bool:
    return type(value) is type(expected) and value == expected


def test_the_records_hold_what_the_orm_reads(app):
    made = _made(app)
    with app.app_context():
        area = load_area(TODAY)
        people = {p.id: p for p in area.people}
        assert made["gone"] not in people  # withdrew consent to the register
        for person in db.session.scalars(select(Person).where(Person.id != made["gone"])):
            record = people[person.id]
            assert record.first_name == person.first_name
            assert record.age_band == person.age_band
            assert _exact(record.latitude, person.latitude)
            assert record.lives_alone is person.lives_alone
        first = people[made["first"]]
        assert (first.ucla_total, first.direct) == (8, "often_always")  # the latest
        assert _exact(first.measured_on, DAY)
        assert people[made["second"]].is_volunteer is True
        assert people[made["second"]].measured_on is None
        assert people[made["first"]].worker_ids == (made["worker"],)

        ties = {t.id: t for t in area.ties}
        expected = db.session.scalars(
            select(Tie).where(Tie.person_id != made["gone"]).order_by(Tie.id)
        ).all()
        assert list(ties) == [t.id for t in expected]
        for tie in expected:
            record = ties[tie.id]
            assert (record.person_id, record.kind, record.contact_frequency) == (
                tie.person_id,
                tie.kind,
                tie.contact_frequency,
            )
            if tie.last_contact_on is None:
                assert record.last_contact_on is None
            else:
                assert _exact(record.last_contact_on, tie.last_contact_on)
            # A tie to someone who left the register is a tie to someone not on it.
            other = None if tie.other_person_id == made["gone"] else tie.other_person_id
            assert record.other_person_id == other

        expected = db.session.scalars(
            select(Attendance).where(Attendance.person_id != made["gone"]).order_by(Attendance.id)
        ).all()
        assert [
            (a.person_id, a.group_id, a.status, a.since, a.last_attended_on)
            for a in area.attendances
        ] == [(a.person_id, a.group_id, a.status, a.since, a.last_attended_on) for a in expected]
        assert _exact(area.attendances[0].since, date(2025, 5, 1))

        (partnership,) = db.session.scalars(select(Partnership)).all()
        (record,) = area.partnerships
        assert (record.kind, record.started_on) == (partnership.kind, partnership.started_on)
        assert _exact(record.last_active_on, partnership.last_active_on)

        space = area.spaces[0]
        assert space.step_free is True and space.accessible_toilet is False


def test_each_distinct_value_is_one_object(app):
    made = _made(app)
    with app.app_context():
        area = load_area(TODAY)
    days = [t.last_contact_on for t in area.ties if t.last_contact_on is not None]
    assert len(days) == 2 and days[0] is days[1]
    kinds = [t.kind for t in area.ties if t.kind == "family"]
    assert len(kinds) == 2 and kinds[0] is kinds[1]
    statuses = [a.status for a in area.attendances if a.status == "member"]
    assert len(statuses) == 1 and made["gone"] not in {a.person_id for a in area.attendances}
