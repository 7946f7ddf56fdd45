"""The measures as the dashboards and the report show them: an
organisation's, a worker's warnings, and the area's.

Each function checks who is asking (``measures.permissions``), reads what it
needs in bulk (``loading``: a few queries, never one per relationship),
computes with the pure core (``domain.measures``) and returns plain
dataclasses with every figure about people already counted and suppressed
(``domain.suppression``, through ``domain.measures.published``). Nothing is
written: no transaction to commit.

**An organisation's relationships** are the memberships of its groups. The
register has no link between an organisation and the workers or volunteers
who make matches (a worker belongs to no organisation), so matches and
caseloads are the area's, not an organisation's. An organisation's figures
are computed from its own groups' records and the loneliness measures of
their members only, so records of another organisation never change them;
that is also why they leave out active ties (a member's ties elsewhere are
not the organisation's to see).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
from flask import current_app
from sqlalchemy import select

from betterway_map.accounts.models import User
from betterway_map.domain.clock import today_in_uk
from betterway_map.domain.measures import continuity, quality
from betterway_map.domain.measures.arrays import count_distinct
from betterway_map.domain.measures.change import (
    FOLLOW_UP_WEEKS,
    ChangeFigure,
    MeasureSeries,
    loneliness_change,
)
from betterway_map.domain.measures.equity import EquityRow, equity
from betterway_map.domain.measures.kinds import kinds_withheld
from betterway_map.domain.measures.published import Breakdown, Distribution
from betterway_map.domain.measures.quality import MarkDifference, MarkFigure
from betterway_map.domain.measures.records import (
    KIND_CODES,
    Contacts,
    FeedbackRecord,
    Relationship,
    RelationshipColumns,
)
from betterway_map.domain.measures.trends import TrendRow, monthly
from betterway_map.domain.suppression import suppress
from betterway_map.errors import NotFound
from betterway_map.extensions import db
from betterway_map.measures.permissions import (
    require_area_viewer,
    require_organisation_viewer,
)
from betterway_map.measures.services import loading
from betterway_map.measures.services.area import area_outcomes
from betterway_map.measures.services.relationships import (
    area_relationships,
    group_relationships,
    latest_rhythms,
)
from betterway_map.register.models import Group, Organisation

__all__ = [
    "ContinuityFigures",
    "QualityFigures",
    "ChangeFigures",
    "OrganisationFigures",
    "CouncilFigures",
    "organisation_figures",
    "council_figures",
    "compute_continuity",
    "compute_quality",
    "area_records",
    "area_figures",
    "area_figures_from",
    "publish_continuity_by_kind",
]


@dataclass(frozen=True)
class ContinuityFigures:
    """How long relationships last, how they end, and their rhythm.

    ``durations``: days, keyed all / ended / planned / unplanned / ongoing.
    ``endings``: ended relationships, planned and unplanned.
    ``same_counterpart``: the share of a person's contacts with the
    volunteer or worker they see most (median and quartiles over people).
    ``changes``: people by how often their volunteer or worker changed
    ("0", "1", "2+"). ``overdue``: open relationships behind their agreed
    rhythm today (None when about too few people).
    """

    people: int | None
    relationships: int | None
    durations: dict[str, Distribution]
    endings: Breakdown
    same_counterpart: Distribution
    rhythm: continuity.RhythmFigures
    changes: Breakdown
    overdue: int | None


@dataclass(frozen=True)
class QualityFigures:
    """The six marks: all answers, the person's, the volunteer's or
    worker's, and where the two sides differ most (furthest first)."""

    marks: list[MarkFigure]
    person_side: list[MarkFigure]
    other_side: list[MarkFigure]
    differences: list[MarkDifference]


@dataclass(frozen=True)
class ChangeFigures:
    """Before and after a relationship began (change, not cause):
    loneliness by kind and measure, and active ties (area only)."""

    follow_up_weeks: int
    loneliness: list[ChangeFigure]
    network: list[ChangeFigure]


