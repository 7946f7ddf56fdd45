"""Our interests as OpenActive activities: pure, no Flask, no database.

OpenActive describes physical activities with concepts of its Activity List
(a SKOS concept scheme). The few of our interests that are physical
activities map to one concept each; the concepts themselves (identifier and
preferred label) are read from the vendored copy ``activity_list.jsonld``
(CC BY 4.0, see ``ATTRIBUTION.md``), so that the feed and the tests that
validate it read the same list.

>>> [concept["prefLabel"] for concept in activities_for(["social", "walking", "dance"])]
['Dance', 'Walking']
>>> activities_for(["music", "books"])
[]
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

__all__ = [
    "ACTIVITY_LIST_URL",
    "ACTIVITY_LIST_FILE",
    "INTEREST_CONCEPTS",
    "concepts",
    "activities_for",
    "mapped_interests",
]

ACTIVITY_LIST_URL = "https://openactive.io/activity-list"
ACTIVITY_LIST_FILE = Path(__file__).with_name("activity_list.jsonld")
_PREFIX = ACTIVITY_LIST_URL + "#"
# Our interest -> the UUID of its concept in the Activity List.
INTEREST_CONCEPTS = {
    "dance": "6ca15167-51da-4d91-a1ae-8a45dc47b0ea",  # Dance
    "exercise": "984068a7-5b7b-4989-bb33-f96953d8960c",  # Group Exercise
    "walking": "95092977-5a20-4d6e-b312-8fddabe71544",  # Walking
}


@cache
def concepts() -> dict[str, str]:
    """The vendored concepts: identifier -> preferred label."""
    scheme = json.loads(ACTIVITY_LIST_FILE.read_text(encoding="utf-8"))
    return {concept["id"]: concept["prefLabel"] for concept in scheme["concept"]}


def mapped_interests() -> tuple[str, ...]:
    """The interests that have an OpenActive activity, sorted."""
    return tuple(sorted(INTEREST_CONCEPTS))


def activities_for(interests) -> list[dict]:
    """The OpenActive ``activity`` values for a group's interests (each
    concept once, by label); empty when none of them is a physical activity."""
    found = {}
    for interest in interests or ():
        uuid = INTEREST_CONCEPTS.get(interest)
        if uuid is None:
            continue
        concept_id = _PREFIX + uuid
        found[concept_id] = {
            "@id": concept_id,
            "@type": "Concept",
            "prefLabel": concepts()[concept_id],
            "inScheme": ACTIVITY_LIST_URL,
        }
    return sorted(found.values(), key=lambda concept: concept["prefLabel"])
