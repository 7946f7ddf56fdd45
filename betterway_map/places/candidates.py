"""What nearby search keeps, and what it reads from the database.

The filters are one rule each, on the arrays of ``places.index`` (never
also as SQL, which could come to disagree): ``group_passes`` says which
active groups pass the group filters (interest, audience, days, times of
day, free) and ``space_passes`` which places pass the space filter
(step-free); a group passes only at a place that does. Offers of help are
one query, made only when asked (people's homes are not in the index).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import and_, or_, select

from betterway_map.domain.geo.distance import BoundingBox
from betterway_map.extensions import db
from betterway_map.people.models import HelpListing, Person
from betterway_map.people.services.consent import PUBLISH_OFFER, consented, withdrawn
from betterway_map.places.index import (
    AUDIENCE_ORDER,
    INTEREST_ORDER,
    PART_ORDER,
    WEEKDAY_ORDER,
    RegisterIndex,
    bits,
    code_of,
)

__all__ = [
    "Filters",
    "group_passes",
    "space_passes",
    "online_group_count",
    "offer_rows",
]


@dataclass(frozen=True)
class Filters:
    """What to show. Group filters (interest, days, times, audience) also
    limit spaces to those where a matching group meets."""

    what: frozenset = frozenset({"group", "space"})
    interest: str | None = None
    days: tuple = ()
    times: tuple = ()
    free: bool = False
    step_free: bool = False
    audience: str | None = None

    @property
    def about_groups(self) -> bool:
        return bool(self.interest or self.days or self.times or self.audience)


_EVERYONE = bits(["everyone"], AUDIENCE_ORDER)
# How many sets of filters keep their mask of groups in an index.
_MASKS_KEPT = 256


def group_passes(index: RegisterIndex, filters: Filters) -> np.ndarray:
    """Which of the index's active groups pass the group filters (a bool per group)."""
    key = (
        filters.interest,
        filters.audience,
        tuple(sorted(filters.days)),
        tuple(sorted(filters.times)),
        filters.free,
    )
    found = index.masks.get(key)
    if found is not None:
        return found
    if len(index.masks) >= _MASKS_KEPT:  # bounded, whatever filters are asked for
        index.masks.clear()
    keep = np.ones(len(index.group_ids), dtype=bool)
    if filters.interest:
        keep &= (index.interests & bits([filters.interest], INTEREST_ORDER)) != 0
    if filters.audience and filters.audience != "everyone":
        # A group for everyone is a group for older people, carers and parents too.
        keep &= (index.audiences & (bits([filters.audience], AUDIENCE_ORDER) | _EVERYONE)) != 0
    if filters.days:
        keep &= np.isin(index.weekday, [code_of(day, WEEKDAY_ORDER) for day in filters.days])
    if filters.times:
        keep &= np.isin(index.part_of_day, [code_of(part, PART_ORDER) for part in filters.times])
    if filters.free:
        keep &= index.free
    index.masks[key] = keep
    return keep


def space_passes(index: RegisterIndex, filters: Filters) -> np.ndarray | None:
    """Which of the index's places pass the space filter (None: all of them)."""
    return index.step_free if filters.step_free else None


def online_group_count(index: RegisterIndex, filters: Filters) -> int:
    """Active groups that meet only online and pass the group filters."""
    return int(np.count_nonzero(index.online_only & group_passes(index, filters)))


def _in_box(latitude, longitude, box: BoundingBox):
    return and_(
        latitude.between(box.south, box.north),
        or_(*(longitude.between(west, east) for west, east in box.longitudes)),
    )


def offer_rows(box: BoundingBox) -> list:
    """Open offers of help by people whose home lies in the box: the offer's
    id and kind, the person's first name, whether they agreed to it being
    shown (``published``) and their home (never shown, only measured).
    Offers of people who withdrew consent to the register are left out."""
    query = (
        select(
            HelpListing.id,
            HelpListing.kind,
            Person.first_name,
            consented(Person.id, PUBLISH_OFFER).label("published"),
            Person.latitude,
            Person.longitude,
        )
        .join(Person, Person.id == HelpListing.person_id)
        .where(
            HelpListing.direction == "offer",
            HelpListing.status == "open",
            _in_box(Person.latitude, Person.longitude, box),
            ~withdrawn(Person.id, "register"),
        )
    )
    return list(db.session.execute(query))
