"""Making measures records for tests: contacts, agreed rhythms and feedback
within a relationship, and loneliness measures. Each function works in its
own application context, commits, and returns the new row's id.

The relationship is named by exactly one of ``match_id`` (a volunteer match:
the person is the match's requester, the volunteer is filled in), ``group_id``
with ``person_id`` (a person and a group they go to) or ``worker_id`` with
``person_id`` (a worker's caseload)::

    contact_id = make_contact(app, match_id=match_id, contacted_on=date(2024, 3, 1))
    make_contact(app, person_id=person_id, worker_id=worker, mode="visit")
    make_rhythm(app, person_id=person_id, group_id=group_id, frequency="weekly")
    make_feedback(app, match_id=match_id, side="person", understanding=5)
    make_measure(app, person_id, ucla=(1, 2, 2), djg=("yes", "no", ...))
"""

from __future__ import annotations

from datetime import timedelta

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.models import Match, SupportRequest
from betterway_map.measures.models import QUALITY_MARKS, Contact, Feedback, Rhythm
from betterway_map.people.models import LonelinessMeasure

__all__ = ["make_contact", "make_rhythm", "make_feedback", "make_measure", "relationship_of"]

_DJG_ITEMS = ("emptiness", "miss_people", "rejected", "rely_on", "trust", "close")


def relationship_of(fields: dict) -> tuple[dict, int | None]:
    """The relationship columns (``kind``, ``person_id``, ``match_id``,
    ``group_id``, ``worker_id``) for the keywords given, popped from
    ``fields``, and the match's volunteer (or None). Call inside an
    application context."""
    match_id = fields.pop("match_id", None)
    group_id = fields.pop("group_id", None)
    worker_id = fields.pop("worker_id", None)
    person_id = fields.pop("person_id", None)
    if match_id is not None:
        match = db.session.get(Match, match_id)
        person_id = db.session.get(SupportRequest, match.request_id).person_id
        return {"kind": "match", "person_id": person_id, "match_id": match_id}, match.volunteer_id
    if person_id is None:
        raise TypeError("give match_id, or person_id with group_id or worker_id")
    if group_id is not None:
        return {"kind": "group", "person_id": person_id, "group_id": group_id}, None
    if worker_id is not None:
        return {"kind": "caseload", "person_id": person_id, "worker_id": worker_id}, None
    raise TypeError("give group_id or worker_id with person_id")


def _add(row) -> int:
    db.session.add(row)
    db.session.commit()
    return row.id


def make_contact(app, **fields) -> int:
    """A contact today, by phone, 30 minutes, unless told; with the match's
    volunteer (for a match) or the worker (for a caseload) unless told."""
    fields.setdefault("contacted_on", today_in_uk())
    fields.setdefault("mode", "phone")
    fields.setdefault("duration_min", 30)
    with app.app_context():
        where, volunteer_id = relationship_of(fields)
        if where["kind"] == "match":
            fields.setdefault("with_volunteer_id", volunteer_id)
        if where["kind"] == "caseload":
            fields.setdefault("with_worker_id", where["worker_id"])
        return _add(Contact(**where, **fields))


def make_rhythm(app, **fields) -> int:
    """An agreed rhythm: weekly, 30 minutes, agreed today, unless told."""
    fields.setdefault("frequency", "weekly")
    fields.setdefault("duration_min", 30)
    fields.setdefault("agreed_on", today_in_uk())
    with app.app_context():
        where, _ = relationship_of(fields)
        return _add(Rhythm(**where, **fields))


def make_feedback(app, **fields) -> int:
    """Feedback from the person at the six-week review, given today, with
    every mark 4 unless told (``marks=None`` leaves them all unanswered)."""
    fields.setdefault("side", "person")
    fields.setdefault("occasion", "first_review")
    fields.setdefault("given_on", today_in_uk())
    default = fields.pop("marks", 4)
    for mark in QUALITY_MARKS:
        fields.setdefault(mark, default)
    with app.app_context():
        where, _ = relationship_of(fields)
        return _add(Feedback(**where, **fields))


def make_measure(
    app,
    person_id: int,
    *,
    ucla: tuple[int, int, int] | None = None,
    djg: tuple[str | None, ...] | None = None,
    days_ago: int = 0,
    **fields,
) -> int:
    """A loneliness measure for a person ``days_ago`` days back: the UCLA
    answers (companionship, left out, isolated) and the six De Jong Gierveld
    answers in the order emptiness, miss people, rejected, rely on, trust,
    close. Totals are given as ``ucla_total``/``djg_total`` or summed here
    for UCLA (the DJG total is left to the caller: it is what is tested)."""
    fields.setdefault("measured_on", today_in_uk() - timedelta(days=days_ago))
    if ucla is not None:
        fields.update(ucla_companionship=ucla[0], ucla_left_out=ucla[1], ucla_isolated=ucla[2])
        fields.setdefault("ucla_total", sum(ucla))
    if djg is not None:
        fields.update({f"djg_{item}": answer for item, answer in zip(_DJG_ITEMS, djg, strict=True)})
    with app.app_context():
        return _add(LonelinessMeasure(person_id=person_id, **fields))
