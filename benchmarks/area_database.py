"""A whole synthetic area written straight into a database, for the benchmarks.

The schema is made by the real migrations; the rows go in with bulk inserts
(one executemany per table and chunk), not through the services or
``flask demo``, so a city region of a million people is written in minutes.
The shape follows ``tests/factories/synthetic_area.py`` (same rates of
attendance, ties, measures and volunteers; groups with the audiences and age
ranges of ``benchmarks/network.py``), drawn with numpy from a seed, plus
what only a database has: workers assigned to people, confirmed
partnerships and a few withdrawn consents (the loader leaves those people
out). Fictional throughout.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import numpy as np
from sqlalchemy import insert

from betterway_map.domain.clock import today_in_uk

__all__ = ["write_area"]

# Dates are counted back from the day the area is written, as the report counts.
TODAY = today_in_uk()
CENTRE = (52.0, -1.5)
SPREAD_DEG = 0.15
_CHUNK = 50_000
_BANDS = ("18-24", "25-34", "35-49", "50-64", "65-74", "75-84", "85+")
_DIRECT = ("often_always", "some_of_the_time", "occasionally", "hardly_ever", "never")
_FREQUENCIES = ("daily", "weekly", "monthly", "less", "never")
_TIE_KINDS = ("family", "friend", "neighbour", "professional")
_SECTORS = ("voluntary", "faith", "public", "health", "business", "informal")
_PARTNERSHIPS = ("joint_work", "referral", "shared_space")
# (audiences, age_min, age_max) and weights, as benchmarks/network.py gives groups.
_GROUP_KINDS = (
    ([], None, None, 5),
    (["everyone"], None, None, 3),
    (["older_people"], None, None, 3),
    (["older_people"], 60, None, 2),
    (["older_people"], 75, None, 1),
    (["carers"], None, None, 1),
    (["parents"], 18, 49, 1),
)
_STAMP = datetime(TODAY.year, TODAY.month, TODAY.day, 9, 0, tzinfo=UTC)
_WORKERS = 200


def _days_ago(rng, count: int, max_days: int) -> list:
    """Dates up to ``max_days`` before TODAY, 5% unknown."""
    unknown = rng.random(count) < 0.05
    back = rng.integers(0, max_days, count)
    return [None if u else TODAY - timedelta(days=int(d)) for u, d in zip(unknown, back)]


def _place(rng, count: int):
    return (
        CENTRE[0] + rng.uniform(-SPREAD_DEG, SPREAD_DEG, count),
        CENTRE[1] + rng.uniform(-SPREAD_DEG, SPREAD_DEG, count),
    )


def _stamped(row: dict) -> dict:
    return row | {"created_at": _STAMP, "updated_at": _STAMP}


def _insert(connection, model, rows: list[dict]) -> None:
    if rows:
        connection.execute(insert(model.__table__), rows)


def _organisations(connection, rng, count: int, models) -> None:
    sectors = rng.integers(0, len(_SECTORS), count)
    _insert(
        connection,
        models.Organisation,
        [
            _stamped({"id": i + 1, "name": f"Organisation {i + 1}", "sector": _SECTORS[s]})
            for i, s in enumerate(sectors)
        ],
    )
    pairs = set()
    kinds = rng.integers(0, len(_PARTNERSHIPS), count * 2)
    ends = rng.integers(1, count + 1, (count * 2, 2))
    rows = []
    for (first, second), kind, last in zip(ends, kinds, _days_ago(rng, count * 2, 200)):
        key = (int(first), int(second), _PARTNERSHIPS[kind])
        if first == second or key in pairs:
            continue
        pairs.add(key)
        rows.append(
            _stamped(
                {
                    "organisation_id": key[0],
                    "partner_id": key[1],
                    "kind": key[2],
                    "started_on": TODAY - timedelta(days=400),
                    "last_active_on": last,
                    "confirmed_at": _STAMP,
                }
            )
        )
    _insert(connection, models.Partnership, rows)


def _places(connection, rng, spaces: int, groups: int, organisations: int, models) -> None:
    lats, lons = _place(rng, spaces)
    owners = rng.integers(1, organisations + 1, spaces)
    step_free = rng.random(spaces) < 0.7
    toilet = rng.random(spaces) < 0.5
    _insert(
        connection,
        models.Space,
        [
            _stamped(
                {
                    "id": i + 1,
                    "organisation_id": int(owners[i]),
                    "name": f"Space {i + 1}",
                    "address": f"{i + 1} High Street",
                    "postcode": "ZZ1 1AA",
                    "latitude": float(lats[i]),
                    "longitude": float(lons[i]),
                    "step_free": bool(step_free[i]),
                    "accessible_toilet": bool(toilet[i]),
                    "opening_times": [],
                }
            )
            for i in range(spaces)
        ],
    )
    weights = np.array([kind[3] for kind in _GROUP_KINDS], dtype=float)
    kinds = rng.choice(len(_GROUP_KINDS), groups, p=weights / weights.sum())
    at_space = rng.random(groups) < 0.9
    space_of = rng.integers(1, spaces + 1, groups)
    runners = rng.integers(1, organisations + 1, groups)
    status = rng.choice(["active", "paused", "ended"], groups, p=[0.85, 0.1, 0.05])
    rows = []
    for i in range(groups):
        audiences, age_min, age_max, _ = _GROUP_KINDS[kinds[i]]
        rows.append(
            _stamped(
                {
                    "id": i + 1,
                    "organisation_id": int(runners[i]),
                    "name": f"Group {i + 1}",
                    "space_id": int(space_of[i]) if at_space[i] else None,
                    "online": not at_space[i],
                    "interests": [],
                    "tags": [],
                    "audiences": audiences,
                    "age_min": age_min,
                    "age_max": age_max,
                    "frequency": "weekly",
                    "weekday": "MO",
                    "start_time": time(10),
                    "end_time": time(12),
                    "starts_on": TODAY - timedelta(days=700),
                    "status": str(status[i]),
                }
            )
        )
        if len(rows) == _CHUNK:
            _insert(connection, models.Group, rows)
            rows = []
    _insert(connection, models.Group, rows)


def _workers(connection, models) -> None:
    _insert(
        connection,
        models.User,
        [
            _stamped(
                {
                    "id": i,
                    "email": f"worker{i}@example.invalid",
                    "password_hash": "!unusable",
                    "display_name": f"Worker {i}",
                }
            )
            for i in range(1, _WORKERS + 1)
        ],
    )


def _people_chunk(connection, rng, first: int, count: int, people: int, groups: int, models):
    ids = range(first, first + count)
    lats, lons = _place(rng, count)
    bands = rng.integers(0, len(_BANDS), count)
    alone = rng.random(count) < 0.4
    volunteer = rng.random(count) < 0.05
    measured = rng.random(count) < 0.6
    ucla = rng.integers(3, 10, count)
    direct = rng.integers(0, len(_DIRECT), count)
    measured_back = rng.integers(0, 365, count)
    workers = rng.integers(1, _WORKERS + 1, count)
    _insert(
        connection,
        models.Person,
        [
            _stamped(
                {
                    "id": pid,
                    "first_name": f"Person {pid}",
                    "age_band": _BANDS[bands[i]],
                    "latitude": float(lats[i]),
                    "longitude": float(lons[i]),
                    "lives_alone": bool(alone[i]),
                    "interests": [],
                    "languages": [],
                    "availability": [],
                }
            )
            for i, pid in enumerate(ids)
        ],
    )
    _insert(
        connection,
        models.VolunteerProfile,
        [
            _stamped({"person_id": pid, "lived_experience": []})
            for i, pid in enumerate(ids)
            if volunteer[i]
        ],
    )
    _insert(
        connection,
        models.LonelinessMeasure,
        [
            {
                "person_id": pid,
                "measured_on": TODAY - timedelta(days=int(measured_back[i])),
                "ucla_total": int(ucla[i]),
                "direct": _DIRECT[direct[i]],
                "recorded_at": _STAMP,
            }
            for i, pid in enumerate(ids)
            if measured[i]
        ],
    )
    _insert(
        connection,
        models.Assignment,
        [
            {"person_id": pid, "worker_id": int(workers[i]), "assigned_at": _STAMP}
            for i, pid in enumerate(ids)
        ],
    )
    # About 1% withdrew a consent: half to being on the register, half to measures.
    withdrew = rng.random(count) < 0.01
    purposes = rng.random(count) < 0.5
    _insert(
        connection,
        models.Consent,
        [
            {
                "person_id": pid,
                "purpose": "register" if purposes[i] else "measures",
                "method": "verbal",
                "given_on": TODAY - timedelta(days=500),
                "withdrawn_on": TODAY - timedelta(days=10),
                "recorded_at": _STAMP,
            }
            for i, pid in enumerate(ids)
            if withdrew[i]
        ],
    )
    per_person = rng.choice([0, 0, 1, 2, 3, 4, 4, 5], count)
    owners = np.repeat(np.arange(first, first + count), per_person)
    group_ids = rng.integers(1, groups + 1, len(owners))
    # One attendance per person and group (the schema's unique constraint).
    _, once = np.unique(owners * (groups + 1) + group_ids, return_index=True)
    owners, group_ids = owners[once], group_ids[once]
    total = len(owners)
    status = rng.choice(["member", "interested", "left"], total, p=[0.8, 0.1, 0.1])
    attended = _days_ago(rng, total, 200)
    _insert(
        connection,
        models.Attendance,
        [
            _stamped(
                {
                    "person_id": int(owners[i]),
                    "group_id": int(group_ids[i]),
                    "status": str(status[i]),
                    "last_attended_on": attended[i],
                }
            )
            for i in range(total)
        ],
    )
    per_person = rng.choice([0, 1, 2, 2, 3, 4], count)
    owners = np.repeat(np.arange(first, first + count), per_person)
    total = len(owners)
    on_register = rng.random(total) < 0.5
    # Someone already written (a tie is recorded with someone on the register).
    others = rng.integers(1, first + count, total)
    kinds = rng.integers(0, len(_TIE_KINDS), total)
    frequencies = rng.integers(0, len(_FREQUENCIES), total)
    contacted = _days_ago(rng, total, 300)
    _insert(
        connection,
        models.Tie,
        [
            {
                "person_id": int(owners[i]),
                "other_person_id": int(others[i]) if on_register[i] else None,
                "other_label": "Someone",
                "kind": _TIE_KINDS[kinds[i]],
                "contact_frequency": _FREQUENCIES[frequencies[i]],
                "last_contact_on": contacted[i],
                "created_at": _STAMP,
            }
            for i in range(total)
        ],
    )


def write_area(
    engine,
    people: int,
    seed: int = 0,
    progress=print,
    *,
    groups: int | None = None,
    spaces: int | None = None,
    organisations: int | None = None,
) -> dict[str, int]:
    """Write an area of ``people`` people into the (migrated, empty) database.

    Groups and spaces are one per 20 people, organisations one per 200 (at
    least 50), unless given. Returns how many of each were written.
    """
    from betterway_map.accounts import models as account_models
    from betterway_map.people import models as people_models
    from betterway_map.register import models as register_models

    class models:  # noqa: N801 (a namespace)
        Organisation = register_models.Organisation
        Partnership = register_models.Partnership
        Space = register_models.Space
        Group = register_models.Group
        Person = people_models.Person
        VolunteerProfile = people_models.VolunteerProfile
        LonelinessMeasure = people_models.LonelinessMeasure
        Assignment = people_models.Assignment
        Consent = people_models.Consent
        Attendance = people_models.Attendance
        Tie = people_models.Tie
        User = account_models.User

    rng = np.random.default_rng(seed)
    groups = groups if groups is not None else max(people // 20, 10)
    spaces = spaces if spaces is not None else max(people // 20, 10)
    organisations = organisations if organisations is not None else max(people // 200, 50)
    with engine.begin() as connection:
        _organisations(connection, rng, organisations, models)
        _places(connection, rng, spaces, groups, organisations, models)
        _workers(connection, models)
    for first in range(1, people + 1, _CHUNK):
        count = min(_CHUNK, people + 1 - first)
        with engine.begin() as connection:
            _people_chunk(connection, rng, first, count, people, groups, models)
        progress(f"  written {first + count - 1:,} of {people:,} people")
    return {
        "people": people,
        "groups": groups,
        "spaces": spaces,
        "organisations": organisations,
    }
