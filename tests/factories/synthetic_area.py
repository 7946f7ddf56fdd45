"""A seeded synthetic area, for benchmarks and timing the network code.

Fictional throughout: first names are "Person 12", places are scattered in
a box around a made-up centre. The default size is the issue 4 benchmark:
100,000 people, 5,000 groups and spaces, 500 organisations and about half a
million edges. The same seed gives the same area.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from betterway_map.domain.network.inputs import (
    Area,
    AttendanceRecord,
    GroupRecord,
    MatchRecord,
    OrganisationRecord,
    PartnershipRecord,
    PersonRecord,
    SpaceRecord,
    TieRecord,
)
from betterway_map.domain.vocab import AGE_BANDS, SECTORS, TIE_KINDS, values

__all__ = ["synthetic_area"]

CENTRE = (52.0, -1.5)  # (lat, lon): an invented town in the middle of England
SPREAD_DEG = 0.15  # about 17 km north to south
_DIRECT = ("often_always", "some_of_the_time", "occasionally", "hardly_ever", "never")
_FREQUENCIES = ("daily", "weekly", "monthly", "less", "never")


def _place(rng: random.Random) -> tuple[float, float]:
    return (
        CENTRE[0] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
        CENTRE[1] + rng.uniform(-SPREAD_DEG, SPREAD_DEG),
    )


def _recent(rng: random.Random, today: date, max_days: int = 200) -> date | None:
    return None if rng.random() < 0.05 else today - timedelta(days=rng.randrange(max_days))


def synthetic_area(
    people: int = 100_000,
    groups: int = 2_500,
    spaces: int = 2_500,
    organisations: int = 500,
    seed: int = 0,
    today: date = date(2025, 6, 1),
) -> Area:
    """A random but repeatable area of the given size.

    About 2.4 group attendances, 2 ties and a few matches per 100 people
    on average, so the default size has roughly half a million edges.

    >>> area = synthetic_area(people=50, groups=5, spaces=5, organisations=3, seed=1)
    >>> len(area.people), len(area.groups), len(area.organisations)
    (50, 5, 3)
    >>> area == synthetic_area(people=50, groups=5, spaces=5, organisations=3, seed=1)
    True
    """
    rng = random.Random(seed)
    bands = values(AGE_BANDS)
    area = Area(today=today)
    sectors = values(SECTORS)
    area.organisations = [
        OrganisationRecord(i, f"Organisation {i}", rng.choice(sectors))
        for i in range(1, organisations + 1)
    ]
    for i in range(1, spaces + 1):
        lat, lon = _place(rng)
        area.spaces.append(
            SpaceRecord(
                i,
                rng.randint(1, organisations),
                f"Space {i}",
                lat,
                lon,
                rng.random() < 0.7,
                rng.random() < 0.5,
            )
        )
    for i in range(1, groups + 1):
        space = rng.choice(area.spaces) if rng.random() < 0.9 else None
        area.groups.append(
            GroupRecord(
                i,
                rng.randint(1, organisations),
                f"Group {i}",
                space.id if space else None,
                space.latitude if space else None,
                space.longitude if space else None,
                rng.choices(("active", "paused", "ended"), (0.85, 0.1, 0.05))[0],
                step_free=space.step_free if space else False,
            )
        )
    for i in range(1, people + 1):
        lat, lon = _place(rng)
        measured = rng.random() < 0.6
        area.people.append(
            PersonRecord(
                i,
                f"Person {i}",
                rng.choice(bands),
                lat,
                lon,
                rng.random() < 0.4,
                is_volunteer=rng.random() < 0.05,
                ucla_total=rng.randint(3, 9) if measured else None,
                direct=rng.choice(_DIRECT) if measured else None,
                measured_on=today - timedelta(days=rng.randrange(365)) if measured else None,
                worker_ids=(rng.randint(1, 200),),
            )
        )
        for _ in range(rng.choice((0, 0, 1, 2, 3, 4, 4, 5))):
            status = rng.choices(("member", "interested", "left"), (0.8, 0.1, 0.1))[0]
            area.attendances.append(
                AttendanceRecord(i, rng.randint(1, groups), status, None, _recent(rng, today))
            )
        for _ in range(rng.choice((0, 1, 2, 2, 3, 4))):
            other = rng.randint(1, people) if rng.random() < 0.5 else None
            area.ties.append(
                TieRecord(
                    i,
                    rng.choice(values(TIE_KINDS)),
                    rng.choice(_FREQUENCIES),
                    _recent(rng, today, 300),
                    other_person_id=other,
                    id=len(area.ties) + 1,
                )
            )
    volunteers = [p.id for p in area.people if p.is_volunteer] or [1]
    for _ in range(people // 20):
        started = today - timedelta(days=rng.randrange(400))
        area.matches.append(
            MatchRecord(
                rng.choice(volunteers),
                rng.randint(1, people),
                started,
                None if rng.random() < 0.8 else started + timedelta(days=30),
                _recent(rng, today),
            )
        )
    for _ in range(organisations * 2):
        area.partnerships.append(
            PartnershipRecord(
                rng.randint(1, organisations),
                rng.randint(1, organisations),
                rng.choice(("joint_work", "referral", "shared_space")),
                today - timedelta(days=rng.randrange(900)),
                _recent(rng, today, 365),
            )
        )
    return area
