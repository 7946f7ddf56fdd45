"""Everything held about a resident as a PDF to keep or print (fpdf2).

Built from the plain export dict, through ``data_report`` (so it says what the
page says), in large type for older readers: 13 pt body, a heading and a PDF
bookmark per section, each record as labelled lines rather than a wide table.

The type and the letters it can print are ``web.pdf``'s (Source Sans Pro,
for Latin Extended names). A character the font cannot draw (Arabic,
Chinese, emoji) is printed as "?" and the PDF says so, pointing to the
page, which shows every character. No Flask.
"""

from __future__ import annotations

from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from betterway_map.people.data_report import TITLE, DataReport, Entry, data_report
from betterway_map.web.pdf import FAMILY, FONT_FILES, MISSING, PT_TO_MM, add_fonts, printable

__all__ = ["data_pdf", "printable", "BODY_PT", "FONT_FILES"]

BODY_PT = 13
HEADING_PT = {1: 22, 2: 17, 3: 14}
LINE = 1.45  # line height as a multiple of the type size


class _Document(FPDF):
    def footer(self):
        self.set_y(-15)
        self.set_font(FAMILY, "", 12)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align=Align.C)


def data_pdf(export: dict) -> bytes:
    """The PDF of everything in ``export`` (the dict of ``export_own_data``)."""
    return _render(data_report(export))


def _render(report: DataReport) -> bytes:
    pdf = _Document(format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=22)
    add_fonts(pdf)
    pdf.set_title(TITLE)
    pdf.set_lang("en-GB")
    pdf.set_creator("Better Way Map")
    pdf.add_page()
    writer = _Writer(pdf)
    writer.heading(TITLE, 1)
    writer.paragraph(
        f"Made {report.made}. This is the same as the page “{TITLE}” on the website "
        "and the file you can download there."
    )
    if any(printable(text)[1] for text in _texts(report)):
        writer.paragraph(
            f"Some letters cannot be shown in this file and are printed as “{MISSING}”. "
            f"The page “{TITLE}” on the website shows every letter."
        )
    for section in report.sections:
        writer.heading(section.title, 2)
        if section.is_list and not section.records:
            writer.paragraph("None.")
        for number, record in enumerate(section.records, start=1):
            writer.heading(f"{section.record_name} {number} of {len(section.records)}", 3)
            writer.entries(record)
        writer.entries(section.entries)
    if not report.has_profile:
        writer.paragraph("You have not filled in a profile, so we hold only your account.")
    if report.note:
        writer.paragraph(report.note)
    return bytes(pdf.output())


def _line_mm(size_pt: float) -> float:
    return size_pt * LINE * PT_TO_MM


def _texts(report: DataReport):
    for section in report.sections:
        yield section.title
        for entry in section.entries + tuple(e for record in section.records for e in record):
            yield from (entry.label, entry.text)


class _Writer:
    """Writes headings, paragraphs and labelled values down the page."""

    def __init__(self, pdf: FPDF):
        self.pdf = pdf

    def _text(self, text: str, style: str, size: int, after_mm: float = 0) -> None:
        shown, _ = printable(text)
        self.pdf.set_font(FAMILY, style, size)
        self.pdf.multi_cell(
            0,
            _line_mm(size),
            shown,
            align=Align.L,
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        if after_mm:
            self.pdf.ln(after_mm)

    def heading(self, text: str, level: int) -> None:
        size = HEADING_PT[level]
        if level > 1 and self.pdf.will_page_break(size * 4 * PT_TO_MM + _line_mm(BODY_PT) * 2):
            self.pdf.add_page()  # keep a heading with what follows it
        self.pdf.ln(4 if level == 2 else 2)
        if level < 3:
            self.pdf.set_font(FAMILY, "B", size)
            self.pdf.start_section(printable(text)[0], level=level - 1)
        self._text(text, "B", size, after_mm=1)

    def paragraph(self, text: str) -> None:
        self._text(text, "", BODY_PT, after_mm=3)

    def entries(self, entries: tuple[Entry, ...]) -> None:
        for entry in entries:
            if self.pdf.will_page_break(_line_mm(BODY_PT) * 2):
                self.pdf.add_page()  # keep a label with its value
            self._text(entry.label, "B", BODY_PT)
            self._text(entry.text, "", BODY_PT, after_mm=2)
