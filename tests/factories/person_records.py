"""Rows the person-records tests need, made directly with the models.

Each function works in its own application context, commits and returns ids.
"""

from __future__ import annotations

from datetime import date, time

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.people.models import (
    Assignment,
    Attendance,
    Consent,
    HelpListing,
    LonelinessMeasure,
    Person,
    Tie,
    VolunteerProfile,
)
from betterway_map.register.models import Group, Organisation, OrganisationAdmin
from tests.conftest import make_user

__all__ = [
    "own_person",
    "assigned_person",
    "person_for",
    "organisation_with_group",
    "group_of",
    "add_group",
    "attendance",
    "tie_of",
    "listing_of",
    "volunteer",
    "measure",
    "count",
]


def _add(app, row) -> int:
    with app.app_context():
        db.session.add(row)
        db.session.commit()
        return row.id if hasattr(row, "id") else row.person_id


def own_person(app, user_id: int | None = None, **fields) -> tuple[int, int]:
    """A resident (new unless given) with their own profile: (user_id, person_id)."""
    user_id = user_id or make_user(app, "resident")
    fields.setdefault("first_name", "Rita")
    return user_id, _add(app, Person(user_id=user_id, registered_by_id=user_id, **fields))


def assigned_person(app, worker_id: int, **fields) -> int:
    """A person registered by, and assigned to, the worker."""
    fields.setdefault("first_name", "Walter")
    person_id = _add(app, Person(registered_by_id=worker_id, **fields))
    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=worker_id))
        db.session.commit()
    return person_id


def person_for(app, user_id: int) -> int:
    """A person ``user_id`` looks after: assigned if a worker, else their own."""
    with app.app_context():
        is_worker = db.session.get(User, user_id).has_role("worker")
    return assigned_person(app, user_id) if is_worker else own_person(app, user_id)[1]


def add_group(app, organisation_id: int, **fields) -> int:
    fields.setdefault("name", "Tuesday Lunch Club")
    fields.setdefault("frequency", "weekly")
    fields.setdefault("weekday", "tue")
    fields.setdefault("start_time", time(12, 0))
    fields.setdefault("end_time", time(14, 0))
    fields.setdefault("starts_on", date(2024, 1, 2))
    fields.setdefault("status", "active")
    fields.setdefault("interests", ["social", "cooking"])
    return _add(app, Group(organisation_id=organisation_id, **fields))


def organisation_with_group(app, admin_id: int | None = None, **group_fields) -> tuple[int, int]:
    """An organisation administered by ``admin_id`` (if given) and one group:
    (organisation_id, group_id)."""
    with app.app_context():
        organisation = Organisation(name="Friends of the Park", sector="voluntary")
        if admin_id is not None:
            organisation.admins.append(OrganisationAdmin(user_id=admin_id))
        db.session.add(organisation)
        db.session.commit()
        organisation_id = organisation.id
    return organisation_id, add_group(app, organisation_id, **group_fields)


def group_of(app, admin_id: int) -> int:
    """A group of an organisation that ``admin_id`` administers."""
    return organisation_with_group(app, admin_id)[1]


def attendance(app, person_id: int, group_id: int, **fields) -> int:
    fields.setdefault("status", "member")
    return _add(app, Attendance(person_id=person_id, group_id=group_id, **fields))


def tie_of(app, person_id: int, **fields) -> int:
    fields.setdefault("other_label", "daughter Sue")
    fields.setdefault("kind", "family")
    fields.setdefault("contact_frequency", "weekly")
    return _add(app, Tie(person_id=person_id, **fields))


def listing_of(app, person_id: int, **fields) -> int:
    fields.setdefault("direction", "request")
    fields.setdefault("kind", "shopping")
    fields.setdefault("status", "open")
    return _add(app, HelpListing(person_id=person_id, **fields))


def volunteer(app, person_id: int, **fields) -> int:
    fields.setdefault("capacity", 2)
    return _add(app, VolunteerProfile(person_id=person_id, **fields))


def measure(app, person_id: int, **fields) -> int:
    fields.setdefault("measured_on", date(2024, 1, 1))
    return _add(app, LonelinessMeasure(person_id=person_id, **fields))


def consent(app, person_id: int, purpose: str, **fields) -> int:
    fields.setdefault("method", "verbal")
    fields.setdefault("given_on", today_in_uk())
    return _add(app, Consent(person_id=person_id, purpose=purpose, **fields))


def count(app, model, **where) -> int:
    with app.app_context():
        query = db.select(db.func.count()).select_from(model)
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return db.session.scalar(query)
