"""Volunteering roles: groups that organisations run and want volunteers for.

The volunteering data standard's export (``interop.volunteering``) lists
every active group whose interests include "volunteering"; the demo's
ordinary groups are things people go to, so these are added on their own
(a random stream of their own, after everything else, so that the rest of
the area is the same with or without them): a litter pick, the community
larder's packing shift, serving at a lunch club, digital buddies at a drop-in,
the community garden's work mornings, and the like.

Each is run by one of the town's organisations of a sector that would run
it (never the village cluster, which keeps to itself), meets at one of that
organisation's spaces or a space in its neighbourhood (never on Brookfield
Estate, where nothing meets, nor in the village), is active and free, and is named only with
what is true of it: the kind of role, and its place, day or space.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import time as _T

from betterway_map.demo.generator.catalogue import Activity
from betterway_map.demo.generator.organisations import _group
from betterway_map.demo.generator.rows import DemoArea, Group
from betterway_map.demo.generator.town import CLUSTER, TOWN

__all__ = ["ROLES", "role_count", "add_volunteering_roles"]

# Interests always include "volunteering" first; audiences "everyone" (anyone may volunteer).
ROLES = (
    Activity("Litter Pick", ("volunteering", "walking"), ("everyone",), "Help keep the streets and the park tidy: gloves, pickers and bags provided, and a cuppa afterwards", (_T(10),), 120, (0, 0), 1.0, ("voluntary", "informal", "public"), (0.0, 0.0, 1.0), ("outdoors", "litter picking")),
    Activity("Community Larder Helpers", ("volunteering", "cooking"), ("everyone",), "Sort donations, stock the shelves and welcome people who come to the larder", (_T(13), _T(9, 30)), 180, (0, 0), 1.0, ("voluntary", "faith"), (1.0, 0.0, 0.0), ("food",)),
    Activity("Lunch Club Kitchen Team", ("volunteering", "social"), ("everyone",), "Lay the tables, serve a hot lunch to older neighbours and stay for a chat", (_T(11, 30),), 180, (0, 0), 1.0, ("voluntary", "faith"), (1.0, 0.0, 0.0), ("serving",)),
    Activity("Digital Buddies", ("volunteering", "digital"), ("everyone",), "Volunteers who sit with someone and help them use their phone, tablet or laptop, at their pace", (_T(10), _T(14)), 120, (0, 0), 1.0, ("public", "voluntary"), (0.5, 0.5, 0.0), ("smartphones",)),
    Activity("Community Garden Work Morning", ("volunteering", "gardening"), ("everyone",), "Dig, sow, weed and harvest with us; no experience needed, tools and gloves provided", (_T(10),), 150, (0, 0), 1.0, ("voluntary", "informal", "faith"), (0.7, 0.3, 0.0), ("outdoors",)),
    Activity("Welcome Team", ("volunteering", "social"), ("everyone",), "Greet people as they arrive, show them round and make the tea", (_T(10), _T(13, 30)), 180, (0, 0), 1.0, ("public", "voluntary", "health"), (1.0, 0.0, 0.0), ("welcoming",)),
)  # fmt: skip


def role_count(people: int) -> int:
    """How many volunteering roles an area of ``people`` has: a few.

    >>> role_count(50), role_count(3000), role_count(100_000)
    (3, 5, 12)
    """
    return max(3, min(12, round(people / 600)))


def add_volunteering_roles(rng: random.Random, area: DemoArea, count: int) -> list[Group]:
    """Add ``count`` volunteering roles to ``area.groups`` (after the others,
    so every earlier group keeps its position) and return them."""
    spaces_of: dict[int, list[int]] = {}
    for index, space in enumerate(area.spaces):
        spaces_of.setdefault(space.organisation, []).append(index)
    # Not in the village, whose halls are its cluster's (they keep to themselves).
    shared = [
        i
        for i, s in enumerate(area.spaces)
        if not area.organisations[s.organisation].apart and not s.postcode.startswith(f"{CLUSTER} ")
    ]
    allowed = set(shared)
    area_names = {n.outcode: n.name for n in area.neighbourhoods}
    taken = {group.name for group in area.groups}
    added = []
    for number in range(count):
        activity = ROLES[number % len(ROLES)]
        runners = [
            i
            for i, org in enumerate(area.organisations)
            if not org.apart and org.sector in activity.sectors
        ]
        if not runners:
            continue
        owner = rng.choice(runners)
        org = area.organisations[owner]
        own = [i for i in spaces_of.get(owner, []) if i in allowed]
        near = [i for i in shared if area.spaces[i].postcode.startswith(f"{org.outcode} ")]
        space = rng.choice(own or near or shared)
        outcode = area.spaces[space].postcode.split(" ")[0]
        place = TOWN if rng.random() < 0.2 else area_names[outcode]
        made = _group(rng, org, owner, activity, space, area.spaces, place, taken, area.today)
        role = replace(
            made,
            description=f"{activity.blurb}. Free; come once to try it, then as often as "
            "suits you. Please get in touch first so that we can show you the ropes.",
            age_min=None,
            status="active",
            ends_on=None,
            cost_pence=0,
            cost_note=None,
        )
        area.groups.append(role)
        added.append(role)
    return added
