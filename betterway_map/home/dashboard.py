"""What "My page" shows, gathered in one call before the page renders.

Each role the user holds has a part of the page (``DASHBOARD_ROLES``, in the
page's order); only the figures for those parts are looked up, so a resident
costs no organisation query and an org admin no caseload query.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from betterway_map.accounts.models import User
from betterway_map.domain.clock import now_in_uk
from betterway_map.extensions import db
from betterway_map.people.models import Attendance
from betterway_map.people.permissions import assigned_person_ids, own_person
from betterway_map.register.services.groups import schedule_summary
from betterway_map.register.services.organisations import organisations_of
from betterway_map.register.services.partnerships import to_confirm_counts

__all__ = [
    "DASHBOARD_ROLES",
    "Dashboard",
    "MyGroup",
    "OrganisationSummary",
    "OwnProfile",
    "dashboard_for",
]

# The roles that have a part of "My page", in the order the parts appear.
DASHBOARD_ROLES = ("resident", "org_admin", "worker", "council", "site_admin")


@dataclass(frozen=True)
class OwnProfile:
    """The part of a resident's own person record their part shows."""

    first_name: str
    postcode: str | None
    person_id: int | None = None


@dataclass(frozen=True)
class MyGroup:
    """A group a resident goes to, or said they would like to go to."""

    id: int
    name: str
    interested: bool  # said "I'd like to go", not yet a member
    next_meeting: datetime | None  # UK time; None when none is planned or it is paused


@dataclass(frozen=True)
class OrganisationSummary:
    """One organisation an org admin runs, with how much it has."""

    id: int
    name: str
    space_count: int
    group_count: int
    # Recorded by other organisations, waiting for this one to confirm or decline.
    partnerships_to_confirm: int = 0


@dataclass(frozen=True)
class Dashboard:
    """Everything the parts of "My page" read.

    ``roles``: the user's roles that have a part, in page order.
    ``profile``: a resident's filled-in profile, or None (also for non-residents).
    ``groups``: a resident's groups, soonest meeting first.
    ``organisations``: what an org admin runs, by name (empty for anyone else).
    ``people_count``: how many people are assigned to a worker (0 for anyone else).
    ``two_factor_on``: whether the user has two-factor sign-in switched on.
    """

    roles: tuple[str, ...]
    profile: OwnProfile | None = None
    groups: tuple[MyGroup, ...] = ()
    organisations: tuple[OrganisationSummary, ...] = ()
    people_count: int = 0
    two_factor_on: bool = False


def dashboard_for(user: User) -> Dashboard:
    """The figures for each part of ``user``'s "My page"."""
    roles = tuple(role for role in DASHBOARD_ROLES if user.has_role(role))
    return Dashboard(
        roles=roles,
        profile=_profile(user) if "resident" in roles else None,
        groups=_groups(user) if "resident" in roles else (),
        organisations=_organisations(user) if "org_admin" in roles else (),
        people_count=len(assigned_person_ids(user)) if "worker" in roles else 0,
        two_factor_on=bool(user.totp_secret),
    )


def _profile(user: User) -> OwnProfile | None:
    person = own_person(user)
    if person is None:
        return None
    return OwnProfile(first_name=person.first_name, postcode=person.postcode, person_id=person.id)


def _groups(user: User) -> tuple[MyGroup, ...]:
    person = own_person(user)
    if person is None:
        return ()
    rows = db.session.scalars(
        select(Attendance)
        .where(Attendance.person_id == person.id, Attendance.status.in_(("member", "interested")))
        .options(selectinload(Attendance.group))
    )
    now = now_in_uk().replace(second=0, microsecond=0)
    groups = []
    for row in rows:
        group = row.group
        _, found = schedule_summary(group, now=now, count=1)  # none unless active
        meeting = found[0] if found else None
        groups.append(MyGroup(group.id, group.name, row.status == "interested", meeting))
    groups.sort(key=lambda g: (g.next_meeting is None, g.next_meeting or now, g.name))
    return tuple(groups)


def _organisations(user: User) -> tuple[OrganisationSummary, ...]:
    organisations = organisations_of(user)
    to_confirm = to_confirm_counts(organisation.id for organisation in organisations)
    return tuple(
        OrganisationSummary(
            id=organisation.id,
            name=organisation.name,
            space_count=len(organisation.spaces),
            group_count=len(organisation.groups),
            partnerships_to_confirm=to_confirm.get(organisation.id, 0),
        )
        for organisation in organisations
    )
