"""The data of ``benchmarks/nearby.py``: its own area of 100,000 groups and
spaces, and the old peer (every row through the ORM, geopy to each).

``build`` fills a migrated database with spaces spread over a UK-sized box
(latitude 50–58.5, longitude -5.5–1.8) in 200 town-like clusters (most
places within a few kilometres of a centre, one in ten out in the country)
and groups at them (3% online only, 10% paused).
"""

from __future__ import annotations

import random
from datetime import date
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


def build(app, spaces: int, groups: int, seed: int) -> list:
    """Fill the database; return the towns (lat, lon, size) for the queries."""
    from betterway_map.extensions import db
    from betterway_map.register.models import Group, Organisation, Space

    rng = random.Random(seed)
    south, north, west, east = BOX
    towns = [
        (rng.uniform(south, north), rng.uniform(west, east), rng.choice((0.5, 1, 1, 2, 3)))
        for _ in range(TOWNS)
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
        db.session.commit()
    return towns


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
