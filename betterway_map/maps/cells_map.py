"""The council's map of the area's cells: hexagons coloured by gap score.

Built from the rows of the area report (``network.report``), which are
already aggregated to cells and passed through the disclosure rule
(``domain.suppression``): a withheld cell is not in the rows, so it is never
drawn (its lone hexagon would circle a home); a cell whose at-risk count is
withheld is drawn grey, and its tooltip gives its people and what is within
a walk but says the at-risk count and gap score are withheld. Nothing about
a person, and no person's location, is ever given to this module. Every
string reaches the map through ``safe_text.map_text``; the map is returned
as parts to embed (see ``base.embed_map``), with folium's CDN assets off.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium

from betterway_map.maps.base import base_map, embed_map
from betterway_map.maps.safe_text import map_text
from betterway_map.maps.tiles import TileSource

__all__ = [
    "GAP_COLOURS",
    "SUPPRESSED_COLOUR",
    "CellsMap",
    "LegendEntry",
    "gap_band",
    "build_cells_map",
]

# ColorBrewer YlOrRd, 5 classes: low gap (pale) to high gap (dark red).
GAP_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
SUPPRESSED_COLOUR = "#b1b4b6"
WITHHELD_TEXT = "People at risk and gap score: withheld, to protect the people here."


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str


@dataclass(frozen=True)
class CellsMap:
    element_id: str
    html: str
    script: str
    shown: int
    suppressed: int
    legend: tuple[LegendEntry, ...]


def gap_band(gap_score: float, top: float) -> int:
    """Which of the five colour bands a gap score falls in (0 to 4), scaled
    to the highest score shown.

    >>> [gap_band(s, 10.0) for s in (0.0, 1.9, 2.0, 9.9, 10.0)]
    [0, 0, 1, 4, 4]
    >>> gap_band(3.0, 0.0)
    0
    """
    if top <= 0:
        return 0
    return min(int(len(GAP_COLOURS) * gap_score / top), len(GAP_COLOURS) - 1)


def _legend(top: float) -> tuple[LegendEntry, ...]:
    count = len(GAP_COLOURS)
    entries = [
        LegendEntry(colour, f"gap score {top * i / count:.2f} to {top * (i + 1) / count:.2f}")
        for i, colour in enumerate(GAP_COLOURS)
    ]
    entries.append(
        LegendEntry(
            SUPPRESSED_COLOUR,
            "people at risk withheld (a small number, or one that would give a small number away)",
        )
    )
    return tuple(entries)


def _withheld(row: dict) -> bool:
    return row.get("suppressed") or row.get("gap_score") is None or row.get("at_risk") is None


def _tooltip(cell: dict) -> str:
    name = map_text(cell.get("name") or cell["cell"])
    lines = [f"<strong>{name}</strong>"]
    if _withheld(cell):
        lines.append(map_text(WITHHELD_TEXT))
    else:
        lines += [
            f"Gap score: {float(cell['gap_score']):.2f}",
            f"People at risk: {int(cell['at_risk'])} of {int(cell['people'])}",
        ]
    if cell.get("people") is not None:
        if _withheld(cell):
            lines.append(f"People registered: {int(cell['people'])}")
        lines += [
            f"Active groups within walking distance: {int(cell['groups_within_walk'] or 0)}"
            f" ({int(cell['accessible_groups_within_walk'] or 0)} step-free)",
            f"Spaces within walking distance: {int(cell['spaces_within_walk'] or 0)}"
            f" ({int(cell['accessible_spaces_within_walk'] or 0)} step-free)",
        ]
    return "<br>".join(lines)


def build_cells_map(cells: Iterable[dict], tiles: TileSource | None = None) -> CellsMap | None:
    """The map of the area's cells, or None when there are none.

    Parameters
    ----------
    cells
        Rows with ``cell``, ``name``, ``boundary`` ([[lat, lon], ...]),
        ``suppressed`` and, when not suppressed, the cell's figures.
    tiles
        The tile server, or None for a plain background.

    Examples
    --------
    >>> import h3
    >>> cell = h3.latlng_to_cell(51.5, 0.0, 8)
    >>> row = {"cell": cell, "name": "ZZ1 {{ 7*7 }}", "suppressed": False,
    ...        "boundary": h3.cell_to_boundary(cell), "gap_score": 1.5, "people": 9,
    ...        "at_risk": 4, "groups_within_walk": 0, "accessible_groups_within_walk": 0,
    ...        "spaces_within_walk": 1, "accessible_spaces_within_walk": 0}
    >>> parts = build_cells_map([row])
    >>> parts.shown, parts.suppressed, "{{" in parts.script, "&#123;&#123; 7*7" in parts.script
    (1, 0, False, True)
    """
    # A withheld cell is never drawn, even if one is handed over.
    rows: Sequence[dict] = [row for row in cells if not row.get("suppressed")]
    if not rows:
        return None
    corners = [(float(lat), float(lon)) for row in rows for lat, lon in row["boundary"]]
    south, north = min(c[0] for c in corners), max(c[0] for c in corners)
    west, east = min(c[1] for c in corners), max(c[1] for c in corners)
    fmap = base_map(((south + north) / 2, (west + east) / 2), 13, tiles)
    shown = [row for row in rows if not _withheld(row)]
    top = max((float(row["gap_score"]) for row in shown), default=0.0)
    for row in rows:
        if _withheld(row):
            colour, opacity = SUPPRESSED_COLOUR, 0.35
        else:
            colour = GAP_COLOURS[gap_band(float(row["gap_score"] or 0), top)]
            opacity = 0.65
        polygon = folium.Polygon(
            locations=[(float(lat), float(lon)) for lat, lon in row["boundary"]],
            color="#0b0c0c",
            weight=1,
            fill=True,
            fill_color=colour,
            fill_opacity=opacity,
            class_name="map-cell-suppressed" if _withheld(row) else "map-cell",
        )
        folium.Tooltip(_tooltip(row), sticky=True).add_to(polygon)
        polygon.add_to(fmap)
    parts = embed_map(fmap, ((south, west), (north, east)))
    return CellsMap(
        element_id=parts.element_id,
        html=parts.html,
        script=parts.script,
        shown=len(shown),
        suppressed=len(rows) - len(shown),
        legend=_legend(top),
    )
