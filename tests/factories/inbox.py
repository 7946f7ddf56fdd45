"""Making messages for tests; ids only, each in its own application context."""

from __future__ import annotations

from betterway_map.extensions import db
from betterway_map.inbox.models import Message
from tests.conftest import make_user

__all__ = ["message_to"]


def message_to(app, recipient_id: int, *, sender_id: int | None = None, **fields) -> int:
    """A message to ``recipient_id`` from a new organiser (unless ``sender_id``
    is given, or None is passed in ``fields`` as ``sender_id``); its id."""
    if sender_id is None:
        sender_id = make_user(app, "org_admin", name="Sam")
    fields.setdefault("sender_label", "Sam, for the Lunch Club")
    fields.setdefault("subject", "A welcome from the Lunch Club")
    fields.setdefault("body", "Do come along on Tuesday.")
    with app.app_context():
        message = Message(recipient_id=recipient_id, sender_id=sender_id, **fields)
        db.session.add(message)
        db.session.commit()
        return message.id
