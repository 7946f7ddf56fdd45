"""Record-level rules for what is recorded within a relationship.

A relationship is addressed as:

* a match, by its id: its parties and workers as ``matching.permissions``
  says (``match_roles``);
* a person in a group, by the group's and the person's ids: the group's
  organisers (admins of its organisation) for a member they see on the
  group's list, the workers assigned to the person, and the person themself;
* a worker's caseload, by the person's id: the relationship of the signed-in
  worker with a person assigned to them.

Anyone with no part in it is told it does not exist (``NotFound``), as for
a match or a person.

Who may do what, once in:

* record contacts and set the agreed rhythm (``may_record``): a match's
  volunteer and the workers assigned to either side; a group's organisers
  and the person's workers; the caseload's worker. The person themself
  reads their contacts, and gives feedback, but does not log contacts;
* read a contact's private note (``may_read_note``): those who may see the
  person (the person, their assigned workers: ``people.permissions``) and
  whoever wrote the note;
* give feedback (``feedback_sides``): as the person, the person themself or
  a worker assigned to them ("for them", marked so by who recorded it); as
  the volunteer, the volunteer (or their worker for a volunteer without an
  account, as when answering a proposal); as the worker, a worker assigned
  to either side of a match, the caseload's worker, or a group's organiser
  or the person's worker;
* change or delete a contact: only whoever recorded it, while they still
  have a part in the relationship.

Who may see the figures computed from them:

* an organisation's figures: its admins, council viewers and site admins;
* continuity warnings: a community worker, for their own caseload only;
* the area's figures: council viewers and site admins.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.errors import Forbidden, NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match
from betterway_map.matching.permissions import (
    PERSON,
    PERSON_WORKER,
    VOLUNTEER,
    VOLUNTEER_WORKER,
    match_roles,
    may_answer_for_volunteer,
)
from betterway_map.people.models import Attendance, Person
from betterway_map.people.permissions import is_assigned_worker
from betterway_map.people.services.attendance import listed_attendees
from betterway_map.register.models import Group
from betterway_map.register.permissions import administers_organisation

__all__ = [
    "Relationship",
    "ORGANISER",
    "CASELOAD_WORKER",
    "require_relationship",
    "relationship_of_record",
    "may_record",
    "may_read_note",
    "feedback_sides",
    "AREA_ROLES",
    "require_area_viewer",
    "require_organisation_viewer",
    "require_worker",
]

AREA_ROLES = ("council", "site_admin")

ORGANISER = "organiser"  # an admin of the group's organisation
CASELOAD_WORKER = "caseload_worker"  # the worker whose caseload it is
_RECORDERS = frozenset({VOLUNTEER, PERSON_WORKER, VOLUNTEER_WORKER, ORGANISER, CASELOAD_WORKER})


@dataclass
class Relationship:
    """One relationship as one reader stands in it."""

    kind: str  # vocab.RELATIONSHIP_KINDS
    person: Person
    roles: frozenset[str]
    match: Match | None = None
    group: Group | None = None
    worker_id: int | None = None
    # Whether it is still going (an active match, a member of the group).
    current: bool = True

    @property
    def columns(self) -> dict:
        """The columns that place a contact, rhythm or feedback in it."""
        return {
            "kind": self.kind,
            "person_id": self.person.id,
            "match_id": self.match.id if self.match else None,
            "group_id": self.group.id if self.group else None,
            "worker_id": self.worker_id,
        }

    @property
    def ids(self) -> dict:
        """The ids that address it in a URL (``match_id``, or ``group_id`` and
        ``person_id``, or ``person_id`` for a caseload)."""
        if self.kind == "match":
            return {"match_id": self.match.id}
        if self.kind == "group":
            return {"group_id": self.group.id, "person_id": self.person.id}
        return {"person_id": self.person.id}

    @property
    def name(self) -> str:
        """The relationship in words, for headings and messages."""
        if self.kind == "match":
            return f"{self.match.volunteer.first_name} and {self.person.first_name}"
        if self.kind == "group":
            return f"{self.person.first_name} at {self.group.name}"
        return f"your support of {self.person.first_name}"


def _nowhere(what: str) -> NotFound:
    return NotFound(f"There is no {what} that you take part in or look after.")


def _match(user: User, match_id: int) -> Relationship:
    match = db.session.get(Match, match_id)
    roles = match_roles(user, match) if match is not None else frozenset()
    if not roles:
        raise _nowhere(f"match {match_id}")
    return Relationship(
        "match",
        match.request.person,
        roles,
        match=match,
        current=match.status == "active",
    )


def _group(user: User, group_id: int, person_id: int) -> Relationship:
    group = db.session.get(Group, group_id)
    row = db.session.scalar(
        select(Attendance).where(Attendance.group_id == group_id, Attendance.person_id == person_id)
    )
    roles = set()
    if group is not None and row is not None and row.status != "interested":
        person = row.person
        if person.user_id == user.id:
            roles.add(PERSON)
        if is_assigned_worker(user, person_id):
            roles.add(PERSON_WORKER)
        listed = db.session.scalar(
            listed_attendees(group_id).where(Attendance.person_id == person_id)
        )
        if listed is not None and administers_organisation(user, group.organisation_id):
            roles.add(ORGANISER)
    if not roles:
        raise _nowhere(f"person {person_id} in group {group_id}")
    return Relationship(
        "group", row.person, frozenset(roles), group=group, current=row.status == "member"
    )


def _caseload(user: User, person_id: int) -> Relationship:
    person = db.session.get(Person, person_id)
    if person is None or not is_assigned_worker(user, person_id):
        raise NotFound(f"There is no person {person_id} on your caseload.")
    return Relationship("caseload", person, frozenset({CASELOAD_WORKER}), worker_id=user.id)


def require_relationship(
    user: User,
    *,
    match_id: int | None = None,
    group_id: int | None = None,
    person_id: int | None = None,
) -> Relationship:
    """The relationship addressed by the ids (see the module), as ``user``
    stands in it; ``NotFound`` when they have no part in it, whether or not
    it exists."""
    if match_id is not None:
        return _match(user, match_id)
    if group_id is not None and person_id is not None:
        return _group(user, group_id, person_id)
    if person_id is not None:
        return _caseload(user, person_id)
    raise NotFound("Name a relationship: a match, a person in a group, or a person you support.")


def relationship_of_record(user: User, record) -> Relationship:
    """The relationship a contact, rhythm or feedback belongs to, as ``user``
    stands in it (``NotFound`` otherwise). A caseload record is reachable
    by any worker assigned to the person; its worker is the record's."""
    if record.kind == "match":
        return _match(user, record.match_id)
    if record.kind == "group":
        return _group(user, record.group_id, record.person_id)
    person = db.session.get(Person, record.person_id)
    if person is None or not is_assigned_worker(user, record.person_id):
        raise NotFound(f"There is no person {record.person_id} on your caseload.")
    roles = {CASELOAD_WORKER} if record.worker_id == user.id else {PERSON_WORKER}
    return Relationship("caseload", person, frozenset(roles), worker_id=record.worker_id)


