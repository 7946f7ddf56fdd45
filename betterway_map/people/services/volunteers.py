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
from betterway_map.errors import Forbidden
from betterway_map.extensions import db
from betterway_map.people.models import Person, VolunteerProfile
from betterway_map.people.permissions import is_assigned_worker, require_person_access

__all__ = ["get_volunteer", "save_volunteer", "may_record_dbs"]

_DBS_FIELDS = ("dbs_status", "dbs_checked_on")


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
    ``may_record_dbs`` (otherwise ``Forbidden``). A change of DBS status or
    date records the worker who made it.
    """
    person = require_person_access(user, person_id)
    sends_dbs = any(name in data for name in _DBS_FIELDS)
    if sends_dbs and not may_record_dbs(user, person):
        raise Forbidden(
            "Only a community worker assigned to this volunteer can record their DBS check: "
            "a volunteer cannot vouch for their own check. Leave the DBS details out."
        )
    profile = person.volunteer
    created = profile is None
    if created:
        profile = VolunteerProfile(person_id=person.id, dbs_status="none")
        db.session.add(profile)
    profile.lived_experience = list(dict.fromkeys(data.get("lived_experience") or []))
    profile.capacity = data["capacity"]
    profile.active = data.get("active", True)
    if sends_dbs:
        status = data.get("dbs_status", profile.dbs_status)
        checked_on = data.get("dbs_checked_on", profile.dbs_checked_on)
        if status == "none":
            checked_on = None
        if (status, checked_on) != (profile.dbs_status, profile.dbs_checked_on):
            profile.dbs_status, profile.dbs_checked_on = status, checked_on
            profile.dbs_recorded_by_id = user.id
            audit.record(user.id, "dbs", "volunteer", person.id, f"status={status}")
    audit.record(user.id, "create" if created else "update", "volunteer", person.id)
    db.session.commit()
    return profile