@dataclass(frozen=True)
class OrganisationFigures:
    organisation_id: int
    name: str
    today: date
    min_count: int
    continuity: ContinuityFigures
    quality: QualityFigures
    # Group name -> the six marks of that group's relationships.
    quality_by_group: dict[str, list[MarkFigure]]
    change: ChangeFigures
    trends: list[TrendRow]


@dataclass(frozen=True)
class CouncilFigures:
    today: date
    min_count: int
    continuity: ContinuityFigures
    # "match" / "group" / "caseload" -> that kind's continuity.
    continuity_by_kind: dict[str, ContinuityFigures]
    quality: QualityFigures
    # Organisation name / postcode district -> the six marks.
    quality_by_organisation: dict[str, list[MarkFigure]]
    quality_by_district: dict[str, list[MarkFigure]]
    change: ChangeFigures
    # Dimension name (equity.DIMENSIONS) -> its rows, "all" last.
    equity: dict[str, list[EquityRow]]
    trends: list[TrendRow]


def _min_count() -> int:
    return int(current_app.config.get("MIN_CELL_COUNT", 5))


def compute_continuity(
    relationships: Sequence[Relationship] | RelationshipColumns,
    contacts: Contacts,
    today: date,
    min_count: int,
) -> ContinuityFigures:
    """Continuity over relationships and their contacts (pure, for the CLI and benchmarks)."""
    columns = RelationshipColumns.of(relationships)
    people = suppress(count_distinct(columns.person), min_count)
    overdue = continuity.overdue(columns, contacts, today)
    overdue_people = count_distinct(columns.person[overdue])
    return ContinuityFigures(
        people=people,
        relationships=suppress(len(columns), min_count) if people is not None else None,
        durations=continuity.durations(columns, today, min_count),
        endings=continuity.endings(columns, min_count),
        same_counterpart=continuity.same_counterpart(contacts, min_count),
        rhythm=continuity.rhythm_kept(columns, contacts, min_count),
        changes=continuity.changes(columns, min_count),
        overdue=len(overdue) if suppress(overdue_people, min_count) else None,
    )


def compute_quality(
    feedback: Sequence[FeedbackRecord] | quality.FeedbackColumns, min_count: int
) -> QualityFigures:
    columns = quality.FeedbackColumns.of(feedback)
    return QualityFigures(
        marks=quality.marks(columns, min_count),
        person_side=quality.marks(columns, min_count, side="person"),
        other_side=quality.marks(columns, min_count, side="other"),
        differences=quality.differences(columns, min_count),
    )


def organisation_figures(
    user: User, organisation_id: int, today: date | None = None
) -> OrganisationFigures:
    """The figures of one organisation's relationships (its groups' memberships)."""
    require_organisation_viewer(user, organisation_id)
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound(f"There is no organisation {organisation_id}.")
    today = today or today_in_uk()
    min_count = _min_count()
    scope = ("organisation", organisation_id)
    relationships = group_relationships(organisation_id, latest_rhythms(scope))
    contacts = loading.load_contacts(relationships, scope)
    feedback = loading.load_feedback(relationships, scope)
    measures = loading.load_measures({r.person_id for r in relationships})
    names = dict(
        db.session.execute(
            select(Group.id, Group.name).where(Group.organisation_id == organisation_id)
        ).all()
    )
    by_group = quality.marks_by(
        feedback, lambda f: f"{names.get(f.relationship[2], '')} ({f.relationship[2]})", min_count
    )
    return OrganisationFigures(
        organisation_id=organisation_id,
        name=organisation.name,
        today=today,
        min_count=min_count,
        continuity=compute_continuity(relationships, contacts, today, min_count),
        quality=compute_quality(feedback, min_count),
        quality_by_group=by_group,
        change=ChangeFigures(
            FOLLOW_UP_WEEKS,
            [
                f
                for f in loneliness_change(relationships, measures, min_count=min_count)
                if f.kind == "group"
            ],
            [],
        ),
        trends=monthly(relationships, contacts, today, min_count=min_count),
    )


