"""Demo measures: the agreed rhythm, contacts and feedback of relationships,
and loneliness measured before and after a relationship began.

``add_measures(rng, area)`` runs last, once matching has made its matches.
It reads everything made before it and changes none of it: it only fills
``area.rhythms``, ``area.contacts``, ``area.feedback`` and
``area.relationship_measures``. Its random stream is its own
(``Random(f"{seed}:measures")``), so adding it changed nothing made before.

What it makes, in believable proportions:

- **rhythms**: every match that started (from its request: weekly, every two
  weeks or monthly, with the minutes asked for; a few long matches agreed a
  slower rhythm at a six-monthly review); most of the workers' caseloads
  (the demo worker's more often); the memberships of the groups of the
  organisations that record contacts (every organisation with a demo admin,
  about 40% of the rest), from when the group meets;
- **contacts** over each relationship's life: a match's from its start, by
  the volunteer (a phone befriender phones, a visiting one mostly visits);
  a caseload's and a group's over the last ``RECORDING_DAYS`` only (when the
  area began recording them), by the worker and at the group's meetings.
  Most keep roughly to their rhythm, missing one now and then; some lapse —
  the contacts stop weeks before today (about 15% of active matches, 5% of
  caseloads, and at least ``DEMO_WORKER_LAPSED`` of the demo worker's
  people, so that their continuity warnings show) or weeks before an
  unplanned ending. Group members' contacts stop at their last attendance.
- **feedback** at each match's six-week and six-monthly reviews, from the
  person and the volunteer (each mostly, not always), marks 1-5 that are
  good where the match holds and poorer where it lapsed or ended unplanned;
  the person tends to want more time together, the volunteer to rate the
  person's growing confidence higher. Some caseloads and group memberships
  have feedback given at another time ("other").
- **loneliness measures** for people whose consent covers measures: just
  before their first match (most), a recent group (about a third) or a
  recent caseload (over half), and again at least ``FOLLOW_UP_WEEKS`` weeks
  after when that day has come (some once more, six months in). About half
  of those in a match that holds are less lonely after, fewer where it
  lapsed; some are lonelier. About a third also answer the De Jong
  Gierveld scale, consistently with their other answers.
"""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta

from betterway_map.demo.generator.loneliness import _DIRECT, _measure
from betterway_map.demo.generator.rows import (
    Contact,
    DemoArea,
    Feedback,
    Measure,
    Rhythm,
)
from betterway_map.domain.matching.model import FIRST_REVIEW_DAYS, REVIEW_EVERY_DAYS
from betterway_map.domain.measures.change import FOLLOW_UP_WEEKS
from betterway_map.domain.measures.djg import DJG_ITEMS, EMOTIONAL
from betterway_map.domain.measures.records import RHYTHM_DAYS
from betterway_map.domain.measures.relationships import (
    MARKS,
    rhythm_from_request,
    rhythm_from_schedule,
)

__all__ = ["add_measures", "RECORDING_DAYS", "DEMO_WORKER_LAPSED", "may_measure"]

DEMO_WORKER = "worker"
QUALITY_MARKS = tuple(mark for mark, *_ in MARKS)
# Caseloads' and groups' contacts are recorded over the last year only.
RECORDING_DAYS = 365
# Measures are taken around relationships that began within this many days.
MEASURED_SINCE_DAYS = 730
# The demo worker has at least this many caseloads whose contacts lapsed.
DEMO_WORKER_LAPSED = 4
_CASELOAD_RHYTHMS = {"weekly": 0.15, "fortnightly": 0.35, "monthly": 0.5}
_CASELOAD_MODES = {"phone": 0.55, "visit": 0.35, "online": 0.1}
_MINUTES = {
    "phone": (10, 15, 20, 30, 45),
    "visit": (30, 45, 60, 60, 90),
    "online": (20, 30, 30, 45),
}
# How each side tends to see each mark, against the relationship's quality.
_SIDE_BIAS = {
    "person": {"time_together": -0.6, "empowerment": -0.2},
    "volunteer": {"empowerment": 0.3, "time_together": 0.2, "understanding": -0.3},
    "worker": {"collaboration": 0.2, "empowerment": 0.1},
}


def may_measure(area: DemoArea) -> set[int]:
    """The people whose consent covers loneliness measures (and is not withdrawn)."""
    return {
        c.person
        for c in area.consents
        if c.purpose == "measures" and getattr(c, "withdrawn_on", None) is None
    }


