"""The postcode gazetteer: postcodes and where they are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from betterway_map.database import UtcDateTime
from betterway_map.domain.clock import utcnow
from betterway_map.extensions import db

# Byte order ("C") on PostgreSQL, as SQLite compares text anyway: the
# outward code "E1" and the sector "E1 6" are found as key ranges
# ("E1 " <= postcode < "E1!"), which only works when a space sorts before
# digits and letters and is not ignored, as it is in most locales' collations.
POSTCODE_KEY = String(8).with_variant(String(8, collation="C"), "postgresql")


class PostcodePoint(db.Model):
    __tablename__ = "postcodes"
    # One b-tree keyed by postcode on SQLite (no separate rowid table and
    # index), which is what lets the whole UK load in seconds.
    __table_args__ = {"sqlite_with_rowid": False}

    postcode: Mapped[str] = mapped_column(POSTCODE_KEY, primary_key=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    # True for the demo area's made-up postcodes (outward codes ZZ1–ZZ9).
    fictional: Mapped[bool] = mapped_column(default=False)


class GeocodeCache(db.Model):
    """Answers of the online geocoder, kept so that each query is asked once.

    ``latitude`` None records that the geocoder found nothing.
    """

    __tablename__ = "geocode_cache"

    query: Mapped[str] = mapped_column(String(200), primary_key=True)
    latitude: Mapped[float | None]
    longitude: Mapped[float | None]
    label: Mapped[str | None] = mapped_column(String(300))
    asked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
