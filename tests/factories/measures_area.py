"""Relationship histories for the people of a generated area, for the
disclosure attack on the measures figures (``tests/network/
test_disclosure_attack.py``): one plain ``History`` per person becomes a
request for support and perhaps a match (ongoing or ended, planned or not),
a group membership, contacts, an agreed rhythm, feedback from both sides
and loneliness measured before and after, with the postcode, languages and
own account the equity figures break people down by.

Everything goes straight into the tables (the recording forms are tested on
their own, with ``tests.factories.measures``), in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from hypothesis import strategies as st

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.measures.models import QUALITY_MARKS, Contact, Feedback, Rhythm
from betterway_map.people.models import Assignment, Attendance, LonelinessMeasure, Person

__all__ = ["History", "histories", "add_histories"]

NEEDS = ("befriending_phone", "shopping", "digital")
POSTCODES = ("ZZ1 1AA", "ZZ2 1AA", "ZZ3 1AA")
LANGUAGES = (("en",), ("pl",), ("en", "pl"))
RHYTHMS = ("weekly", "fortnightly", "monthly")
ENDINGS = ("ongoing", "planned", "unplanned", "ended")  # "ended": without saying how


@dataclass(frozen=True)
class History:
    """What happened to one person, in days before today."""

    need: str | None  # asked for this kind of help, ``asked_days`` ago
    asked_days: int
    match: str | None  # ENDINGS, or None (not matched); only with a need
    started_days: int  # when the match and the caseload started (the group too)
    in_group: bool
    contact_days: tuple[int, ...]  # contacts on the caseload (and the match, if any)
    rhythm: str | None
    marks: tuple[int | None, int | None]  # the person's, the worker's (all six marks)
    loneliness: tuple[int, int] | None  # UCLA totals before and after starting
    postcode: str
    languages: tuple[str, ...]
    online: bool


def histories() -> st.SearchStrategy[History]:
    """Histories spread over the last year, a few of each kind."""
    days = st.integers(0, 330)
    return st.builds(
        History,
        need=st.none() | st.sampled_from(NEEDS),
        asked_days=days,
        match=st.none() | st.sampled_from(ENDINGS),
        started_days=st.integers(0, 300),
        in_group=st.booleans(),
        contact_days=st.lists(st.integers(0, 300), max_size=5).map(tuple),
        rhythm=st.none() | st.sampled_from(RHYTHMS),
        marks=st.tuples(st.none() | st.integers(1, 5), st.none() | st.integers(1, 5)),
        loneliness=st.none() | st.tuples(st.integers(3, 9), st.integers(3, 9)),
        postcode=st.sampled_from(POSTCODES),
        languages=st.sampled_from(LANGUAGES),
        online=st.booleans(),
    )


def _at(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=UTC)


def add_histories(
    app, worker_id: int, group_id: int, person_ids: list[int], found: list[History], today: date
) -> None:
    """Give ``person_ids[i]`` the history ``found[i]`` (as many as both have);
    the people are on ``worker_id``'s caseload already, and may join
    ``group_id``. Two volunteers (people with no home) are made for the matches."""
    with app.app_context():
        volunteers = []
        for name in ("Vol", "Vic"):
            volunteer = Person(registered_by_id=worker_id, first_name=name)
            db.session.add(volunteer)
            volunteers.append(volunteer)
        db.session.flush()
        for index, (person_id, history) in enumerate(zip(person_ids, found)):
            _add(worker_id, group_id, person_id, history, volunteers[index % 2].id, today)
        db.session.commit()


def _add(worker_id, group_id, person_id, h: History, volunteer_id, today) -> None:
    person = db.session.get(Person, person_id)
    person.postcode, person.languages = h.postcode, list(h.languages)
    if h.online:
        user = User(email=f"p{person_id}@example.org", password_hash="x", display_name="P")
        db.session.add(user)
        db.session.flush()
        person.user_id = user.id
    started = today - timedelta(days=h.started_days)
    assignment = db.session.scalar(
        db.select(Assignment).where(
            Assignment.person_id == person_id, Assignment.worker_id == worker_id
        )
    )
    assignment.assigned_at = _at(started)
    caseload = {"kind": "caseload", "person_id": person_id, "worker_id": worker_id}
    where = [caseload]
    if h.need is not None:
        asked = today - timedelta(days=h.asked_days)
        request = SupportRequest(
            person_id=person_id, kind=h.need, opened_on=asked, created_by_id=worker_id
        )
        db.session.add(request)
        db.session.flush()
        if h.match is not None:
            match = _match(request.id, volunteer_id, max(asked, started), h.match, today)
            db.session.add(match)
            db.session.flush()
            where.append({"kind": "match", "person_id": person_id, "match_id": match.id})
    if h.in_group:
        db.session.add(
            Attendance(person_id=person_id, group_id=group_id, status="member", since=started)
        )
    for number, days in enumerate(h.contact_days):
        db.session.add(
            Contact(
                **where[number % len(where)],
                contacted_on=today - timedelta(days=days),
                mode="phone",
                duration_min=30,
            )
        )
    if h.rhythm is not None:
        db.session.add(Rhythm(**caseload, frequency=h.rhythm, agreed_on=started))
    for side, mark in zip(("person", "worker"), h.marks):
        if mark is not None:
            marks = dict.fromkeys(QUALITY_MARKS, mark)
            db.session.add(
                Feedback(**caseload, side=side, occasion="first_review", given_on=today, **marks)
            )
    if h.loneliness is not None:
        for offset, total in zip((-10, 20), h.loneliness):
            db.session.add(
                LonelinessMeasure(
                    person_id=person_id,
                    measured_on=min(today, started + timedelta(days=offset)),
                    ucla_total=total,
                )
            )


def _match(request_id: int, volunteer_id: int, started: date, ending: str, today: date) -> Match:
    ended = None if ending == "ongoing" else min(today, started + timedelta(days=40))
    return Match(
        request_id=request_id,
        volunteer_id=volunteer_id,
        status="active" if ended is None else "ended",
        started_on=started,
        ended_on=ended,
        end_kind=ending if ending in ("planned", "unplanned") else None,
    )
