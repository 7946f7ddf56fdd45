"""A message in one user's inbox."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from betterway_map.database import UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db


class Message(db.Model):
    """One message to one user.

    ``sender_label`` is how the sender is shown ("Sam, for Eastbrook Lunch
    Club"), fixed when it was sent; the sender may later leave the role or
    the site (``sender_id`` then becomes None and no reply can be sent).
    ``about_type``/``about_id`` name the record it is about (an attendance, a
    help listing) so that a page can say "welcomed on ...".
    """

    __tablename__ = "messages"
    __table_args__ = (
        Index("ix_messages_recipient_read", "recipient_id", "read_at"),
        Index("ix_messages_about", "about_type", "about_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    sender_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    sender_label: Mapped[str] = mapped_column(String(200))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    about_type: Mapped[str | None] = mapped_column(String(20))
    about_id: Mapped[int | None]
    reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL"), index=True
    )
    sent_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    reply_to: Mapped[Message | None] = relationship(remote_side=[id])
