"""Matrix cases for people: the resident's profile, workers' people and
consents, site admins' assignments, and their API routes."""

from __future__ import annotations

from tests.authorisation.matrix import Case, roles
from tests.conftest import make_user
from tests.factories.days import TODAY
from tests.factories.people import make_assigned_person, make_consent, make_person, person_of

RESIDENT = roles("resident")
WORKER = roles("worker")
SITE_ADMIN = roles("site_admin")
PERSON_ROLES = roles("worker", "resident")


def _person(app, owner):
    """A person the owner may see (assigned to a worker; a resident's own)."""
    return {"person_id": person_of(app, owner)}


def _consent(app, owner):
    person_id = person_of(app, owner)
    return {"person_id": person_id, "consent_id": make_consent(app, person_id, "matching")}


def _own_profile(app, owner):
    """The URL names no record: it is always the caller's own profile."""
    person_of(app, owner)
    return {}


def _any_person(app, owner):
    """Site admins manage every person's workers, so any person will do."""
    return {"person_id": make_person(app, first_name="Anyone")}


def _person_with_two_workers(app, owner):
    first, second = make_user(app, "worker"), make_user(app, "worker")
    person_id = make_assigned_person(app, first)
    from betterway_map.extensions import db
    from betterway_map.people.models import Assignment

    with app.app_context():
        db.session.add(Assignment(person_id=person_id, worker_id=second))
        db.session.commit()
    return {"person_id": person_id, "worker_id": first}


CONSENT = {"purposes": ["matching"], "method": "verbal", "given_on": TODAY}

CASES = [
    # The resident's own profile pages.
    Case("profile.show", allowed=RESIDENT),
    Case("profile.edit", allowed=RESIDENT),
    Case("profile.edit", method="POST", allowed=RESIDENT, data={"first_name": "Ada"}),
    Case("profile.export", allowed=RESIDENT),
    Case("profile.data_page", allowed=RESIDENT),
    Case("profile.data_pdf", allowed=RESIDENT),
    # Workers' people pages.
    Case("people.index", allowed=WORKER),
    Case("people.new", allowed=WORKER),
    Case("people.new", method="POST", allowed=WORKER, data={"first_name": "Bo"}),
    Case("people.detail", allowed=WORKER, record=_person),
    Case("people.edit", allowed=WORKER, record=_person),
    Case("people.edit", method="POST", allowed=WORKER, record=_person, data={"first_name": "Cy"}),
    Case("people.consents", allowed=WORKER, record=_person),
    Case("people.consents", method="POST", allowed=WORKER, record=_person, data=CONSENT),
    Case("people.withdraw_consent", allowed=WORKER, record=_consent),
    Case("people.withdraw_consent", method="POST", allowed=WORKER, record=_consent),
    # Site admins' assignments.
    Case("assignments.index", allowed=SITE_ADMIN),
    Case("assignments.person", allowed=SITE_ADMIN, record=_any_person, others_allowed=True),
    Case(
        "assignments.assign",
        method="POST",
        allowed=SITE_ADMIN,
        record=_any_person,
        others_allowed=True,
        data={"worker_id": ""},
    ),
    Case(
        "assignments.unassign",
        allowed=SITE_ADMIN,
        record=_person_with_two_workers,
        others_allowed=True,
    ),
    Case(
        "assignments.unassign",
        method="POST",
        allowed=SITE_ADMIN,
        record=_person_with_two_workers,
        others_allowed=True,
    ),
    # The API.
    Case("api_people.list_people", allowed=PERSON_ROLES),
    Case("api_people.register", method="POST", allowed=WORKER, data={"first_name": "Di"}),
    Case("api_people.get_person", allowed=PERSON_ROLES, record=_person),
    Case(
        "api_people.patch_person",
        method="PATCH",
        allowed=PERSON_ROLES,
        record=_person,
        data={"first_name": "Ed"},
    ),
    Case("api_people.get_profile", allowed=RESIDENT, record=_own_profile),
    Case("api_people.put_profile", method="PUT", allowed=RESIDENT, data={"first_name": "Flo"}),
    Case("api_consents.list_consents", allowed=PERSON_ROLES, record=_person),
    Case(
        "api_consents.add_consents",
        method="POST",
        allowed=WORKER,
        record=_person,
        data=CONSENT,
    ),
    Case("api_consents.withdraw", method="POST", allowed=WORKER, record=_consent),
]
