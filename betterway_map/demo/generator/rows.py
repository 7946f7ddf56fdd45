"""The plain records the demo generator returns.

They mirror the register's tables but refer to each other by position in
the lists of ``DemoArea`` (``organisation=3`` is ``area.organisations[3]``)
and to accounts by their ``key`` (``"worker"``), because database ids do not
exist until the records are written.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime, time

__all__ = [
    "Neighbourhood",
    "Postcode",
    "Account",
    "Organisation",
    "Space",
    "Group",
    "Partnership",
    "Person",
    "Assignment",
    "Consent",
    "Measure",
    "Tie",
    "Volunteer",
    "Attendance",
    "Listing",
    "VolunteerOffer",
    "SupportRequest",
    "Match",
    "MatchEvent",
    "Rhythm",
    "Contact",
    "Feedback",
    "DemoArea",
]


@dataclass(frozen=True)
class Neighbourhood:
    """One outward code of the town (or the estate, one sector of an outward
    code): where it is and who tends to live there.

    ``older`` shifts the age mix (positive: more older residents) and
    ``deprivation`` (0 to 1) worsens general health.
    """

    outcode: str
    name: str
    lat: float
    lon: float
    radius_km: float
    older: float
    deprivation: float
    # How much goes on there: the relative chance that an organisation is
    # based there and that a space is (0 for a place with none at all).
    provision: float = 1.0


@dataclass(frozen=True)
class Postcode:
    postcode: str
    outcode: str
    sector: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Account:
    """A user account. ``demo_login`` accounts are printed for people to try.

    ``can_sign_in`` False: a demo person's own account (``generator.online``),
    there so that they count as online; stored with a password hash that no
    password matches, on an email domain that never receives mail.
    """

    key: str
    email: str
    display_name: str
    role: str
    demo_login: bool
    can_sign_in: bool = True


@dataclass
class Organisation:
    name: str
    sector: str
    description: str
    charity_number: str | None = None
    company_number: str | None = None
    website: str | None = None
    contact_email: str | None = None
    contact_phone: str | None = None
    admin: str | None = None  # account key
    outcode: str = ""  # where it is based (not stored)
    # One of the cluster that works only with each other (not stored).
    apart: bool = False


@dataclass
class Space:
    organisation: int
    name: str
    description: str
    address: str
    postcode: str
    lat: float
    lon: float
    capacity: int | None
    opening_times: list
    step_free: bool
    hearing_loop: bool
    accessible_toilet: bool
    parking: bool
    hire_cost_pence: int | None
    hire_cost_note: str | None


@dataclass
class Group:
    organisation: int
    space: int | None
    name: str
    description: str
    interests: list
    tags: list
    audiences: list
    age_min: int | None
    age_max: int | None
    online: bool
    online_url: str | None
    frequency: str
    weekday: str
    nth: int | None
    start_time: time
    end_time: time
    starts_on: date
    ends_on: date | None
    cost_pence: int
    cost_note: str | None
    capacity: int | None
    contact_email: str | None
    contact_phone: str | None
    status: str
    details_checked_on: date | None
    outcode: str | None = None  # where it meets; None when online (not stored)


@dataclass(frozen=True)
class Partnership:
    organisation: int
    partner: int
    kind: str
    started_on: date
    last_active_on: date | None
    notes: str | None
    # When the partner confirmed it, and the account key of who did (None
    # when the partner has no demo admin); both None while it is pending.
    confirmed_on: date | None = None
    confirmed_by: str | None = None


@dataclass
class Person:
    first_name: str
    last_name: str | None
    age_band: str
    postcode: str
    lat: float
    lon: float
    address: str
    phone: str | None
    email: str | None
    interests: list
    languages: list
    availability: list
    travel_km: float
    lives_alone: bool
    marital_status: str
    general_health: str
    what_would_help: str | None
    account: str | None = None  # account key of their own login
    registered_by: str | None = None  # account key of the worker who registered them
    registered_on: date | None = None  # not stored: when they joined the register
    # What is local to them (not stored): their outward code, or the
    # estate's sector (``town.ESTATE_SECTOR``), where nothing meets.
    outcode: str = field(default="", repr=False)


@dataclass(frozen=True)
class Assignment:
    person: int
    worker: str
    assigned_on: date
    assigned_by: str | None


@dataclass(frozen=True)
class Consent:
    person: int
    purpose: str
    method: str
    given_on: date
    recorded_by: str | None
    notes: str | None = None


@dataclass(frozen=True)
class Measure:
    person: int
    measured_on: date
    ucla_companionship: int | None
    ucla_left_out: int | None
    ucla_isolated: int | None
    direct: str | None
    recorded_by: str | None
    # The De Jong Gierveld 6-item scale, when asked ("yes", "more_or_less",
    # "no"; None: not answered); the total is scored when loaded.
    djg_emptiness: str | None = None
    djg_miss_people: str | None = None
    djg_rejected: str | None = None
    djg_rely_on: str | None = None
    djg_trust: str | None = None
    djg_close: str | None = None

    @property
    def ucla_total(self) -> int | None:
        items = (self.ucla_companionship, self.ucla_left_out, self.ucla_isolated)
        return None if None in items else sum(items)


@dataclass(frozen=True)
class Tie:
    person: int
    other_person: int | None
    other_label: str
    kind: str
    contact_frequency: str
    last_contact_on: date | None
    recorded_by: str | None


@dataclass(frozen=True)
class Volunteer:
    person: int
    dbs_status: str
    dbs_checked_on: date | None
    dbs_recorded_by: str | None
    lived_experience: list
    capacity: int
    active: bool
    # When the check is due for renewal; None: three years after dbs_checked_on.
    dbs_expires_on: date | None = None


@dataclass(frozen=True)
class Attendance:
    person: int
    group: int
    status: str
    since: date
    last_attended_on: date | None
    recorded_by: str | None


@dataclass(frozen=True)
class Listing:
    person: int
    direction: str
    kind: str
    description: str
    status: str


@dataclass
class VolunteerOffer:
    """What a volunteer will do for matching (``matching.models.VolunteerOffer``)."""

    person: int
    kinds: list
    availability: list
    languages: list
    interests: list
    travel_km: float
    available_since: date
    from_postcode: str | None = None  # None: they travel from home
    from_lat: float | None = None
    from_lon: float | None = None
    gender: str | None = None
    # Safeguarding, recorded by a worker (account key); people by position.
    restricted_kinds: list = field(default_factory=list)
    excluded_persons: list = field(default_factory=list)
    restriction_notes: str | None = None
    restrictions_recorded_by: str | None = None


@dataclass
class SupportRequest:
    """A request for support for one person (``matching.models.SupportRequest``)."""

    person: int
    kind: str
    frequency: str
    duration_min: int
    availability: list
    languages: list
    interests: list
    lived_experience: list
    volunteer_gender: str | None
    similar_age: bool
    comes_to_me: bool
    travel_km: float | None
    notes: str | None
    status: str
    opened_on: date  # waiting since: the first opening, or the latest reopening
    created_by: str | None  # account key: their worker, or the person themself
    excluded_volunteers: list = field(default_factory=list)  # person positions
    first_opened_on: date | None = None  # not stored: when it was first made


@dataclass
class Match:
    """A volunteer (person position) and a request (position), at some step."""

    request: int
    volunteer: int
    status: str
    score: float
    reasons: list
    distance_km: float | None
    proposed_on: date  # not stored as such: the match's created_at
    volunteer_response: str | None = None
    volunteer_reason: str | None = None
    person_response: str | None = None
    person_reason: str | None = None
    person_answered_by: str | None = None  # account keys from here on
    approved_by: str | None = None
    approved_on: date | None = None
    started_on: date | None = None
    next_review_on: date | None = None
    end_requested_by: str | None = None
    end_requested_reason: str | None = None
    ended_on: date | None = None
    end_kind: str | None = None
    end_reason: str | None = None
    ended_well: bool | None = None


@dataclass(frozen=True)
class MatchEvent:
    """One step of a match's history; ``actor`` is an account key."""

    match: int
    at: datetime
    actor: str | None
    step: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Rhythm:
    """The agreed rhythm of a relationship (``measures.models.Rhythm``).

    A relationship is ``kind`` "match" (``match``: a position in
    ``area.matches``), "group" (``group``) or "caseload" (``worker``: an
    account key); ``person`` is always the person supported.
    """

    kind: str
    person: int
    match: int | None
    group: int | None
    worker: str | None
    frequency: str
    duration_min: int | None
    agreed_on: date
    recorded_by: str | None


