"""The postcode gazetteer: postcodes and where they are."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db


class PostcodePoint(db.Model):
    __tablename__ = "postcodes"

    postcode: Mapped[str] = mapped_column(String(8), primary_key=True)
    outcode: Mapped[str] = mapped_column(String(4), index=True)
    sector: Mapped[str] = mapped_column(String(6), index=True)
    latitude: Mapped[float]
    longitude: Mapped[float]
    # True for the demo area's made-up postcodes (outward codes ZZ1–ZZ9).
    fictional: Mapped[bool] = mapped_column(default=False)
