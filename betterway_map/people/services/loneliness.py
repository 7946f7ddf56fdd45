"""Loneliness measures of one person: list them, record a new one.

Only the person themself and the workers assigned to them may see or record
them (``permissions.require_person_access``); every view and change is
audited. The UCLA total and the direct answer are kept side by side.
"""

from __future__ import annotations

from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.models import User
from betterway_map.domain.measures import djg, loneliness
from betterway_map.errors import Conflict
from betterway_map.extensions import db
from betterway_map.people.models import LonelinessMeasure, Person
from betterway_map.people.permissions import require_person_access
from betterway_map.people.services.consent import has_withdrawn

MEASURES_PURPOSE = "measures"

__all__ = ["list_measures", "record_measure"]


def list_measures(user: User, person_id: int) -> tuple[Person, list[LonelinessMeasure]]:
    """The person and their measures, oldest first (audited as a view)."""
    person = require_person_access(user, person_id)
    measures = list(
        db.session.scalars(
            select(LonelinessMeasure)
            .where(LonelinessMeasure.person_id == person.id)
            .order_by(LonelinessMeasure.measured_on, LonelinessMeasure.id)
        )
    )
    audit.record(user.id, "view", "person", person.id, "loneliness measures")
    db.session.commit()
    return person, measures


def record_measure(user: User, person_id: int, data: dict) -> LonelinessMeasure:
    """Record one occasion's answers, loaded by ``MeasureSchema``.

    The answers are checked again by ``domain.measures.loneliness.score``, which
    also gives the UCLA total, and the optional De Jong Gierveld answers are
    scored by ``domain.measures.djg.score_djg`` (total missing when more than
    one of its six is); who recorded them is the signed-in user.
    """
    person = require_person_access(user, person_id)
    if has_withdrawn(person.id, MEASURES_PURPOSE):
        who = "You" if person.user_id == user.id else person.first_name
        raise Conflict(
            f"{who} withdrew consent to recording answers about loneliness, so no new "
            "answers can be recorded. If that changes, record the consent again first."
        )
    answers = {name: data.get(name) for name, _ in loneliness.UCLA_ITEMS}
    djg_answers = {name: data.get(name) for name, _, _ in djg.DJG_ITEMS}
    scale = djg.score_djg(djg_answers)
    if scale is None or any(answers.values()) or data.get("direct") is not None:
        result = loneliness.score(**answers, direct=data.get("direct"))
    else:  # the De Jong Gierveld scale alone
        result = loneliness.LonelinessScore(ucla_total=None, direct=None)
    measure = LonelinessMeasure(
        person_id=person.id,
        measured_on=data["measured_on"],
        **answers,
        ucla_total=result.ucla_total,
        direct=result.direct,
        **djg_answers,
        djg_total=scale.total if scale else None,
        recorded_by_id=user.id,
    )
    db.session.add(measure)
    db.session.flush()
    audit.record(user.id, "create", "loneliness_measure", measure.id, f"person={person.id}")
    db.session.commit()
    return measure
