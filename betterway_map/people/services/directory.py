"""People on the register: residents' own profiles and workers' caseloads.

Who may see a person: the person themself and the workers assigned to them
(``services.permissions``); anyone else is told the person does not exist.
Every view of a person's details by a worker, and every change, is audited.
Each public function is one use case with at most one commit.
"""

from __future__ import annotations

from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.database import contains
from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.extensions import db
from betterway_map.geocoding.locate import place_postcode
from betterway_map.people.models import Assignment, Person
from betterway_map.people.permissions import own_person, require_person_access
from betterway_map.people.services.consent import consent_rows
from betterway_map.people.services.export import person_record
from betterway_map.web.paging import Page, paginate

__all__ = [
    "place_unplaced_homes",
    "PROFILE_FIELDS",
    "save_own_profile",
    "register_person",
    "view_person",
    "update_person",
    "list_people",
    "export_own_data",
]

# The fields a profile form or API body may set; anything else is ignored.
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "age_band",
    "postcode",
    "interests",
    "languages",
    "availability",
    "travel_km",
    "lives_alone",
    "marital_status",
    "general_health",
    "what_would_help",
    "phone",
    "address",
)


def _apply(person: Person, data: dict) -> list[str]:
    """Copy loaded schema data onto ``person``; return the names of changed fields."""
    changed = []
    for name in PROFILE_FIELDS:
        if name in data and getattr(person, name) != data[name]:
            setattr(person, name, data[name])
            changed.append(name)
    if "postcode" in changed or (person.postcode and person.latitude is None):
        _locate(person)
    return changed


def _locate(person: Person) -> None:
    """Place the home at its postcode through the geocoding chain, if it is known.

    The location is private (never drawn or sent beyond the person's workers);
    it is kept for nearby search and matching.
    """
    place = place_postcode(person.postcode)
    person.latitude = place.latitude if place else None
    person.longitude = place.longitude if place else None


def place_unplaced_homes() -> tuple[int, int]:
    """Place every home that has a postcode but no coordinates, in one
    transaction: ``(placed, still unplaced)``. Safe to run again."""
    people = list(
        db.session.scalars(
            select(Person).where(Person.latitude.is_(None), Person.postcode.is_not(None))
        )
    )
    for person in people:
        _locate(person)
    placed = sum(person.latitude is not None for person in people)
    db.session.commit()
    return placed, len(people) - placed


def _describe(changed: list[str]) -> str:
    return "fields=" + ",".join(sorted(changed)) if changed else "no change"


def save_own_profile(user: User, data: dict) -> tuple[Person, bool]:
    """Create or update the signed-in resident's own profile.

    The first save records their consent, given online by filling in the
    form themself. Returns the person and whether it was new.
    """
    person = own_person(user)
    created = person is None
    if created:
        person = Person(user_id=user.id, registered_by_id=user.id)
        db.session.add(person)
    # The whole profile is replaced: a field left out is cleared (PUT, and a
    # form whose optional fields are emptied). Residents have no last name here.
    data = {name: data.get(name) for name in PROFILE_FIELDS if name != "last_name"}
    for name in ("interests", "languages", "availability"):
        data[name] = data[name] or []
    changed = _apply(person, data)
    db.session.flush()
    if created:
        db.session.add_all(
            consent_rows(
                person.id,
                ["register"],
                method="online",
                given_on=today_in_uk(),
                notes="Given by filling in their own profile.",
                recorded_by_id=user.id,
            )
        )
    audit.record(
        user.id, "create" if created else "update", "person", person.id, _describe(changed)
    )
    db.session.commit()
    return person, created


def register_person(worker: User, data: dict) -> Person:
    """Register someone who is not online, with their consent, assigned to ``worker``.

    ``data`` is loaded by ``RegisterPersonSchema``: the consent (which must
    include "register") is written in the same transaction as the person.
    """
    consent = data["consent"]
    person = Person(registered_by_id=worker.id)
    _apply(person, data)
    db.session.add(person)
    db.session.flush()
    db.session.add(Assignment(person_id=person.id, worker_id=worker.id, assigned_by_id=worker.id))
    db.session.add_all(
        consent_rows(
            person.id,
            consent["purposes"],
            method=consent["method"],
            given_on=consent["given_on"],
            notes=consent.get("notes"),
            recorded_by_id=worker.id,
        )
    )
    audit.record(worker.id, "create", "person", person.id, "registered with consent")
    db.session.commit()
    return person


def view_person(user: User, person_id: int) -> Person:
    """A person's details, for themself or an assigned worker; a worker's view is audited."""
    person = require_person_access(user, person_id)
    if person.user_id != user.id:
        audit.record(user.id, "view", "person", person.id)
        db.session.commit()
    return person


def update_person(user: User, person_id: int, data: dict) -> Person:
    """Change a person's details (themself or an assigned worker)."""
    person = require_person_access(user, person_id)
    changed = _apply(person, data)
    audit.record(user.id, "update", "person", person.id, _describe(changed))
    db.session.commit()
    return person


def list_people(
    user: User, q: str = "", page: int = 1, per_page: int = 25, *, include_own: bool = False
) -> Page:
    """The people assigned to ``user`` (a worker), optionally searched by first name.

    ``include_own`` adds the user's own person record (a resident's view
    through the API). One audit event names the people on the page, other
    than the user themself (the search typed is not kept: it may be a name).
    """
    visible = []
    if user.has_role("worker"):
        visible.append(
            Person.id.in_(select(Assignment.person_id).where(Assignment.worker_id == user.id))
        )
    if include_own:
        visible.append(Person.user_id == user.id)
    if not visible:
        return Page([], page, per_page, 0)
    query = select(Person).where(visible[0] if len(visible) == 1 else visible[0] | visible[1])
    q = (q or "").strip()
    if q:
        query = query.where(contains(func.lower(Person.first_name), q.lower()))
    result = paginate(
        query.order_by(func.lower(Person.first_name), Person.last_name, Person.id), page, per_page
    )
    others = [person.id for person in result.items if person.user_id != user.id]
    if others:
        what = f"people list, page {result.page}" + (", searched" if q else "")
        audit.record(user.id, "list", "person", None, audit.people_detail(others, what))
        db.session.commit()
    return result


def export_own_data(user: User) -> dict:
    """Everything held about the signed-in user, as JSON-ready data (subject access).

    Audited. Everything held is in it: the sections of other capabilities
    come through ``services.export.EXPORT_SECTIONS``.
    """
    person = own_person(user)
    audit.record(
        user.id, "export", "person" if person else "user", person.id if person else user.id
    )
    db.session.commit()
    return {
        "exported_at": utcnow().isoformat(),
        "account": {
            "email": user.email,
            "display_name": user.display_name,
            "roles": sorted(user.role_names),
            "created_at": user.created_at.isoformat() if user.created_at else None,
        },
        "person": person_record(person) if person else None,
        "note": "For erasure of your records, use the link on your profile page, or ask your "
        "community worker or the site admin to do it for you.",
    }
