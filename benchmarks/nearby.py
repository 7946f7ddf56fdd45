"""Nearby search against the naive peer, in the same run, on the same data.

Run by hand (not part of the test suite)::

    .venv/bin/python benchmarks/nearby.py [--spaces 40000] [--groups 60000]
                                          [--queries 1000] [--naive 20] [--seed 7]

It builds a SQLite database in a temporary folder by the real migrations and
fills it with 100,000 groups and spaces spread over a UK-sized box (latitude
50–58.5, longitude -5.5–1.8) in town-like clusters (200 towns, most places
within a few kilometres of a centre, one in ten out in the country). Then:

* ours: 1,000 random searches (near a town, radius 1–5 km) through the
  service, ``places.search.search``, database included: the candidate
  query on the index, geodesic distances, sorting, the first page with its
  next meetings, and the count of online groups;
* the naive peer, on the first 20 of the same searches: load every space and
  every group with its space through the ORM, ``geopy.distance.geodesic`` to
  each, keep those within the radius, sort.

It checks that both give identical results (same set, same order, distances
within 1 m), prints the median time per query of each and the ratio, and
exits non-zero if the results differ. Targets: at least 300 times faster than
the naive peer, and under 20 ms per query.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geopy.distance import geodesic  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402
from sqlalchemy.orm import joinedload  # noqa: E402

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


def same(ours, theirs) -> bool:
    return len(ours) == len(theirs) and all(
        (a.kind, a.key[2]) == (kind, i) and abs(a.distance_km - km) < 0.001
        for a, (km, kind, i) in zip(ours, theirs)
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spaces", type=int, default=40_000)
    parser.add_argument("--groups", type=int, default=60_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--naive", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        os.environ["BETTERWAY_INSTANCE"] = folder
        from flask_migrate import upgrade

        from betterway_map import create_app
        from betterway_map.extensions import db
        from betterway_map.places import search as service
        from betterway_map.places.schemas import NearbyQuerySchema
        from config import TestingConfig

        class BenchConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/bench.db"

        app = create_app(BenchConfig)
        with app.app_context():
            upgrade()
        started = time.perf_counter()
        towns = build(app, options.spaces, options.groups, options.seed)
        print(
            f"Built {options.spaces:,} spaces and {options.groups:,} groups "
            f"in {time.perf_counter() - started:.1f} s (SQLite, {folder})."
        )
        rng = random.Random(options.seed + 1)
        queries = [(*_spot(rng, towns), rng.uniform(1, 5)) for _ in range(options.queries)]
        schema = NearbyQuerySchema()

        ours_s, totals = [], []
        with app.test_request_context():
            service.search(schema.load({"lat": "54", "lon": "-2"}))  # warm up
            for lat, lon, radius_km in queries:
                args = schema.load({"lat": repr(lat), "lon": repr(lon), "radius_km": radius_km})
                began = time.perf_counter()
                result = service.search(args)
                ours_s.append(time.perf_counter() - began)
                totals.append(result.total)
                db.session.remove()

        naive_s, mismatches = [], 0
        with app.app_context():
            for lat, lon, radius_km in queries[: options.naive]:
                began = time.perf_counter()
                theirs = naive(lat, lon, radius_km)
                naive_s.append(time.perf_counter() - began)
                ours = service.matches(lat, lon, radius_km, service.Filters())
                if not same(ours, theirs):
                    mismatches += 1
                    print(f"DIFFERENT at ({lat}, {lon}) within {radius_km} km")
            db.session.remove()
            db.engine.dispose()

    ours_ms = statistics.median(ours_s) * 1000
    naive_ms = statistics.median(naive_s) * 1000
    print(f"Results per query: median {statistics.median(totals):.0f}, max {max(totals)}")
    print(f"Ours  (service, {len(ours_s)} queries): median {ours_ms:.2f} ms per query")
    print(f"Naive (all rows + geopy, {len(naive_s)} queries): median {naive_ms:.0f} ms per query")
    print(f"Ratio: {naive_ms / ours_ms:.0f}x faster (target 300x), under 20 ms: {ours_ms < 20}")
    print(
        f"Identical results on {len(naive_s) - mismatches} of {len(naive_s)} "
        "queries (same set, same order, distances within 1 m)."
    )
    return 1 if mismatches else 0


if __name__ == "__main__":
    raise SystemExit(main())
