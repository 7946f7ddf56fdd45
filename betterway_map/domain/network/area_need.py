"""Gap cells against an area indicator: how many lie in its most in-need decile.

A *gap cell* is a shown cell whose people at risk are published, above zero
(``suppression.cells_at_risk_shown``), with no active group within a walk.
Each is placed in the indicator's area holding the cell's centre
(``geo.polygons.locate``). What is published is a number of *cells*, never
of people: and because only cells whose at-risk count is itself published
are counted, the count says nothing about people that the cells' own
figures do not already say.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from betterway_map.domain.geo.polygons import Area, locate
from betterway_map.domain.suppression import cells_at_risk_shown

__all__ = ["GapCell", "GapsByDecile", "gap_cells", "gaps_by_decile", "MOST_IN_NEED"]

MOST_IN_NEED = 1  # the decile of the tenth of areas most in need


@dataclass(frozen=True, slots=True)
class GapCell:
    cell: str
    centre: tuple[float, float]  # (lat, lon) of the cell's centre, never a home


@dataclass(frozen=True, slots=True)
class GapsByDecile:
    """Counts of gap cells (not people)."""

    gap_cells: int
    in_most_in_need_decile: int
    outside_the_areas: int


def gap_cells(cells: Sequence[Mapping], centre_of) -> list[GapCell]:
    """The gap cells among published cell rows (``cell``, ``at_risk``,
    ``groups_within_walk``); ``centre_of(cell)`` gives its ``(lat, lon)``.

    >>> rows = [
    ...     {"cell": "a", "at_risk": 6, "groups_within_walk": 0},
    ...     {"cell": "b", "at_risk": None, "groups_within_walk": 0},
    ...     {"cell": "c", "at_risk": 7, "groups_within_walk": 2},
    ...     {"cell": "d", "at_risk": 0, "groups_within_walk": 0},
    ... ]
    >>> [g.cell for g in gap_cells(rows, lambda cell: (0.0, 0.0))]
    ['a']
    """
    counted = cells_at_risk_shown({row["cell"]: row["at_risk"] for row in cells})
    return [
        GapCell(row["cell"], tuple(centre_of(row["cell"])))
        for row in cells
        if row["cell"] in counted and row["groups_within_walk"] == 0
    ]


def gaps_by_decile(
    gaps: Sequence[GapCell], areas: Sequence[Area], decile_of: Mapping[str, int]
) -> GapsByDecile:
    """How many gap cells have their centre in an area of the most in-need decile.

    >>> square = ([[[0, 50], [1, 50], [1, 51], [0, 51], [0, 50]]],)
    >>> areas = [Area("X", (50, 0, 51, 1), square)]
    >>> gaps = [GapCell("a", (50.5, 0.5)), GapCell("b", (52.0, 0.5))]
    >>> gaps_by_decile(gaps, areas, {"X": 1})
    GapsByDecile(gap_cells=2, in_most_in_need_decile=1, outside_the_areas=1)
    """
    codes = locate([gap.centre for gap in gaps], areas)
    return GapsByDecile(
        gap_cells=len(gaps),
        in_most_in_need_decile=sum(
            1 for code in codes if code is not None and decile_of.get(code) == MOST_IN_NEED
        ),
        outside_the_areas=sum(1 for code in codes if code is None),
    )
