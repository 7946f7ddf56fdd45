"""Telling the parties of a match what waits for them.

Each step of a match's journey adds a message to the inbox of whoever must
act next (in the step's own transaction, ``inbox.services.deliver``) and,
once the step is committed, emails them through the outbox
(``accounts.services.mail``). A party without an account (registered by a
worker) is told through the workers assigned to them.

Nothing here ever holds an address or a phone number: messages and emails
name people by first name and postcode district only, and say where to look.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from betterway_map.accounts.models import User
from betterway_map.accounts.services import mail
from betterway_map.extensions import db
from betterway_map.inbox.services import deliver
from betterway_map.matching.models import Match
from betterway_map.matching.permissions import workers_of
from betterway_map.people.models import Person

__all__ = [
    "Email",
    "ABOUT",
    "area_of",
    "party_users",
    "looking_after",
    "tell",
    "send_emails",
]

ABOUT = "match"
SITE = "Better Way Map"


@dataclass(frozen=True)
class Email:
    to: str
    subject: str
    body: str


def area_of(postcode: str | None) -> str | None:
    """An approximate area: the postcode district ("LS6"), or None.

    >>> area_of("LS6 1AA"), area_of(None)
    ('LS6', None)
    """
    return postcode.split()[0] if postcode else None


def party_users(person: Person) -> list[int]:
    """Who hears for a party: the person's own account, else their workers."""
    return [person.user_id] if person.user_id is not None else workers_of(person.id)


def looking_after(match: Match) -> list[int]:
    """The workers assigned to either side who are not a party: those who
    approve, review and end the match."""
    parties = {match.volunteer.user_id, match.request.person.user_id}
    ids = workers_of(match.request.person_id) + workers_of(match.volunteer_id)
    return [uid for uid in dict.fromkeys(ids) if uid not in parties]


def tell(
    match: Match,
    recipients: Iterable[int],
    actor: User | None,
    subject: str,
    body: str,
    link_for: Callable[[int], str] | None = None,
) -> list[Email]:
    """Deliver a message about ``match`` to each recipient but the actor (in
    the caller's transaction); the emails to send once it is committed."""
    emails = []
    link = link_for(match.id) if link_for else None
    where = f"Open it here: {link}" if link else "Sign in to Better Way Map and open “My matches”."
    for user_id in dict.fromkeys(recipients):
        if actor is not None and user_id == actor.id:
            continue
        user = db.session.get(User, user_id)
        if user is None or not user.active:
            continue
        deliver(
            user_id,
            sender=actor,
            sender_label=actor.display_name if actor is not None else SITE,
            subject=subject,
            body=f"{body}\n\nIt is under “My matches” on My page.",
            about=(ABOUT, match.id),
        )
        emails.append(
            Email(
                user.email,
                subject,
                f"Hello {user.display_name},\n\n{body}\n\n{where}\n\n"
                "For everyone's safety this email holds no address or phone number.\n",
            )
        )
    return emails


def send_emails(emails: Iterable[Email]) -> None:
    """Send the emails of a committed step (a failing server is logged)."""
    for email in emails:
        mail.send(email.to, email.subject, email.body)
