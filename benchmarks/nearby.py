"""Nearby search at a whole council's scale: ours, the honest peer and the floor, in one run.

Run by hand (not part of the test suite)::

    # the 100,000-people demo (issue 15's figures), built once beforehand:
    .venv/bin/python benchmarks/nearby.py --database sqlite:////tmp/big/big.db
    # or the benchmark's own 100,000 groups and spaces, built in a temporary folder:
    .venv/bin/python benchmarks/nearby.py [--spaces 40000] [--groups 60000] [--towns 200]

    [--queries 200] [--radius-km 2] [--peer 50] [--naive 3] [--http 200] [--seed 7]

The searches are in the densest part of the area: the point (a space) with
the most groups and spaces within ``--radius-km``, and ``--queries`` points
scattered within a kilometre of it, each searching ``--radius-km`` (2 km),
the first page of 20 nearest first, as ``GET /api/v1/nearby`` asks. Then:

* **ours**: ``places.search.search`` in process (the table versions, the
  index, the filters, the count, the page in order with its next meetings,
  the online groups counted), wall-clock and CPU time a query, in two
  passes over the searches: the first, in which each group on a page has
  its next meetings worked out for the first time that day (about 0.15 ms
  a group, with dateutil's rrule), and the steady state of a server that
  has shown them before (the targets); the index is built once per process
  (and again after a write), timed apart;
* **the honest peer**, as a competent developer writes it: the spaces in a
  latitude/longitude box from the index by SQL, haversine in Python, the
  active groups at the spaces within by SQL, everything sorted, the page
  taken and built (the same ``build_item``, with the page's groups' meeting
  changes read by SQL, as main did), online groups counted by SQL;
* **the floor**: scipy's ``cKDTree`` on 3D unit vectors of the same spaces
  (built beforehand, not timed), ``query_ball_point``, the same great-circle
  bounds and exact geodesics near the edge and for the page (in C, all at
  once, and again with the reference where a decision is within their
  spread), the count and the page's keys, with no database, no filters and
  no result details: the least work that gives the same answer;
* **the old peer** (a straw man, ``--naive`` queries): every space and
  group loaded through the ORM and ``geopy.distance.geodesic`` to each;
* **over HTTP**: gunicorn (``-w 2``, production settings) on loopback, one
  client asking ``/api/v1/nearby`` for the same searches in turn, twice
  (as above): median and 95th percentile latency.

It checks that each group's next meeting on ours' pages is the one the
group's own page shows (``domain.schedule.meetings`` over the rule and the
changes read from the database; the benchmark's own data has cancelled,
moved and one-off meetings for some groups), that ours and the floor give
identical answers (the same total;
the same page: kinds, ids and order, distances within the C geodesic's
spread of a micrometre), that ours
gives the whole list the old peer's brute-force geopy search gives (the
same items in the same order, distances within that spread), that the API answers with
our totals, and says how often the haversine peer differs from the exact
answer. Exit status 1 if an answer differs or a target is missed.

Targets (issue 15): ours under 20 ms in process and under 50 ms over HTTP;
at least 5× the honest peer; within 3× of the floor.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks._common import load_average  # noqa: E402
from benchmarks.nearby_data import build, naive  # noqa: E402

PAGE_SIZE = 20
HAVERSINE_RADIUS_KM = 6371.0088  # the mean Earth radius a developer reaches for
TARGET_MS, TARGET_HTTP_MS, TARGET_PEER, TARGET_FLOOR = 20.0, 50.0, 5.0, 3.0


def timed(function, *args):
    """(result, wall seconds, CPU seconds) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = function(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


# --- the floor -----------------------------------------------------------------------------


class Floor:
    """The spaces' unit vectors in a k-d tree and the active groups as arrays;
    a query gives the count and the page's (distance, kind, id), exactly."""

    def __init__(self, spaces: list, groups: list) -> None:
        from scipy.spatial import cKDTree

        from betterway_map.domain.geo.nearest import unit_vectors

        self.space_ids = np.array([s[0] for s in spaces], dtype=np.int64)
        self.lat = np.array([s[1] for s in spaces])
        self.lon = np.array([s[2] for s in spaces])
        self.rad_lat, self.rad_lon = np.radians(self.lat), np.radians(self.lon)
        self.cos = np.cos(self.rad_lat)
        self.tree = cKDTree(unit_vectors(self.lat, self.lon))
        position = {space_id: p for p, space_id in enumerate(self.space_ids.tolist())}
        placed = [(g[0], position[g[1]]) for g in groups if g[1] in position]
        # Items: every space (kind 1) and every active group at a placed space (kind 0).
        self.item_place = np.array([p for _, p in placed] + list(range(len(spaces))), np.intp)
        self.item_kind = np.array([0] * len(placed) + [1] * len(spaces), dtype=np.int8)
        self.item_id = np.array([g for g, _ in placed] + self.space_ids.tolist(), dtype=np.int64)

    def query(self, lat: float, lon: float, radius_km: float, count: int):
        from betterway_map.domain.geo.distance import (
            C_GEODESIC_SPREAD_KM,
            distance_km,
            distances_km,
        )
        from betterway_map.domain.geo.sphere import (
            ABS_SLACK_M,
            GEODESIC_PER_SPHERE_MAX,
            GEODESIC_PER_SPHERE_MIN,
            REL_SLACK,
            SPHERE_RADIUS_M,
            sphere_m,
        )

        radius_m = radius_km * 1000
        beyond_m = (radius_m + ABS_SLACK_M) / GEODESIC_PER_SPHERE_MIN * (1 + REL_SLACK)
        chord = 2 * math.sin(beyond_m / SPHERE_RADIUS_M / 2) * (1 + 1e-9) + 1e-9
        q_lat, q_lon = math.radians(lat), math.radians(lon)
        unit = (
            math.cos(q_lat) * math.cos(q_lon),
            math.cos(q_lat) * math.sin(q_lon),
            math.sin(q_lat),
        )
        found = np.asarray(self.tree.query_ball_point(unit, chord), dtype=np.intp)
        m = sphere_m(q_lat, q_lon, math.cos(q_lat), self.rad_lat[found], self.rad_lon[found],
                     self.cos[found])  # fmt: skip
        high = m * GEODESIC_PER_SPHERE_MAX * (1 + REL_SLACK) + ABS_SLACK_M
        low = m * GEODESIC_PER_SPHERE_MIN / (1 + REL_SLACK) - ABS_SLACK_M
        exact = np.full(len(self.lat), np.nan)

        def measure(places) -> None:
            places = places[np.isnan(exact[places])]
            exact[places] = distances_km(lat, lon, self.lat[places], self.lon[places])

        def settle(places) -> None:  # the reference, for every place at each point
            for p in places.tolist():
                same = (self.lat == self.lat[p]) & (self.lon == self.lon[p])
                exact[same] = distance_km(lat, lon, self.lat[p], self.lon[p])

        unsure = found[(high > radius_m) & (low <= radius_m)]
        measure(unsure)
        settle(unsure[np.abs(exact[unsure] - radius_km) <= C_GEODESIC_SPREAD_KM])
        inside = np.zeros(len(self.lat), dtype=bool)
        inside[found[high <= radius_m]] = True
        inside[unsure[exact[unsure] <= radius_km]] = True
        items = np.flatnonzero(inside[self.item_place])
        total = len(items)
        # The page: items whose lower bound is within the count-th upper bound.
        place_low, place_high = np.full(len(self.lat), np.inf), np.full(len(self.lat), np.inf)
        place_low[found], place_high[found] = low / 1000, high / 1000
        places = self.item_place[items]
        if count < total:
            bound = np.partition(place_high[places], count - 1)[count - 1]
            items = items[place_low[places] <= bound]
            places = self.item_place[items]
        measured = np.unique(places)
        measure(measured)
        by_km = measured[np.argsort(exact[measured])]
        tie = np.flatnonzero(np.diff(exact[by_km]) <= C_GEODESIC_SPREAD_KM)
        tie = tie[(self.lat[by_km[tie]] != self.lat[by_km[tie + 1]])
                  | (self.lon[by_km[tie]] != self.lon[by_km[tie + 1]])]  # fmt: skip
        settle(np.concatenate([by_km[tie], by_km[tie + 1]]))
        order = np.lexsort((self.item_id[items], self.item_kind[items], exact[places]))[:count]
        page = [
            (float(exact[self.item_place[i]]), int(self.item_kind[i]), int(self.item_id[i]))
            for i in items[order]
        ]
        return total, page


def same_items(ours: list[tuple], theirs: list[tuple]) -> bool:
    """The same items (the rest of each tuple) in the same order, each
    distance (the first) within the C geodesic's spread of the other's."""
    from betterway_map.domain.geo.distance import C_GEODESIC_SPREAD_KM

    return len(ours) == len(theirs) and all(
        a[1:] == b[1:] and abs(a[0] - b[0]) <= C_GEODESIC_SPREAD_KM
        for a, b in zip(ours, theirs, strict=True)
    )


def same_answer(ours: tuple, theirs: tuple) -> bool:
    """The same total, and the same page (``same_items``)."""
    return ours[0] == theirs[0] and same_items(ours[1], theirs[1])


# --- the honest peer -----------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 2 * HAVERSINE_RADIUS_KM * math.asin(math.sqrt(h))


def peer(lat: float, lon: float, radius_km: float, now):
    """SQL box, haversine in Python, sort everything, take the page."""
    from sqlalchemy import and_, func, select

    from betterway_map.domain.geo.distance import bounding_box, sort_key
    from betterway_map.domain.schedule.meetings import NO_CHANGES
    from betterway_map.extensions import db
    from betterway_map.places.index import GROUP_COLUMNS, SPACE_COLUMNS
    from betterway_map.places.results import Match, build_item
    from betterway_map.register.models import Group, Space
    from betterway_map.register.services.meetings import changes_by_group

    box = bounding_box(lat, lon, radius_km)
    (west, east), *_ = box.longitudes
    spaces = db.session.execute(
        select(*SPACE_COLUMNS).where(
            and_(Space.latitude.between(box.south, box.north), Space.longitude.between(west, east))
        )
    ).all()
    near = {}
    for row in spaces:
        km = haversine_km(lat, lon, row.latitude, row.longitude)
        if km <= radius_km:
            near[row.space_id] = (km, row)
    found = [
        Match(sort_key(km, "space", sid), "space", km, (row, None))
        for sid, (km, row) in near.items()
    ]
    ids = list(near)
    for start in range(0, len(ids), 5000):
        query = select(*GROUP_COLUMNS, Group.status).where(
            Group.space_id.in_(ids[start : start + 5000])
        )
        for group in db.session.execute(query):
            if group.status == "active":
                km, space = near[group.space_id]
                found.append(
                    Match(sort_key(km, "group", group.group_id), "group", km, (space, group))
                )
    found.sort()
    shown = found[:PAGE_SIZE]
    changes = changes_by_group(m.row[1].group_id for m in shown if m.kind == "group")
    page = [
        build_item(m, now, changes.get(m.row[1].group_id, NO_CHANGES))
        if m.kind == "group"
        else build_item(m, now)
        for m in shown
    ]
    online = db.session.scalar(
        select(func.count(Group.id)).where(
            Group.online.is_(True), Group.space_id.is_(None), Group.status == "active"
        )
    )
    return len(found), page, online


# --- next meetings, as the group's own page reads them -----------------------------------


def next_meetings_check(service, args: list, mismatches: list) -> tuple[int, int]:
    """Each group on ours' pages for these searches: its next meeting
    against ``domain.schedule.meetings`` over its rule and its changes read
    from the database (what the group's page shows). Gives how many groups
    were checked and how many of them have changes."""
    from datetime import datetime

    from sqlalchemy import select

    from betterway_map.domain.clock import UK, uk_wall_clock
    from betterway_map.domain.schedule.meetings import NO_CHANGES, meetings
    from betterway_map.domain.schedule.recurrence import schedule_of
    from betterway_map.extensions import db
    from betterway_map.register.models import Group
    from betterway_map.register.services.meetings import changes_by_group

    moment = datetime.now(UK).replace(microsecond=0)
    checked = changed = 0
    for a in args:
        shown = [item for item in service.search(a, moment).items if item.kind == "group"]
        ids = [item.id for item in shown]
        changes = changes_by_group(ids)
        rows = {g.id: g for g in db.session.scalars(select(Group).where(Group.id.in_(ids)))}
        for item in shown:
            found = meetings(
                schedule_of(rows[item.id]),
                changes.get(item.id, NO_CHANGES),
                uk_wall_clock(moment),
                1,
            )
            expected = found[0].starts_at.replace(tzinfo=UK) if found else None
            checked += 1
            changed += item.id in changes
            if item.next_meeting != expected:
                mismatches.append(
                    f"next meeting of group {item.id}: {item.next_meeting} against {expected}"
                )
        db.session.remove()
    return checked, changed


# --- over HTTP -----------------------------------------------------------------------------


def over_http(database_url: str, queries: list, radius_km: float, workers: int) -> dict:
    """Latencies (seconds) of the API for each query, one client, in two
    passes: the first, and again once the server has seen them all."""
    import json

    from benchmarks.load import Gunicorn, server_env

    with tempfile.TemporaryDirectory() as folder:
        server = Gunicorn(
            "wsgi:app", server_env(database_url, Path(folder)), Path(folder) / "gunicorn.log",
            workers=workers,
        )  # fmt: skip
        server.env["PUBLIC_BASE_URL"] = server.url
        server.start()
        try:
            host, port = server.url.removeprefix("http://").split(":")
            paths = [
                f"/api/v1/nearby?lat={a!r}&lon={o!r}&radius_km={radius_km}" for a, o in queries
            ]
            for path in paths[:1] * workers * 2:  # every worker builds its index first
                _get(host, port, path)
            passes = {}
            for name in ("first", "steady"):
                seconds, totals = [], []
                for path in paths:
                    began = time.perf_counter()
                    body = _get(host, port, path)
                    seconds.append(time.perf_counter() - began)
                    totals.append(json.loads(body)["pagination"]["total"])
                passes[name] = seconds
        finally:
            server.stop()
    return {"first": passes["first"], "steady": passes["steady"], "totals": totals}


def _get(host: str, port: str, path: str) -> bytes:
    connection = http.client.HTTPConnection(host, int(port), timeout=60)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}: {body[:300]!r}")
        return body
    finally:
        connection.close()


