"""Counts for the whole area, for council viewers: aggregates only.

Counts of organisations, spaces and groups describe public records and are
shown as they are. Counts about people (offers and requests of help, people
registered) are suppressed when small by the core's one rule
(``domain.suppression``, DESIGN.md): a figure below ``MIN_CELL_COUNT`` (zero
included) is withheld, and further parts are withheld until the withheld
parts add up to none or at least ``MIN_CELL_COUNT``, so no small figure can
be worked out by subtracting the shown parts from the total.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import func, select

from betterway_map.domain import vocab
from betterway_map.domain.suppression import suppress as suppress_count
from betterway_map.domain.suppression import suppress_breakdown
from betterway_map.extensions import db
from betterway_map.people.models import HelpListing, Person
from betterway_map.register.models import Group, Organisation, Space

__all__ = ["Figure", "Breakdown", "AreaSummary", "suppress", "area_summary"]


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    count: int | None  # None when suppressed
    suppressed: bool = False


@dataclass(frozen=True)
class Breakdown:
    total: Figure
    parts: tuple[Figure, ...]


@dataclass(frozen=True)
class AreaSummary:
    min_cell_count: int
    organisations: Breakdown
    spaces: Figure
    step_free_spaces: Figure
    active_groups: Breakdown
    open_offers: Breakdown
    open_requests: Breakdown
    people: Figure


# The name /council's code has always used for a total and its parts; the
# rule itself is the core's, the same as for the network figures.
suppress = suppress_breakdown


def _public(key: str, label: str, count: int) -> Figure:
    return Figure(key, label, int(count))


def _public_breakdown(key: str, label: str, total: int, counts: Counter, vocabulary) -> Breakdown:
    return Breakdown(
        _public(key, label, total),
        tuple(_public(value, text, counts.get(value, 0)) for value, text in vocabulary),
    )


def _private_breakdown(
    key: str, label: str, counts: Counter, vocabulary, min_count: int
) -> Breakdown:
    values = {value: counts.get(value, 0) for value, _ in vocabulary}
    # Only known kinds, so that the parts always add up to the total.
    total = sum(values.values())
    parts, shown_total = suppress_breakdown(values, total, min_count)
    return Breakdown(
        Figure(key, label, shown_total, shown_total is None),
        tuple(
            Figure(value, text, parts[value], parts[value] is None) for value, text in vocabulary
        ),
    )


def _counts(statement) -> Counter:
    return Counter({key: count for key, count in db.session.execute(statement)})


def area_summary(min_count: int | None = None) -> AreaSummary:
    """The area's figures, read-only (no commit). Never a row about a person."""
    if min_count is None:
        min_count = int(current_app.config["MIN_CELL_COUNT"])
    sectors = _counts(select(Organisation.sector, func.count()).group_by(Organisation.sector))
    space_total = db.session.scalar(select(func.count()).select_from(Space)) or 0
    step_free = (
        db.session.scalar(select(func.count()).select_from(Space).where(Space.step_free)) or 0
    )
    # Interests are a JSON list per group; reading that one column of active
    # groups is cheap at one area's scale (~10k groups) and the same on every database.
    interest_lists = db.session.scalars(select(Group.interests).where(Group.status == "active"))
    groups_active = 0
    interests: Counter = Counter()
    for listed in interest_lists:
        groups_active += 1
        interests.update(set(listed or []))
    listings = {
        direction: _counts(
            select(HelpListing.kind, func.count())
            .where(HelpListing.direction == direction, HelpListing.status == "open")
            .group_by(HelpListing.kind)
        )
        for direction in ("offer", "request")
    }
    people = db.session.scalar(select(func.count()).select_from(Person)) or 0
    people_shown = suppress_count(people, min_count)
    return AreaSummary(
        min_cell_count=min_count,
        organisations=_public_breakdown(
            "organisations", "Organisations", sum(sectors.values()), sectors, vocab.SECTORS
        ),
        spaces=_public("spaces", "Spaces", space_total),
        step_free_spaces=_public("step_free", "Step-free spaces", step_free),
        active_groups=_public_breakdown(
            "active_groups", "Active groups", groups_active, interests, vocab.INTERESTS
        ),
        open_offers=_private_breakdown(
            "open_offers", "Open offers of help", listings["offer"], vocab.HELP_KINDS, min_count
        ),
        open_requests=_private_breakdown(
            "open_requests",
            "Open requests for help",
            listings["request"],
            vocab.HELP_KINDS,
            min_count,
        ),
        people=Figure("people", "People registered", people_shown, people_shown is None),
    )
