"""Erasure of a person: everything held about them removed or anonymised, in
one transaction.

Removed with the person: their consents, loneliness measures, ties,
attendance, offers and requests of help, volunteer profile and offer,
requests for support, the matches where they are a party (with their
history), the messages about any of these, and their account when it is a
resident's account only (a staff account is kept, no longer linked to a
person). Anonymised: ties others recorded to them, messages their erased
account sent, numbers of theirs in others' lists and in the audit log
(``services.traces``). Cleared: the stored area report (its next reading is
computed without them) and the online geocoder's answer for their postcode
when nobody else's record uses it.

The audit log keeps that an erasure happened, by whom (their role, and
their account unless it was the person's own) and when, why (a reason from
``vocab.ERASURE_REASONS``, never free text) and how many records of each
kind went, and nothing about the person.

After the commit, this month's snapshot of the area figures is taken again
(if one was taken), so that they leave the trends too, and emails waiting
in the outbox for their address are deleted. Earlier months' snapshots
hold only totals over cells of at least ``MIN_CELL_COUNT`` people, which
say nothing about anyone; they are history and are not rewritten.
"""

from __future__ import annotations

from dataclasses import dataclass
from email import message_from_bytes

from flask import current_app, g
from sqlalchemy import delete, func, or_, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.accounts.services.mail import outbox_folder
from betterway_map.domain import vocab
from betterway_map.domain.clock import today_in_uk
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.models import GeocodeCache
from betterway_map.matching.models import Match, SupportRequest, VolunteerOffer
from betterway_map.network.models import NetworkReportCache, NetworkSnapshot
from betterway_map.network.trends import month_of, take_snapshot
from betterway_map.people.models import Person, Tie
from betterway_map.register.models import Space
from betterway_map.rights.permissions import require_erasable
from betterway_map.rights.services import traces

__all__ = ["ErasurePlan", "Erased", "erasure_plan", "erase_person"]

STAFF_ROLES = frozenset({"org_admin", "worker", "council", "site_admin"})


@dataclass(frozen=True)
class ErasurePlan:
    """What an erasure will remove, for the page that asks to confirm it."""

    person_id: int
    first_name: str
    acting_as: str  # "self", "worker" or "site_admin"
    counts: tuple[tuple[str, int], ...]  # (what, how many), in words
    deletes_account: bool
    keeps_staff_account: bool


@dataclass(frozen=True)
class Erased:
    acting_as: str
    deleted_account: bool
    counts: dict


def _account(person: Person) -> User | None:
    return db.session.get(User, person.user_id) if person.user_id else None


def _counts(person: Person, request_ids: list[int]) -> dict[str, int]:
    matches = db.session.scalar(
        select(func.count(Match.id)).where(
            or_(Match.volunteer_id == person.id, Match.request_id.in_(request_ids))
        )
    )
    ties_to = db.session.scalar(
        select(func.count(Tie.id)).where(
            Tie.other_person_id == person.id, Tie.person_id != person.id
        )
    )
    return {
        "consents": len(person.consents),
        "loneliness_measures": len(person.measures),
        "ties": len(person.ties),
        "ties_others_recorded": ties_to or 0,
        "groups_attended": len(person.attendances),
        "offers_and_requests_of_help": len(person.listings),
        "requests_for_support": len(request_ids),
        "matches": matches or 0,
        "volunteer_offer": int(db.session.get(VolunteerOffer, person.id) is not None),
        "volunteer_profile": int(person.volunteer is not None),
    }


def _request_ids(person_id: int) -> list[int]:
    return list(
        db.session.scalars(select(SupportRequest.id).where(SupportRequest.person_id == person_id))
    )


def _deletes_account(account: User | None) -> bool:
    return account is not None and not (account.role_names & STAFF_ROLES)


def erasure_plan(user: User, person_id: int) -> ErasurePlan:
    """What erasing the person would remove (audited as a view of the person)."""
    person, role = require_erasable(user, person_id)
    counts = _counts(person, _request_ids(person.id))
    account = _account(person)
    if role != "self":
        audit.record(user.id, "view", "person", person.id, "erasure: what would be removed")
        db.session.commit()
    return ErasurePlan(
        person_id=person.id,
        first_name=person.first_name,
        acting_as=role,
        counts=tuple((what.replace("_", " "), n) for what, n in counts.items() if n),
        deletes_account=_deletes_account(account),
        keeps_staff_account=account is not None and not _deletes_account(account),
    )


def _refs(person: Person, request_ids: list[int], match_ids: list[int]) -> dict[str, list[int]]:
    """(record type, ids) of everything of theirs, as the audit log and
    messages name records."""
    return {
        "person": [person.id],
        "volunteer": [person.id],
        "volunteer_offer": [person.id],
        "consent": [row.id for row in person.consents],
        "loneliness_measure": [row.id for row in person.measures],
        "tie": [row.id for row in person.ties],
        "attendance": [row.id for row in person.attendances],
        "help_listing": [row.id for row in person.listings],
        "support_request": request_ids,
        "match": match_ids,
    }


