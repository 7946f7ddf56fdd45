"""What waits for me: a reader's matches and the steps that wait for them.

A volunteer or a resident sees their own matches, those that need their
answer first. A worker sees their queue: agreed matches to approve,
proposals waiting on their people, reviews due within a week, requests to
end, and the DBS checks of their volunteers that run out within 60 days.
Lines name people by first name and postcode district only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select

from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.permissions import match_roles, may_look_after
from betterway_map.matching.services.journey_checks import dbs_expiry
from betterway_map.matching.services.journey_notices import area_of
from betterway_map.matching.services.journey_view import actions_for
from betterway_map.people.models import Person, VolunteerProfile
from betterway_map.people.permissions import assigned_person_ids, own_person

__all__ = [
    "MatchLine",
    "DbsFlag",
    "Waiting",
    "waiting_for",
    "my_match_lines",
    "REVIEW_NOTICE_DAYS",
    "DBS_NOTICE_DAYS",
]

# A review shows in the queue this many days before it is due.
REVIEW_NOTICE_DAYS = 7
# A DBS check is flagged this many days before it runs out.
DBS_NOTICE_DAYS = 60
OPEN = ("proposed", "agreed", "active")
ANSWERS = ("volunteer_answer", "person_answer")


@dataclass(frozen=True)
class MatchLine:
    id: int
    status: str
    status_label: str
    kind: str
    kind_label: str
    volunteer_first_name: str
    volunteer_area: str | None
    person_first_name: str
    person_area: str | None
    waiting_for: str
    needs_you: bool
    next_review_on: date | None


@dataclass(frozen=True)
class DbsFlag:
    person_id: int
    first_name: str
    level: str
    expires_on: date
    expired: bool


@dataclass(frozen=True)
class Waiting:
    """``mine``: the reader's own matches (as volunteer or person);
    the rest: a worker's queue."""

    mine: list[MatchLine]
    to_approve: list[MatchLine]
    proposals: list[MatchLine]
    reviews_due: list[MatchLine]
    end_requests: list[MatchLine]
    dbs_expiring: list[DbsFlag]
    is_worker: bool

    @property
    def needs_answer(self) -> list[MatchLine]:
        return [line for line in self.mine + self.proposals if line.needs_you]


def _waiting_text(match: Match) -> str:
    volunteer, person = match.volunteer.first_name, match.request.person.first_name
    if match.status == "proposed":
        if match.volunteer_response is None:
            return f"Waiting for {volunteer}, the volunteer, to answer"
        return f"Waiting for {person} (or their community worker) to answer"
    if match.status == "agreed":
        return "Waiting for a community worker to approve it"
    if match.status == "active":
        if match.end_requested_by:
            who = volunteer if match.end_requested_by == "volunteer" else person
            return f"{who} asked to end it"
        review = match.next_review_on
        return f"Active; next review by {review.day} {review:%B %Y}" if review else "Active"
    return vocab.labels(vocab.MATCH_STATUSES).get(match.status, match.status)


def _line(match: Match, roles: frozenset[str]) -> MatchLine:
    volunteer, person = match.volunteer, match.request.person
    kind = match.request.kind
    return MatchLine(
        id=match.id,
        status=match.status,
        status_label=vocab.labels(vocab.MATCH_STATUSES).get(match.status, match.status),
        kind=kind,
        kind_label=vocab.labels(vocab.HELP_KINDS).get(kind, kind),
        volunteer_first_name=volunteer.first_name,
        volunteer_area=area_of(volunteer.postcode),
        person_first_name=person.first_name,
        person_area=area_of(person.postcode),
        waiting_for=_waiting_text(match),
        needs_you=bool(set(ANSWERS) & set(actions_for(match, roles))),
        next_review_on=match.next_review_on,
    )


def _matches(condition, statuses) -> list[Match]:
    return list(
        db.session.scalars(
            select(Match)
            .join(SupportRequest, SupportRequest.id == Match.request_id)
            .where(condition, Match.status.in_(statuses))
            .order_by(Match.created_at.desc(), Match.id.desc())
        )
    )


def _own_matches(user: User) -> list[Match]:
    person = own_person(user)
    if person is None:
        return []
    statuses = [value for value, _ in vocab.MATCH_STATUSES if value != "superseded"]
    return _matches(
        or_(Match.volunteer_id == person.id, SupportRequest.person_id == person.id), statuses
    )


def _dbs_flags(person_ids: list[int], today: date) -> list[DbsFlag]:
    if not person_ids:
        return []
    rows = db.session.execute(
        select(VolunteerProfile, Person)
        .join(Person, Person.id == VolunteerProfile.person_id)
        .where(
            VolunteerProfile.person_id.in_(person_ids),
            VolunteerProfile.active.is_(True),
            VolunteerProfile.dbs_status.in_(("basic", "enhanced", "expired")),
        )
    )
    flags = []
    horizon = today + timedelta(days=DBS_NOTICE_DAYS)
    for profile, person in rows:
        expires = dbs_expiry(profile)
        if expires is not None and expires <= horizon:
            flags.append(
                DbsFlag(person.id, person.first_name, profile.dbs_status, expires, expires <= today)
            )
    return sorted(flags, key=lambda flag: (flag.expires_on, flag.person_id))


def waiting_for(user: User) -> Waiting:
    """What waits for ``user`` (a read: nothing is written)."""
    today = today_in_uk()
    mine = [_line(match, match_roles(user, match)) for match in _own_matches(user)]
    queue: dict[str, list[MatchLine]] = {
        "to_approve": [],
        "proposals": [],
        "reviews_due": [],
        "end_requests": [],
    }
    ids = assigned_person_ids(user)
    if ids:
        matches = _matches(
            or_(Match.volunteer_id.in_(ids), SupportRequest.person_id.in_(ids)), OPEN
        )
        for match in matches:
            roles = match_roles(user, match)
            if not may_look_after(roles):
                continue  # a worker's own match (as a volunteer): it is under "mine"
            line = _line(match, roles)
            if match.status == "proposed":
                queue["proposals"].append(line)
            elif match.status == "agreed":
                queue["to_approve"].append(line)
            elif match.end_requested_by:
                queue["end_requests"].append(line)
            elif match.next_review_on and match.next_review_on <= today + timedelta(
                days=REVIEW_NOTICE_DAYS
            ):
                queue["reviews_due"].append(line)
    return Waiting(
        mine=mine,
        dbs_expiring=_dbs_flags(ids, today),
        is_worker=user.has_role("worker"),
        **queue,
    )


def my_match_lines(user: User) -> list[MatchLine]:
    """Every match ``user`` takes part in, and every open one they look after."""
    lines = {line.id: line for line in (_line(m, match_roles(user, m)) for m in _own_matches(user))}
    ids = assigned_person_ids(user)
    if ids:
        for match in _matches(
            or_(Match.volunteer_id.in_(ids), SupportRequest.person_id.in_(ids)), OPEN
        ):
            lines.setdefault(match.id, _line(match, match_roles(user, match)))
    return sorted(lines.values(), key=lambda line: line.id, reverse=True)
