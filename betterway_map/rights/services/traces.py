"""The traces of a person outside their own records, found and removed for
an erasure (``services.erasure``). Each function works in the caller's
transaction and says how many rows it changed.

What happens to each, and why:

* **Matches** where they are a party are deleted with their history: a
  match cannot be kept without both of its sides. When the erased person
  was the volunteer of a match that held someone's request, that request
  opens again (its wait starts today) and the workers of that person are
  told, without a word about who was erased.
* **Messages** about their records (a welcome, a question about their
  offer, a match's notices) and messages naming them in full are deleted;
  messages their erased account sent stay in the recipients' inboxes with
  the sender and text replaced, so that a conversation keeps its shape.
* **Ties others recorded to them** stay (they are the other person's
  record), unlinked and labelled ``ANONYMOUS_LABEL``.
* **Lists of record numbers** held by others (a request's excluded
  volunteers, a volunteer's safeguarding exclusions, a run's unmatched and
  waiting lists) lose their number.
* **Audit entries** stay, as the record of who did what and when, with the
  erased records' numbers and their account's number removed.
"""

from __future__ import annotations

from sqlalchemy import String, cast, delete, func, or_, select, update

from betterway_map.accounts.models import AuditEvent
from betterway_map.database import contains
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.rights import ANONYMOUS_LABEL, scrub_detail
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.inbox.services import deliver
from betterway_map.matching.models import Match, MatchEvent, MatchingRun, SupportRequest
from betterway_map.matching.models import VolunteerOffer as Offer
from betterway_map.people.models import Assignment, Tie

__all__ = [
    "ERASED_SENDER",
    "ERASED_BODY",
    "end_matches",
    "delete_matching_records",
    "remove_messages",
    "anonymise_ties_to",
    "drop_from_lists",
    "scrub_audit",
]

ERASED_SENDER = "Someone no longer on the register"
ERASED_BODY = "This message was removed: the records of the person who sent it were erased."
# Matches that hold a request (it is "matched" while one of these lasts).
_HOLDING = ("agreed", "active")
# Audit subject types that are records of one person, numbered by their own id.
RECORD_TYPES = (
    "consent",
    "loneliness_measure",
    "tie",
    "attendance",
    "help_listing",
    "support_request",
    "match",
)
# ... and those numbered by the person's id.
PERSON_TYPES = ("person", "volunteer", "volunteer_offer")


def end_matches(person_id: int, request_ids: list[int]) -> list[int]:
    """The ids of the matches where the person is a party, after reopening
    the other side's request where the erased volunteer held it."""
    matches = list(
        db.session.scalars(
            select(Match).where(
                or_(Match.volunteer_id == person_id, Match.request_id.in_(request_ids))
            )
        )
    )
    for match in matches:
        request = match.request
        if request.person_id == person_id or match.status not in _HOLDING:
            continue
        if request.status == "matched":
            request.status = "open"
            request.opened_on = today_in_uk()
        for worker_id in _workers_of(request.person_id):
            deliver(
                worker_id,
                sender=None,
                sender_label="Better Way Map",
                subject=f"{request.person.first_name}'s match has ended",
                body=(
                    f"The volunteer matched with {request.person.first_name} is no longer on "
                    "the register: their records were erased. The request for support is "
                    "open again, so the next matching run can find someone new. Please let "
                    f"{request.person.first_name} know."
                ),
                about=("support_request", request.id),
            )
    return [match.id for match in matches]


def _workers_of(person_id: int) -> list[int]:
    return list(
        db.session.scalars(select(Assignment.worker_id).where(Assignment.person_id == person_id))
    )


def delete_matching_records(person_id: int, match_ids: list[int]) -> None:
    """The matches (with their history), requests and offer of the person."""
    if match_ids:
        db.session.execute(delete(MatchEvent).where(MatchEvent.match_id.in_(match_ids)))
        db.session.execute(delete(Match).where(Match.id.in_(match_ids)))
    db.session.execute(delete(SupportRequest).where(SupportRequest.person_id == person_id))
    db.session.execute(delete(Offer).where(Offer.person_id == person_id))


