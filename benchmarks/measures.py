"""The council's measures from the database, against the naive peer.

    .venv/bin/python benchmarks/measures.py [--people 100000] [--relationships 20000]
        [--contacts 1000000] [--seed 9]

Builds, in a temporary SQLite file through the real migrations, an area of
100,000 people, 20,000 relationships (8,000 matches, 8,000 group
memberships, 4,000 caseloads) and 1,000,000 contacts, with rhythms,
feedback, repeated loneliness measures, requests (one in eight reopened)
and ties (bulk inserts).
Then, in one run:

- **ours**: ``measures.services.figures.area_figures`` (what the council
  dashboard and ``flask measures report`` compute): a few queries of plain
  columns, then the pure core;
- **the naive peer**: the same records read through the ORM one query per
  relationship (its contacts, its rhythm and its feedback as objects), then
  the same figures.

It checks the figures are equal (exit status 1 otherwise) and prints both
times and the ratio. Targets (issue 9): ours under 5 s, at least 20× faster.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from benchmarks._common import load_average  # noqa: E402

TODAY = date(2026, 3, 1)
DISTRICTS = [f"LS{n}" for n in range(1, 31)]
AGE_BANDS = ["50-64", "65-74", "75-84", "85+"]
LANGUAGES = ["en", "pa", "ur", "pl", "so"]
KINDS = ["befriending_phone", "befriending_visit", "shopping", "digital", "go_along"]
RHYTHMS = ["weekly", "fortnightly", "monthly"]


def _day(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange(max(1, (last - first).days + 1)))


def build(db, people: int, relationships: int, contacts: int, seed: int) -> None:
    """Fill the database with a believable area (bulk inserts)."""
    from betterway_map.accounts.models import User, UserRole
    from betterway_map.matching.models import Match, SupportRequest
    from betterway_map.measures.models import Feedback, Rhythm
    from betterway_map.people.models import (
        Assignment,
        Attendance,
        LonelinessMeasure,
        Person,
        Tie,
    )
    from betterway_map.register.models import Group, Organisation

    rng = random.Random(seed)
    now = datetime(2026, 3, 1, tzinfo=UTC)
    online = people // 4
    workers = 60
    db.session.execute(
        insert(User),
        [
            {
                "id": i,
                "email": f"u{i}@example.org",
                "password_hash": "x",
                "display_name": f"U{i}",
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, online + workers + 1)
        ],
    )
    worker_ids = list(range(online + 1, online + workers + 1))
    db.session.execute(insert(UserRole), [{"user_id": w, "role": "worker"} for w in worker_ids])
    db.session.execute(
        insert(Person),
        [
            {
                "id": i,
                "first_name": f"P{i}",
                "age_band": rng.choice(AGE_BANDS),
                "postcode": f"{rng.choice(DISTRICTS)} 1AA",
                "languages": rng.sample(LANGUAGES, rng.choice((1, 1, 2))),
                "user_id": i if i <= online else None,
                "created_at": now,
                "updated_at": now,
            }
            for i in range(1, people + 1)
        ],
    )
    db.session.execute(
        insert(Organisation),
        [
            {
                "id": o,
                "name": f"Org {o}",
                "sector": "voluntary",
                "created_at": now,
                "updated_at": now,
            }
            for o in range(1, 51)
        ],
    )
    db.session.execute(
        insert(Group),
        [
            {
                "id": g,
                "organisation_id": 1 + g % 50,
                "name": f"Group {g}",
                "frequency": "weekly",
                "weekday": "tue",
                "start_time": datetime(2026, 1, 1, 10).time(),
                "end_time": datetime(2026, 1, 1, 12).time(),
                "starts_on": date(2023, 1, 1),
                "status": "active",
                "created_at": now,
                "updated_at": now,
            }
            for g in range(1, 501)
        ],
    )
    n_match, n_group = relationships * 2 // 5, relationships * 2 // 5
    n_case = relationships - n_match - n_group
    volunteers = list(range(people - 3000 + 1, people + 1))
    supported = list(range(1, people - 3000 + 1))
    # Requests: the matched people, and as many again still waiting.
    asked = rng.sample(supported, n_match + n_match // 2)
    requests, matches = [], []
    # One request in eight was made earlier, closed and reopened on the day it
    # opened (its own generator, so the rest of the area is as before).
    reopening = random.Random(seed + 1)
    for rid, pid in enumerate(asked, start=1):
        opened = _day(rng, date(2023, 6, 1), TODAY - timedelta(days=30))
        made = opened
        if reopening.random() < 1 / 8:
            made = opened - timedelta(days=reopening.randrange(30, 300))
        requests.append(
            {
                "id": rid,
                "person_id": pid,
                "kind": rng.choice(KINDS),
                "opened_on": opened,
                "lived_experience": ["disability"] if rng.random() < 0.15 else [],
                "status": "open",
                "created_at": datetime.combine(made, datetime.min.time(), UTC).replace(hour=12),
                "updated_at": now,
            }
        )
        if rid <= n_match:
            # People not online wait longer.
            wait = rng.randrange(5, 60) * (2 if pid > online else 1)
            started = min(opened + timedelta(days=wait), TODAY - timedelta(days=1))
            ended = None
            if rng.random() < 0.4:
                ended = min(started + timedelta(days=rng.randrange(20, 400)), TODAY)
            matches.append(
                {
                    "id": rid,
                    "request_id": rid,
                    "volunteer_id": rng.choice(volunteers),
                    "status": "ended" if ended else "active",
                    "started_on": started,
                    "ended_on": ended,
                    "end_kind": (
                        rng.choice(["planned", "planned", "unplanned"]) if ended else None
                    ),
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db.session.execute(insert(SupportRequest), requests)
    db.session.execute(insert(Match), matches)
    attendances, seen = [], set()
    while len(attendances) < n_group:
        pid, gid = rng.choice(supported), rng.randrange(1, 501)
        if (pid, gid) in seen:
            continue
        seen.add((pid, gid))
        since = _day(rng, date(2023, 1, 1), TODAY - timedelta(days=10))
        left = rng.random() < 0.25
        last = _day(rng, since, TODAY)
        attendances.append(
            {
                "person_id": pid,
                "group_id": gid,
                "status": "left" if left else "member",
                "since": since,
                "last_attended_on": last,
                "created_at": now,
                "updated_at": now,
            }
        )
    db.session.execute(insert(Attendance), attendances)
    assignments = []
    for pid in rng.sample(supported, n_case):
        assignments.append(
            {
                "person_id": pid,
                "worker_id": rng.choice(worker_ids),
                "assigned_at": datetime.combine(
                    _day(rng, date(2023, 1, 1), TODAY), datetime.min.time(), UTC
                ),
            }
        )
    db.session.execute(insert(Assignment), assignments)
    # The relationships as (kind, person, match, group, worker, start, end).
    rels = []
    for m in matches:
        rels.append(
            (
                "match",
                asked[m["id"] - 1],
                m["id"],
                None,
                None,
                m["started_on"],
                m["ended_on"] or TODAY,
            )
        )
    for a in attendances:
        end = a["last_attended_on"] if a["status"] == "left" else TODAY
        rels.append(("group", a["person_id"], None, a["group_id"], None, a["since"], end))
    for a in assignments:
        rels.append(
            ("caseload", a["person_id"], None, None, a["worker_id"], a["assigned_at"].date(), TODAY)
        )
    rhythms, feedback = [], []
    for kind, pid, mid, gid, wid, start, _end in rels:
        key = {"kind": kind, "person_id": pid, "match_id": mid, "group_id": gid, "worker_id": wid}
        if rng.random() < 0.7:
            rhythms.append(
                key
                | {
                    "frequency": rng.choice(RHYTHMS),
                    "duration_min": 30,
                    "agreed_on": start,
                    "recorded_at": now,
                }
            )
        if rng.random() < 0.5:
            base = rng.randrange(2, 6)
            for side in ("person", "worker" if kind != "match" else "volunteer"):
                feedback.append(
                    key
                    | {
                        "side": side,
                        "occasion": "first_review",
                        "given_on": min(start + timedelta(days=42), TODAY),
                        **{
                            m: max(1, min(5, base + rng.randrange(-1, 2)))
                            for m in (
                                "understanding",
                                "collaboration",
                                "commitment",
                                "communication",
                                "empowerment",
                                "time_together",
                            )
                        },
                        "recorded_at": now,
                    }
                )
    db.session.execute(insert(Rhythm), rhythms)
    db.session.execute(insert(Feedback), feedback)
    # Contacts: spread over each relationship's life, some lapse at the end.
    weights = np.array([max(1, (r[6] - r[5]).days) for r in rels], dtype=float)
    per = np.random.default_rng(seed).multinomial(contacts, weights / weights.sum())
    rows = []
    for (kind, pid, mid, gid, wid, start, end), count in zip(rels, per.tolist()):
        span = max(1, (end - start).days - (rng.randrange(0, 60) if rng.random() < 0.2 else 0))
        other_v = next(m["volunteer_id"] for m in [matches[mid - 1]]) if kind == "match" else None
        for _ in range(count):
            day = start + timedelta(days=rng.randrange(span))
            rows.append(
                (
                    kind,
                    pid,
                    mid,
                    gid,
                    wid,
                    day.isoformat(),
                    "phone",
                    30,
                    other_v,
                    wid,
                    now.isoformat(sep=" "),
                )
            )
    connection = db.session.connection()
    connection.exec_driver_sql(
        "INSERT INTO contacts (kind, person_id, match_id, group_id, worker_id, contacted_on,"
        " mode, duration_min, with_volunteer_id, with_worker_id, recorded_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    measures = []
    for pid in rng.sample(supported, people // 3):
        first = _day(rng, date(2023, 1, 1), date(2024, 6, 1))
        score = rng.randrange(5, 10)
        for k in range(3):
            measures.append(
                {
                    "person_id": pid,
                    "measured_on": first + timedelta(days=150 * k),
                    "ucla_total": max(3, min(9, score + rng.randrange(-2, 2))),
                    "direct": rng.choice(
                        ["often_always", "some_of_the_time", "occasionally", "hardly_ever"]
                    ),
                    "djg_total": rng.randrange(0, 7) if rng.random() < 0.3 else None,
                    "recorded_at": now,
                }
            )
    db.session.execute(insert(LonelinessMeasure), measures)
    ties = []
    for pid in rng.sample(supported, people // 2):
        ties.append(
            {
                "person_id": pid,
                "other_label": "family",
                "kind": rng.choice(["family", "friend", "neighbour"]),
                "contact_frequency": rng.choice(["daily", "weekly", "monthly", "less"]),
                "last_contact_on": _day(rng, date(2024, 1, 1), TODAY)
                if rng.random() < 0.5
                else None,
                "created_at": datetime.combine(
                    _day(rng, date(2022, 1, 1), TODAY), datetime.min.time(), UTC
                ),
            }
        )
    db.session.execute(insert(Tie), ties)
    db.session.commit()


def naive_records(db):
    """The same records as ``area_records``, through the ORM, one query per
    relationship for its contacts, its rhythm and its feedback."""
    from dataclasses import replace

    from betterway_map.domain.measures.records import (
        Contacts,
        FeedbackRecord,
        MeasureRecord,
        Relationship,
    )
    from betterway_map.matching.models import Match
    from betterway_map.measures.models import QUALITY_MARKS, Contact, Feedback, Rhythm
    from betterway_map.people.models import Assignment, Attendance, LonelinessMeasure

    relationships = []
    for m in db.session.scalars(
        select(Match).where(Match.started_on.is_not(None)).order_by(Match.id)
    ):
        relationships.append(
            Relationship(
                ("match", m.id),
                m.request.person_id,
                m.volunteer_id,
                m.started_on,
                m.ended_on,
                m.end_kind,
            )
        )
    for a in db.session.scalars(
        select(Attendance).where(Attendance.status != "interested").order_by(Attendance.id)
    ):
        relationships.append(
            Relationship(
                ("group", a.person_id, a.group_id),
                a.person_id,
                a.group_id,
                a.since,
                a.last_attended_on if a.status == "left" else None,
                organisation_id=a.group.organisation_id,
            )
        )
    for a in db.session.scalars(
        select(Assignment).order_by(Assignment.person_id, Assignment.worker_id)
    ):
        relationships.append(
            Relationship(
                ("caseload", a.person_id, a.worker_id),
                a.person_id,
                a.worker_id,
                a.assigned_at.date(),
            )
        )

    def where(model, r):
        kind = r.kind
        if kind == "match":
            return (model.kind == "match", model.match_id == r.key[1])
        if kind == "group":
            return (
                model.kind == "group",
                model.person_id == r.person_id,
                model.group_id == r.key[2],
            )
        return (
            model.kind == "caseload",
            model.person_id == r.person_id,
            model.worker_id == r.key[2],
        )

    with_rhythm, rel, day, person, other, feedback = [], [], [], [], [], []
    for index, r in enumerate(relationships):
        rhythm = db.session.scalars(
            select(Rhythm)
            .where(*where(Rhythm, r))
            .order_by(Rhythm.agreed_on.desc(), Rhythm.id.desc())
            .limit(1)
        ).first()
        r = replace(r, rhythm=rhythm.frequency) if rhythm else r
        with_rhythm.append(r)
        for c in db.session.scalars(select(Contact).where(*where(Contact, r))):
            rel.append(index)
            day.append(c.contacted_on.toordinal())
            person.append(r.person_id)
            if r.kind == "match":
                other.append(-1 if c.with_volunteer_id is None else 2 * c.with_volunteer_id)
            elif r.kind == "caseload":
                other.append(-1 if c.with_worker_id is None else 2 * c.with_worker_id + 1)
            else:
                other.append(-1)
        for f in db.session.scalars(
            select(Feedback).where(*where(Feedback, r)).order_by(Feedback.id)
        ):
            feedback.append(
                FeedbackRecord(
                    r.key,
                    f.person_id,
                    f.side,
                    f.given_on,
                    tuple(getattr(f, m) for m in QUALITY_MARKS),
                )
            )
    contacts = Contacts(*(np.array(a, dtype=np.int64) for a in (rel, day, person, other)))
    measures = [
        MeasureRecord(m.person_id, m.measured_on, m.ucla_total, m.direct, m.djg_total)
        for m in db.session.scalars(select(LonelinessMeasure).order_by(LonelinessMeasure.id))
    ]
    return with_rhythm, contacts, feedback, measures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=20_000)
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument(
        "--database",
        type=Path,
        help="keep the area in this SQLite file and reuse it when it is there"
        " (it must have been built with the same sizes and seed)",
    )
    parser.add_argument(
        "--ours-only", action="store_true", help="skip the naive peer (for profiling)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ["BETTERWAY_INSTANCE"] = folder
        from flask_migrate import upgrade

        from betterway_map import create_app
        from betterway_map.extensions import db
        from betterway_map.measures.services.figures import area_figures, area_figures_from
        from config import TestingConfig

        path = args.database.resolve() if args.database else Path(folder) / "measures.db"
        reuse = path.exists()

        class BenchConfig(TestingConfig):
            SQLALCHEMY_DATABASE_URI = f"sqlite:///{path}"

        app = create_app(BenchConfig)
        with app.app_context():
            if reuse:
                print(f"Reusing the area in {path} (built earlier)")
            else:
                upgrade()
                started = time.perf_counter()
                build(db, args.people, args.relationships, args.contacts, args.seed)
                print(
                    f"Built the area in {time.perf_counter() - started:.0f} s: "
                    f"{args.people:,} people, {args.relationships:,} relationships, "
                    f"{args.contacts:,} contacts"
                )
            db.session.remove()
            print(f"  load average before: {load_average()}")
            started, cpu = time.perf_counter(), time.process_time()
            ours = area_figures(TODAY, 5)
            ours_s, ours_cpu = time.perf_counter() - started, time.process_time() - cpu
            print(f"  load average after ours: {load_average()}")
            db.session.remove()
            naive = None
            if not args.ours_only:
                started, cpu = time.perf_counter(), time.process_time()
                naive = area_figures_from(*naive_records(db), today=TODAY, min_count=5)
                naive_s, naive_cpu = time.perf_counter() - started, time.process_time() - cpu
                db.session.remove()
            print(f"  load average after:  {load_average()}")
    print("                                  wall       CPU")
    print(
        f"  ours (bulk, plain columns)     {ours_s:7.2f} s {ours_cpu:7.2f} s  (target: under 5 s)"
    )
    if naive is None:
        sys.exit(0)
    equal = ours == naive
    ratio = naive_s / ours_s
    print(f"  naive peer (ORM per relation)  {naive_s:7.2f} s {naive_cpu:7.2f} s")
    print(
        f"  ratio                          {ratio:7.1f}x  {naive_cpu / ours_cpu:7.1f}x"
        "  (target: at least 20x)"
    )
    print(f"  equal figures: {equal}")
    shown = ours.continuity.durations["all"]
    print(
        f"  e.g. median relationship {shown.median:.0f} days over {shown.people:,} people;"
        f" gaps within rhythm {ours.continuity.rhythm.gaps_kept:.1%}"
    )
    sys.exit(0 if equal and ours_s < 5 and ratio >= 20 else 1)


if __name__ == "__main__":
    main()
