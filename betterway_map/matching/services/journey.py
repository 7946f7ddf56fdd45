"""The journey of a match: proposed → the volunteer answers → the person (or
their worker for them) answers → a worker approves → active → reviews →
ended.

Each function here is one step and one transaction: it checks who may take
the step (``matching.permissions``: ``Forbidden`` for a party who may not,
``NotFound`` for anyone else) and that the match is at that step
(``InvalidInput`` otherwise, naming where it is), writes the match and a
``MatchEvent``, audits, tells whoever must act next in their inbox, commits
once, and only then emails them. A refused step writes nothing.

``link_for(match_id)``, given by the pages, makes the address put in emails.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk, utcnow
from betterway_map.domain.matching.model import FIRST_REVIEW_DAYS, REVIEW_EVERY_DAYS
from betterway_map.errors import Forbidden, InvalidInput
from betterway_map.extensions import db
from betterway_map.matching.models import Match, MatchEvent, SupportRequest
from betterway_map.matching.permissions import (
    PERSON,
    VOLUNTEER,
    may_answer_for_person,
    may_answer_for_volunteer,
    may_look_after,
    require_match,
    side_of,
)
from betterway_map.matching.services.journey_checks import check_can_start
from betterway_map.matching.services.journey_notices import (
    Email,
    area_of,
    looking_after,
    party_users,
    send_emails,
    tell,
)
from betterway_map.people.models import Assignment

__all__ = [
    "ON_APPROVED",
    "announce_proposals",
    "volunteer_answer",
    "person_answer",
    "approve",
    "withdraw",
    "review",
    "ask_to_end",
    "end",
]

LinkFor = Callable[[int], str] | None
# Called as hook(user, match) when a match is approved, inside the approval's
# transaction before it commits: capabilities above matching add their rows
# (``measures``: the agreed rhythm). ``create_app`` fills it, by name.
ON_APPROVED: dict[str, Callable] = {}
# Proposals that a later step leaves behind: the same request matched otherwise.
OPEN_PROPOSALS = ("proposed", "agreed")


def _wrong_step(match: Match, what: str) -> InvalidInput:
    status = vocab.labels(vocab.MATCH_STATUSES).get(match.status, match.status)
    message = f"Match {match.id} is “{status}”: {what}"
    return InvalidInput(message, {"_schema": [message]})


def _names(match: Match) -> dict:
    person = match.request.person
    volunteer = match.volunteer
    return {
        "volunteer": f"{volunteer.first_name} ({area_of(volunteer.postcode) or 'area not given'})",
        "person": f"{person.first_name} ({area_of(person.postcode) or 'area not given'})",
        "kind": vocab.labels(vocab.HELP_KINDS).get(match.request.kind, match.request.kind).lower(),
    }


def _step(user: User | None, match: Match, step: str, note: str | None = None) -> None:
    match.events.append(MatchEvent(actor_id=user.id if user else None, step=step, note=note))
    audit.record(user.id if user else None, step, "match", match.id)


def _finish(emails: list[Email], match: Match) -> Match:
    db.session.commit()
    send_emails(emails)
    return match


def _workers_by_person(person_ids: set[int]) -> dict[int, list[int]]:
    """person id -> their active workers' user ids, in one query."""
    if not person_ids:
        return {}
    rows = db.session.execute(
        select(Assignment.person_id, Assignment.worker_id)
        .join(User, User.id == Assignment.worker_id)
        .where(Assignment.person_id.in_(person_ids), User.active.is_(True))
        .order_by(Assignment.person_id, Assignment.worker_id)
    )
    found: dict[int, list[int]] = {}
    for person_id, worker_id in rows:
        found.setdefault(person_id, []).append(worker_id)
    return found


def announce_proposals(user: User | None, match_ids, link_for: LinkFor = None) -> int:
    """Tell each proposal's volunteer (or, without an account, their workers)
    that they are asked to answer; for the run that made the proposals, once
    it is committed. Returns how many were announced. The matches and the
    workers are read in bulk: a county's run announces thousands."""
    ids = sorted(set(match_ids))
    matches = list(
        db.session.scalars(
            select(Match)
            .where(Match.id.in_(ids), Match.status == "proposed")
            .options(
                selectinload(Match.request).selectinload(SupportRequest.person),
                selectinload(Match.volunteer),
            )
            .order_by(Match.id)
        )
    ) if ids else []  # fmt: skip
    workers = _workers_by_person({m.volunteer_id for m in matches if m.volunteer.user_id is None})
    emails: list[Email] = []
    for match in matches:
        volunteer = match.volunteer
        recipients = (
            [volunteer.user_id] if volunteer.user_id is not None else workers.get(volunteer.id, [])
        )
        names = _names(match)
        emails += tell(
            match,
            recipients,
            user,
            f"A proposed match for {names['volunteer']}",
            f"{names['volunteer']} is proposed to give {names['person']} {names['kind']}. "
            f"Why: {'; '.join(match.reasons or []) or 'see the match'}. "
            f"{volunteer.first_name} is asked to accept or decline first.",
            link_for,
        )
    db.session.commit()
    send_emails(emails)
    return len(matches)