def remove_messages(refs: dict[str, list[int]], full_name: str | None, user_id: int | None) -> int:
    """Delete the messages about the person's records or naming them in full;
    blank those their erased account (``user_id``) sent. How many changed."""
    about = [
        (Message.about_type == kind) & Message.about_id.in_(ids)
        for kind, ids in refs.items()
        if ids
    ]
    named = []
    if full_name and len(full_name) >= 3:
        lowered = full_name.lower()
        named = [contains(func.lower(Message.subject), lowered)]
        named.append(contains(func.lower(Message.body), lowered))
    conditions = about + named
    changed = 0
    if conditions:
        changed += db.session.execute(delete(Message).where(or_(*conditions))).rowcount or 0
    if user_id is not None:
        changed += (
            db.session.execute(
                update(Message)
                .where(Message.sender_id == user_id)
                .values(sender_id=None, sender_label=ERASED_SENDER, body=ERASED_BODY)
            ).rowcount
            or 0
        )
    return changed


def anonymise_ties_to(person_id: int, full_name: str | None) -> int:
    """Ties others recorded to the person: unlinked and relabelled."""
    linked = db.session.execute(
        update(Tie)
        .where(Tie.other_person_id == person_id, Tie.person_id != person_id)
        .values(other_person_id=None, other_label=ANONYMOUS_LABEL)
    ).rowcount
    unlinked = 0
    if full_name and len(full_name) >= 3:
        rows = db.session.scalars(
            select(Tie).where(
                Tie.person_id != person_id,
                contains(func.lower(Tie.other_label), full_name.lower()),
            )
        )
        for tie in rows:
            tie.other_label = ANONYMOUS_LABEL
            unlinked += 1
    return (linked or 0) + unlinked


def _without(values, number: int) -> list:
    return [v for v in (values or []) if v != number]


def drop_from_lists(person_id: int, request_ids: list[int]) -> int:
    """Remove the person's numbers from the lists other records keep."""
    changed = 0
    text = str(person_id)
    for row in db.session.scalars(
        select(SupportRequest).where(
            contains(cast(SupportRequest.excluded_volunteer_ids, String), text)
        )
    ):
        if person_id in (row.excluded_volunteer_ids or []):
            row.excluded_volunteer_ids = _without(row.excluded_volunteer_ids, person_id)
            changed += 1
    for row in db.session.scalars(
        select(Offer).where(contains(cast(Offer.excluded_person_ids, String), text))
    ):
        if person_id in (row.excluded_person_ids or []):
            row.excluded_person_ids = _without(row.excluded_person_ids, person_id)
            changed += 1
    requests = set(request_ids)
    for run in db.session.scalars(select(MatchingRun)):
        unmatched = [u for u in run.unmatched or [] if u.get("request_id") not in requests]
        waiting = [w for w in run.waiting_volunteers or [] if w.get("volunteer_id") != person_id]
        if unmatched != (run.unmatched or []) or waiting != (run.waiting_volunteers or []):
            run.unmatched, run.waiting_volunteers = unmatched, waiting
            changed += 1
    return changed


def scrub_audit(person_id: int, refs: dict[str, list[int]], user_id: int | None) -> int:
    """Keep every audit entry, without the erased records' numbers."""
    about_them = [
        (AuditEvent.subject_type == kind) & AuditEvent.subject_id.in_(ids)
        for kind, ids in refs.items()
        if ids
    ]
    changed = 0
    if about_them:
        rows = db.session.scalars(select(AuditEvent).where(or_(*about_them)))
        for event in rows:
            event.subject_id = None
            event.detail = scrub_detail(event.detail, person_id, user_id)
            changed += 1
    number = str(person_id)
    numbers = [
        contains(AuditEvent.detail, f"person={number}"),
        contains(AuditEvent.detail, f"person {number}"),
        contains(AuditEvent.detail, "ids=") & contains(AuditEvent.detail, number),
    ]
    if user_id is not None:
        numbers.append(contains(AuditEvent.detail, f"user={user_id}"))
        numbers.append(contains(AuditEvent.detail, f"user {user_id}"))
    for event in db.session.scalars(select(AuditEvent).where(or_(*numbers))):
        scrubbed = scrub_detail(event.detail, person_id, user_id)
        if scrubbed != event.detail:
            event.detail = scrubbed
            changed += 1
    return changed
