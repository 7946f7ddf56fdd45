"""Partnerships between demo organisations: shared space, joint work, referrals."""

from __future__ import annotations

import random
from datetime import date, timedelta

from betterway_map.demo.generator.rows import Group, Organisation, Partnership, Space

__all__ = ["make_partnerships"]

_NOTES = {
    "joint_work": "We run sessions together.",
    "referral": "Refers people who would benefit from our groups.",
    "shared_space": "Meets in the partner's building.",
}


def make_partnerships(
    rng: random.Random,
    organisations: list[Organisation],
    spaces: list[Space],
    groups: list[Group],
    today: date,
) -> list[Partnership]:
    """Shared space wherever a group meets at another organisation's space, plus
    joint work (mostly between neighbours) and referrals (mostly from health and
    public services to the voluntary and faith sectors)."""
    pairs: set[tuple[int, int, str]] = set()
    for group in groups:
        if group.space is not None and spaces[group.space].organisation != group.organisation:
            pairs.add((group.organisation, spaces[group.space].organisation, "shared_space"))
    count = len(organisations)
    referrers = [i for i, o in enumerate(organisations) if o.sector in ("health", "public")]
    helpers = [i for i, o in enumerate(organisations) if o.sector in ("voluntary", "faith")]
    for _ in range(round(count * 0.6)):
        first, second = rng.sample(range(count), 2)
        if organisations[first].outcode == organisations[second].outcode or rng.random() < 0.4:
            pairs.add((first, second, "joint_work"))
    for _ in range(round(count * 0.5)):
        if referrers and helpers and rng.random() < 0.7:
            pairs.add((rng.choice(referrers), rng.choice(helpers), "referral"))
        else:
            first, second = rng.sample(range(count), 2)
            pairs.add((first, second, "referral"))
    partnerships = []
    for first, second, kind in sorted(pairs):
        started = today - timedelta(days=rng.randint(60, 2500))
        active = rng.random()
        last = (
            None
            if active < 0.1
            else today
            - timedelta(days=rng.randint(0, 60) if active < 0.8 else rng.randint(120, 500))
        )
        partnerships.append(
            Partnership(
                first, second, kind, started, max(last, started) if last else None, _NOTES[kind]
            )
        )
    return partnerships