def _answer(data: dict) -> tuple[bool, str | None]:
    return data["answer"] == "accept", data.get("reason")


def volunteer_answer(user: User, match_id: int, data: dict, link_for: LinkFor = None) -> Match:
    """The volunteer accepts or declines (``AnswerSchema``)."""
    match, roles = require_match(user, match_id, for_update=True)
    if not may_answer_for_volunteer(match, roles):
        raise Forbidden(f"Only {match.volunteer.first_name}, the volunteer, answers for themself.")
    if match.status != "proposed" or match.volunteer_response is not None:
        raise _wrong_step(match, "the volunteer's answer is no longer asked for.")
    accepted, reason = _answer(data)
    names = _names(match)
    match.volunteer_response, match.volunteer_reason = (
        ("accepted", None) if accepted else ("declined", reason)
    )
    if accepted:
        _step(user, match, "volunteer_accepted")
        emails = tell(
            match,
            party_users(match.request.person),
            user,
            f"A volunteer for {names['person']}: please answer",
            f"{names['volunteer']} has accepted to give {names['person']} {names['kind']}. "
            f"{match.request.person.first_name} (or their community worker for them) is asked "
            "to accept or decline next.",
            link_for,
        )
    else:
        match.status = "declined"
        _step(user, match, "volunteer_declined", reason)
        emails = tell(
            match,
            looking_after(match),
            user,
            f"{names['volunteer']} declined a proposed match",
            f"{names['volunteer']} declined to give {names['person']} {names['kind']}. "
            "The request stays open for the next run of matching.",
            link_for,
        )
    return _finish(emails, match)


def person_answer(user: User, match_id: int, data: dict, link_for: LinkFor = None) -> Match:
    """The person, or a worker for them, accepts or declines (``AnswerSchema``),
    once the volunteer has accepted."""
    match, roles = require_match(user, match_id, for_update=True)
    if not may_answer_for_person(match, roles):
        raise Forbidden(
            f"Only {match.request.person.first_name}, or a community worker for them, answers "
            "for them."
        )
    if match.status != "proposed" or match.person_response is not None:
        raise _wrong_step(match, "the person's answer is no longer asked for.")
    if match.volunteer_response != "accepted":
        raise _wrong_step(
            match, f"{match.volunteer.first_name}, the volunteer, is asked first; wait for them."
        )
    accepted, reason = _answer(data)
    names = _names(match)
    match.person_answered_by_id = user.id
    if accepted:
        match.person_response, match.status = "accepted", "agreed"
        _step(user, match, "person_accepted")
        emails = tell(
            match,
            looking_after(match),
            user,
            f"A match to approve: {names['volunteer']} and {names['person']}",
            f"{names['volunteer']} and {names['person']} have both accepted {names['kind']}. "
            "A community worker who looks after them is asked to approve it (the volunteer's "
            "checks are looked at again then).",
            link_for,
        )
    else:
        match.person_response, match.person_reason, match.status = "declined", reason, "declined"
        _step(user, match, "person_declined", reason)
        emails = tell(
            match,
            [*party_users(match.volunteer), *looking_after(match)],
            user,
            f"A proposed match will not go ahead: {names['volunteer']} and {names['person']}",
            f"The proposal that {names['volunteer']} give {names['person']} {names['kind']} "
            "will not go ahead. Thank you for answering; the request stays open.",
            link_for,
        )
    return _finish(emails, match)


def _require_looking_after(match: Match, roles: frozenset[str], what: str) -> None:
    if not may_look_after(roles):
        raise Forbidden(
            f"Only a community worker who looks after the person or the volunteer, and is not "
            f"a party to the match, {what}."
        )


def approve(user: User, match_id: int, link_for: LinkFor = None) -> Match:
    """A worker approves an agreed match: it becomes active, its first review
    is set, its request is matched and other proposals for it are superseded."""
    match, roles = require_match(user, match_id, for_update=True)
    _require_looking_after(match, roles, "approves it")
    if match.status != "agreed":
        raise _wrong_step(
            match, "only a match both the volunteer and the person have accepted is approved."
        )
    today = today_in_uk()
    check_can_start(match, today)
    match.status = "active"
    match.approved_by_id, match.approved_at = user.id, utcnow()
    match.started_on = today
    match.next_review_on = today + timedelta(days=FIRST_REVIEW_DAYS)
    match.request.status = "matched"
    _step(user, match, "approved")
    others = db.session.scalars(
        db.select(Match).where(
            Match.request_id == match.request_id,
            Match.id != match.id,
            Match.status.in_(OPEN_PROPOSALS),
        )
    )
    for other in others:
        other.status = "superseded"
        _step(user, other, "superseded", f"match {match.id} was approved")
    for hook in ON_APPROVED.values():
        hook(user, match)
    names = _names(match)
    emails = tell(
        match,
        [*party_users(match.volunteer), *party_users(match.request.person)],
        user,
        f"Your match is approved: {names['volunteer']} and {names['person']}",
        f"The match of {names['volunteer']} and {names['person']} for {names['kind']} is "
        "approved and starts today. Each of you can now see the other's contact details on the "
        "match's page (they are not sent by email).",
        link_for,
    )
    return _finish(emails, match)


