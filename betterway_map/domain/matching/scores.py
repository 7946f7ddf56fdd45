"""The soft scores of a pair, and the plain-English reasons for it.

Each component lies in [0, 1]; a pair's score is the sum of each component
times its weight (``model.Weights``). The components:

* ``distance``: 1 when they live together in one spot, falling to 0 at the
  pair's travel limit; phone befriending needs no travel and scores 1;
* ``interests``: shared interests, up to three;
* ``availability``: shared slots of the week, up to three;
* ``lived_experience``: lived experience the person would value and the
  volunteer will share, up to two;
* ``continuity``: 1 for a former volunteer whose match ended well, 0.5 for
  any other former volunteer, else 0;
* ``priority``: of the person, not the pair: a third each for being
  isolated, lonely often or always, and for days waiting (full at
  ``WAITING_CAP_DAYS``). A matched pair earns it, an unmatched request
  does not, so the solver matches those people first.

``candidates`` computes the same numbers for many pairs at once with
numpy; a test checks that the two agree.

>>> need = Need(1, 10, "befriending_phone", interests=frozenset({"gardening"}),
...             languages=frozenset({"pl"}), availability=frozenset({"tue_pm"}),
...             waiting_days=90)
>>> offer = Offer(20, interests=frozenset({"gardening", "music"}),
...               languages=frozenset({"pl", "en"}), availability=frozenset({"tue_pm"}))
>>> components(need, offer, None)["interests"]
0.3333333333333333
>>> reasons(need, offer, None)
['by phone: no travel', 'both enjoy gardening and nature', 'both speak Polish', \
'both free on Tuesday afternoons', 'waiting 90 days']
"""

from __future__ import annotations

from betterway_map.domain.matching.constraints import travel_limit_km
from betterway_map.domain.matching.model import NO_TRAVEL_KINDS, WEIGHT_NAMES, Need, Offer, Weights
from betterway_map.domain.vocab import (
    AVAILABILITY,
    INTERESTS,
    LANGUAGES,
    LIVED_EXPERIENCE,
    labels,
    values,
)

__all__ = [
    "INTEREST_CAP",
    "AVAILABILITY_CAP",
    "LIVED_CAP",
    "WAITING_CAP_DAYS",
    "distance_component",
    "priority_component",
    "components",
    "total",
    "score",
    "reasons",
    "lower_label",
]

# How many shared things make a component full.
INTEREST_CAP = 3
AVAILABILITY_CAP = 3
LIVED_CAP = 2
# Waiting this long (about six months) makes the waiting part of priority full.
WAITING_CAP_DAYS = 180
# Continuity of a former volunteer: more when the match ended well.
CONTINUITY_ENDED_WELL = 1.0
CONTINUITY_FORMER = 0.5

_INTEREST_LABELS = labels(INTERESTS)
_LANGUAGE_LABELS = labels(LANGUAGES)
_SLOT_LABELS = labels(AVAILABILITY)
_LIVED_LABELS = labels(LIVED_EXPERIENCE)
_SLOT_ORDER = {slot: index for index, slot in enumerate(values(AVAILABILITY))}
# At most this many shared slots are named in a reason; the rest are counted.
_SLOTS_NAMED = 3


def distance_component(need: Need, offer: Offer, km: float | None) -> float:
    """1 at no distance, 0 at the pair's travel limit; 1 for phone befriending.

    >>> distance_component(Need(1, 1, "shopping"), Offer(2, travel_km=4), 1.0)
    0.75
    """
    if need.kind in NO_TRAVEL_KINDS:
        return 1.0
    limit = travel_limit_km(need, offer)
    if km is None:
        return 0.0
    if limit <= 0:
        return 1.0
    return min(1.0, max(0.0, 1.0 - km / limit))


def priority_component(need: Need) -> float:
    """A third each for isolated, lonely often, and waiting (full at 180 days).

    >>> priority_component(Need(1, 1, "shopping", isolated=True, waiting_days=90))
    0.5
    """
    waiting = min(max(need.waiting_days, 0), WAITING_CAP_DAYS) / WAITING_CAP_DAYS
    return (float(need.isolated) + float(need.lonely_often) + waiting) / 3.0


