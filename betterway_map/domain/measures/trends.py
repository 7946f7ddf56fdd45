"""Trends: the relationship figures month by month.

Each month's figures are about the people of that month and go through
suppression on their own: a month shows no count about fewer than
``min_count`` people, and a count of contacts only beside the people they
were with. Each count is then one figure over time: one month against
another must not give a small number of people away either, so an older
month that differs from a newer one shown by 1 to ``min_count - 1`` is
withheld (``suppression.safe_series``, newest first).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from betterway_map.domain.measures.arrays import count_distinct, distinct
from betterway_map.domain.measures.published import share_or_none
from betterway_map.domain.measures.records import (
    END_CODES,
    KIND_CODES,
    NO_DAY,
    Contacts,
    Relationship,
    RelationshipColumns,
)
from betterway_map.domain.suppression import MIN_CELL_COUNT, safe_series, suppress

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


_PERSON_SPAN = 1 << 32  # more than any person id


def _month_end(first: date) -> date:
    nxt = date(first.year + 1, 1, 1) if first.month == 12 else date(first.year, first.month + 1, 1)
    return date.fromordinal(nxt.toordinal() - 1)


# The counts of people in a TrendRow, each a series over the months.
_SERIES = ("people_in_relationships", "people_in_contact", "matches_started")


def _safe_over_time(rows: list[TrendRow], min_count: int) -> list[TrendRow]:
    """The rows with each count of people withheld where one month against
    a newer one would give a small number away; contacts go with the people
    in contact."""
    kept = {
        name: safe_series([getattr(r, name) for r in reversed(rows)], min_count)[::-1]
        for name in _SERIES
    }
    return [
        replace(
            row,
            **{name: kept[name][i] for name in _SERIES},
            contacts=row.contacts if kept["people_in_contact"][i] is not None else None,
        )
        for i, row in enumerate(rows)
    ]


def monthly(
    relationships: Sequence[Relationship] | RelationshipColumns,
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
    c = RelationshipColumns.of(relationships)
    started, ended, people = c.started, c.ended, c.person
    is_match = c.kind == KIND_CODES["match"]
    planned_end = c.end_kind == END_CODES["planned"]
    has_start, has_end = started != NO_DAY, ended != NO_DAY
    firsts = months_back(today, months)
    bounds = np.array([f.toordinal() for f in firsts] + [_month_end(firsts[-1]).toordinal() + 1])
    # Each contact's month (-1 before the first, ``months`` after the last),
    # and the people in contact in each month, as (month, person) once each.
    month = np.searchsorted(bounds, contacts.day, side="right") - 1
    shown = (month >= 0) & (month < months)
    month, person = month[shown], contacts.person[shown]
    contacts_in = np.bincount(month, minlength=months)
    pairs = distinct(month * _PERSON_SPAN + person)
    people_in = np.bincount(pairs // _PERSON_SPAN, minlength=months)
    rows = []
    for at, first in enumerate(firsts):
        first_day, last_day = bounds[at], bounds[at + 1] - 1
        is_open = has_start & (started <= last_day) & (~has_end | (ended >= first_day))
        open_people = count_distinct(people[is_open])
        shown_contact = suppress(int(people_in[at]), min_count)
        starting = is_match & has_start & (started >= first_day) & (started <= last_day)
        ending = is_match & has_end & (ended >= first_day) & (ended <= last_day)
        ended_count = int(ending.sum())
        planned = int((ending & planned_end).sum())
        rows.append(
            TrendRow(
                month=first,
                people_in_relationships=suppress(open_people, min_count),
                people_in_contact=shown_contact,
                contacts=int(contacts_in[at]) if shown_contact is not None else None,
                matches_started=suppress(count_distinct(people[starting]), min_count),
                endings_planned_share=share_or_none(planned, ended_count, min_count)
                if ended_count
                else None,
            )
        )
    return _safe_over_time(rows, min_count)
