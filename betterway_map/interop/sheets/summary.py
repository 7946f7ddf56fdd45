"""A person's own summary sheet: their groups, their volunteer and the next
contact, and groups that might suit them.

For the person themself and the workers assigned to them only (anyone
else: ``NotFound``); a worker's print is in the audit log, as every look at
a person's details is. It is the person's own data, so no figure is
suppressed, but it names no one else: of a volunteer, the first name alone.

* Groups: those the person goes to or said they would like to go to, with
  when they meet next, where, and a phone number (the group's, else its
  organisation's).
* Volunteer: each active match (approved by a worker) that supports the
  person, with the rhythm in force (``measures.services.rhythms``: agreed,
  else what the request asked for), the last contact recorded, and the
  next contact expected: the last contact (or the match's start) plus the
  rhythm's interval (``domain.measures.records.RHYTHM_DAYS``).
* Suggestions: the best few of ``matching.services.suggestions`` (none,
  with the reason, when the person withdrew consent to the register).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain import vocab
from betterway_map.domain.clock import now_in_uk
from betterway_map.domain.dates import long_date
from betterway_map.domain.geo.distance import approximate_km
from betterway_map.domain.measures.continuity import RHYTHM_WORDS
from betterway_map.domain.measures.records import RHYTHM_DAYS
from betterway_map.errors import Conflict
from betterway_map.extensions import db
from betterway_map.interop.sheets.services import group_phone, when_meets
from betterway_map.interop.sheets.summary_layout import Summary, SummaryGroup, SummarySupport
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.matching.services import suggestions
from betterway_map.measures.models import Contact
from betterway_map.measures.permissions import require_relationship
from betterway_map.measures.services.rhythms import rhythm_in_force
from betterway_map.people.models import Attendance, Person
from betterway_map.people.permissions import require_person_access
from betterway_map.register.models import Group

__all__ = ["summary_sheet", "SUMMARY_SUGGESTIONS", "next_contact_on"]

TITLE = "Your summary"
# How many suggestions the sheet has room for beside the groups and volunteer.
SUMMARY_SUGGESTIONS = 3


def summary_sheet(user: User, person_id: int, more_at: str, now: datetime | None = None) -> Summary:
    """The summary of ``person_id`` for ``user`` (see the module)."""
    person = require_person_access(user, person_id)
    now = now or now_in_uk()
    groups = _groups(person, now)
    supports = _supports(user, person, now.date())
    found, no_suggestions = _suggestions(user, person)
    if person.user_id != user.id:
        audit.record(user.id, "print", "person", person.id, "summary sheet")
        db.session.commit()
    return Summary(
        title=TITLE,
        made=long_date(now),
        groups=groups,
        no_groups="No groups are recorded for you yet.",
        supports=supports,
        no_support=(
            "No volunteer is supporting you at the moment. A community worker can help you "
            "ask for one."
        ),
        suggestions=found,
        no_suggestions=no_suggestions,
        more_at=more_at,
    )


def _where(group: Group) -> str:
    space = group.space
    if space is None:
        return "Online" if group.online else "Ask the group where it meets."
    return f"{space.name}, {space.address}, {space.postcode}"


def _groups(person: Person, now: datetime) -> tuple[SummaryGroup, ...]:
    rows = db.session.scalars(
        select(Attendance)
        .where(Attendance.person_id == person.id, Attendance.status.in_(("member", "interested")))
        .options(
            selectinload(Attendance.group).selectinload(Group.space),
            selectinload(Attendance.group).selectinload(Group.organisation),
        )
    )
    found = []
    for row in rows:
        group = row.group
        if group.status == "active":
            when = when_meets(group, now)
        else:
            when = f"{'Paused' if group.status == 'paused' else 'Ended'}: not meeting now."
        note = "You said you would like to go." if row.status == "interested" else None
        found.append(SummaryGroup(group.name, when, _where(group), group_phone(group), note))
    return tuple(sorted(found, key=lambda g: (g.note is not None, g.name.lower())))


def next_contact_on(last: date | None, started: date | None, frequency: str | None) -> date | None:
    """When the next contact is expected: the last (or the start) plus the
    rhythm's interval; None without a rhythm or a date to count from.

    >>> next_contact_on(date(2026, 3, 2), date(2026, 1, 5), "fortnightly")
    datetime.date(2026, 3, 16)
    >>> next_contact_on(None, date(2026, 1, 5), "weekly"), next_contact_on(None, None, "weekly")
    (datetime.date(2026, 1, 12), None)
    """
    start = last or started
    if start is None or frequency not in RHYTHM_DAYS:
        return None
    return start + timedelta(days=RHYTHM_DAYS[frequency])


def _supports(user: User, person: Person, today: date) -> tuple[SummarySupport, ...]:
    matches = db.session.scalars(
        select(Match)
        .join(SupportRequest, SupportRequest.id == Match.request_id)
        .where(SupportRequest.person_id == person.id, Match.status == "active")
        .options(selectinload(Match.volunteer), selectinload(Match.request))
        .order_by(Match.started_on, Match.id)
    )
    kinds = vocab.labels(vocab.HELP_KINDS)
    found = []
    for match in matches:
        rhythm = rhythm_in_force(require_relationship(user, match_id=match.id))
        last = db.session.scalar(
            select(func.max(Contact.contacted_on)).where(Contact.match_id == match.id)
        )
        expected = next_contact_on(last, match.started_on, rhythm.frequency)
        if expected is None:
            next_text = None
        elif expected < today:
            next_text = f"expected by {long_date(expected)}: ask your volunteer or worker"
        else:
            next_text = f"expected by {long_date(expected)}"
        found.append(
            SummarySupport(
                volunteer_first_name=match.volunteer.first_name,
                help=kinds.get(match.request.kind, match.request.kind),
                rhythm=f"contact {RHYTHM_WORDS[rhythm.frequency]}"
                if rhythm.frequency in RHYTHM_WORDS
                else None,
                last_contact=long_date(last) if last else None,
                next_contact=next_text,
            )
        )
    return tuple(found)


def _suggestions(user: User, person: Person) -> tuple[tuple, str]:
    try:
        result = suggestions.suggestions_for(user, person.id, suggestions.Options(), action="print")
    except Conflict:  # consent to the register withdrawn
        return (), "No suggestions: you asked us not to keep you on the register."
    found = tuple(
        SummaryGroup(
            name=item.name,
            when=item.when,
            where=f"{item.where} (about {approximate_km(item.distance_km):g} km away)",
        )
        for item in result.items[:SUMMARY_SUGGESTIONS]
    )
    return found, result.explanation or "No groups near you suit you at the moment."
