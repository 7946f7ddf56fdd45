"""Building relationship histories for the figures' tests: many contacts at once,
rhythms, feedback and loneliness measures straight into the tables (the
recording forms are tested on their own, with ``tests.factories.measures``)."""

from __future__ import annotations

from datetime import date

from betterway_map.extensions import db
from betterway_map.measures.models import Contact, Feedback, Rhythm
from betterway_map.people.models import Attendance, LonelinessMeasure

__all__ = ["add_contacts", "add_rhythm", "add_feedback", "add_measure", "add_attendance"]


def _key(kind, person_id, match_id=None, group_id=None, worker_id=None) -> dict:
    return {
        "kind": kind,
        "person_id": person_id,
        "match_id": match_id,
        "group_id": group_id,
        "worker_id": worker_id,
    }


def add_contacts(app, days, kind, person_id, *, mode="phone", **key) -> None:
    """One contact on each of ``days`` in the relationship."""
    with app.app_context():
        for day in days:
            db.session.add(
                Contact(
                    **_key(kind, person_id, **key), contacted_on=day, mode=mode, duration_min=30
                )
            )
        db.session.commit()


def add_rhythm(app, frequency, kind, person_id, agreed_on=date(2025, 1, 1), **key) -> None:
    with app.app_context():
        db.session.add(
            Rhythm(**_key(kind, person_id, **key), frequency=frequency, agreed_on=agreed_on)
        )
        db.session.commit()


def add_feedback(app, marks, side, kind, person_id, given_on=date(2025, 3, 1), **key) -> None:
    names = (
        "understanding",
        "collaboration",
        "commitment",
        "communication",
        "empowerment",
        "time_together",
    )
    with app.app_context():
        db.session.add(
            Feedback(
                **_key(kind, person_id, **key),
                side=side,
                occasion="first_review",
                given_on=given_on,
                **dict(zip(names, marks, strict=True)),
            )
        )
        db.session.commit()


def add_measure(app, person_id, measured_on, **values) -> None:
    with app.app_context():
        db.session.add(LonelinessMeasure(person_id=person_id, measured_on=measured_on, **values))
        db.session.commit()


def add_attendance(app, person_id, group_id, since, last=None, status="member") -> None:
    with app.app_context():
        db.session.add(
            Attendance(
                person_id=person_id,
                group_id=group_id,
                status=status,
                since=since,
                last_attended_on=last,
            )
        )
        db.session.commit()
