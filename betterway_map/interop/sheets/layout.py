"""'What's on near you' as a printed sheet: one or two A4 pages (fpdf2).

For people who are not online: large print (nothing under 16 pt), black on
white, a small map whose numbers match the list, and for each group when it
next meets, where, its access, its cost and a phone number. Built from plain
data (``Sheet``); the type is ``web.pdf``'s. No Flask.

A sheet never runs to a third page: when the groups do not fit on two, the
farthest are left off and the sheet says how many more the website shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from betterway_map.interop.sheets.sheet_map import Box, draw_map
from betterway_map.web.pdf import FAMILY, MISSING, PT_TO_MM, add_fonts, printable

__all__ = [
    "Sheet",
    "SheetGroup",
    "sheet_pdf",
    "new_document",
    "paragraph",
    "labelled",
    "keep_together",
    "shorten",
    "BODY_PT",
    "NAME_PT",
    "TITLE_PT",
    "MAX_PAGES",
]

BODY_PT = 16
NAME_PT = 19
TITLE_PT = 30
LINE = 1.15  # line height as a multiple of the type size
MARGIN_MM = 15
MAP_HEIGHT_MM = 72
MAX_PAGES = 2
# Longest text printed from one field: a sheet must fit on two pages.
FIELD_CHARS = 160


@dataclass(frozen=True)
class SheetGroup:
    """One group as the sheet prints it (every value already in words)."""

    name: str
    distance: str
    when: str
    where: str
    access: str
    cost: str
    phone: str | None
    point: tuple[float, float]
    # Why the group suits the person, when the sheet is of suggestions.
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Sheet:
    """What the sheet says: where from, when made, the groups, where to see more."""

    title: str
    near: str
    made: str
    groups: tuple[SheetGroup, ...]
    nothing: str
    more_at: str
    map_note: str
    left_off: int = 0


class _Document(FPDF):
    def footer(self):
        self.set_y(-14)
        self.set_font(FAMILY, "", BODY_PT)
        self.set_text_color(0)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align=Align.C)


def sheet_pdf(sheet: Sheet) -> bytes:
    """The sheet as a PDF of at most ``MAX_PAGES`` A4 pages."""
    while True:
        pdf = _render(sheet)
        made = bytes(pdf.output())  # output() also closes the font files
        if pdf.pages_count <= MAX_PAGES or not sheet.groups:
            return made
        sheet = replace(sheet, groups=sheet.groups[:-1], left_off=sheet.left_off + 1)


def _line_mm(size_pt: float) -> float:
    return size_pt * LINE * PT_TO_MM


def shorten(text: str) -> str:
    shown = " ".join(printable(text)[0].split())
    return shown if len(shown) <= FIELD_CHARS else shown[: FIELD_CHARS - 1].rstrip() + "…"


def new_document(title: str) -> FPDF:
    """An A4 document in the sheets' margins and fonts, with page numbers,
    on its first page."""
    pdf = _Document(format="A4")
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(True, margin=18)
    add_fonts(pdf)
    pdf.set_title(title)
    pdf.set_lang("en-GB")
    pdf.set_creator("Better Way Map")
    pdf.add_page()
    pdf.set_text_color(0)
    return pdf


def _render(sheet: Sheet) -> FPDF:
    pdf = new_document(sheet.title)
    paragraph(pdf, sheet.title, "B", TITLE_PT)
    paragraph(pdf, sheet.near, "", BODY_PT)
    paragraph(pdf, f"Made on {sheet.made}.", "", BODY_PT, after_mm=2)
    if not sheet.groups:
        paragraph(pdf, sheet.nothing, "", BODY_PT, after_mm=3)
    else:
        top = pdf.get_y()
        box = Box(MARGIN_MM, top, pdf.epw, MAP_HEIGHT_MM)
        draw_map(pdf, [group.point for group in sheet.groups], box)
        pdf.set_xy(MARGIN_MM, top + MAP_HEIGHT_MM + 1)
        paragraph(pdf, sheet.map_note, "", BODY_PT, after_mm=3)
        for number, group in enumerate(sheet.groups, start=1):
            _group(pdf, number, group)
    ending = f"More on the website: {sheet.more_at}"
    if sheet.left_off:
        ending = f"{sheet.left_off} more did not fit on this sheet. " + ending
    if any(printable(text)[1] for text in _texts(sheet)):
        ending += f" Some letters cannot be printed and show as “{MISSING}”."
    keep_together(pdf, lambda target: paragraph(target, ending, "", BODY_PT))
    return pdf


def _texts(sheet: Sheet):
    yield sheet.near
    for group in sheet.groups:
        yield from (group.name, group.when, group.where, group.access, group.cost)
        yield group.phone or ""
        yield from group.reasons


def paragraph(pdf: FPDF, text: str, style: str, size: float, after_mm: float = 0) -> None:
    pdf.set_font(FAMILY, style, size)
    pdf.multi_cell(
        0,
        _line_mm(size),
        printable(text)[0],
        align=Align.L,
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    if after_mm:
        pdf.ln(after_mm)


def labelled(pdf: FPDF, *parts: tuple[str, str]) -> None:
    """ "Label: value" pairs on one line (wrapping as needed), labels in bold."""
    height = _line_mm(BODY_PT)
    for index, (label, value) in enumerate(parts):
        pdf.set_font(FAMILY, "B", BODY_PT)
        pdf.write(height, f"{' ' if index else ''}{label}: ")
        pdf.set_font(FAMILY, "", BODY_PT)
        pdf.write(height, shorten(value))
    pdf.ln(height)


def _group(pdf: FPDF, number: int, group: SheetGroup) -> None:
    def draw(target: FPDF) -> None:
        target.set_font(FAMILY, "B", NAME_PT)
        target.multi_cell(
            0,
            _line_mm(NAME_PT),
            f"{number}. {shorten(group.name)} ({group.distance} away)",
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        labelled(target, ("When", group.when))
        labelled(target, ("Where", group.where))
        labelled(target, ("Access", group.access), ("Cost", group.cost))
        if group.phone:
            labelled(target, ("Phone", group.phone))
        if group.reasons:
            # Each reason whole: a shortened one might no longer be true.
            paragraph(target, "Why it might suit you:", "B", BODY_PT)
            for reason in group.reasons:
                paragraph(target, f"– {reason}", "", BODY_PT)
        target.ln(2)

    keep_together(pdf, draw)


def keep_together(pdf: FPDF, draw) -> None:
    """Draw a block on one page: on the next one if it would be split."""
    with pdf.offset_rendering() as trial:
        draw(trial)
    if trial.page_break_triggered:
        pdf.add_page()
    draw(pdf)
