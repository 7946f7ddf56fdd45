"""Who registered each demo person, the workers' caseloads, consent and ties.

About one in eight people were registered by a community worker because
they are not online; they are on that worker's caseload and their consent was
recorded (verbally or in writing) by the worker. Some people who registered
themselves were later referred to a worker too. Everyone else registered
online and ticked the consent box themselves.

Ties: a social-risk score (widowed, living alone, poor health, very old,
referred to a worker) makes a person likelier to have no ties at all, or only
professional ones; the rest have a few family, friends and neighbours, some
of whom are on the register too.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from betterway_map.demo.generator.rows import Assignment, Consent, Person, Tie
from betterway_map.demo.generator.town import ESTATE_SECTOR

__all__ = ["assign_workers", "make_consents", "make_ties", "social_risk", "WORKER_REGISTERED_SHARE"]

WORKER_REGISTERED_SHARE = 0.12
REFERRED_SHARE = 0.05
_EXTRA_PURPOSES = (("contact", 0.8), ("matching", 0.6), ("share_with_groups", 0.4))


def assign_workers(
    rng: random.Random, people: list[Person], workers: list[str], today: date
) -> list[Assignment]:
    """Register some people through workers and assign them; the first worker
    (the demo worker) carries a larger share so that their caseload is full."""
    weights = [1.5] + [1.0] * (len(workers) - 1)
    assignments = []
    for index, person in enumerate(people):
        if person.account is not None:
            continue
        roll = rng.random()
        if roll < WORKER_REGISTERED_SHARE:
            worker = rng.choices(workers, weights=weights)[0]
            person.registered_by = worker
            assignments.append(Assignment(index, worker, person.registered_on, worker))
        elif roll < WORKER_REGISTERED_SHARE + REFERRED_SHARE:
            worker = rng.choices(workers, weights=weights)[0]
            referred = person.registered_on + timedelta(
                days=rng.randint(0, max(0, (today - person.registered_on).days))
            )
            assignments.append(Assignment(index, worker, referred, "site_admin"))
    return assignments


def make_consents(
    rng: random.Random,
    people: list[Person],
    measured: set[int],
    matching: set[int],
) -> list[Consent]:
    """Consent for every person: recorded by their worker when a worker
    registered them, given online otherwise. Loneliness measures and help
    requests always have the consent they need."""
    consents = []
    for index, person in enumerate(people):
        if person.registered_by:
            method = "verbal" if rng.random() < 0.7 else "written"
            recorder = person.registered_by
            purposes = ["register"] + [p for p, chance in _EXTRA_PURPOSES if rng.random() < chance]
        else:
            method, recorder, purposes = "online", person.account, ["register"]
        if index in measured:
            purposes.append("measures")
        if index in matching and "matching" not in purposes:
            purposes.append("matching")
        note = "Read the privacy notice over the phone." if method == "verbal" else None
        consents += [
            Consent(index, purpose, method, person.registered_on, recorder, note)
            for purpose in purposes
        ]
    return consents


def social_risk(person: Person, referred: bool) -> float:
    """How far a person's circumstances cut them off (0 for none of the risks).

    Living on the estate, far from everything (``town.ESTATE_SECTOR``: no
    group, no hall, no shop within a walk, family moved away), weighs about
    as much as being widowed and living alone.
    """
    return (
        1.6 * (person.outcode == ESTATE_SECTOR)
        + 0.9 * (person.marital_status == "widowed")
        + 0.7 * person.lives_alone
        + 0.9 * (person.general_health in ("bad", "very_bad"))
        + 0.4 * (person.general_health == "fair")
        + 0.5 * (person.age_band == "85+")
        + 0.4 * ("en" not in person.languages)
        + 0.8 * referred
    )


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


_FAMILY = ("daughter", "son", "sister", "brother", "granddaughter", "grandson", "niece", "nephew", "cousin", "daughter-in-law")  # fmt: skip
_FRIEND_PLACES = ("from church", "from the old job", "from school", "from the allotment", "from the bus stop")  # fmt: skip
_NEIGHBOUR_PLACES = ("next door", "across the road", "upstairs", "two doors down")
_PROFESSIONALS = ("home carer", "district nurse", "GP practice", "social worker", "pharmacy delivery driver", "befriending volunteer", "community connector")  # fmt: skip
_NAMES = ("Pat", "Mo", "Jean", "Val", "Sue", "Ken", "Dave", "Raj", "Anna", "Bev", "Les", "Tina", "Sandra", "Viv")  # fmt: skip

_FREQUENCIES = ("daily", "weekly", "monthly", "less", "never")
_FREQUENCY_WEIGHTS = {
    "family": (0.2, 0.4, 0.25, 0.12, 0.03),
    "friend": (0.05, 0.35, 0.35, 0.2, 0.05),
    "neighbour": (0.3, 0.45, 0.15, 0.08, 0.02),
    "professional": (0.15, 0.5, 0.3, 0.05, 0.0),
}
_DAYS_SINCE = {"daily": (0, 3), "weekly": (0, 10), "monthly": (5, 40), "less": (40, 250)}


def _last_contact(rng: random.Random, frequency: str, today: date) -> date | None:
    if frequency == "never":
        return None if rng.random() < 0.5 else today - timedelta(days=rng.randint(400, 3000))
    low, high = _DAYS_SINCE[frequency]
    return today - timedelta(days=rng.randint(low, high))


def make_ties(
    rng: random.Random,
    people: list[Person],
    recorders: dict[int, str],
    referred: set[int],
    today: date,
    force_isolated: set[int] = frozenset(),
) -> tuple[list[Tie], set[int]]:
    """Ties for everyone, and the people with no personal (non-professional) tie.

    ``force_isolated`` people get no personal ties whatever their risk, so that
    the demo worker's caseload shows what isolation looks like.
    """
    by_outcode: dict[str, list[int]] = {}
    for index, person in enumerate(people):
        by_outcode.setdefault(person.outcode, []).append(index)
    ties: list[Tie] = []
    personal = [0] * len(people)
    for index, person in enumerate(people):
        risk = social_risk(person, index in referred)
        if index in force_isolated or rng.random() < _sigmoid(-4.3 + risk):
            kinds = ["professional"] * rng.randint(0, 2) if index in force_isolated else []
        elif rng.random() < _sigmoid(-4.0 + risk):
            kinds = ["professional"] * rng.randint(1, 3)
        else:
            count = max(1, round(rng.gauss(4.2 - risk, 1.3)))
            kinds = rng.choices(("family", "friend", "neighbour"), weights=(4, 3, 2), k=count)
            if person.marital_status in ("married", "cohabiting"):
                kinds.insert(0, "partner")
            if risk > 1.5 and rng.random() < 0.5:
                kinds.append("professional")
        for kind in kinds:
            other = None
            if kind == "partner":
                kind, label, frequency = (
                    "family",
                    rng.choice(("husband", "wife", "partner")),
                    "daily",
                )
            else:
                frequency = rng.choices(_FREQUENCIES, weights=_FREQUENCY_WEIGHTS[kind])[0]
                label = _label(rng, kind)
            if kind in ("friend", "neighbour") and rng.random() < 0.15:
                other = rng.choice(by_outcode[person.outcode])
                if other == index or personal[other] > 6 or other in force_isolated:
                    other = None
            if other is not None:
                label = f"{people[other].first_name} {label.split(' ', 1)[1]}"
            last = _last_contact(rng, frequency, today)
            ties.append(Tie(index, other, label, kind, frequency, last, recorders.get(index)))
            if kind != "professional":
                personal[index] += 1
            if other is not None:  # they count the tie too, in their own words
                back = f"{person.first_name} {label.split(' ', 1)[1]}"
                ties.append(Tie(other, index, back, kind, frequency, last, recorders.get(other)))
                personal[other] += 1
    isolated = {index for index, count in enumerate(personal) if count == 0}
    return ties, isolated


def _label(rng: random.Random, kind: str) -> str:
    if kind == "family":
        return rng.choice(_FAMILY)
    if kind == "friend":
        return f"{rng.choice(_NAMES)} {rng.choice(_FRIEND_PLACES)}"
    if kind == "neighbour":
        return f"{rng.choice(_NAMES)} {rng.choice(_NEIGHBOUR_PLACES)}"
    return rng.choice(_PROFESSIONALS)
