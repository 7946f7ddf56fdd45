"""What demo people do: volunteering, offers and requests of help, groups.

Volunteers (about 6.5% of people) are mostly in their fifties to seventies
and in good health; most offers of help come from them. Requests come mostly
from people who are isolated, very old or in poor health, and from workers'
caseloads. Attendance links people to groups near them that share an
interest (and now and then further afield, where groups gather); some
attendance has lapsed (last attended longer ago than the network's activity
window, ``ACTIVITY_WINDOW_DAYS``).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from betterway_map.demo.generator.rows import Attendance, Group, Listing, Person, Volunteer
from betterway_map.domain import vocab
from betterway_map.domain.network.defaults import ACTIVITY_WINDOW_DAYS

__all__ = [
    "make_volunteers",
    "make_listings",
    "make_attendances",
    "VOLUNTEER_SHARE",
    "LAPSED_AFTER_DAYS",
]

VOLUNTEER_SHARE = 0.065
# Lapsed members are lapsed in the network as well: beyond its activity window.
LAPSED_AFTER_DAYS = ACTIVITY_WINDOW_DAYS
_AGE_FACTOR = {"18-24": 0.8, "25-34": 1.0, "35-49": 1.5, "50-64": 2.2, "65-74": 2.0, "75-84": 0.6, "85+": 0.1}  # fmt: skip
_HEALTH_FACTOR = {"very_good": 1.6, "good": 1.3, "fair": 0.7, "bad": 0.2, "very_bad": 0.05}
_DBS = (("enhanced", 0.4), ("basic", 0.2), ("applied", 0.1), ("none", 0.2), ("expired", 0.1))
_EXPERIENCE = vocab.values(vocab.LIVED_EXPERIENCE)


def make_volunteers(
    rng: random.Random,
    people: list[Person],
    workers: list[str],
    today: date,
    include: tuple[int, ...] = (),
) -> list[Volunteer]:
    """Volunteer profiles for ``VOLUNTEER_SHARE`` of people (and ``include``)."""
    wanted = round(len(people) * VOLUNTEER_SHARE)
    keyed = sorted(
        (
            (rng.random() ** (1 / (_AGE_FACTOR[p.age_band] * _HEALTH_FACTOR[p.general_health])), i)
            for i, p in enumerate(people)
        ),
        reverse=True,
    )
    chosen = sorted(set(include) | {index for _, index in keyed[: max(0, wanted - len(include))]})
    volunteers = []
    for index in chosen:
        person = people[index]
        status = rng.choices([s for s, _ in _DBS], weights=[w for _, w in _DBS])[0]
        checked = None
        if status in ("enhanced", "basic"):
            checked = today - timedelta(days=rng.randint(30, 1000))
        elif status == "expired":
            checked = today - timedelta(days=rng.randint(1100, 2500))
        experience = list(_experience(rng, person))
        volunteers.append(
            Volunteer(
                person=index,
                dbs_status=status,
                dbs_checked_on=checked,
                dbs_recorded_by=rng.choice(workers) if status != "none" else None,
                lived_experience=experience,
                capacity=rng.choices((1, 2, 3), weights=(0.5, 0.35, 0.15))[0],
                active=rng.random() < 0.9,
            )
        )
    return volunteers


def _experience(rng: random.Random, person: Person):
    if person.marital_status == "widowed" and rng.random() < 0.7:
        yield "bereavement"
    if person.age_band in ("65-74", "75-84") and rng.random() < 0.5:
        yield "retirement"
    if "en" not in person.languages or (len(person.languages) > 1 and rng.random() < 0.5):
        yield "migration"
    for tag in rng.sample(_EXPERIENCE, rng.choice((0, 0, 1, 1, 2))):
        if tag not in ("bereavement", "retirement", "migration"):
            yield tag


_OFFER_KINDS = {"befriending_phone": 0.25, "befriending_visit": 0.2, "shopping": 0.12, "lifts": 0.1, "digital": 0.1, "go_along": 0.12, "gardening": 0.06, "other": 0.05}  # fmt: skip
_REQUEST_KINDS = {"befriending_phone": 0.25, "befriending_visit": 0.25, "shopping": 0.12, "lifts": 0.12, "digital": 0.1, "go_along": 0.1, "gardening": 0.04, "other": 0.02}  # fmt: skip
_OFFER_TEXT = {
    "befriending_phone": "Happy to ring someone for a chat once or twice a week.",
    "befriending_visit": "I could visit someone nearby for a cup of tea each week.",
    "shopping": "I do a big shop on Fridays and can pick things up for a neighbour.",
    "lifts": "I have a car and am free most mornings to give lifts.",
    "digital": "Patient with phones and tablets; can help set up video calls.",
    "go_along": "Happy to go along with someone to a group until they feel settled.",
    "gardening": "Can help with mowing and weeding now and then.",
    "other": "Odd jobs: changing light bulbs, putting up shelves, reading letters.",
}
_REQUEST_TEXT = {
    "befriending_phone": "Would like a regular phone call; the days are long.",
    "befriending_visit": "Would love someone to visit for a chat and a cuppa.",
    "shopping": "Cannot carry heavy shopping home any more.",
    "lifts": "Needs a lift to the lunch club and to appointments.",
    "digital": "Wants to learn to video call family abroad.",
    "go_along": "Nervous about going to a group alone the first time.",
    "gardening": "The garden has got on top of them since their knee operation.",
    "other": "Help reading and replying to letters.",
}


def make_listings(
    rng: random.Random,
    people: list[Person],
    volunteers: list[Volunteer],
    isolated: set[int],
    referred: set[int],
    force_offer: tuple[int, ...] = (),
) -> list[Listing]:
    """Offers (mostly from volunteers) and requests (mostly from those most cut off)."""
    volunteer_of = {v.person: v for v in volunteers}
    listings = []
    for index, person in enumerate(people):
        volunteer = volunteer_of.get(index)
        if volunteer is not None or index in force_offer or rng.random() < 0.015:
            kinds = _OFFER_KINDS
            if volunteer is None or volunteer.dbs_status not in ("enhanced", "basic"):
                kinds = {k: w for k, w in kinds.items() if k != "befriending_visit"}
            number = 1 if volunteer is None else rng.choice((1, 1, 2))
            for kind in _pick(rng, kinds, number):
                status = "open" if index in force_offer else _status(rng, (0.8, 0.15, 0.05))
                listings.append(Listing(index, "offer", kind, _OFFER_TEXT[kind], status))
        chance = 0.04 + 0.12 * (index in isolated) + 0.1 * (index in referred)
        chance += 0.05 * (person.age_band in ("75-84", "85+")) + 0.06 * (
            person.general_health in ("bad", "very_bad")
        )
        if rng.random() < chance and volunteer is None:
            kind = _pick(rng, _REQUEST_KINDS, 1)[0]
            listings.append(
                Listing(index, "request", kind, _REQUEST_TEXT[kind], _status(rng, (0.7, 0.2, 0.1)))
            )
    return listings


def _pick(rng: random.Random, weights: dict[str, float], number: int) -> list[str]:
    keyed = sorted(((rng.random() ** (1 / w), k) for k, w in weights.items()), reverse=True)
    return [kind for _, kind in keyed[:number]]


def _status(rng: random.Random, weights) -> str:
    return rng.choices(vocab.values(vocab.LISTING_STATUSES), weights=weights)[0]


def make_attendances(
    rng: random.Random,
    people: list[Person],
    groups: list[Group],
    isolated: set[int],
    recorders: dict[int, str],
    today: date,
    regulars: tuple[int, ...] = (),
    apart: frozenset[int] = frozenset(),
) -> list[Attendance]:
    """People at groups near them that share an interest; ``regulars`` go to
    two or three active groups. Nobody goes both to a group of ``apart``
    (the cluster's groups, by index) and to one outside it, so that no
    volunteer links the cluster to anyone else."""
    index: dict[tuple[str | None, str], list[int]] = {}
    local: dict[str | None, list[int]] = {}
    for number, group in enumerate(groups):
        local.setdefault(group.outcode, []).append(number)
        for interest in group.interests:
            index.setdefault((group.outcode, interest), []).append(number)
    # Where people go when they go further than their own neighbourhood:
    # where the groups are (an outward code as often as groups meet there).
    further = [group.outcode for group in groups if group.outcode is not None] or [None]
    attendances = []
    for person_index, person in enumerate(people):
        regular = person_index in regulars
        chance = 0.15 if person_index in isolated else 0.6
        if not regular and rng.random() >= chance:
            continue
        wanted = (
            rng.randint(2, 3) if regular else rng.choices((1, 2, 3), weights=(0.6, 0.3, 0.1))[0]
        )
        chosen: set[int] = set()
        for _ in range(wanted * 4):
            if len(chosen) >= wanted:
                break
            roll = rng.random()
            outcode = (
                person.outcode if roll < 0.7 else (None if roll < 0.75 else rng.choice(further))
            )
            candidates = index.get((outcode, rng.choice(person.interests)))
            if not candidates:  # nothing on their interest there: perhaps something else nearby
                candidates = local.get(outcode, []) if rng.random() < 0.3 else []
            if regular:
                candidates = [g for g in candidates if groups[g].status == "active"]
            if candidates:
                chosen.add(rng.choice(candidates))
        if regular and len(chosen) < wanted:  # their interests are rare here: go to what is on
            nearby = [g for g in range(len(groups)) if groups[g].status == "active"]
            nearby.sort(key=lambda g: (groups[g].outcode != person.outcode, g))
            for number in nearby:
                if len(chosen) >= wanted:
                    break
                chosen.add(number)
        if chosen and apart:
            inside = min(chosen) in apart
            chosen = {number for number in chosen if (number in apart) == inside}
        for number in sorted(chosen):
            attendances.append(
                _attendance(rng, person_index, number, groups[number], recorders, today, regular)
            )
    return attendances


def _attendance(rng, person, number, group: Group, recorders, today, regular) -> Attendance:
    since = max(group.starts_on, today - timedelta(days=rng.randint(14, 2000)))
    if group.status == "ended":
        end = group.ends_on or today
        since = min(since, end)
        status, last = "left", end - timedelta(days=rng.randint(0, min(60, (end - since).days)))
    else:
        status = "member" if regular else rng.choices(("member", "interested", "left"), weights=(0.88, 0.06, 0.06))[0]  # fmt: skip
        if status == "interested":
            last = None
        elif status == "left" or (group.status == "paused" and not regular):
            last = today - timedelta(days=rng.randint(30, 700))
        elif regular or rng.random() < 0.82:
            last = today - timedelta(days=rng.randint(0, 35))
        else:  # lapsed: still a member on paper, not seen for months
            last = today - timedelta(days=rng.randint(LAPSED_AFTER_DAYS + 1, 400))
        if last is not None:
            last = max(last, since)
    return Attendance(person, number, status, since, last, recorders.get(person))
