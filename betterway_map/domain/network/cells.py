"""Area figures by H3 cell: people, people at risk, what is within a walk, gaps.

People are counted in the H3 cell (default ``H3_RESOLUTION``, 8: about 0.74 km²)
holding their home; a home is used for nothing else, and nothing here
returns a person's location or id. Only cells with at least one person are
listed. For each cell:

* ``people``: people whose home is in the cell;
* ``at_risk``: those at risk — isolated, or lonely often or always
  (``people.at_risk``);
* ``groups_within_walk``: active groups that meet in person (they have a
  place) within ``walking_m`` of the cell's centre, geodesic; and
  ``accessible_groups_within_walk``, those whose space is step-free;
* ``spaces_within_walk``: every space on the register with a place (the
  register keeps no opening times, so a listed space counts as open), and
  ``accessible_spaces_within_walk``, the step-free ones;
* ``gap_score = at_risk / (1 + groups_within_walk)``: the number of people
  at risk, divided down by what is within their reach. 0 where nobody is at
  risk; equal to ``at_risk`` where no group is within a walk; halved by one
  group, thirded by two. Higher is a worse gap.

Reach is measured from the cell's centre, for every figure alike: at
resolution 8 every home in a cell is within about 0.5 km of it, and a
single point per cell makes "within a walk of this cell" mean one thing.
(Coverage, in ``coverage.py``, measures from each at-risk person's own home.)

Disclosure control (``suppression.publish_cells``, the one rule): a cell
with too few people, and any cell withheld so that the people outside the
shown cells (people with no home location included) are none or at least
``min_count``, is ``suppressed``: every figure ``None``, and the report
leaves it out altogether. In a shown cell the at-risk count is withheld
(``None``) when its at risk or its not at risk are too few, or when needed
so that the area's at-risk total minus the shown counts gives nobody away;
the gap score, which gives the at-risk count back, goes with it.
``shown_totals`` adds up what is shown only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import h3
import numpy as np

from betterway_map.domain.network.defaults import H3_RESOLUTION, WALKING_DISTANCE_M
from betterway_map.domain.network.inputs import Area
from betterway_map.domain.network.isolation import at_risk as is_at_risk
from betterway_map.domain.network.reach import (
    ReachIndex,
    check_point,
    check_resolution,
    check_settings,
)
from betterway_map.domain.suppression import MIN_CELL_COUNT, check_min_count, publish_cells

__all__ = ["CellFigures", "CellTotals", "area_cells", "shown_totals", "gap_score", "home_cells"]


@dataclass(frozen=True, slots=True)
class CellFigures:
    """The figures of one H3 cell; every figure is ``None`` when ``suppressed``,
    and ``at_risk`` and ``gap_score`` are ``None`` when only they are withheld."""

    cell: str
    boundary: tuple[tuple[float, float], ...]  # (lat, lon) vertices
    people: int | None
    at_risk: int | None
    groups_within_walk: int | None
    accessible_groups_within_walk: int | None
    spaces_within_walk: int | None
    accessible_spaces_within_walk: int | None
    gap_score: float | None
    suppressed: bool


@dataclass(frozen=True, slots=True)
class CellTotals:
    """Sums over the shown (unsuppressed) cells only."""

    cells_shown: int
    cells_suppressed: int
    people: int
    at_risk: int  # in the shown cells whose at-risk count is shown
    cells_with_no_group_in_reach: int  # shown cells with people at risk and no group


def gap_score(at_risk: int, groups_within_walk: int) -> float:
    """``at_risk / (1 + groups_within_walk)``: how far at-risk people lack a group nearby.

    >>> gap_score(2, 0), gap_score(2, 1), gap_score(0, 0)
    (2.0, 1.0, 0.0)
    """
    return at_risk / (1 + groups_within_walk)


def home_cells(area: Area, resolution: int = H3_RESOLUTION) -> dict[int, str]:
    """Person id to the H3 cell of their home, for people with a home location.

    Raises ``ValueError`` naming the person when a home is off the globe.

    >>> from datetime import date
    >>> from .inputs import PersonRecord
    >>> area = Area(date(2025, 6, 1), people=[PersonRecord(1, "A", None, 52.5, -1.5, None),
    ...                                       PersonRecord(2, "B", None, None, None, None)])
    >>> home_cells(area)
    {1: '88195caf45fffff'}
    """
    check_resolution(resolution)
    cells = {}
    for person in area.people:
        if person.latitude is None or person.longitude is None:
            continue
        check_point(person.latitude, person.longitude, f"person {person.id}")
        cells[person.id] = h3.latlng_to_cell(person.latitude, person.longitude, resolution)
    return cells


def _counts_within(index: ReachIndex, accessible: np.ndarray, cell: str) -> tuple[int, int]:
    lat, lon = h3.cell_to_latlng(cell)
    found = index.positions_within(lat, lon, cell)
    return len(found), int(accessible[found].sum())


def area_cells(
    area: Area,
    assessments: Mapping[int, object],
    resolution: int = H3_RESOLUTION,
    walking_m: float = WALKING_DISTANCE_M,
    min_count: int = MIN_CELL_COUNT,
) -> list[CellFigures]:
    """The figures of every cell with at least one person, ordered by cell.

    Parameters
    ----------
    area : Area
        The register's records.
    assessments : mapping of person id to PersonAssessment
        From ``people.assess_people``; a person without one is not at risk.
    resolution : int
        H3 resolution of the cells.
    walking_m : float
        Walking distance in metres from a cell's centre.
    min_count : int
        The fewest people a figure may be about (see the module docstring).

    Examples
    --------
    Ten people in one cell, five at risk, one active group 100 m from the
    cell's centre on a step-free site:

    >>> from datetime import date
    >>> from .isolation import PersonAssessment
    >>> from .inputs import GroupRecord, PersonRecord
    >>> lat, lon = h3.cell_to_latlng("88195caf45fffff")
    >>> people = [PersonRecord(i, "P", "75-84", lat, lon, True) for i in range(1, 11)]
    >>> group = GroupRecord(1, 1, "Lunch", 1, lat + 0.0009, lon, "active", step_free=True)
    >>> area = Area(date(2025, 6, 1), people=people, groups=[group])
    >>> def assessed(at_risk):
    ...     return {i: PersonAssessment(i, {}, "isolated" if i <= at_risk else "connected",
    ...                                 [], (), None, None, None) for i in range(1, 11)}
    >>> [cell] = area_cells(area, assessed(5))
    >>> cell.people, cell.at_risk, cell.groups_within_walk, cell.accessible_groups_within_walk
    (10, 5, 1, 1)
    >>> cell.gap_score, cell.suppressed
    (2.5, False)

    With two at risk the at-risk count is too few: it and the gap score are
    withheld, the people and what is within a walk are still shown.

    >>> [cell] = area_cells(area, assessed(2))
    >>> cell.people, cell.at_risk, cell.gap_score, cell.groups_within_walk
    (10, None, None, 1)
    """
    check_settings(resolution, walking_m)
    check_min_count(min_count)
    homes = home_cells(area, resolution)
    people = Counter(homes.values())
    at_risk = Counter(
        cell
        for person_id, cell in homes.items()
        if person_id in assessments and is_at_risk(assessments[person_id])
    )
    elsewhere = sum(1 for p in area.people if p.latitude is None or p.longitude is None)
    published = publish_cells(people, at_risk, min_count, elsewhere=elsewhere)
    groups = [g for g in area.groups if g.status == "active" and g.latitude is not None]
    groups = [g for g in groups if g.longitude is not None]  # online groups have no place
    group_index = ReachIndex(
        ((g.id, g.latitude, g.longitude) for g in groups),
        resolution=resolution,
        walking_m=walking_m,
    )
    step_free_groups = np.array([g.step_free for g in groups], dtype=bool)
    spaces = [s for s in area.spaces if s.latitude is not None and s.longitude is not None]
    space_index = ReachIndex(
        ((s.id, s.latitude, s.longitude) for s in spaces),
        resolution=resolution,
        walking_m=walking_m,
    )
    step_free_spaces = np.array([s.step_free for s in spaces], dtype=bool)
    figures = []
    for cell in sorted(people):
        boundary = tuple(h3.cell_to_boundary(cell))
        if not published.shows_people(cell):
            figures.append(CellFigures(cell, boundary, *([None] * 7), suppressed=True))
            continue
        groups_near, accessible_groups = _counts_within(group_index, step_free_groups, cell)
        spaces_near, accessible_spaces = _counts_within(space_index, step_free_spaces, cell)
        risk = at_risk[cell] if published.shows_at_risk(cell) else None
        figures.append(
            CellFigures(
                cell,
                boundary,
                people[cell],
                risk,
                groups_near,
                accessible_groups,
                spaces_near,
                accessible_spaces,
                None if risk is None else gap_score(risk, groups_near),
                suppressed=False,
            )
        )
    return figures


def shown_totals(cells: list[CellFigures]) -> CellTotals:
    """Totals over the shown cells only (suppressed cells add nothing).

    >>> shown = CellFigures("a", (), 6, 2, 0, 0, 1, 1, 2.0, False)
    >>> hidden = CellFigures("b", (), *([None] * 7), suppressed=True)
    >>> shown_totals([shown, hidden])
    CellTotals(cells_shown=1, cells_suppressed=1, people=6, at_risk=2, cells_with_no_group_in_reach=1)
    """
    shown = [c for c in cells if not c.suppressed]
    return CellTotals(
        cells_shown=len(shown),
        cells_suppressed=len(cells) - len(shown),
        people=sum(c.people for c in shown),
        at_risk=sum(c.at_risk or 0 for c in shown),
        cells_with_no_group_in_reach=sum(
            1 for c in shown if c.at_risk and c.groups_within_walk == 0
        ),
    )
