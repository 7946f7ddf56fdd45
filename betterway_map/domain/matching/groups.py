"""Group suggestions: the groups that suit one person, each with its reasons.

A ``Seeker`` is the person (where they live, how far they travel, when they
are free, what they enjoy, their age band, and what they said on the page:
the access they need, the most they can pay, whether they are a carer or a
parent); a ``GroupCandidate`` is a group near them with the facts the rules
read, including three plain numbers computed from the register and never
naming anyone: how many members are around the person's age, how many
share an interest with them, and how many volunteers nearby offer to go
along to groups.

**Hard filters** (``FILTERS``, checked by ``failures``; a suggestion never
breaks one):

* *active* — the group's status is active and it has not ended;
* *place* — it meets at a place with a known point (groups that meet only
  online are not suggested: nothing is known of their access);
* *distance* — within the person's travel distance (``DEFAULT_TRAVEL_KM``
  when they have not said);
* *time* — it starts in a part of the week the person is free (``"tue_pm"``
  from the weekday and ``part_of_day`` of its start). A person who has not
  said when they are free is not filtered on time;
* *cost* — at most what they said they can pay (not filtered when unsaid);
* *access* — the place has every access feature they asked for;
* *audience* — a group for everyone, or for people like them: "older
  people" groups are for age bands from 50 (``OLDER_AGE_BANDS``), "carers"
  and "parents" groups for those who say they are one; a group with an
  age range only when the person's whole age band lies inside it.

**Ranking** (``score``): shared interests count most, then nearness, then
people like them already going (counted only from ``min_count`` people,
the small-number rule of ``domain.suppression``, so no reason and no
order rests on fewer), then a volunteer nearby who offers to go along.

>>> from datetime import date, time
>>> me = Seeker(location=(52.45, -0.98), travel_km=2, availability=frozenset({"tue_pm"}),
...             interests=frozenset({"gardening"}), age_band="75-84")
>>> club = GroupCandidate(1, "Garden Club", (52.46, -0.98), "tue", time(14),
...                       interests=frozenset({"gardening"}), audiences=frozenset({"older_people"}))
>>> choir = GroupCandidate(2, "Choir", (52.45, -0.98), "wed", time(19))
>>> found = suggest(me, [club, choir], today=date(2026, 1, 5))
>>> [s.group_id for s in found.suggestions], failures(me, choir, date(2026, 1, 5))
([1], ('time',))
>>> for reason in found.suggestions[0].reasons:
...     print(reason.text)
It is about something you enjoy: gardening and nature.
1.1 km from your home: within 2 km.
It meets on Tuesday afternoons, a time you are free.
It is free.
It is for older people.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, time

from betterway_map.domain import vocab
from betterway_map.domain.geo.distance import distance_km, part_of_day
from betterway_map.domain.matching.constraints import similar_age
from betterway_map.domain.money import format_pence
from betterway_map.domain.suppression import MIN_CELL_COUNT, too_few

__all__ = [
    "ACCESS_NEEDS",
    "CIRCUMSTANCES",
    "DEFAULT_TRAVEL_KM",
    "FILTERS",
    "OLDER_AGE_BANDS",
    "RADIUS_RANGE_KM",
    "GroupCandidate",
    "REASON_CODES",
    "Reason",
    "Seeker",
    "Suggestion",
    "Suggestions",
    "band_years",
    "explain",
    "failures",
    "members_like",
    "open_to",
    "reasons",
    "score",
    "slot_of",
    "suggest",
]

# How far someone travels who has not said (the printed sheet's 2 km), and
# the range suggestions look within.
DEFAULT_TRAVEL_KM = 2.0
RADIUS_RANGE_KM = (0.5, 20.0)

# What the register records of a space's access, as a person asks for it.
ACCESS_NEEDS = (
    ("step_free", "step-free access"),
    ("hearing_loop", "a hearing loop"),
    ("accessible_toilet", "an accessible toilet"),
    ("parking", "parking"),
)

# Audiences a person says they belong to (the register records neither).
CIRCUMSTANCES = (("carers", "I look after someone (a carer)"), ("parents", "I am a parent"))

# "Older people" groups welcome people from 50: many are "over 50s" clubs.
OLDER_AGE_BANDS = frozenset({"50-64", "65-74", "75-84", "85+"})

# Each hard filter, and how a person reads it when it leaves nothing.
FILTERS = (
    ("active", "is active"),
    ("place", "meets at a known place"),
    ("distance", "is within travelling distance"),
    ("time", "meets when you are free"),
    ("cost", "costs no more than you can pay"),
    ("access", "has the access you need"),
    ("audience", "is open to you"),
)

# The ranking's weights: an interest shared counts most.
INTEREST_POINTS = 2.0
NEAR_POINTS = 1.0
LIKE_YOU_POINTS = 1.0
BUDDY_POINTS = 1.0

_PARTS = {"morning": "am", "afternoon": "pm", "evening": "eve"}
_PART_WORDS = {"am": "mornings", "pm": "afternoons", "eve": "evenings"}
_DAYS = vocab.labels(vocab.WEEKDAYS)
_INTERESTS = vocab.labels(vocab.INTERESTS)
_AUDIENCES = {"older_people": "older people", "carers": "carers", "parents": "parents"}


@dataclass(frozen=True)
class Seeker:
    """The person suggestions are for. Coordinates ``(lat, lon)``; ``None``
    when their home is not known (then nothing is within reach)."""

    location: tuple[float, float] | None
    travel_km: float = DEFAULT_TRAVEL_KM
    # vocab.AVAILABILITY values; empty: not said, so no filter on time.
    availability: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    age_band: str | None = None
    # ACCESS_NEEDS values the place must have.
    access_needs: frozenset[str] = frozenset()
    # The most they can pay each time, in pence; None: not said.
    max_cost_pence: int | None = None
    # CIRCUMSTANCES values: audiences they say they belong to.
    audiences: frozenset[str] = frozenset()


@dataclass(frozen=True)
class GroupCandidate:
    """A group and what the rules read of it; counts are plain numbers."""

    id: int
    name: str
    location: tuple[float, float] | None
    weekday: str
    start_time: time
    status: str = "active"
    ends_on: date | None = None
    interests: frozenset[str] = frozenset()
    # vocab.AUDIENCES values; empty means everyone.
    audiences: frozenset[str] = frozenset()
    age_min: int | None = None
    age_max: int | None = None
    cost_pence: int = 0
    # ACCESS_NEEDS values the place has.
    access: frozenset[str] = frozenset()
    # Members of a similar age band (``constraints.similar_age``), members
    # sharing an interest with the seeker, volunteers nearby offering go_along.
    members_similar_age: int = 0
    members_sharing_interest: int = 0
    go_along_volunteers: int = 0


@dataclass(frozen=True)
class Reason:
    """One true thing about why a group suits the person: a code (what it
    is about, one of ``REASON_CODES``) and the sentence shown."""

    code: str
    text: str


REASON_CODES = (
    "interests",
    "distance",
    "time",
    "cost",
    "access",
    "audience",
    "age",
    "like",
    "buddy",
)


@dataclass(frozen=True)
class Suggestion:
    group_id: int
    distance_km: float
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Suggestions:
    """The suggestions, best first; when there are none, ``explanation``."""

    suggestions: tuple[Suggestion, ...]
    explanation: str | None = None


def slot_of(weekday: str, start: time) -> str:
    """The availability slot a meeting starts in.

    >>> slot_of("tue", time(14)), slot_of("sat", time(9, 30)), slot_of("fri", time(19))
    ('tue_pm', 'sat_am', 'fri_eve')
    """
    return f"{weekday}_{_PARTS[part_of_day(start)]}"


def band_years(age_band: str | None) -> tuple[int, int | None] | None:
    """The youngest and oldest age of a band (``None`` for no upper bound).

    >>> band_years("65-74"), band_years("85+"), band_years(None)
    ((65, 74), (85, None), None)
    """
    if age_band not in vocab.values(vocab.AGE_BANDS):
        return None
    if age_band.endswith("+"):
        return int(age_band[:-1]), None
    low, high = age_band.split("-")
    return int(low), int(high)


def open_to(seeker: Seeker, group: GroupCandidate) -> bool:
    """Whether the group's audience and age range include the person.

    >>> me = Seeker(None, age_band="50-64")
    >>> open_to(me, GroupCandidate(1, "Over 50s", None, "mon", time(10),
    ...                            audiences=frozenset({"older_people"})))
    True
    >>> open_to(me, GroupCandidate(2, "Over 60s", None, "mon", time(10), age_min=60))
    False
    """
    audiences = group.audiences or frozenset({"everyone"})
    if "everyone" not in audiences:
        mine = set(seeker.audiences)
        if seeker.age_band in OLDER_AGE_BANDS:
            mine.add("older_people")
        if not audiences & mine:
            return False
    if group.age_min is None and group.age_max is None:
        return True
    years = band_years(seeker.age_band)
    if years is None:
        return False
    low, high = years
    if group.age_min is not None and low < group.age_min:
        return False
    return group.age_max is None or (high is not None and high <= group.age_max)


def _distance(seeker: Seeker, group: GroupCandidate) -> float | None:
    if seeker.location is None or group.location is None:
        return None
    return distance_km(*seeker.location, *group.location)


def failures(seeker: Seeker, group: GroupCandidate, today: date) -> tuple[str, ...]:
    """The codes (``FILTERS``) of every hard filter the group fails for the person."""
    failed = []
    if group.status != "active" or (group.ends_on is not None and group.ends_on < today):
        failed.append("active")
    km = _distance(seeker, group)
    if group.location is None:
        failed.append("place")
    elif km is None or km > seeker.travel_km:
        failed.append("distance")
    if seeker.availability and slot_of(group.weekday, group.start_time) not in seeker.availability:
        failed.append("time")
    if seeker.max_cost_pence is not None and group.cost_pence > seeker.max_cost_pence:
        failed.append("cost")
    if not seeker.access_needs <= group.access:
        failed.append("access")
    if not open_to(seeker, group):
        failed.append("audience")
    return tuple(failed)


def members_like(seeker: Seeker, members: Iterable[tuple[str | None, Iterable[str]]]):
    """From members' ``(age_band, interests)``: how many are of a similar age
    to the seeker, and how many share an interest. Only the numbers leave.

    >>> members_like(Seeker(None, interests=frozenset({"music"}), age_band="65-74"),
    ...              [("75-84", ["music"]), ("25-34", ["games"]), (None, ["music"])])
    (1, 2)
    """
    similar = sharing = 0
    for age_band, interests in members:
        similar += similar_age(seeker.age_band, age_band)
        sharing += bool(seeker.interests & set(interests))
    return similar, sharing


def score(seeker: Seeker, group: GroupCandidate, min_count: int = MIN_CELL_COUNT) -> float:
    """The ranking score of a group that passes every filter (higher first)."""
    km = _distance(seeker, group) or 0.0
    near = max(0.0, 1.0 - km / seeker.travel_km) if seeker.travel_km > 0 else 1.0
    return (
        INTEREST_POINTS * len(seeker.interests & group.interests)
        + NEAR_POINTS * near
        + LIKE_YOU_POINTS * _counted(group.members_similar_age, min_count)
        + LIKE_YOU_POINTS * _counted(group.members_sharing_interest, min_count)
        + BUDDY_POINTS * (group.go_along_volunteers > 0)
    )


def _counted(count: int, min_count: int) -> bool:
    """A count of people used at all only when it is not too few to show."""
    return count > 0 and not too_few(count, min_count)


def _listed(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _km(km: float) -> str:
    return "less than 0.1 km" if km < 0.05 else f"{km:.1f} km"


def reasons(
    seeker: Seeker, group: GroupCandidate, min_count: int = MIN_CELL_COUNT
) -> tuple[Reason, ...]:
    """Why a group that passes every filter suits the person, in plain English."""
    found = []
    shared = sorted(seeker.interests & group.interests)
    if shared:
        words = _listed([_INTERESTS.get(i, i).lower() for i in shared])
        what = "something" if len(shared) == 1 else "things"
        found.append(Reason("interests", f"It is about {what} you enjoy: {words}."))
    km = _distance(seeker, group)
    if km is not None:
        text = f"{_km(km)} from your home: within {seeker.travel_km:g} km."
        found.append(Reason("distance", text))
    if seeker.availability:
        day, part = slot_of(group.weekday, group.start_time).split("_")
        text = f"It meets on {_DAYS[day]} {_PART_WORDS[part]}, a time you are free."
        found.append(Reason("time", text))
    if group.cost_pence == 0:
        found.append(Reason("cost", "It is free."))
    elif seeker.max_cost_pence is not None:
        text = (
            f"It costs {format_pence(group.cost_pence)}, within the "
            f"{format_pence(seeker.max_cost_pence)} you can pay."
        )
        found.append(Reason("cost", text))
    if seeker.access_needs:
        needs = [label for value, label in ACCESS_NEEDS if value in seeker.access_needs]
        found.append(Reason("access", f"It meets somewhere with {_listed(needs)}, as you need."))
    special = [label for a, label in _AUDIENCES.items() if a in group.audiences]
    if special and "everyone" not in group.audiences:
        found.append(Reason("audience", f"It is for {_listed(special)}."))
    if group.age_min is not None or group.age_max is not None:
        ages = (
            f"from {group.age_min} to {group.age_max}"
            if group.age_min is not None and group.age_max is not None
            else f"{group.age_min} and over"
            if group.age_min is not None
            else f"up to {group.age_max}"
        )
        found.append(Reason("age", f"It is for people aged {ages}."))
    if _counted(group.members_similar_age, min_count):
        text = f"At least {min_count} people around your age already go."
        found.append(Reason("like", text))
    if _counted(group.members_sharing_interest, min_count):
        text = f"At least {min_count} people who go enjoy something you enjoy."
        found.append(Reason("like", text))
    if group.go_along_volunteers > 0:
        text = "A volunteer nearby offers to go along with people new to a group: ask about it."
        found.append(Reason("buddy", text))
    return tuple(found)


def suggest(
    seeker: Seeker,
    groups: Iterable[GroupCandidate],
    *,
    today: date,
    min_count: int = MIN_CELL_COUNT,
    limit: int | None = None,
) -> Suggestions:
    """The groups that pass every filter, best first (then nearest, then by
    name and id), at most ``limit``; with none, the reason why."""
    groups = list(groups)
    passing = [group for group in groups if not failures(seeker, group, today)]
    ranked = [
        (
            Suggestion(
                group.id,
                _distance(seeker, group),
                round(score(seeker, group, min_count), 6),
                reasons(seeker, group, min_count),
            ),
            group.name.lower(),
        )
        for group in passing
    ]
    ranked.sort(key=lambda pair: (-pair[0].score, pair[0].distance_km, pair[1], pair[0].group_id))
    chosen = tuple(suggestion for suggestion, _ in ranked[:limit])
    return Suggestions(chosen, None if chosen else explain(seeker, groups, today))


def _said(seeker: Seeker, code: str) -> bool:
    """Whether the person said anything this filter reads (else it removes none)."""
    return {
        "time": bool(seeker.availability),
        "cost": seeker.max_cost_pence is not None,
        "access": bool(seeker.access_needs),
    }.get(code, True)


def _phrases(seeker: Seeker, code: str, one: bool) -> tuple[str, str]:
    """How a filter reads after "but none ..." and after "N groups ..."."""
    if code == "time":
        return "meets when you are free", f"that {'meets' if one else 'meet'} when you are free"
    if code == "cost":
        most = format_pence(seeker.max_cost_pence, free="nothing")
        return f"costs {most} or less", f"costing {most} or less"
    if code == "access":
        needs = _listed([label for value, label in ACCESS_NEEDS if value in seeker.access_needs])
        return f"has {needs}", f"with {needs}"
    return (
        "is open to you (they are for other ages, or only for older people, carers or parents)",
        "open to you",
    )


def explain(seeker: Seeker, groups: list[GroupCandidate], today: date) -> str:
    """Why no group suits the person: the first filter, in ``FILTERS``
    order, that leaves none, and how many passed the filters before it.

    >>> from datetime import date
    >>> me = Seeker((52.45, -0.98), availability=frozenset({"mon_am"}), max_cost_pence=100)
    >>> choir = GroupCandidate(1, "Choir", (52.45, -0.98), "mon", time(9), cost_pence=300)
    >>> explain(me, [choir], date(2026, 1, 5))
    'There is 1 group within 2 km of your home that meets when you are free, but none costs £1.00 or less.'
    """
    if seeker.location is None:
        return "We do not know where you live, so we cannot tell which groups are near."
    where = f"within {seeker.travel_km:g} km of your home"
    left, passed = list(groups), []
    for code, _ in FILTERS:
        kept = [group for group in left if code not in failures(seeker, group, today)]
        if not kept:
            if code in ("active", "place", "distance"):
                return f"There are no active groups on the register {where}."
            one = len(left) == 1
            count = "is 1 group" if one else f"are {len(left)} groups"
            qualified = ", ".join(_phrases(seeker, done, one)[1] for done in passed)
            qualified = f" {qualified}" if qualified else ""
            return f"There {count} {where}{qualified}, but none {_phrases(seeker, code, one)[0]}."
        if code in ("time", "cost", "access") and _said(seeker, code):
            passed.append(code)
        left = kept
    return f"No group {where} suits you."  # pragma: no cover - suggest found some
