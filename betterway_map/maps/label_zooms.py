"""Which background names show at which zoom, so that no two overlap.

The offline background (``maps.basemap``) names districts, sectors, the
demo town's places and streets. Drawn all at once they pile up (at zoom 13
on the demo, "Eastbrook", "Town Centre", "ZZ1" and "ZZ1 1" sat on top of
each other). Here, on the server, each name gets the zooms it shows at:

* each kind has a window of zooms (``KIND_ZOOMS``): the town's name while
  the town is small on the screen, district names until sector names take
  over (``SECTOR_ZOOM``), places and sector names from one zoom before
  that, street names when zoomed in, as web maps do;
* within its window a name shows from the first zoom at which its box
  (``label_box``: its text's estimated size plus ``GAP_PX`` all round, on
  the Web Mercator pixel grid Leaflet uses) overlaps no box already shown
  at that zoom, names placed in order of importance (``PRIORITY``: the
  town, districts, places, sectors, streets; then by name, so the answer
  never depends on the order names came in).

Once a name shows it shows at every closer zoom of its window: zooming in
doubles every distance in pixels and leaves the boxes their size, so two
names apart at one zoom are apart at every closer one, and a name that
leaves its window (districts, from ``SECTOR_ZOOM``) only makes room.
Pure: plain numbers in, plain numbers out.

Two district names 0.01 degrees of longitude apart are 0.00711 x 2**zoom
pixels apart (29 at zoom 12, 58 at zoom 13); each is about 38 pixels wide
with its margins, so the second finds room at zoom 13, the last zoom
district names show at:

>>> names = [Label("district-label", "ZZ1", 52.0, -1.0), Label("district-label", "ZZ2", 52.0, -0.99)]
>>> label_zooms(names)
[(8, 13), (13, 13)]
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import NamedTuple

from betterway_map.maps.zooms import MAX_ZOOM, MIN_ZOOM, SECTOR_ZOOM

__all__ = [
    "GAP_PX",
    "KIND_ZOOMS",
    "PRIORITY",
    "Label",
    "label_box",
    "label_zooms",
    "pixel",
]

# Kind of name: the zooms it may show at (inclusive).
KIND_ZOOMS = {
    "town": (MIN_ZOOM, SECTOR_ZOOM - 2),
    "district-label": (MIN_ZOOM, SECTOR_ZOOM - 1),
    "place": (SECTOR_ZOOM - 1, MAX_ZOOM),
    "sector-label": (SECTOR_ZOOM - 1, MAX_ZOOM),
    "street-label": (SECTOR_ZOOM + 1, MAX_ZOOM),
}
PRIORITY = ("town", "district-label", "place", "sector-label", "street-label")
# Clear space kept round every name, in pixels, beyond its halo.
GAP_PX = 4
TILE_PX = 256
# A name's font size in pixels and the mean width of a character as a share
# of it (static/css/map.css: 0.8rem, bold 1rem for districts and the town,
# bold 0.95rem with letter-spacing for places; the site's 16 px rem), and
# its height in pixels.
_FONT_PX = {"district-label": 16.0, "town": 16.0, "place": 15.2}
_DEFAULT_FONT_PX = 12.8
_CHAR_WIDTH = {"district-label": 0.62, "town": 0.62, "place": 0.66}
_DEFAULT_CHAR_WIDTH = 0.56
_LINE_HEIGHT = 1.25


class Label(NamedTuple):
    kind: str
    name: str
    lat: float
    lon: float


def label_box(label: Label) -> tuple[float, float]:
    """The (width, height) in pixels a name is drawn in, estimated from its
    kind's font and the length of its text, with ``GAP_PX`` on every side.

    >>> label_box(Label("sector-label", "ZZ1 2", 52.0, -1.0))
    (43.84, 24.0)
    """
    font = _FONT_PX.get(label.kind, _DEFAULT_FONT_PX)
    width = len(label.name) * font * _CHAR_WIDTH.get(label.kind, _DEFAULT_CHAR_WIDTH)
    return round(width + 2 * GAP_PX, 2), round(font * _LINE_HEIGHT + 2 * GAP_PX, 2)


def pixel(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Where (lat, lon) falls on the Web Mercator pixel grid at ``zoom``
    (x east, y south, as Leaflet's ``project``).

    >>> pixel(0.0, 0.0, 1), pixel(0.0, 90.0, 1)
    ((256.0, 256.0), (384.0, 256.0))
    """
    scale = TILE_PX * 2**zoom
    phi = math.radians(max(min(lat, 85.05112878), -85.05112878))
    x = scale * (lon + 180.0) / 360.0
    y = scale * (1 - math.log(math.tan(phi) + 1 / math.cos(phi)) / math.pi) / 2
    return x, y


def _order(labels: Sequence[Label]) -> list[int]:
    rank = {kind: i for i, kind in enumerate(PRIORITY)}
    return sorted(
        range(len(labels)),
        key=lambda i: (rank.get(labels[i].kind, len(rank)), labels[i].name, i),
    )


class _Shown:
    """The boxes shown at one zoom, on a grid of squares as large as the
    largest box: a box can only meet boxes centred in its own square or
    the eight round it."""

    def __init__(self, sizes: Sequence[tuple[float, float]], cell_px: float):
        self.sizes, self.cell_px = sizes, cell_px
        self.grid: dict[tuple[int, int], list[tuple[int, float, float]]] = defaultdict(list)

    def _square(self, x: float, y: float) -> tuple[int, int]:
        return int(x // self.cell_px), int(y // self.cell_px)

    def fits(self, i: int, x: float, y: float) -> bool:
        width, height = self.sizes[i]
        gx, gy = self._square(x, y)
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                for j, xj, yj in self.grid.get((gx + dx, gy + dy), ()):
                    if (
                        abs(x - xj) * 2 < width + self.sizes[j][0]
                        and abs(y - yj) * 2 < height + self.sizes[j][1]
                    ):
                        return False
        return True

    def add(self, i: int, x: float, y: float) -> None:
        self.grid[self._square(x, y)].append((i, x, y))


def label_zooms(
    labels: Sequence[Label], box: Callable[[Label], tuple[float, float]] = label_box
) -> list[tuple[int, int] | None]:
    """For each label, the (first, last) zoom it shows at, or None when it
    never finds room (a name on top of a more important one).

    ``box`` gives a label's (width, height) in pixels, margins included.
    Boxes are centred on their points (the background draws names so).
    """
    order = _order(labels)
    sizes = [box(label) for label in labels]
    cell_px = max((max(size) for size in sizes), default=1.0)
    first: dict[int, int] = {}
    for zoom in range(MIN_ZOOM, MAX_ZOOM + 1):
        shown = _Shown(sizes, cell_px)
        live = [
            (i, *pixel(labels[i].lat, labels[i].lon, zoom))
            for i in order
            if _in_window(labels[i], zoom)
        ]
        for i, x, y in live:  # shown at a wider zoom: still shown
            if i in first:
                shown.add(i, x, y)
        for i, x, y in live:
            if i not in first and shown.fits(i, x, y):
                first[i] = zoom
                shown.add(i, x, y)
    return [
        (first[i], KIND_ZOOMS.get(labels[i].kind, (MIN_ZOOM, MAX_ZOOM))[1]) if i in first else None
        for i in range(len(labels))
    ]


def _in_window(label: Label, zoom: int) -> bool:
    low, high = KIND_ZOOMS.get(label.kind, (MIN_ZOOM, MAX_ZOOM))
    return low <= zoom <= high
