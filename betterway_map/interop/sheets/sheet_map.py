"""A small map drawn into the printed sheet: plain vector lines, no tiles.

The groups' places as numbered markers (the numbers of the list; groups
meeting at one place share a marker), a scale bar and a north arrow, in
black on white so that it prints in black and white. Nothing else is drawn:
no centre, no home. The projection is a flat one about the places' middle
(kilometres east and north), true enough for the few kilometres a sheet
covers. No Flask.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from fpdf import FPDF
from fpdf.enums import Align

from betterway_map.web.pdf import FAMILY

__all__ = ["Box", "Marker", "markers", "project", "scale_bar_km", "draw_map", "LABEL_PT"]

KM_PER_DEGREE_LAT = 110.574  # near the UK's latitudes
KM_PER_DEGREE_LON_AT_EQUATOR = 111.320
MIN_SPAN_KM = 1.0  # one place alone is shown with a kilometre around it
NICE_LENGTHS_KM = (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0, 2.5, 5.0, 10.0, 20.0, 25.0, 50.0)
LABEL_PT = 16
MARKER_MM = 9.0  # a marker's height: a 16 pt number and a little room
PADDING_MM = 14.0  # keeps markers clear of the frame, scale bar and arrow


@dataclass(frozen=True)
class Box:
    """A rectangle on the page, in millimetres from the top left."""

    x: float
    y: float
    w: float
    h: float


@dataclass(frozen=True)
class Marker:
    """One marker: where it goes on the page and the list numbers it stands for."""

    x: float
    y: float
    label: str


def _km(points, middle) -> list[tuple[float, float]]:
    lat0, lon0 = middle
    east = KM_PER_DEGREE_LON_AT_EQUATOR * math.cos(math.radians(lat0))
    return [((lon - lon0) * east, (lat - lat0) * KM_PER_DEGREE_LAT) for lat, lon in points]


def project(points: list[tuple[float, float]], box: Box) -> tuple[list[tuple[float, float]], float]:
    """Where each (lat, lon) goes inside ``box`` (north up), and the scale
    in millimetres per kilometre.

    >>> box = Box(0, 0, 100, 100)
    >>> spots, mm_per_km = project([(52.0, -1.0), (52.009, -1.0)], box)  # 1 km apart
    >>> [(round(x), round(y)) for x, y in spots]
    [(50, 86), (50, 14)]
    """
    lats = [lat for lat, _ in points]
    lons = [lon for _, lon in points]
    middle = ((min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2)
    flat = _km(points, middle)
    span_x = max(max(abs(x) for x, _ in flat) * 2, MIN_SPAN_KM)
    span_y = max(max(abs(y) for _, y in flat) * 2, MIN_SPAN_KM)
    usable_w, usable_h = box.w - 2 * PADDING_MM, box.h - 2 * PADDING_MM
    mm_per_km = min(usable_w / span_x, usable_h / span_y)
    centre_x, centre_y = box.x + box.w / 2, box.y + box.h / 2
    return [(centre_x + x * mm_per_km, centre_y - y * mm_per_km) for x, y in flat], mm_per_km


def scale_bar_km(width_km: float) -> float:
    """The longest round length that is at most a third of the map's width.

    >>> scale_bar_km(3.0), scale_bar_km(0.5), scale_bar_km(40)
    (1.0, 0.1, 10.0)
    """
    fitting = [length for length in NICE_LENGTHS_KM if length <= width_km / 3]
    return fitting[-1] if fitting else NICE_LENGTHS_KM[0]


def _distance_label(km: float) -> str:
    """A length as a scale bar says it.

    >>> _distance_label(0.25), _distance_label(2.0)
    ('250 m', '2 km')
    """
    return f"{km * 1000:g} m" if km < 1 else f"{km:g} km"


def markers(points: list[tuple[float, float]], box: Box) -> tuple[list[Marker], float]:
    """The markers for places numbered 1, 2, … in order (one marker for
    places at the same point), and the scale in mm per km."""
    spots, mm_per_km = project(points, box)
    labels: dict[tuple[float, float], list[str]] = {}
    for number, spot in enumerate(spots, start=1):
        labels.setdefault((round(spot[0], 1), round(spot[1], 1)), []).append(str(number))
    return [Marker(x, y, ", ".join(numbers)) for (x, y), numbers in labels.items()], mm_per_km


def draw_map(pdf: FPDF, points: list[tuple[float, float]], box: Box) -> None:
    """Draw the frame, the markers, a scale bar and a north arrow in ``box``."""
    found, mm_per_km = markers(points, box)
    pdf.set_draw_color(0)
    pdf.set_line_width(0.6)
    pdf.rect(box.x, box.y, box.w, box.h)
    _north_arrow(pdf, box)
    _scale_bar(pdf, box, mm_per_km)
    pdf.set_font(FAMILY, "B", LABEL_PT)
    for marker in reversed(found):  # the nearest drawn last, on top
        _marker(pdf, marker)
    pdf.set_text_color(0)


def _marker(pdf: FPDF, marker: Marker) -> None:
    width = max(MARKER_MM, pdf.get_string_width(marker.label) + 4)
    left, top = marker.x - width / 2, marker.y - MARKER_MM / 2
    pdf.set_fill_color(0)
    pdf.set_draw_color(255)
    pdf.set_line_width(0.5)
    pdf.rect(
        left, top, width, MARKER_MM, style="DF", round_corners=True, corner_radius=MARKER_MM / 2
    )
    pdf.set_text_color(255)
    pdf.set_xy(left, top)
    pdf.cell(width, MARKER_MM, marker.label, align=Align.C)
    pdf.set_draw_color(0)


def _north_arrow(pdf: FPDF, box: Box) -> None:
    tip_x, tip_y = box.x + box.w - 9, box.y + 11
    pdf.set_fill_color(0)
    pdf.polygon([(tip_x, tip_y), (tip_x - 4, tip_y + 11), (tip_x + 4, tip_y + 11)], style="F")
    pdf.set_font(FAMILY, "B", LABEL_PT)
    pdf.set_text_color(0)
    pdf.set_xy(tip_x - 5, tip_y - 9)
    pdf.cell(10, 8, "N", align=Align.C)


def _scale_bar(pdf: FPDF, box: Box, mm_per_km: float) -> None:
    length_km = scale_bar_km(box.w / mm_per_km)
    length_mm = length_km * mm_per_km
    left, base = box.x + 5, box.y + box.h - 5
    pdf.set_line_width(0.8)
    pdf.line(left, base, left + length_mm, base)
    pdf.line(left, base - 2.5, left, base)
    pdf.line(left + length_mm, base - 2.5, left + length_mm, base)
    pdf.set_font(FAMILY, "", LABEL_PT)
    pdf.set_text_color(0)
    pdf.set_xy(left, base - 10)
    pdf.cell(length_mm, 7, _distance_label(length_km), align=Align.C)
