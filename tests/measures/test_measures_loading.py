"""The area's records read as columns are the records read one by one, as columns."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest

from betterway_map.domain.measures.quality import FeedbackColumns
from betterway_map.domain.measures.records import RelationshipColumns
from betterway_map.measures.services import loading
from betterway_map.measures.services.relationships import (
    area_relationships,
    caseload_relationships,
    group_relationships,
    latest_rhythms,
    match_relationships,
)
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.measure_histories import (
    add_attendance,
    add_contacts,
    add_feedback,
    add_rhythm,
)
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import make_person

DAY = date(2025, 6, 1)


@pytest.fixture
def area(app):
    """Matches (one ended as planned, one not started), group memberships
    (still going, left, only interested), caseloads, rhythms agreed again
    (the later counts; of one day, the later recorded), contacts and feedback
    (one on a relationship no longer there)."""
    worker, admin = make_user(app, "worker"), make_user(app, "org_admin")
    volunteer = make_volunteer(app, worker)
    requests = [make_request(app, worker) for _ in range(3)]
    ended = make_match(
        app,
        requests[0],
        volunteer,
        "ended",
        started_on=DAY,
        ended_on=DAY + timedelta(days=90),
        end_kind="planned",
    )
    going = make_match(app, requests[1], volunteer, "active", started_on=DAY)
    make_match(app, requests[2], volunteer, "proposed")
    group = make_group(app, make_organisation(app, admin))
    members = [make_person(app, first_name=f"M{i}") for i in range(3)]
    add_attendance(app, members[0], group, DAY, DAY + timedelta(days=30))
    add_attendance(app, members[1], group, DAY, DAY + timedelta(days=10), status="left")
    add_attendance(app, members[2], group, None, None, status="interested")
    with app.app_context():
        from betterway_map.extensions import db
        from betterway_map.matching.models import SupportRequest

        person = db.session.get(SupportRequest, requests[0]).person_id
    add_rhythm(app, "monthly", "match", person, agreed_on=DAY, match_id=ended)
    add_rhythm(app, "weekly", "match", person, agreed_on=DAY + timedelta(days=7), match_id=ended)
    add_rhythm(app, "fortnightly", "group", members[0], agreed_on=DAY, group_id=group)
    add_rhythm(app, "weekly", "group", members[0], agreed_on=DAY, group_id=group)
    add_rhythm(app, "weekly", "caseload", person, agreed_on=DAY, worker_id=worker)
    add_contacts(
        app, [DAY + timedelta(days=d) for d in (1, 8, 15)], "match", person, match_id=going
    )
    add_contacts(app, [DAY], "group", members[1], group_id=group)
    add_feedback(app, (4, 5, None, 3, 2, 1), "person", "match", person, match_id=ended)
    add_feedback(app, (3,) * 6, "volunteer", "match", person, match_id=ended)
    add_feedback(app, (5,) * 6, "person", "group", members[0], group_id=group)
    add_feedback(app, (2,) * 6, "worker", "caseload", members[0], worker_id=worker)  # no caseload
    return app


def _one_by_one():
    rhythms = latest_rhythms()
    return [
        *match_relationships(rhythms=rhythms),
        *group_relationships(rhythms=rhythms),
        *caseload_relationships(rhythms=rhythms),
    ]


def _same(found, expected) -> None:
    for name in found.__dataclass_fields__:
        assert np.array_equal(getattr(found, name), getattr(expected, name)), name


def test_the_areas_relationships_as_columns_are_those_read_one_by_one(area):
    with area.app_context():
        relationships = _one_by_one()
        found = area_relationships()
    # Two matches that started, two members, and four caseloads (the three
    # people who asked and the volunteer are the worker's).
    assert len(relationships) == 8
    _same(found, RelationshipColumns.of(relationships))


def test_the_areas_feedback_as_columns_is_the_records_numbered_by_relationship(area):
    with area.app_context():
        relationships = _one_by_one()
        found = loading.load_feedback_columns(area_relationships())
        records = loading.load_feedback(relationships)
    positions = {r.key: i for i, r in enumerate(relationships)}
    assert len(found.person) == 3  # the caseload's feedback is on no relationship
    _same(found, FeedbackColumns.of(records, positions))
