"""A point a search can start from: pure, so every layer can pass one around."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Place"]


@dataclass(frozen=True)
class Place:
    """A point a search can start from, and what it was found from."""

    latitude: float
    longitude: float
    label: str
    # "postcode", "sector", "outcode", "geocoder" or "coordinates"
    precision: str
    fictional: bool = False
