"""A person's offer to volunteer, and the DBS check a worker records for it.

The person (or their worker) says what experience they could share, how
many people they could support and whether they are active or paused. The
DBS status and date are recorded only by a worker assigned to the volunteer,
never by the volunteer themself: the person who vouches for a check cannot
be the person checked.
"""

from __future__ import annotations

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.errors import Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.people.models import Person, VolunteerProfile
from betterway_map.people.permissions import is_assigned_worker, require_person_access
from betterway_map.people.schemas.records import dbs_expiry_problem

__all__ = ["get_volunteer", "save_volunteer", "apply_volunteer", "may_record_dbs", "DBS_FIELDS"]

DBS_FIELDS = ("dbs_status", "dbs_checked_on", "dbs_expires_on")


def may_record_dbs(user: User, person: Person) -> bool:
    """Only an assigned worker, and never about their own person record."""
    return person.user_id != user.id and is_assigned_worker(user, person.id)


def get_volunteer(user: User, person_id: int) -> tuple[Person, VolunteerProfile | None]:
    """The person and their volunteer profile, if they have offered (audited)."""
    person = require_person_access(user, person_id)
    audit.record(user.id, "view", "person", person.id, "volunteering")
    db.session.commit()
    return person, person.volunteer


def save_volunteer(user: User, person_id: int, data: dict) -> VolunteerProfile:
    """Create or replace a volunteer profile from data loaded by ``VolunteerSchema``.

    DBS fields left out keep their recorded values; sending them needs
    ``may_record_dbs`` (otherwise ``Forbidden``). A change of DBS status,
    date or expiry records the worker who made it.
    """
    person = require_person_access(user, person_id)
    profile, created = apply_volunteer(user, person, data)
    audit.record(user.id, "create" if created else "update", "volunteer", person.id)
    db.session.commit()
    return profile


def apply_volunteer(user: User, person: Person, data: dict) -> tuple[VolunteerProfile, bool]:
    """Write a volunteer profile's fields in ``data`` to the session, without
    committing: ``save_volunteer``'s work, shared with the matching offer
    (``matching.services.offers``), which saves capacity and lived experience
    in its own transaction. ``person`` must already be checked as one ``user``
    may see. Returns the profile and whether it is new."""
    sends_dbs = any(name in data for name in DBS_FIELDS)
    if sends_dbs and not may_record_dbs(user, person):
        raise Forbidden(
            "Only a community worker assigned to this volunteer can record their DBS check: "
            "a volunteer cannot vouch for their own check. Leave the DBS details out."
        )
    # Everything that may refuse comes before anything is changed.
    dbs = _dbs_values(person.volunteer, data) if sends_dbs else None
    profile = person.volunteer
    created = profile is None
    if created:
        profile = VolunteerProfile(person_id=person.id, dbs_status="none")
        db.session.add(profile)
    if "lived_experience" in data or created:
        profile.lived_experience = list(dict.fromkeys(data.get("lived_experience") or []))
    if "capacity" in data:
        profile.capacity = data["capacity"]
    profile.active = data.get("active", True if created else profile.active)
    recorded = (profile.dbs_status, profile.dbs_checked_on, profile.dbs_expires_on)
    if dbs is not None and dbs != recorded:
        profile.dbs_status, profile.dbs_checked_on, profile.dbs_expires_on = dbs
        profile.dbs_recorded_by_id = user.id
        audit.record(user.id, "dbs", "volunteer", person.id, f"status={dbs[0]}")
    return profile, created


def _dbs_values(profile: VolunteerProfile | None, data: dict) -> tuple:
    """(status, checked on, expires on) after ``data``, or ``InvalidInput``."""
    status = data.get("dbs_status", profile.dbs_status if profile else "none")
    checked_on = data.get("dbs_checked_on", profile.dbs_checked_on if profile else None)
    expires_on = data.get("dbs_expires_on", profile.dbs_expires_on if profile else None)
    if status == "none":
        checked_on = expires_on = None
    # The schema compares the two dates when both are sent; one sent alone
    # is compared with the recorded other here.
    problem = dbs_expiry_problem(checked_on, expires_on)
    if problem:
        raise InvalidInput(problem, {"dbs_expires_on": [problem]})
    return status, checked_on, expires_on