def _continuity(need: Need, offer: Offer) -> float:
    if offer.id not in need.former_volunteers:
        return 0.0
    return CONTINUITY_ENDED_WELL if need.former_volunteers[offer.id] else CONTINUITY_FORMER


def components(need: Need, offer: Offer, km: float | None) -> dict[str, float]:
    """Each soft score of the pair, in [0, 1], by ``WEIGHT_NAMES``;
    ``km`` is the distance between them (``None`` when unknown)."""
    return {
        "distance": distance_component(need, offer, km),
        "interests": min(len(need.interests & offer.interests), INTEREST_CAP) / INTEREST_CAP,
        "availability": min(len(need.availability & offer.availability), AVAILABILITY_CAP)
        / AVAILABILITY_CAP,
        "lived_experience": min(len(need.lived_experience & offer.lived_experience), LIVED_CAP)
        / LIVED_CAP,
        "continuity": _continuity(need, offer),
        "priority": priority_component(need),
    }


def total(parts: dict[str, float], weights: Weights) -> float:
    """Σ weight × component, in the order of ``WEIGHT_NAMES``."""
    return sum(getattr(weights, name) * parts[name] for name in WEIGHT_NAMES)


def score(need: Need, offer: Offer, km: float | None, weights: Weights) -> float:
    """The pair's total score."""
    return total(components(need, offer, km), weights)


def lower_label(label: str) -> str:
    """A label as it reads inside a sentence: the first letter lower-cased,
    unless the first word is an abbreviation.

    >>> lower_label("Gardening and nature"), lower_label("UK politics")
    ('gardening and nature', 'UK politics')
    """
    if len(label) > 1 and label[:2].isupper():
        return label
    return label[:1].lower() + label[1:]


def _and(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")


def _slots(shared: frozenset[str]) -> str:
    ordered = sorted(shared, key=lambda slot: (_SLOT_ORDER.get(slot, len(_SLOT_ORDER)), slot))
    named = [_SLOT_LABELS.get(slot, slot) + "s" for slot in ordered[:_SLOTS_NAMED]]
    rest = len(ordered) - len(named)
    if rest:
        named.append(_plural(rest, "other time"))
    return _and(named)


def reasons(
    need: Need, offer: Offer, km: float | None, person_first_name: str | None = None
) -> list[str]:
    """Why this pair, in plain English; each one true of the pair.

    ``km`` is the distance between them; ``person_first_name`` names the
    person in the continuity reason.
    """
    said = []
    if need.kind in NO_TRAVEL_KINDS:
        said.append("by phone: no travel")
    elif km is not None:
        said.append(f"{km:.1f} km apart")
    interests = sorted(need.interests & offer.interests)
    if interests:
        said.append(
            "both enjoy " + _and([lower_label(_INTEREST_LABELS.get(i, i)) for i in interests])
        )
    languages = sorted(need.languages & offer.languages)
    if languages:
        said.append("both speak " + _and([_LANGUAGE_LABELS.get(code, code) for code in languages]))
    slots = need.availability & offer.availability
    if slots:
        said.append("both free on " + _slots(slots))
    lived = sorted(need.lived_experience & offer.lived_experience)
    if lived:
        said.append(
            "the volunteer has lived experience of "
            + _and([lower_label(_LIVED_LABELS.get(item, item)) for item in lived])
        )
    if offer.id in need.former_volunteers:
        whom = person_first_name or "this person"
        ended_well = need.former_volunteers[offer.id]
        said.append(f"supported {whom} before" + (", and it ended well" if ended_well else ""))
    if need.waiting_days > 0:
        said.append("waiting " + _plural(need.waiting_days, "day"))
    if need.lonely_often:
        said.append("lonely often or always")
    if need.isolated:
        said.append("has few active ties")
    return said