def council_figures(user: User, today: date | None = None) -> CouncilFigures:
    """The area's figures: continuity, quality, change, equity and trends."""
    require_area_viewer(user)
    return area_figures(today or today_in_uk(), _min_count())


def publish_continuity_by_kind(
    by_kind: dict[str, ContinuityFigures],
    relationships: Sequence[Relationship] | RelationshipColumns,
    contacts: Contacts,
    today: date,
    min_count: int,
) -> dict[str, ContinuityFigures]:
    """Each kind's continuity with its counts withheld where the area's row
    minus it would give a small number away (``domain.measures.kinds``)."""
    withheld = kinds_withheld(relationships, contacts, today, tuple(by_kind), min_count)
    return {
        kind: replace(
            figures,
            people=None if kind in withheld.people else figures.people,
            relationships=None if kind in withheld.relationships else figures.relationships,
            overdue=None if kind in withheld.overdue else figures.overdue,
        )
        for kind, figures in by_kind.items()
    }


def area_records() -> tuple[RelationshipColumns, Contacts, quality.FeedbackColumns, MeasureSeries]:
    """Every relationship of the area with its contacts, feedback and the
    loneliness measures, as columns (a few queries, whatever the size of
    the area)."""
    relationships = area_relationships()
    return (
        relationships,
        loading.load_contacts(relationships),
        loading.load_feedback_columns(relationships),
        loading.load_measure_series(),
    )


def area_figures(today: date, min_count: int) -> CouncilFigures:
    """The area's figures without an access check: for the CLI report and
    the benchmarks (which are run by whoever runs the server)."""
    return area_figures_from(*area_records(), today=today, min_count=min_count)


def area_figures_from(
    relationships: Sequence[Relationship] | RelationshipColumns,
    contacts: Contacts,
    feedback: Sequence[FeedbackRecord] | quality.FeedbackColumns,
    measures: Sequence | MeasureSeries,
    *,
    today: date,
    min_count: int,
) -> CouncilFigures:
    """The area's figures from its records (read by ``area_records``, or
    by any other means that gives the same records; feedback as columns is
    numbered by position in ``relationships``)."""
    measures = measures if isinstance(measures, MeasureSeries) else MeasureSeries(measures)
    columns = RelationshipColumns.of(relationships)
    if isinstance(feedback, quality.FeedbackColumns):
        answers = feedback
    else:
        numbers = {r.key: i for i, r in enumerate(relationships)}
        answers = quality.FeedbackColumns.of(feedback, numbers)
    outcomes = area_outcomes(columns, contacts, measures, today, min_count)
    continuity_by_kind = {}
    for kind in ("match", "group", "caseload"):
        positions = np.flatnonzero(columns.kind == KIND_CODES[kind])
        continuity_by_kind[kind] = compute_continuity(
            columns.take(positions), contacts.of_relationships(positions), today, min_count
        )
    return CouncilFigures(
        today=today,
        min_count=min_count,
        continuity=compute_continuity(columns, contacts, today, min_count),
        continuity_by_kind=publish_continuity_by_kind(
            continuity_by_kind, columns, contacts, today, min_count
        ),
        quality=compute_quality(answers, min_count),
        quality_by_organisation=quality.marks_by_label(
            answers,
            [outcomes.organisation_at[at] for at in answers.relationship.tolist()],
            min_count,
        ),
        quality_by_district=quality.marks_by_label(
            answers, [outcomes.district_of.get(p) for p in answers.person.tolist()], min_count
        ),
        change=ChangeFigures(
            FOLLOW_UP_WEEKS,
            loneliness_change(columns, measures, min_count=min_count),
            outcomes.network_change,
        ),
        equity=equity(outcomes.people, min_count),
        trends=monthly(columns, contacts, today, min_count=min_count),
    )
