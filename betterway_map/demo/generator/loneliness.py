"""Demo loneliness measures: a logistic risk model, calibrated to a target share.

Each person's chance of answering "often or always" to "How often do you
feel lonely?" is ``sigmoid(intercept + sum of risk terms)``, the terms being
the factors the ONS finds linked to chronic loneliness (widowhood, living
alone, poor health, having no one to turn to, being very young or very old).
The intercept is solved so that the mean chance over the people measured
equals ``TARGET_LONELY_SHARE``; the lonely are then drawn by systematic
sampling, which gives each person exactly their chance while making the
realised share land within one person of the target, whatever the seed.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from betterway_map.demo.generator.rows import Measure, Person
from betterway_map.domain.measures.loneliness import DIRECT_ANSWERS

__all__ = [
    "TARGET_LONELY_SHARE",
    "RISK_TERMS",
    "risk_terms",
    "calibrate_intercept",
    "systematic_sample",
    "make_measures",
]

TARGET_LONELY_SHARE = 0.06
# Log-odds added by each risk factor.
RISK_TERMS = {
    "widowed": 1.1,
    "lives_alone": 0.7,
    "poor_health": 1.2,
    "fair_health": 0.45,
    "no_personal_ties": 0.9,
    "aged_18_24": 0.5,
    "aged_85_plus": 0.3,
}
# Direct answers from loneliest to least lonely.
_DIRECT = tuple(value for value, _ in DIRECT_ANSWERS)
# Chance that one UCLA item is answered 3 (often) or 2, by direct answer.
_UCLA_THREE = (0.65, 0.3, 0.12, 0.05, 0.02)
_UCLA_TWO = (0.3, 0.5, 0.45, 0.25, 0.1)
# Shares of the answers below "often or always" for someone at no extra risk.
_OTHER_WEIGHTS = (0.18, 0.22, 0.33, 0.27)


def risk_terms(person: Person, isolated: bool) -> float:
    """The sum of ``RISK_TERMS`` that apply to ``person`` (log-odds)."""
    return (
        RISK_TERMS["widowed"] * (person.marital_status == "widowed")
        + RISK_TERMS["lives_alone"] * bool(person.lives_alone)
        + RISK_TERMS["poor_health"] * (person.general_health in ("bad", "very_bad"))
        + RISK_TERMS["fair_health"] * (person.general_health == "fair")
        + RISK_TERMS["no_personal_ties"] * isolated
        + RISK_TERMS["aged_18_24"] * (person.age_band == "18-24")
        + RISK_TERMS["aged_85_plus"] * (person.age_band == "85+")
    )


def _sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def calibrate_intercept(logits: list[float], target: float) -> float:
    """The intercept that makes the mean of ``sigmoid(intercept + logit)`` equal ``target``.

    >>> round(calibrate_intercept([0.0, 0.0], 0.2689414), 4)  # sigmoid(-1) = 0.2689414
    -1.0
    """
    if not logits:
        return 0.0
    low, high = -30.0, 30.0
    for _ in range(80):  # bisection: the mean is increasing in the intercept
        middle = (low + high) / 2
        mean = sum(_sigmoid(middle + x) for x in logits) / len(logits)
        low, high = (middle, high) if mean < target else (low, middle)
    return (low + high) / 2


def systematic_sample(rng: random.Random, chances: list[float]) -> set[int]:
    """Indices drawn so that index i is in with chance ``chances[i]`` and the
    number drawn is within one of ``sum(chances)``.

    >>> len(systematic_sample(random.Random(1), [0.5] * 10))
    5
    """
    order = list(range(len(chances)))
    rng.shuffle(order)
    position = rng.random()
    chosen = set()
    for index in order:
        before = math.floor(position)
        position += chances[index]
        if math.floor(position) > before:
            chosen.add(index)
    return chosen


def make_measures(
    rng: random.Random,
    people: list[Person],
    isolated: set[int],
    assigned: set[int],
    recorders: dict[int, str],
    today: date,
    include: tuple[int, ...] = (),
) -> list[Measure]:
    """Measures for a good share of people: most of the workers' caseloads,
    under half of the rest (and everyone in ``include``)."""
    measured, formats = [], {}
    for index, person in enumerate(people):
        chance = 0.85 if person.registered_by else 0.7 if index in assigned else 0.45
        if index in include or rng.random() < chance:
            measured.append(index)
            formats[index] = rng.choices(("both", "direct", "ucla"), weights=(0.8, 0.12, 0.08))[0]
    logits = {i: risk_terms(people[i], i in isolated) for i in measured}
    pool = [i for i in measured if formats[i] != "ucla"]
    intercept = calibrate_intercept([logits[i] for i in pool], TARGET_LONELY_SHARE)
    chance = {i: _sigmoid(intercept + logits[i]) for i in measured}
    drawn = systematic_sample(rng, [chance[i] for i in pool])
    lonely = {pool[k] for k in drawn} | {
        i for i in measured if formats[i] == "ucla" and rng.random() < chance[i]
    }
    measures = []
    for index in measured:
        level = 0 if index in lonely else _other_level(rng, chance[index])
        occasions = 1 + rng.choices((0, 1, 2), weights=(0.4, 0.4, 0.2) if index in assigned else (0.8, 0.2, 0))[0]  # fmt: skip
        measured_on = today - timedelta(days=rng.randint(0, 365))
        for occasion in range(occasions):
            if occasion:  # earlier occasions: often lonelier, before support began
                step = rng.choices((-1, 0, 1), weights=(0.35, 0.5, 0.15))[0]
                level = min(len(_DIRECT) - 1, max(0, level + step))
                measured_on -= timedelta(days=rng.randint(90, 200))
            measures.append(
                _measure(rng, index, level, formats[index], measured_on, recorders.get(index))
            )
    return measures


def _other_level(rng: random.Random, chance: float) -> int:
    """One of the answers below "often or always", likelier near the top at higher risk."""
    tilt = (1 + 8 * chance, 1 + 3 * chance, 1, 1)
    weights = [w * t for w, t in zip(_OTHER_WEIGHTS, tilt)]
    return 1 + rng.choices(range(4), weights=weights)[0]


def _measure(rng, person, level, fmt, measured_on, recorder) -> Measure:
    items = [None, None, None]
    if fmt != "direct":
        items = [
            3
            if (roll := rng.random()) < _UCLA_THREE[level]
            else 2
            if roll < _UCLA_THREE[level] + _UCLA_TWO[level]
            else 1  # fmt: skip
            for _ in range(3)
        ]
    direct = None if fmt == "ucla" else _DIRECT[level]
    return Measure(person, measured_on, *items, direct=direct, recorded_by=recorder)
