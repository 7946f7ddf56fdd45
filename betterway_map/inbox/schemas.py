"""What a person types into a message. No Flask here."""

from __future__ import annotations

from marshmallow import Schema

from betterway_map.web.fields import MAX_FREE_TEXT, text

__all__ = ["MessageSchema"]


class MessageSchema(Schema):
    """The words of a message: a reply, a welcome, a question about an offer."""

    body = text(
        "Message",
        max_length=MAX_FREE_TEXT,
        required=True,
        widget="textarea",
        help="Do not include an address or phone number: people meet through the organisers "
        "and workers first.",
    )
