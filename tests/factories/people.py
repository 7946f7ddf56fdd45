"""Making people for tests: a person assigned to a worker, a resident with a
profile. Each function works in its own application context, commits, and
returns ids (never objects, which would be detached).

Other features' tests reuse these, e.g.::

    worker = make_user(app, "worker")
    person_id = make_assigned_person(app, worker, first_name="Iris")
"""

from __future__ import annotations

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.people.models import Assignment, Consent, Person
from tests.conftest import make_user

__all__ = [
    "make_person",
    "make_assigned_person",
    "make_resident_with_profile",
    "person_of",
    "make_consent",
]


def make_person(app, **fields) -> int:
    """A person on nobody's caseload (first name "Test" unless given); their id."""
    fields.setdefault("first_name", "Test")
    with app.app_context():
        person = Person(**fields)
        db.session.add(person)
        db.session.commit()
        return person.id


def make_assigned_person(app, worker_id: int, **fields) -> int:
    """A person registered by ``worker_id`` and assigned to them, with consent
    to be on the register; their id."""
    fields.setdefault("registered_by_id", worker_id)
    person_id = make_person(app, **fields)
    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=worker_id))
        db.session.commit()
    make_consent(app, person_id, recorded_by_id=worker_id)
    return person_id


def make_resident_with_profile(app, user_id: int | None = None, **fields) -> tuple[int, int]:
    """A resident (new unless ``user_id`` is given) with their own profile:
    ``(user_id, person_id)``."""
    user_id = user_id or make_user(app, "resident")
    fields.setdefault("registered_by_id", user_id)
    return user_id, make_person(app, user_id=user_id, **fields)


def make_consent(app, person_id: int, purpose: str = "register", **fields) -> int:
    """A consent given today, verbally, unless told otherwise; its id."""
    fields.setdefault("method", "verbal")
    fields.setdefault("given_on", today_in_uk())
    with app.app_context():
        consent = Consent(person_id=person_id, purpose=purpose, **fields)
        db.session.add(consent)
        db.session.commit()
        return consent.id


def person_of(app, user_id: int) -> int:
    """A person the user may see, for the authorisation matrix: assigned to
    them if they are a worker, else their own profile. Their id."""
    with app.app_context():
        is_worker = db.session.get(User, user_id).has_role("worker")
    if is_worker:
        return make_assigned_person(app, user_id)
    return make_resident_with_profile(app, user_id)[1]
