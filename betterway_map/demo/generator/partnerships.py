"""Partnerships between demo organisations: shared space, joint work, referrals.

All are confirmed by the partner, but for two that show what waits for a
confirmation on the demo org admin's pages: one an organisation of theirs
recorded (waiting for the other side), one another organisation recorded
with theirs (for them to confirm or decline).

The cluster (organisations marked ``apart``) works with each other, every
pair of them, lately, and with no one else: a community of its own in the
organisation network.
"""

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
    together = [i for i, o in enumerate(organisations) if not o.apart]
    referrers = [i for i in together if organisations[i].sector in ("health", "public")]
    helpers = [i for i in together if organisations[i].sector in ("voluntary", "faith")]
    for _ in range(round(count * 0.6)):
        first, second = rng.sample(together, 2)
        if organisations[first].outcode == organisations[second].outcode or rng.random() < 0.4:
            pairs.add((first, second, "joint_work"))
    for _ in range(round(count * 0.5)):
        if referrers and helpers and rng.random() < 0.7:
            pairs.add((rng.choice(referrers), rng.choice(helpers), "referral"))
        else:
            first, second = rng.sample(together, 2)
            pairs.add((first, second, "referral"))
    cluster = [i for i, o in enumerate(organisations) if o.apart]
    lately = {
        (first, second, "joint_work")
        for n, first in enumerate(cluster)
        for second in cluster[n + 1 :]
    }
    pairs |= lately
    partnerships = []
    for first, second, kind in sorted(pairs):
        partner_admin = organisations[second].admin
        started = today - timedelta(days=rng.randint(60, 2500))
        active = 0.5 if (first, second, kind) in lately else rng.random()
        last = (
            None
            if active < 0.1
            else today
            - timedelta(days=rng.randint(0, 60) if active < 0.8 else rng.randint(120, 500))
        )
        partnerships.append(
            Partnership(
                first,
                second,
                kind,
                started,
                max(last, started) if last else None,
                _NOTES[kind],
                confirmed_on=started,
                confirmed_by=partner_admin,
            )
        )
    return partnerships + _pending(organisations, pairs, today)


def _pending(organisations: list[Organisation], pairs: set, today: date) -> list[Partnership]:
    """Joint work one of the demo admin's organisations recorded with another
    organisation, and a referral another organisation recorded to one of
    theirs: neither confirmed, neither already linked that way.

    Chosen without the random generator, so that the rest of the area (made
    from the same generator afterwards) is what it was before there were any.
    """
    administered = [i for i, o in enumerate(organisations) if o.admin]
    others = [i for i, o in enumerate(organisations) if not o.admin and not o.apart]
    if not administered:
        return []
    wanted = [
        (administered[0], "joint_work", True, 21),
        (administered[-1], "referral", False, 45),
    ]
    pending, used = [], set()
    for own, kind, recorded_by_own, days_ago in wanted:
        for other in others:
            first, second = (own, other) if recorded_by_own else (other, own)
            if other in used or {(first, second, kind), (second, first, kind)} & pairs:
                continue
            used.add(other)
            started = today - timedelta(days=days_ago)
            pending.append(Partnership(first, second, kind, started, started, _NOTES[kind]))
            break
    return pending