@dataclass(frozen=True, slots=True)
class Contact:
    """One contact within a relationship (``measures.models.Contact``)."""

    kind: str
    person: int
    match: int | None
    group: int | None
    worker: str | None
    contacted_on: date
    mode: str
    duration_min: int | None
    with_volunteer: int | None  # person position
    with_worker: str | None  # account key
    recorded_by: str | None


@dataclass(frozen=True, slots=True)
class Feedback:
    """One side's marks (1-5, None: not answered) on a relationship."""

    kind: str
    person: int
    match: int | None
    group: int | None
    worker: str | None
    side: str
    occasion: str
    given_on: date
    understanding: int | None
    collaboration: int | None
    commitment: int | None
    communication: int | None
    empowerment: int | None
    time_together: int | None
    recorded_by: str | None


@dataclass
class DemoArea:
    """Everything the generator made, ready to be written in one transaction."""

    town: str
    seed: int
    today: date
    neighbourhoods: list[Neighbourhood]
    postcodes: list[Postcode] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)
    spaces: list[Space] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)
    consents: list[Consent] = field(default_factory=list)
    measures: list[Measure] = field(default_factory=list)
    ties: list[Tie] = field(default_factory=list)
    volunteers: list[Volunteer] = field(default_factory=list)
    attendances: list[Attendance] = field(default_factory=list)
    listings: list[Listing] = field(default_factory=list)
    offers: list[VolunteerOffer] = field(default_factory=list)
    support_requests: list[SupportRequest] = field(default_factory=list)
    matches: list[Match] = field(default_factory=list)
    match_events: list[MatchEvent] = field(default_factory=list)
    # generator.measures: relationships' rhythms, contacts and feedback, and
    # loneliness measured before and after a relationship began.
    rhythms: list[Rhythm] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    feedback: list[Feedback] = field(default_factory=list)
    relationship_measures: list[Measure] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """How many records of each kind, e.g. ``{"people": 3000, ...}``."""
        return {
            f.name: len(getattr(self, f.name))
            for f in fields(self)
            if isinstance(getattr(self, f.name), list) and f.name != "neighbourhoods"
        }

    def account(self, key: str) -> Account:
        return next(account for account in self.accounts if account.key == key)
