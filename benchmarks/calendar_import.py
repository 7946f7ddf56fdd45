"""Calendar import: events a second, against icalendar's own parsing of the same file.

    .venv/bin/python benchmarks/calendar_import.py [--events 2000] [--spaces 50] [--seed 3]

Builds a SQLite database in a temporary folder through the real migrations,
one organisation with ``--spaces`` spaces, and a calendar of ``--events``
events like an organisation's export: 60% repeating (weekly, fortnightly,
the nth or last weekday of the month by BYDAY or BYSETPOS, in Europe/London
or "GMT Standard Time"), each with two EXDATEs and one moved meeting
(an overriding VEVENT), and 40% single events, a few of them all day; every
LOCATION names one of the spaces. Then, in one run:

* **the floor**: ``icalendar.Calendar.from_ical`` of the file and a walk of
  its events — parsing alone, which any import must do;
* **ours, first import**: ``interop.calendars.imports.service.import_calendar``
  — reading, checking each rule against its expansion, matching places,
  writing groups, meeting changes and events in one transaction;
* **ours, again**: the same file imported again (every event found by UID,
  compared, nothing to change).

It prints events a second for each, ours against the floor, and the load
average (the machine is shared: absolute figures move with it, the ratios
much less). Targets: a first import within 4x the floor's time, the same
file again within 3x, every event imported the first time and found up to
date the second.
"""

from __future__ import annotations

import argparse
import logging
import random
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks._common import bench_app, load_average  # noqa: E402

TODAY = date(2026, 1, 1)
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%S")


def calendar(events: int, spaces: int, seed: int) -> bytes:
    """The calendar described above, as bytes."""
    rng = random.Random(seed)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Better Way Map benchmark//EN"]
    for number in range(events):
        zone = rng.choice(("Europe/London", '"GMT Standard Time"'))
        day = TODAY + timedelta(days=rng.randrange(1, 120))
        start = datetime.combine(day, datetime.min.time()).replace(hour=rng.randrange(9, 19))
        end = start + timedelta(minutes=rng.choice((60, 90, 120)))
        where = f"Hall {rng.randrange(spaces)}, {rng.randrange(1, 99)} High Street"
        head = [
            "BEGIN:VEVENT",
            f"UID:event-{number}@benchmark.example",
            f"SUMMARY:Group {number}",
            f"DESCRIPTION:Meeting number {number}\\, all welcome.",
            f"LOCATION:{where}",
        ]
        if rng.random() < 0.6:
            rule, first = _rule(rng, start)
            end = first + (end - start)
            lines += head + [
                f"DTSTART;TZID={zone}:{_stamp(first)}",
                f"DTEND;TZID={zone}:{_stamp(end)}",
                f"RRULE:{rule}",
            ]
            occurrences = _occurrences(rule, first, 6)
            lines += [f"EXDATE;TZID={zone}:{_stamp(m)}" for m in occurrences[1:3]]
            lines.append("END:VEVENT")
            moved = occurrences[4]
            lines += [
                "BEGIN:VEVENT",
                f"UID:event-{number}@benchmark.example",
                f"SUMMARY:Group {number}",
                f"RECURRENCE-ID;TZID={zone}:{_stamp(moved)}",
                f"DTSTART;TZID={zone}:{_stamp(moved + timedelta(days=1))}",
                f"DTEND;TZID={zone}:{_stamp(moved + timedelta(days=1) + (end - first))}",
                f"LOCATION:{where}",
                "END:VEVENT",
            ]
        elif rng.random() < 0.1:
            lines += head + [f"DTSTART;VALUE=DATE:{day:%Y%m%d}", "END:VEVENT"]
        else:
            lines += head + [
                f"DTSTART;TZID={zone}:{_stamp(start)}",
                f"DTEND;TZID={zone}:{_stamp(end)}",
                "END:VEVENT",
            ]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def _rule(rng, start: datetime) -> tuple[str, datetime]:
    """A rule the register can say, and its first meeting on or after ``start``."""
    from dateutil.rrule import rrulestr

    day = rng.choice(_DAYS)
    rule = rng.choice(
        (
            f"FREQ=WEEKLY;BYDAY={day}",
            f"FREQ=WEEKLY;INTERVAL=2;BYDAY={day}",
            f"FREQ=MONTHLY;BYDAY={rng.choice((1, 2, 3, 4, -1))}{day}",
            f"FREQ=MONTHLY;BYDAY={day};BYSETPOS={rng.choice((1, 2, 3, 4, -1))}",
        )
    )
    first = rrulestr(rule, dtstart=start).after(start, inc=True)
    return rule, first


def _occurrences(rule: str, first: datetime, count: int) -> list[datetime]:
    from dateutil.rrule import rrulestr

    return list(rrulestr(rule, dtstart=first)[:count])


def floor(data: bytes) -> float:
    from icalendar import Calendar

    started = time.perf_counter()
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    assert events
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--spaces", type=int, default=50)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    data = calendar(args.events, args.spaces, args.seed)
    folder = tempfile.mkdtemp()
    app = bench_app(folder)
    with app.app_context():
        from betterway_map.extensions import db
        from betterway_map.interop.calendars.imports.service import import_calendar
        from betterway_map.register.models import Organisation, Space

        organisation = Organisation(name="Benchmark Trust", sector="voluntary")
        db.session.add(organisation)
        db.session.flush()
        for number in range(args.spaces):
            db.session.add(
                Space(
                    organisation_id=organisation.id,
                    name=f"Hall {number}",
                    address=f"{number} High Street",
                    postcode="ZZ1 1AA",
                    opening_times=[],
                )
            )
        db.session.commit()
        vevents = data.count(b"BEGIN:VEVENT")
        parse = floor(data)
        started = time.perf_counter()
        first = import_calendar(None, organisation.id, data, "benchmark.ics", today=TODAY)
        first_seconds = time.perf_counter() - started
        started = time.perf_counter()
        again = import_calendar(None, organisation.id, data, "benchmark.ics", today=TODAY)
        again_seconds = time.perf_counter() - started
    print(f"{len(data) / 1e6:.2f} MB, {args.events} events ({vevents} VEVENTs with overrides)")
    print(first.summary())
    print(again.summary())
    print("| | seconds | events a second |")
    print("|---|---|---|")
    for name, seconds in (
        ("floor: icalendar parse only", parse),
        ("ours: first import", first_seconds),
        ("ours: the same file again", again_seconds),
    ):
        print(f"| {name} | {seconds:.2f} | {args.events / seconds:,.0f} |")
    print(f"ours (first import) takes {first_seconds / parse:.1f}x the parse alone")
    print(f"ours (the same file again) takes {again_seconds / parse:.1f}x the parse alone")
    print(f"load average: {load_average()}")
    ok = first_seconds <= 4 * parse and again_seconds <= 3 * parse
    ok = ok and not first.skipped and again.unchanged == first.created
    print("targets met" if ok else "TARGETS MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