def withdraw(user: User, match_id: int, data: dict, link_for: LinkFor = None) -> Match:
    """A worker who may approve the match takes back a proposal not yet
    approved (``WithdrawSchema``: why, in ``note``): it is withdrawn, the
    volunteer is told (and the person too, when they were asked already),
    and its request is open to the next run. The pair is not barred from
    being proposed again: to keep them apart, exclude the volunteer on the
    request."""
    match, roles = require_match(user, match_id, for_update=True)
    _require_looking_after(match, roles, "withdraws it")
    if match.status not in OPEN_PROPOSALS:
        raise _wrong_step(match, "only a proposal not yet approved is withdrawn.")
    person_asked = match.volunteer_response == "accepted"
    match.status = "withdrawn"
    _step(user, match, "withdrawn", data["note"])
    names = _names(match)
    recipients = party_users(match.volunteer)
    if person_asked:
        recipients = [*recipients, *party_users(match.request.person)]
    emails = tell(
        match,
        recipients,
        user,
        f"A proposed match is withdrawn: {names['volunteer']} and {names['person']}",
        f"A community worker has withdrawn the proposal that {names['volunteer']} give "
        f"{names['person']} {names['kind']}. Nothing more is asked of you about it; thank you. "
        "A community worker will be in touch if there is anything else.",
        link_for,
    )
    return _finish(emails, match)


def _require_active(match: Match, what: str) -> None:
    if match.status != "active":
        raise _wrong_step(match, f"only an active match {what}.")


def review(user: User, match_id: int, data: dict) -> Match:
    """A worker records a review (``ReviewSchema``); the next is due
    ``REVIEW_EVERY_DAYS`` later (from today when this one was late)."""
    match, roles = require_match(user, match_id, for_update=True)
    _require_looking_after(match, roles, "reviews it")
    _require_active(match, "is reviewed")
    due = max(match.next_review_on or today_in_uk(), today_in_uk())
    match.next_review_on = due + timedelta(days=REVIEW_EVERY_DAYS)
    _step(user, match, "reviewed", data["note"])
    return _finish([], match)


def ask_to_end(user: User, match_id: int, data: dict, link_for: LinkFor = None) -> Match:
    """The volunteer or the person asks to end their match (``AskToEndSchema``);
    the workers who look after it are told."""
    match, roles = require_match(user, match_id, for_update=True)
    side = side_of(roles)
    if side is None:
        raise Forbidden("Only the volunteer or the person asks to end a match; a worker ends it.")
    _require_active(match, "can be asked to end")
    if match.end_requested_by is not None:
        raise _wrong_step(match, "ending it has been asked for already; a worker will be in touch.")
    match.end_requested_by, match.end_requested_reason = side, data["reason"]
    _step(user, match, "end_requested", data["reason"])
    names = _names(match)
    who = names[VOLUNTEER] if side == VOLUNTEER else names[PERSON]
    emails = tell(
        match,
        looking_after(match),
        user,
        f"{who} asks to end a match",
        f"{who} asks to end the match of {names['volunteer']} and {names['person']} "
        f"({names['kind']}). Their reason: {data['reason']}\n\nPlease talk it through with "
        "them and end it on the match's page.",
        link_for,
    )
    return _finish(emails, match)


def end(user: User, match_id: int, data: dict, link_for: LinkFor = None) -> Match:
    """A worker ends an active match (``EndSchema``); its request opens again
    (waiting from today) when the person still wants support, else closes."""
    match, roles = require_match(user, match_id, for_update=True)
    _require_looking_after(match, roles, "ends it")
    _require_active(match, "is ended")
    today = today_in_uk()
    match.status, match.ended_on = "ended", today
    match.end_kind, match.end_reason = data["end_kind"], data["reason"]
    match.ended_well = data["ended_well"]
    request = match.request
    if data["still_wants_support"]:
        request.status, request.opened_on = "open", today
    else:
        request.status = "closed"
    _step(user, match, "ended", f"{data['end_kind']}: {data['reason']}")
    names = _names(match)
    emails = tell(
        match,
        [*party_users(match.volunteer), *party_users(match.request.person)],
        user,
        f"A match has ended: {names['volunteer']} and {names['person']}",
        f"The match of {names['volunteer']} and {names['person']} for {names['kind']} has "
        "ended. Thank you both. A community worker will be in touch about what comes next.",
        link_for,
    )
    return _finish(emails, match)
