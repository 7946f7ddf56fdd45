"""The data of ``benchmarks/nearby.py``: its own area of 100,000 groups and
spaces, and the old peer (every row through the ORM, geopy to each).

``build`` fills a migrated database with spaces spread over a UK-sized box
(latitude 50–58.5, longitude -5.5–1.8) in 200 town-like clusters, or as
many as asked (fewer towns: denser places; most places within a few
kilometres of a centre, one in ten out in the country) and groups at them (3% online only, 10% paused). As a council's register
has them, some groups have meeting changes from today on (one in twenty a
cancelled next meeting, one in fifty a moved one, one in fifty a one-off),
so that a result's next meeting is worked out with them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from datetime import time as clock

from geopy.distance import geodesic
from sqlalchemy import insert, select
from sqlalchemy.orm import joinedload

__all__ = ["build", "naive"]

BOX = (50.0, 58.5, -5.5, 1.8)  # south, north, west, east
TOWNS = 200
KM_PER_DEG_LAT = 111.2


def _spot(rng: random.Random, towns: list, spread_km: float = 2.5) -> tuple[float, float]:
    """A place near a random town (or, one time in ten, anywhere in the box)."""
    south, north, west, east = BOX
    if rng.random() < 0.1:
        return rng.uniform(south, north), rng.uniform(west, east)
    lat, lon, scale = rng.choice(towns)
    d_lat = rng.gauss(0, spread_km * scale) / KM_PER_DEG_LAT
    d_lon = rng.gauss(0, spread_km * scale) / (KM_PER_DEG_LAT * 0.6)
    return lat + d_lat, lon + d_lon


def build(app, spaces: int, groups: int, seed: int, towns: int = TOWNS) -> list:
    """Fill the database (the places round ``towns`` towns); return the
    towns (lat, lon, size) for the queries."""
    from betterway_map.extensions import db
    from betterway_map.register.models import Group, Organisation, Space

    rng = random.Random(seed)
    south, north, west, east = BOX
    towns = [
        (rng.uniform(south, north), rng.uniform(west, east), rng.choice((0.5, 1, 1, 2, 3)))
        for _ in range(towns)
    ]
    with app.app_context():
        organisation = Organisation(name="Benchmark Trust", sector="voluntary")
        db.session.add(organisation)
        db.session.flush()
        space_rows = []
        for n in range(spaces):
            lat, lon = _spot(rng, towns)
            space_rows.append(
                {
                    "organisation_id": organisation.id,
                    "name": f"Hall {n}",
                    "address": f"{n} High Street",
                    "postcode": "ZZ1 1AA",
                    "latitude": lat,
                    "longitude": lon,
                    "opening_times": [],
                    "step_free": rng.random() < 0.6,
                    "hearing_loop": rng.random() < 0.3,
                    "accessible_toilet": rng.random() < 0.5,
                    "parking": rng.random() < 0.4,
                    "hire_cost_pence": rng.choice((None, 0, 1000, 1500)),
                }
            )
        db.session.execute(insert(Space), space_rows)
        first_space = db.session.scalar(select(Space.id).order_by(Space.id))
        weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
        group_rows = []
        for n in range(groups):
            online_only = rng.random() < 0.03
            start = rng.choice((10, 11, 14, 18))
            group_rows.append(
                {
                    "organisation_id": organisation.id,
                    "name": f"Group {n}",
                    "interests": [rng.choice(("music", "social", "walking", "books"))],
                    "tags": [],
                    "audiences": ["everyone"],
                    "space_id": None if online_only else first_space + rng.randrange(spaces),
                    "online": online_only,
                    "frequency": rng.choice(("weekly", "fortnightly")),
                    "weekday": rng.choice(weekdays),
                    "start_time": clock(start),
                    "end_time": clock(start + 2),
                    "starts_on": date(2026, 1, 5),
                    "cost_pence": rng.choice((0, 0, 200, 350)),
                    "status": "active" if rng.random() < 0.9 else "paused",
                }
            )
        db.session.execute(insert(Group), group_rows)
        _add_changes(rng, organisation.id)
        db.session.commit()
    return towns


def _add_changes(rng: random.Random, organisation_id: int) -> None:
    """Meeting changes from today on for some active groups: the next
    meeting cancelled, or moved to the next day two hours later; a one-off
    in the coming week."""
    from betterway_map.domain.clock import now_in_uk
    from betterway_map.domain.schedule.recurrence import next_meetings, schedule_of
    from betterway_map.extensions import db
    from betterway_map.register.models import Group, MeetingChange, OneOffMeeting

    now = now_in_uk().replace(tzinfo=None)
    changes, one_offs = [], []
    for group in db.session.execute(select(Group).where(Group.status == "active")).scalars():
        draw = rng.random()
        if draw < 0.09:
            (meeting,) = next_meetings(schedule_of(group), now, 1)
            change = {"group_id": group.id, "occurs_on": meeting.date(), "source": ""}
            if draw < 0.05:
                changes.append(change | {"kind": "cancelled", "reason": "Hall closed"})
            elif draw < 0.07:
                moved = meeting + timedelta(days=1, hours=2)
                changes.append(
                    change
                    | {"kind": "moved", "moved_on": moved.date(), "start_time": moved.time(),
                       "end_time": (moved + timedelta(hours=1)).time()}
                )  # fmt: skip
            else:
                day = now.date() + timedelta(days=rng.randrange(1, 8))
                one_offs.append(
                    {"organisation_id": organisation_id, "group_id": group.id,
                     "title": "Extra session", "occurs_on": day,
                     "start_time": clock(rng.choice((9, 13, 19))), "end_time": clock(21)}
                )  # fmt: skip
    if changes:
        db.session.execute(insert(MeetingChange), changes)
    if one_offs:
        db.session.execute(insert(OneOffMeeting), one_offs)
    db.session.expunge_all()


def naive(lat: float, lon: float, radius_km: float) -> list[tuple]:
    """The peer: every row loaded, geopy's geodesic to each, filtered, sorted."""
    from betterway_map.domain.geo.distance import sort_key
    from betterway_map.extensions import db
    from betterway_map.register.models import Group, Space

    found = []
    for space in db.session.scalars(select(Space)):
        if space.latitude is None:
            continue
        km = geodesic((lat, lon), (space.latitude, space.longitude)).km
        if km <= radius_km:
            found.append((km, "space", space.id))
    groups = select(Group).where(Group.status == "active").options(joinedload(Group.space))
    for group in db.session.scalars(groups):
        space = group.space
        if space is None or space.latitude is None:
            continue
        km = geodesic((lat, lon), (space.latitude, space.longitude)).km
        if km <= radius_km:
            found.append((km, "group", group.id))
    db.session.expunge_all()
    return sorted(found, key=lambda row: sort_key(*row))