class _Maker:
    def __init__(self, rng: random.Random, area: DemoArea) -> None:
        self.rng = rng
        self.area = area
        self.today = area.today
        self.recording_from = area.today - timedelta(days=RECORDING_DAYS)
        self.worker_of: dict[int, str] = {}
        for a in sorted(area.assignments, key=lambda a: (a.assigned_on, a.worker)):
            self.worker_of.setdefault(a.person, a.worker)
        # How each relationship went: person -> [(kind, start, good)].
        self.outcomes: dict[int, list[tuple[str, date, bool]]] = defaultdict(list)

    # --- helpers ---------------------------------------------------------

    def recorder_of(self, person: int) -> str | None:
        """Who records for a person: themself with a login, else their worker."""
        return self.area.people[person].account or self.worker_of.get(person)

    def gap(self, rhythm_days: int) -> int:
        """Days back to the contact before: mostly the rhythm, now and then one missed."""
        roll = self.rng.random()
        if roll < 0.78:
            jitter = max(1, rhythm_days // 7)
            return max(1, rhythm_days + self.rng.randint(-jitter, jitter))
        if roll < 0.94:
            return 2 * rhythm_days
        return 3 * rhythm_days + self.rng.randint(0, rhythm_days)

    def days_back(self, last: date, first: date, rhythm_at) -> list[date]:
        """Contact days from ``last`` back to no earlier than ``first``, oldest first."""
        days, day = [], last
        while day >= first:
            days.append(day)
            day -= timedelta(days=self.gap(rhythm_at(day)))
        return days[::-1]

    def marks(self, quality: float, side: str) -> dict[str, int | None]:
        bias = _SIDE_BIAS[side]
        found = {}
        for mark in QUALITY_MARKS:
            if self.rng.random() < 0.03:
                found[mark] = None  # not answered
                continue
            value = quality + bias.get(mark, 0.0) + self.rng.gauss(0, 0.6)
            found[mark] = min(5, max(1, round(value)))
        return found

    # --- matches ---------------------------------------------------------

    def matches(self) -> None:
        area, rng = self.area, self.rng
        for number, match in enumerate(area.matches):
            if match.started_on is None or match.started_on > self.today:
                continue
            request = area.support_requests[match.request]
            person, volunteer = request.person, match.volunteer
            worker = self.worker_of.get(person) or match.approved_by or request.created_by
            recorder = area.people[volunteer].account or worker
            where = ("match", person, number, None, None)
            frequency, minutes = rhythm_from_request(request.frequency, request.duration_min)
            rhythms = [(match.started_on, frequency)]
            area.rhythms.append(
                Rhythm(*where, frequency, minutes, match.started_on, match.approved_by or worker)
            )
            end = match.ended_on or self.today
            review = match.started_on + timedelta(days=REVIEW_EVERY_DAYS)
            if frequency == "weekly" and review + timedelta(days=60) < end and rng.random() < 0.2:
                rhythms.append((review, "fortnightly"))
                area.rhythms.append(Rhythm(*where, "fortnightly", minutes, review, worker))

            def rhythm_at(day: date, rhythms=rhythms) -> int:
                return RHYTHM_DAYS[[f for since, f in rhythms if since <= day][-1]]

            if match.ended_on is not None:
                good = match.end_kind == "planned"
                stop = match.ended_on - timedelta(
                    days=rng.randint(0, 7) if good else rng.randint(14, 56)
                )
            else:
                good = rng.random() >= 0.15
                lapse = rhythm_at(self.today)
                stop = self.today - timedelta(
                    days=rng.randint(0, lapse - 1)
                    if good
                    else rng.randint(2 * lapse, 2 * lapse + 42)
                )
            stop = max(stop, match.started_on)
            mode_of = _match_modes(request.kind)
            for day in self.days_back(stop, match.started_on, rhythm_at):
                mode = rng.choices(*zip(*mode_of.items()))[0]
                asked = minutes or rng.choice(_MINUTES[mode])
                length = max(
                    5, asked + rng.choice((-15, 0, 0, 0, 15)) - (10 if mode == "phone" else 0)
                )
                area.contacts.append(Contact(*where, day, mode, length, volunteer, None, recorder))
            self.outcomes[person].append(("match", match.started_on, good))
            quality = rng.gauss(4.2, 0.4) if good else rng.gauss(3.0, 0.6)
            reviews = [match.started_on + timedelta(days=FIRST_REVIEW_DAYS)]
            while (after := reviews[-1] + timedelta(days=REVIEW_EVERY_DAYS)) <= end:
                reviews.append(after)
            for occasion, day in zip(("first_review", *["six_monthly"] * 20), reviews):
                if day > min(end, self.today):
                    break
                if rng.random() < 0.85:
                    marks = self.marks(quality, "person")
                    area.feedback.append(
                        Feedback(
                            *where,
                            "person",
                            occasion,
                            day,
                            **marks,
                            recorded_by=self.recorder_of(person) or worker,
                        )
                    )
                if rng.random() < 0.8:
                    marks = self.marks(quality, "volunteer")
                    area.feedback.append(
                        Feedback(*where, "volunteer", occasion, day, **marks, recorded_by=recorder)
                    )

    # --- caseloads -------------------------------------------------------

    def caseloads(self) -> None:
        area, rng = self.area, self.rng
        plans = []
        for a in area.assignments:
            with_rhythm = rng.random() < (0.8 if a.worker == DEMO_WORKER else 0.6)
            lapsed = with_rhythm and rng.random() < 0.05
            plans.append([a, with_rhythm, lapsed])
        demo = [p for p in plans if p[0].worker == DEMO_WORKER and p[1]]
        for plan in demo[: max(0, DEMO_WORKER_LAPSED - sum(p[2] for p in demo))]:
            if not plan[2]:
                plan[2] = True
        for a, with_rhythm, lapsed in plans:
            start = a.assigned_on
            first = max(start, self.recording_from)
            where = ("caseload", a.person, None, None, a.worker)
            if with_rhythm:
                frequency = rng.choices(*zip(*_CASELOAD_RHYTHMS.items()))[0]
                minutes = rng.choice((30, 30, 45, 60))
                area.rhythms.append(Rhythm(*where, frequency, minutes, first, a.worker))
                days = RHYTHM_DAYS[frequency]
            elif rng.random() < 0.5:
                days = rng.choice((30, 45, 60))  # in touch now and then, nothing agreed
            else:
                continue
            back = rng.randint(2 * days, 2 * days + 42) if lapsed else rng.randint(0, days - 1)
            stop = self.today - timedelta(days=back)
            if stop < first:
                continue
            for day in self.days_back(stop, first, lambda _, days=days: days):
                mode = rng.choices(*zip(*_CASELOAD_MODES.items()))[0]
                area.contacts.append(
                    Contact(*where, day, mode, rng.choice(_MINUTES[mode]), None, a.worker, a.worker)
                )
            self.outcomes[a.person].append(("caseload", start, not lapsed))
            if with_rhythm and rng.random() < 0.15:
                day = first + timedelta(days=rng.randint(0, (self.today - first).days))
                quality = rng.gauss(3.4 if lapsed else 4.0, 0.5)
                for side in ("person", "worker"):
                    if side == "worker" or rng.random() < 0.8:
                        recorder = a.worker if side == "worker" else self.recorder_of(a.person)
                        area.feedback.append(
                            Feedback(
                                *where,
                                side,
                                "other",
                                day,
                                **self.marks(quality, side),
                                recorded_by=recorder,
                            )
                        )

    # --- groups ----------------------------------------------------------

    def groups(self) -> None:
        area, rng = self.area, self.rng
        recording = {i for i, o in enumerate(area.organisations) if o.admin or rng.random() < 0.4}
        for attendance in area.attendances:
            group = area.groups[attendance.group]
            if attendance.status == "interested" or group.organisation not in recording:
                continue
            admin = area.organisations[group.organisation].admin
            frequency, minutes = rhythm_from_schedule(
                group.frequency, group.start_time, group.end_time
            )
            where = ("group", attendance.person, None, attendance.group, None)
            area.rhythms.append(Rhythm(*where, frequency, minutes, attendance.since, admin))
            last = attendance.last_attended_on
            first = max(attendance.since, self.recording_from)
            if last is None or last < first:
                continue
            mode = "online" if group.online else "group"
            days = RHYTHM_DAYS[frequency]
            for day in self.days_back(min(last, self.today), first, lambda _, days=days: days):
                area.contacts.append(Contact(*where, day, mode, minutes, None, None, admin))
            kept = attendance.status == "member" and (self.today - last).days <= 2 * days
            self.outcomes[attendance.person].append(("group", attendance.since, kept))
            if rng.random() < 0.08:
                day = first + timedelta(days=rng.randint(0, (last - first).days))
                quality = rng.gauss(4.1 if kept else 3.3, 0.5)
                recorder = admin or self.recorder_of(attendance.person)
                area.feedback.append(
                    Feedback(
                        *where,
                        "person",
                        "other",
                        day,
                        **self.marks(quality, "person"),
                        recorded_by=recorder,
                    )
                )
                if admin and rng.random() < 0.5:
                    area.feedback.append(
                        Feedback(
                            *where,
                            "worker",
                            "other",
                            day,
                            **self.marks(quality, "worker"),
                            recorded_by=admin,
                        )
                    )

    # --- loneliness ------------------------------------------------------

    def loneliness(self) -> None:
        area, rng = self.area, self.rng
        allowed = may_measure(area)
        latest: dict[int, Measure] = {}
        for m in area.measures:
            if m.person not in latest or m.measured_on >= latest[m.person].measured_on:
                latest[m.person] = m
        since = self.today - timedelta(days=MEASURED_SINCE_DAYS)
        chance = {"match": 0.9, "group": 0.35, "caseload": 0.6}
        for person in sorted(self.outcomes):
            if person not in allowed:
                continue
            firsts: dict[str, tuple[date, bool]] = {}
            for kind, start, good in sorted(self.outcomes[person], key=lambda o: o[1]):
                firsts.setdefault(kind, (start, good))
            chosen = [
                (kind, start, good)
                for kind, (start, good) in sorted(firsts.items(), key=lambda item: item[1][0])
                if since <= start <= self.today and rng.random() < chance[kind]
            ]
            if not chosen:
                continue
            before = latest.get(person)
            fmt = _format(before)
            level = _level(rng, before)
            djg = rng.random() < 0.35
            recorder = self.recorder_of(person)
            taken: set[date] = set()
            for _kind, start, good in chosen:
                level = max(0, level - (rng.random() < 0.35))  # often lonelier on starting
                days = [(start - timedelta(days=rng.randint(0, 21)), level)]
                improve, worse = (0.5, 0.12) if good else (0.2, 0.3)
                if area.people[person].age_band == "85+":
                    improve *= 0.7
                roll = rng.random()
                after = level + (
                    1 + (rng.random() < 0.25)
                    if roll < improve
                    else -1
                    if roll < improve + worse
                    else 0
                )
                after = min(len(_DIRECT) - 1, max(0, after))
                follow = start + timedelta(weeks=FOLLOW_UP_WEEKS, days=rng.randint(0, 42))
                days.append((follow, after))
                if rng.random() < 0.5:
                    later = start + timedelta(days=REVIEW_EVERY_DAYS + rng.randint(0, 30))
                    drift = rng.choices((-1, 0, 1), weights=(0.2, 0.6, 0.2))[0]
                    days.append((later, min(len(_DIRECT) - 1, max(0, after + drift))))
                for day, at in days:
                    if day > self.today or day in taken:
                        continue
                    taken.add(day)
                    measure = _measure(rng, person, at, fmt, day, recorder)
                    if djg:
                        measure = Measure(
                            *(getattr(measure, f) for f in _MEASURE_FIELDS), **_djg(rng, at)
                        )
                    area.relationship_measures.append(measure)
                level = after


_MEASURE_FIELDS = (
    "person",
    "measured_on",
    "ucla_companionship",
    "ucla_left_out",
    "ucla_isolated",
    "direct",
    "recorded_by",
)


def _match_modes(kind: str) -> dict[str, float]:
    if kind == "befriending_phone":
        return {"phone": 0.95, "online": 0.05}
    if kind == "befriending_visit":
        return {"visit": 0.8, "phone": 0.2}
    if kind == "digital":
        return {"visit": 0.6, "online": 0.4}
    return {"visit": 0.9, "phone": 0.1}


def _format(measure: Measure | None) -> str:
    """Which questions a person answers, as they did before (both by default)."""
    if measure is None:
        return "both"
    if measure.direct is None:
        return "ucla"
    return "direct" if measure.ucla_total is None else "both"


def _level(rng: random.Random, measure: Measure | None) -> int:
    """The person's loneliness as a direct answer's position (0: often or always)."""
    if measure is not None and measure.direct is not None:
        return _DIRECT.index(measure.direct)
    if measure is not None and measure.ucla_total is not None:
        return {3: 4, 4: 4, 5: 3, 6: 2, 7: 1}.get(measure.ucla_total, 0)
    return rng.choices(range(len(_DIRECT)), weights=(0.1, 0.2, 0.3, 0.25, 0.15))[0]


def _djg(rng: random.Random, level: int) -> dict[str, str | None]:
    """De Jong Gierveld answers for someone at ``level``: a lonely answer to
    each item likelier the lonelier they are; now and then one or two left out."""
    lonely = 0.08 + 0.8 * (len(_DIRECT) - 1 - level) / (len(_DIRECT) - 1)
    answers: dict[str, str | None] = {}
    for name, _, subscale in DJG_ITEMS:
        if rng.random() < lonely:
            answer = (
                "more_or_less" if rng.random() < 0.4 else "yes" if subscale == EMOTIONAL else "no"
            )
        else:
            answer = "no" if subscale == EMOTIONAL else "yes"
        answers[name] = answer
    roll = rng.random()
    names = [name for name, _, _ in DJG_ITEMS]
    for name in rng.sample(names, 2 if roll < 0.01 else 1 if roll < 0.04 else 0):
        answers[name] = None
    return answers


def add_measures(rng: random.Random, area: DemoArea) -> None:
    """Fill ``area.rhythms``, ``contacts``, ``feedback`` and ``relationship_measures``."""
    maker = _Maker(rng, area)
    maker.matches()
    maker.caseloads()
    maker.groups()
    maker.loneliness()
    area.contacts.sort(key=lambda c: (c.contacted_on, c.kind, c.person))
