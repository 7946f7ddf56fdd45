"""The postcode gazetteer: postcodes and where they are."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
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


class AreaIndicator(db.Model):
    """A figure a council loads per small area (e.g. a loneliness index by
    LSOA), with where it came from; its areas are ``AreaIndicatorValue``."""

    __tablename__ = "area_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    source: Mapped[str] = mapped_column(String(300))
    licence: Mapped[str] = mapped_column(String(200))
    # The kind of area the codes name, as guessed from them, e.g. "LSOA (England) 2021".
    code_system: Mapped[str] = mapped_column(String(80))
    value_label: Mapped[str] = mapped_column(String(80))
    higher_is_more_need: Mapped[bool] = mapped_column(default=True)
    values_read: Mapped[int] = mapped_column(default=0)
    boundaries_read: Mapped[int] = mapped_column(default=0)
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    imported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AreaIndicatorValue(db.Model):
    """One area of an indicator: value, decile (1 = the tenth most in need),
    boundary (GeoJSON geometry as text) and box and centre for quick lookups."""

    __tablename__ = "area_indicator_values"
    __table_args__ = (Index("ix_area_indicator_values_box", "indicator_id", "min_lat", "max_lat"),)

    indicator_id: Mapped[int] = mapped_column(
        ForeignKey("area_indicators.id", ondelete="CASCADE"), primary_key=True
    )
    area_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    area_name: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[float]
    decile: Mapped[int]
    geometry: Mapped[str] = mapped_column(Text)
    centroid_lat: Mapped[float]
    centroid_lon: Mapped[float]
    min_lat: Mapped[float]
    min_lon: Mapped[float]
    max_lat: Mapped[float]
    max_lon: Mapped[float]