def _percentile(values: list, p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(p / 100 * len(ordered)) - 1))]


# --- the run -------------------------------------------------------------------------------


def densest(floor: Floor, radius_km: float) -> tuple[float, float, int]:
    """The space with the most items (groups and spaces) within about ``radius_km``."""
    chord = 2 * math.sin(radius_km / 6371.0 / 2)
    per_place = np.bincount(floor.item_place, minlength=len(floor.lat))
    best, most = 0, -1
    for p, near in enumerate(floor.tree.query_ball_point(floor.tree.data, chord)):
        count = int(per_place[near].sum())
        if count > most:
            best, most = p, count
    return float(floor.lat[best]), float(floor.lon[best]), most


def scatter(rng: random.Random, centre: tuple, count: int) -> list[tuple[float, float]]:
    """The centre and ``count - 1`` points within a kilometre of it."""
    lat, lon = centre
    points = [centre]
    for _ in range(count - 1):
        km, bearing = rng.uniform(0, 1), rng.uniform(0, 2 * math.pi)
        points.append(
            (
                lat + km * math.cos(bearing) / 111.2,
                lon + km * math.sin(bearing) / (111.2 * math.cos(math.radians(lat))),
            )
        )
    return points


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", help="an existing, migrated database (e.g. the 100k demo)")
    parser.add_argument("--spaces", type=int, default=40_000)
    parser.add_argument("--groups", type=int, default=60_000)
    parser.add_argument("--towns", type=int, default=200, help="fewer: denser (own data only)")
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--radius-km", type=float, default=2.0)
    parser.add_argument("--peer", type=int, default=50)
    parser.add_argument("--naive", type=int, default=3)
    parser.add_argument("--http", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        return _run(options, folder)


def _run(options, folder: str) -> int:
    os.environ["BETTERWAY_INSTANCE"] = folder
    from flask_migrate import upgrade
    from sqlalchemy import select

    from betterway_map import create_app
    from betterway_map.domain.clock import now_in_uk
    from betterway_map.extensions import db
    from betterway_map.places import search as service
    from betterway_map.places.index import register_index
    from betterway_map.places.schemas import NearbyQuerySchema
    from betterway_map.register.models import Group, Space
    from config import TestingConfig

    url = options.database or f"sqlite:///{folder}/bench.db"

    class BenchConfig(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url

    before = load_average()
    app = create_app(BenchConfig)
    if options.database:
        print(f"Database: {options.database}")
    else:
        with app.app_context():
            upgrade()
        began = time.perf_counter()
        build(app, options.spaces, options.groups, options.seed, options.towns)
        print(f"Built {options.spaces:,} spaces and {options.groups:,} groups in "
              f"{time.perf_counter() - began:.1f} s (SQLite, {folder}).")  # fmt: skip
    radius = options.radius_km
    with app.app_context():
        spaces = db.session.execute(
            select(Space.id, Space.latitude, Space.longitude)
            .where(Space.latitude.is_not(None), Space.longitude.is_not(None))
            .order_by(Space.id)
        ).all()
        groups = db.session.execute(
            select(Group.id, Group.space_id).where(Group.status == "active").order_by(Group.id)
        ).all()
    floor, floor_build_s, _ = timed(Floor, spaces, groups)
    centre_lat, centre_lon, most = densest(floor, radius)
    points = scatter(random.Random(options.seed), (centre_lat, centre_lon), options.queries)
    print(f"{len(spaces):,} placed spaces, {len(groups):,} active groups; the densest point "
          f"({centre_lat:.5f}, {centre_lon:.5f}) has {most:,} within about {radius:g} km; "
          f"{len(points)} searches within 1 km of it.")  # fmt: skip

    schema = NearbyQuerySchema()
    mismatches = []
    with app.test_request_context():
        index, index_s, index_cpu = timed(register_index)
        args = [
            schema.load({"lat": repr(a), "lon": repr(o), "radius_km": radius}) for a, o in points
        ]
        service.search(args[0])  # warm
        # Two passes: in the first, each group on a page has its next meetings
        # worked out for the first time today; then they are known (a server
        # keeps them all day).
        passes = {}
        for name in ("first", "steady"):
            walls, cpus, answers = [], [], []
            for a in args:
                result, wall, cpu = timed(service.search, a)
                db.session.remove()
                walls.append(wall)
                cpus.append(cpu)
                page = [
                    (i.distance_km, {"group": 0, "space": 1}[i.kind], i.id) for i in result.items
                ]
                answers.append((result.total, page))
            passes[name] = (walls, cpus)
        (first_wall, first_cpu), (ours_wall, ours_cpu) = passes["first"], passes["steady"]
        ours_answers = answers
        meetings_checked, meetings_changed = next_meetings_check(
            service, args[: options.peer], mismatches
        )

        floor_wall, floor_cpu = [], []
        for (lat, lon), ours in zip(points, ours_answers, strict=True):
            answer, wall, cpu = timed(floor.query, lat, lon, radius, PAGE_SIZE)
            floor_wall.append(wall)
            floor_cpu.append(cpu)
            if not same_answer(answer, ours):
                mismatches.append(f"floor at ({lat}, {lon}): {answer[0]} against ours {ours[0]}")

        now = now_in_uk().replace(microsecond=0)
        peer_wall, peer_cpu, peer_differs = [], [], 0
        for (lat, lon), ours in zip(points[: options.peer], ours_answers, strict=False):
            (total, page, _), wall, cpu = timed(peer, lat, lon, radius, now)
            db.session.remove()
            peer_wall.append(wall)
            peer_cpu.append(cpu)
            keys = [({"group": 0, "space": 1}[i.kind], i.id) for i in page]
            peer_differs += total != ours[0] or keys != [(k, i) for _, k, i in ours[1]]

        naive_wall, naive_cpu = [], []
        for lat, lon in points[: options.naive]:
            theirs, wall, cpu = timed(naive, lat, lon, radius)
            naive_wall.append(wall)
            naive_cpu.append(cpu)
            mine = [
                (m.distance_km, m.kind, m.key[2])
                for m in service.matches(lat, lon, radius, service.Filters())
            ]
            if not same_items(mine, theirs):
                mismatches.append(
                    f"brute-force geopy at ({lat}, {lon}): {len(theirs)} against {len(mine)}"
                )
            db.session.remove()
        db.engine.dispose()

    http = over_http(url, points[: options.http], radius, options.workers)
    http_totals = http["totals"]
    http_median, http_p95 = statistics.median(http["steady"]), _percentile(http["steady"], 95)
    wrong_totals = sum(t != o[0] for t, o in zip(http_totals, ours_answers, strict=False))
    if wrong_totals:
        mismatches.append(f"{wrong_totals} API totals differ from ours")
    after = load_average()

    ms = lambda seconds: statistics.median(seconds) * 1000  # noqa: E731
    ours_ms, floor_ms, peer_ms = ms(ours_wall), ms(floor_wall), ms(peer_wall)
    totals = [t for t, _ in ours_answers]
    print(f"\n/proc/loadavg before: {before}\n/proc/loadavg after:  {after}")
    print(f"Results a search: median {statistics.median(totals):,.0f}, max {max(totals):,}; "
          f"online groups counted as well. Index: {len(index.space_ids):,} places, "
          f"{len(index.group_ids):,} groups, built in {index_s * 1000:.0f} ms "
          f"(CPU {index_cpu * 1000:.0f} ms) once a process and after each write; the floor's "
          f"tree in {floor_build_s * 1000:.0f} ms.\n")  # fmt: skip
    rows = [
        ("ours, in process", len(ours_wall), ours_ms, ms(ours_cpu), ""),
        ("ours, in process, first pass (next meetings new today)", len(first_wall), ms(first_wall), ms(first_cpu), ""),
        ("the floor (cKDTree, same answer)", len(floor_wall), floor_ms, ms(floor_cpu), f"ours {ours_ms / floor_ms:.2f}× the floor's time (CPU {ms(ours_cpu) / ms(floor_cpu):.2f}×)"),
        ("honest peer (SQL box + haversine)", len(peer_wall), peer_ms, ms(peer_cpu), f"ours {peer_ms / ours_ms:.1f}× faster (CPU {ms(peer_cpu) / ms(ours_cpu):.1f}×)"),
        ("old peer (every row, geopy)", len(naive_wall), ms(naive_wall), ms(naive_cpu), f"ours {ms(naive_wall) / ours_ms:,.0f}× faster"),
    ]  # fmt: skip
    print("| | searches | median ms (wall) | median ms (CPU) | |\n|---|---|---|---|---|")
    for name, n, wall, cpu, note in rows:
        print(f"| {name} | {n} | {wall:.2f} | {cpu:.2f} | {note} |")
    print(f"| over HTTP (gunicorn -w {options.workers}, one client) | {len(http_totals)} | "
          f"median {http_median * 1000:.1f}, p95 {http_p95 * 1000:.1f} | | first pass: median "
          f"{ms(http['first']):.1f}, p95 {_percentile(http['first'], 95) * 1000:.1f} |")  # fmt: skip
    print(f"\nNext meetings: ours equal the group's own reading (rule and changes from the "
          f"database) for {meetings_checked - sum(m.startswith('next') for m in mismatches)} "
          f"of {meetings_checked} groups shown on {min(options.peer, len(points))} pages, "
          f"{meetings_changed} of them with meeting changes.")  # fmt: skip
    print(f"\nIdentical answers: ours and the floor on {len(points) - sum(m.startswith('floor') for m in mismatches)} "
          f"of {len(points)} searches (total and page, distances within a micrometre); ours and "
          f"brute-force geopy (every item, in order) on {len(naive_wall) - sum(m.startswith('brute') for m in mismatches)} "
          f"of {len(naive_wall)}; the API's totals on {len(http_totals) - wrong_totals} of "
          f"{len(http_totals)}. The haversine peer's total or page differs from the exact "
          f"answer on {peer_differs} of {len(peer_wall)}.")  # fmt: skip
    for mismatch in mismatches[:10]:
        print("DIFFERENT:", mismatch)
    met = {
        f"under {TARGET_MS:g} ms in process": ours_ms < TARGET_MS,
        f"under {TARGET_HTTP_MS:g} ms over HTTP": http_median * 1000 < TARGET_HTTP_MS,
        f"at least {TARGET_PEER:g}× the honest peer": peer_ms / ours_ms >= TARGET_PEER,
        f"within {TARGET_FLOOR:g}× the floor": ours_ms / floor_ms <= TARGET_FLOOR,
    }
    print(
        "Targets: " + "; ".join(f"{name}: {'met' if ok else 'MISSED'}" for name, ok in met.items())
    )
    return 1 if mismatches or not all(met.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
