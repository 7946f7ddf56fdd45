"""Sending, listing, reading and answering messages.

``deliver`` adds a message to the caller's transaction (other capabilities'
services send as part of their own work, e.g. an organiser's welcome); the
other functions are whole service calls and commit once.
"""

from __future__ import annotations

from sqlalchemy import func, select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.clock import utcnow
from betterway_map.errors import InvalidInput, NotFound
from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from betterway_map.web.paging import Page, paginate

__all__ = [
    "deliver",
    "inbox_page",
    "open_message",
    "reply",
    "unread_count",
    "sent_about",
    "REPLY_SUBJECT_PREFIX",
]

REPLY_SUBJECT_PREFIX = "Re: "
# How many earlier messages of a conversation a message's page shows.
THREAD_DEPTH = 10


def deliver(
    recipient_id: int,
    *,
    sender: User | None,
    sender_label: str,
    subject: str,
    body: str,
    about: tuple[str, int] | None = None,
    reply_to_id: int | None = None,
) -> Message:
    """Add a message for ``recipient_id`` to the current transaction (the
    caller commits). ``about`` is ``(record type, id)`` of what it is about."""
    about_type, about_id = about if about else (None, None)
    message = Message(
        recipient_id=recipient_id,
        sender_id=sender.id if sender is not None else None,
        sender_label=sender_label[:200],
        subject=subject[:200],
        body=body,
        about_type=about_type,
        about_id=about_id,
        reply_to_id=reply_to_id,
    )
    db.session.add(message)
    db.session.flush()
    audit.record(
        sender.id if sender is not None else None,
        "send",
        "message",
        message.id,
        f"to user {recipient_id}" + (f" about {about_type} {about_id}" if about else ""),
    )
    return message


def inbox_page(user: User, page: int = 1, page_size: int = 20) -> Page:
    """The messages to ``user``, newest first."""
    query = (
        select(Message)
        .where(Message.recipient_id == user.id)
        .order_by(Message.sent_at.desc(), Message.id.desc())
    )
    return paginate(query, page, page_size)


def unread_count(user: User) -> int:
    """How many messages to ``user`` are not read yet."""
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Message)
            .where(Message.recipient_id == user.id, Message.read_at.is_(None))
        )
        or 0
    )


def _own(user: User, message_id: int) -> Message:
    message = db.session.get(Message, message_id)
    if message is None or message.recipient_id != user.id:
        # Someone else's message is as absent as one that never existed.
        raise NotFound(f"There is no message {message_id} in your inbox.")
    return message


def open_message(user: User, message_id: int) -> tuple[Message, list[Message]]:
    """A message to ``user``, marked read, and the earlier messages of its
    conversation that ``user`` sent or received (oldest first)."""
    message = _own(user, message_id)
    if message.read_at is None:
        message.read_at = utcnow()
    earlier: list[Message] = []
    previous = message.reply_to
    while previous is not None and len(earlier) < THREAD_DEPTH:
        if user.id not in (previous.recipient_id, previous.sender_id):
            break
        earlier.append(previous)
        previous = previous.reply_to
    audit.record(user.id, "view", "message", message.id)
    db.session.commit()
    return message, earlier[::-1]


def reply(user: User, message_id: int, data: dict) -> Message:
    """Answer a message to ``user`` (``data["body"]``, loaded by ``ReplySchema``)."""
    message = _own(user, message_id)
    if message.sender_id is None:
        text = (
            f"{message.sender_label} can no longer be answered here: they have left the site "
            "or the role they wrote in."
        )
        raise InvalidInput(text, {"body": [text]})
    subject = message.subject
    if not subject.startswith(REPLY_SUBJECT_PREFIX):
        subject = REPLY_SUBJECT_PREFIX + subject
    answer = deliver(
        message.sender_id,
        sender=user,
        sender_label=user.display_name,
        subject=subject,
        body=data["body"],
        about=(message.about_type, message.about_id) if message.about_type else None,
        reply_to_id=message.id,
    )
    if message.read_at is None:
        message.read_at = utcnow()
    db.session.commit()
    return answer


def sent_about(about_type: str, about_ids) -> dict[int, Message]:
    """The latest message sent about each of these records, by record id
    (e.g. when each interested person was last welcomed)."""
    ids = list(about_ids)
    if not ids:
        return {}
    rows = db.session.scalars(
        select(Message)
        .where(
            Message.about_type == about_type,
            Message.about_id.in_(ids),
            Message.reply_to_id.is_(None),
        )
        .order_by(Message.sent_at, Message.id)
    )
    return {row.about_id: row for row in rows}
