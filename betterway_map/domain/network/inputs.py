"""The plain records the network code works on, loaded by ``network.loader``.

Every analysis in this package is a pure function of these, so it can be
tested on tiny hand-made areas and reused by the pages, the API, the CLI
report and the benchmarks. Coordinates are (latitude, longitude) in degrees;
a person's home location is here only to be aggregated into cells and is
never passed on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

__all__ = [
    "PersonRecord",
    "OrganisationRecord",
    "SpaceRecord",
    "GroupRecord",
    "AttendanceRecord",
    "TieRecord",
    "MatchRecord",
    "PartnershipRecord",
    "Area",
]


@dataclass(frozen=True, slots=True)
class PersonRecord:
    id: int
    first_name: str
    age_band: str | None
    latitude: float | None  # home: for cells only, never shown
    longitude: float | None
    lives_alone: bool | None
    is_volunteer: bool = False
    # The latest loneliness measure, if any (the two measures kept apart).
    ucla_total: int | None = None
    direct: str | None = None  # e.g. "often_always"
    measured_on: date | None = None
    worker_ids: tuple[int, ...] = ()  # the workers assigned to them


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    id: int
    name: str
    sector: str


@dataclass(frozen=True, slots=True)
class SpaceRecord:
    id: int
    organisation_id: int
    name: str
    latitude: float | None
    longitude: float | None
    step_free: bool
    accessible_toilet: bool


@dataclass(frozen=True, slots=True)
class GroupRecord:
    id: int
    organisation_id: int
    name: str
    space_id: int | None
    latitude: float | None  # the space's; None for online groups
    longitude: float | None
    status: str  # active / paused / ended
    interests: tuple[str, ...] = ()
    audiences: tuple[str, ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    step_free: bool = False  # its space's


@dataclass(frozen=True, slots=True)
class AttendanceRecord:
    person_id: int
    group_id: int
    status: str  # member / interested / left
    since: date | None
    last_attended_on: date | None


@dataclass(frozen=True, slots=True)
class TieRecord:
    person_id: int
    kind: str  # family / friend / neighbour / professional
    contact_frequency: str  # daily / weekly / monthly / less / never
    last_contact_on: date | None
    other_person_id: int | None = None  # when the other is on the register too
    id: int | None = None


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """A volunteer matched with a person (matching is a later issue; the
    network already counts active matches as ties)."""

    volunteer_id: int
    person_id: int
    started_on: date
    ended_on: date | None
    last_contact_on: date | None


@dataclass(frozen=True, slots=True)
class PartnershipRecord:
    organisation_id: int
    partner_id: int
    kind: str  # joint_work / referral / shared_space
    started_on: date | None
    last_active_on: date | None


@dataclass
class Area:
    """Everything the register knows, as plain records."""

    today: date
    people: list[PersonRecord] = field(default_factory=list)
    organisations: list[OrganisationRecord] = field(default_factory=list)
    spaces: list[SpaceRecord] = field(default_factory=list)
    groups: list[GroupRecord] = field(default_factory=list)
    attendances: list[AttendanceRecord] = field(default_factory=list)
    ties: list[TieRecord] = field(default_factory=list)
    matches: list[MatchRecord] = field(default_factory=list)
    partnerships: list[PartnershipRecord] = field(default_factory=list)