def may_record(relationship: Relationship) -> bool:
    """Whether the reader may record contacts and set the rhythm."""
    return bool(_RECORDERS & relationship.roles)


def may_read_note(user: User, relationship: Relationship, recorded_by_id: int | None) -> bool:
    """Whether the reader may read a contact's private note: the person, a
    worker assigned to them, or the note's own writer."""
    if recorded_by_id is not None and recorded_by_id == user.id:
        return True
    person = relationship.person
    return person.user_id == user.id or is_assigned_worker(user, person.id)


def feedback_sides(relationship: Relationship) -> list[str]:
    """The sides (``vocab.FEEDBACK_SIDES``) the reader may give feedback for."""
    roles = relationship.roles
    sides = []
    if PERSON in roles or (PERSON_WORKER in roles and VOLUNTEER not in roles):
        sides.append("person")
    if relationship.kind == "match" and may_answer_for_volunteer(relationship.match, roles):
        sides.append("volunteer")
    if {PERSON_WORKER, VOLUNTEER_WORKER, ORGANISER, CASELOAD_WORKER} & roles and not (
        {PERSON, VOLUNTEER} & roles
    ):
        sides.append("worker")
    return sides


def require_area_viewer(user: User) -> None:
    if not user.has_role(*AREA_ROLES):
        raise Forbidden("Only council viewers and site admins can see the area's measures.")


def require_organisation_viewer(user: User, organisation_id: int) -> None:
    if user.has_role(*AREA_ROLES) or administers_organisation(user, organisation_id):
        return
    raise Forbidden(
        f"You are not an admin of organisation {organisation_id}, so you cannot see its measures."
    )


def require_worker(user: User) -> None:
    if not user.has_role("worker"):
        raise Forbidden("Only community workers have a caseload to see warnings for.")
