"""The plain records the matcher reads.

A ``Need`` is an open request for support, with what the matcher needs to
know of the person it is for; an ``Offer`` is a volunteer with room for
someone more. Coordinates are ``(lat, lon)``; ``None`` where the postcode
was left empty, and then only support that needs no travel (phone
befriending) can be matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "Need",
    "Offer",
    "Weights",
    "WEIGHT_NAMES",
    "DBS_LEVELS",
    "REQUIRED_DBS",
    "NO_TRAVEL_KINDS",
    "REGULAR_FREQUENCIES",
    "FIRST_REVIEW_DAYS",
    "REVIEW_EVERY_DAYS",
]

# A DBS check's level, lowest first; "applied" and "expired" count as none.
DBS_LEVELS = {"none": 0, "applied": 0, "expired": 0, "basic": 1, "enhanced": 2}

# The level each kind of support needs (vocab.HELP_KINDS). Support in the
# person's home, or alone with them in a car, needs an enhanced check.
REQUIRED_DBS = {
    "befriending_phone": "none",
    "befriending_visit": "enhanced",
    "gardening": "enhanced",
    "digital": "enhanced",
    "lifts": "enhanced",
    "shopping": "basic",
    "go_along": "basic",
    "other": "basic",
}

# Support given without meeting: no travel limit applies.
NO_TRAVEL_KINDS = frozenset({"befriending_phone"})

# Regular support needs at least one shared slot in the week.
REGULAR_FREQUENCIES = frozenset({"weekly", "fortnightly", "monthly"})

# The first review is six weeks after a match starts, then every six months;
# a DBS check must last until the first review.
FIRST_REVIEW_DAYS = 42
REVIEW_EVERY_DAYS = 182

WEIGHT_NAMES = (
    "distance",
    "interests",
    "availability",
    "lived_experience",
    "continuity",
    "priority",
)


@dataclass(frozen=True)
class Need:
    """An open request for support (``SupportRequest``) and its person."""

    id: int
    person_id: int
    kind: str
    frequency: str = "weekly"
    availability: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    # Lived experience the person would value in a volunteer.
    lived_experience: frozenset[str] = frozenset()
    location: tuple[float, float] | None = None
    # True: support must come to them; False: they can also travel travel_km.
    comes_to_me: bool = True
    travel_km: float = 0.0
    # Stated preferences (hard): a woman or a man volunteer; a similar age.
    volunteer_gender: str | None = None
    similar_age: bool = False
    age_band: str | None = None
    # Volunteers' person ids the person is never to be matched with.
    excluded_volunteer_ids: frozenset[int] = frozenset()
    # Who they live with: people sharing a household key are never matched.
    household: str | None = None
    # Former volunteers (person id) and whether that match ended well.
    former_volunteers: dict[int, bool] = field(default_factory=dict, hash=False, compare=False)
    # Priority: few or no active ties; lonely often or always; days waiting.
    isolated: bool = False
    lonely_often: bool = False
    waiting_days: int = 0


@dataclass(frozen=True)
class Offer:
    """A volunteer (``VolunteerOffer`` with their ``VolunteerProfile``)."""

    id: int  # the volunteer's person id
    kinds: frozenset[str] = frozenset()
    # Room left: capacity less their active and agreed matches.
    capacity: int = 1
    availability: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    # Lived experience they are willing to share.
    lived_experience: frozenset[str] = frozenset()
    location: tuple[float, float] | None = None
    travel_km: float = 0.0
    dbs_level: str = "none"
    dbs_expires_on: date | None = None
    # Safeguarding, recorded by a worker.
    restricted_kinds: frozenset[str] = frozenset()
    excluded_person_ids: frozenset[int] = frozenset()
    gender: str | None = None
    age_band: str | None = None
    household: str | None = None
    waiting_days: int = 0


@dataclass(frozen=True)
class Weights:
    """How much each soft score counts; a site admin may change each one."""

    distance: float = 1.0
    interests: float = 1.0
    availability: float = 0.5
    lived_experience: float = 1.0
    continuity: float = 2.0
    priority: float = 1.5

    def as_dict(self) -> dict[str, float]:
        return {name: getattr(self, name) for name in WEIGHT_NAMES}