def _clear_geocoder_answer(postcode: str | None) -> None:
    """Forget the online geocoder's answer for their postcode, unless another
    record (a person, a space, a volunteer's starting point) uses it."""
    if not postcode:
        return
    used = (
        db.session.scalar(select(func.count(Person.id)).where(Person.postcode == postcode))
        or db.session.scalar(select(func.count(Space.id)).where(Space.postcode == postcode))
        or db.session.scalar(
            select(func.count(VolunteerOffer.person_id)).where(
                VolunteerOffer.from_postcode == postcode
            )
        )
    )
    if not used:
        key = " ".join(postcode.lower().split())
        db.session.execute(delete(GeocodeCache).where(GeocodeCache.query == key))


def _check_reason(reason: str) -> None:
    if reason not in vocab.values(vocab.ERASURE_REASONS):
        choices = ", ".join(vocab.values(vocab.ERASURE_REASONS))
        message = f"{reason!r} is not a reason for erasure: choose one of {choices}."
        raise InvalidInput(message, {"reason": [message]})


def _detail(reason: str, role: str, account, deletes_account: bool, counts: dict) -> str:
    """The erasure's audit detail: why, by whom, and how much; nothing about them.

    >>> _detail("asked", "worker", None, False, {"ties": 2, "matches": 0})
    'reason=asked by=worker account=none removed: ties=2'
    """
    kept = "deleted" if deletes_account else ("none" if account is None else "kept")
    removed = " ".join(f"{what}={n}" for what, n in counts.items() if n)
    return f"reason={reason} by={role} account={kept}" + (f" removed: {removed}" if removed else "")


def erase_person(user: User, person_id: int, reason: str) -> Erased:
    """Erase the person (see the module); one commit, then the snapshot and
    the outbox."""
    _check_reason(reason)
    person, role = require_erasable(user, person_id)
    account = _account(person)
    deletes_account = _deletes_account(account)
    erased_user_id = account.id if deletes_account else None
    emails = {e.lower() for e in (person.email, account.email if account else None) if e}
    # Messages and others' ties are searched for the full name only: a first
    # name alone is shared by too many people to be a trace of this one.
    full_name = f"{person.first_name} {person.last_name}" if person.last_name else None
    request_ids = _request_ids(person.id)
    counts = _counts(person, request_ids)
    offer = db.session.get(VolunteerOffer, person.id)
    postcodes = {person.postcode, offer.from_postcode if offer else None}
    try:
        match_ids = traces.end_matches(person.id, request_ids)
        refs = _refs(person, request_ids, match_ids)
        if erased_user_id is not None:
            refs["user"] = [erased_user_id]
        counts["messages"] = traces.remove_messages(
            {k: v for k, v in refs.items() if k not in ("person", "user")},
            full_name,
            erased_user_id,
        )
        traces.anonymise_ties_to(person.id, full_name)
        traces.drop_from_lists(person.id, request_ids)
        traces.scrub_audit(person.id, refs, erased_user_id)
        traces.delete_matching_records(person.id, match_ids)
        db.session.delete(person)
        if deletes_account:
            db.session.delete(account)
        db.session.flush()
        for postcode in postcodes:
            _clear_geocoder_answer(postcode)
        db.session.execute(delete(NetworkReportCache))
        audit.record(
            None if role == "self" and deletes_account else user.id,
            "erase",
            "person",
            None,
            _detail(reason, role, account, deletes_account, counts),
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    _after_commit(emails)
    return Erased(acting_as=role, deleted_account=deletes_account, counts=counts)


def _after_commit(emails: set[str]) -> None:
    """The figures of this month without them, and no email to them waiting."""
    g.pop("network_area", None)
    month = month_of(today_in_uk())
    if db.session.scalar(select(NetworkSnapshot.id).where(NetworkSnapshot.month == month)):
        take_snapshot()
    _clear_outbox(emails)


def _clear_outbox(emails: set[str]) -> int:
    """Delete the emails in the outbox addressed to any of ``emails``."""
    folder = outbox_folder()
    if not emails or not folder.is_dir():
        return 0
    removed = 0
    for path in folder.glob("*.eml"):
        try:
            to = str(message_from_bytes(path.read_bytes()).get("To") or "").lower()
        except OSError:
            continue
        if any(email in to for email in emails):
            path.unlink(missing_ok=True)
            removed += 1
    if removed:
        current_app.logger.info("Erasure: %d emails removed from the outbox", removed)
    return removed
