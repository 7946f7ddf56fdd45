"""Trends: the relationship figures month by month.

Each month's figures are about the people of that month alone and go
through suppression on their own: a month shows no count about fewer than
``min_count`` people, and a count of contacts only beside the people they
were with.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from betterway_map.domain.measures.published import share_or_none
from betterway_map.domain.measures.records import Contacts, Relationship
from betterway_map.domain.suppression import MIN_CELL_COUNT, suppress

__all__ = ["TrendRow", "months_back", "monthly"]


@dataclass(frozen=True, slots=True)
class TrendRow:
    """One month: ``month`` is its first day."""

    month: date
    people_in_relationships: int | None
    people_in_contact: int | None
    contacts: int | None
    matches_started: int | None
    endings_planned_share: float | None


def months_back(today: date, count: int) -> list[date]:
    """The first days of the last ``count`` months, oldest first, this month last.

    >>> months_back(date(2025, 2, 10), 3)
    [datetime.date(2024, 12, 1), datetime.date(2025, 1, 1), datetime.date(2025, 2, 1)]
    """
    months = []
    year, month = today.year, today.month
    for _ in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]


def _month_end(first: date) -> date:
    nxt = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


def monthly(
    relationships: Sequence[Relationship],
    contacts: Contacts,
    today: date,
    months: int = 12,
    min_count: int = MIN_CELL_COUNT,
) -> list[TrendRow]:
    """The last ``months`` months' figures (see the module).

    >>> from betterway_map.domain.measures.records import Relationship as R
    >>> rs = [R(("match", i), i, 1, date(2025, 1, 5)) for i in range(6)]
    >>> c = Contacts.from_rows([(i, date(2025, 2, 3), i, None) for i in range(6)])
    >>> [(r.month.month, r.people_in_relationships, r.contacts) for r in monthly(rs, c, date(2025, 2, 9), 2)]
    [(1, 6, None), (2, 6, 6)]
    """
    rows = []
    day, person = contacts.day, contacts.person
    for first in months_back(today, months):
        last = _month_end(first)
        open_people = {
            r.person_id
            for r in relationships
            if r.started_on is not None
            and r.started_on <= last
            and (r.ended_on is None or r.ended_on >= first)
        }
        inside = (day >= first.toordinal()) & (day <= last.toordinal())
        in_contact = len(np.unique(person[inside]))
        shown_contact = suppress(in_contact, min_count)
        started = {
            r.person_id
            for r in relationships
            if r.kind == "match" and r.started_on is not None and first <= r.started_on <= last
        }
        ended = [
            r
            for r in relationships
            if r.kind == "match" and r.ended_on and first <= r.ended_on <= last
        ]
        planned = sum(1 for r in ended if r.end_kind == "planned")
        rows.append(
            TrendRow(
                month=first,
                people_in_relationships=suppress(len(open_people), min_count),
                people_in_contact=shown_contact,
                contacts=int(inside.sum()) if shown_contact is not None else None,
                matches_started=suppress(len(started), min_count),
                endings_planned_share=share_or_none(planned, len(ended), min_count)
                if ended
                else None,
            )
        )
    return rows
