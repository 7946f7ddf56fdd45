"""Record-level rules for matches: who may see one, and who may take each step.

A match joins a volunteer (a person) and a request for support (for another
person). Its parties are the volunteer and the person, each through their
own account when they have one; the workers assigned to either of them look
after it. A match's existence is itself private: anyone else is told it does
not exist (``NotFound``), whatever its number.

The approver of a match is a worker assigned to the person or to the
volunteer who is not a party to it: never the volunteer (a worker may be a
volunteer too: their own person record has their ``user_id``), never the
person.

Roles a viewer may hold in one match (several at once):

* ``volunteer``: the volunteer's own account;
* ``person``: the person's own account;
* ``person_worker``: a worker assigned to the person;
* ``volunteer_worker``: a worker assigned to the volunteer.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from betterway_map.accounts.models import User
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.people.models import Assignment, Person

__all__ = [
    "match_roles",
    "openable",
    "require_match",
    "may_answer_for_volunteer",
    "may_answer_for_person",
    "may_approve",
    "may_look_after",
    "side_of",
    "workers_of",
]

VOLUNTEER, PERSON = "volunteer", "person"
PERSON_WORKER, VOLUNTEER_WORKER = "person_worker", "volunteer_worker"


def workers_of(person_id: int) -> list[int]:
    """The active workers assigned to a person, by user id."""
    return list(
        db.session.scalars(
            select(Assignment.worker_id)
            .join(User, User.id == Assignment.worker_id)
            .where(Assignment.person_id == person_id, User.active.is_(True))
            .order_by(Assignment.worker_id)
        )
    )


def _assigned(user: User, person_id: int) -> bool:
    return user.has_role("worker") and db.session.get(Assignment, (person_id, user.id)) is not None


def match_roles(user: User, match: Match) -> frozenset[str]:
    """The parts ``user`` plays in ``match`` (empty: none, and they may not see it)."""
    person: Person = match.request.person
    volunteer: Person = match.volunteer
    found = set()
    if volunteer.user_id == user.id:
        found.add(VOLUNTEER)
    if person.user_id == user.id:
        found.add(PERSON)
    if _assigned(user, person.id):
        found.add(PERSON_WORKER)
    if _assigned(user, volunteer.id):
        found.add(VOLUNTEER_WORKER)
    return frozenset(found)


def openable(user: User, match_ids) -> set[int]:
    """The matches among ``match_ids`` that ``user`` plays a part in (those
    ``match_roles`` gives a role in), in one query: for links to them."""
    ids = list(match_ids)
    if not ids:
        return set()
    person, volunteer = aliased(Person), aliased(Person)
    mine = [volunteer.user_id == user.id, person.user_id == user.id]
    if user.has_role("worker"):
        assigned = select(Assignment.person_id).where(Assignment.worker_id == user.id)
        mine += [person.id.in_(assigned), volunteer.id.in_(assigned)]
    rows = db.session.scalars(
        select(Match.id)
        .join(SupportRequest, SupportRequest.id == Match.request_id)
        .join(person, person.id == SupportRequest.person_id)
        .join(volunteer, volunteer.id == Match.volunteer_id)
        .where(Match.id.in_(ids), or_(*mine))
    )
    return set(rows)


def require_match(user: User, match_id: int, *, for_update: bool = False):
    """``(match, roles)`` when ``user`` plays a part in match ``match_id``;
    ``NotFound`` otherwise, whether or not it exists."""
    statement = select(Match).where(Match.id == match_id)
    if for_update:
        # Two workers approving at once must not both pass the capacity check.
        statement = statement.with_for_update()
    match = db.session.scalar(statement)
    roles = match_roles(user, match) if match is not None else frozenset()
    if not roles:
        raise NotFound(f"There is no match {match_id} that you take part in or look after.")
    return match, roles


def may_answer_for_volunteer(match: Match, roles: frozenset[str]) -> bool:
    """The volunteer answers for themself; a worker assigned to them answers
    only for a volunteer who has no account of their own."""
    if VOLUNTEER in roles:
        return True
    return VOLUNTEER_WORKER in roles and match.volunteer.user_id is None


def may_answer_for_person(match: Match, roles: frozenset[str]) -> bool:
    """The person, or a worker assigned to them, who is not the volunteer."""
    return VOLUNTEER not in roles and bool({PERSON, PERSON_WORKER} & roles)


def may_look_after(roles: frozenset[str]) -> bool:
    """A worker assigned to either side who is not a party: the one who
    approves, reviews and ends a match."""
    return not ({VOLUNTEER, PERSON} & roles) and bool({PERSON_WORKER, VOLUNTEER_WORKER} & roles)


# Approving is looking after it, at its most important moment.
may_approve = may_look_after


def side_of(roles: frozenset[str]) -> str | None:
    """Which side ``roles`` speak for when asking to end a match: the
    volunteer or the person themself (workers end it instead)."""
    if VOLUNTEER in roles:
        return VOLUNTEER
    if PERSON in roles:
        return PERSON
    return None
