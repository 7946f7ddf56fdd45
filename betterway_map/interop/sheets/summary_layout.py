"""A person's own summary as a printed sheet: one or two A4 pages (fpdf2).

Large print (nothing under 16 pt), black on white, in three parts: their
groups (when, where, a phone number), their volunteer (first name only,
what they help with, the rhythm agreed, the last contact and when the next
is expected) and groups that might suit them. Built from plain data
(``Summary``) with the sheets' own layout helpers (``layout``). No Flask.

A summary never runs to a third page: the suggestions go first, then the
groups from the end, and the sheet says how many more the website shows.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from fpdf import FPDF

from betterway_map.interop.sheets.layout import (
    BODY_PT,
    MAX_PAGES,
    NAME_PT,
    TITLE_PT,
    keep_together,
    labelled,
    new_document,
    paragraph,
    shorten,
)
from betterway_map.web.pdf import MISSING, printable

__all__ = ["Summary", "SummaryGroup", "SummarySupport", "summary_pdf"]

HEADING_PT = 22
# A heading and about three lines of 16 pt under it.
HEADING_KEEP_MM = 40


@dataclass(frozen=True)
class SummaryGroup:
    """A group as the summary prints it (every value already in words)."""

    name: str
    when: str
    where: str
    phone: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class SummarySupport:
    """A volunteer who supports the person: their first name, nothing more of them."""

    volunteer_first_name: str
    help: str
    rhythm: str | None
    last_contact: str | None
    next_contact: str | None


@dataclass(frozen=True)
class Summary:
    title: str
    made: str
    groups: tuple[SummaryGroup, ...]
    no_groups: str
    supports: tuple[SummarySupport, ...]
    no_support: str
    suggestions: tuple[SummaryGroup, ...]
    no_suggestions: str
    more_at: str
    left_off: int = 0


def summary_pdf(summary: Summary) -> bytes:
    """The summary as a PDF of at most ``MAX_PAGES`` A4 pages."""
    while True:
        pdf = _render(summary)
        made = bytes(pdf.output())
        if pdf.pages_count <= MAX_PAGES:
            return made
        if summary.suggestions:
            summary = replace(summary, suggestions=summary.suggestions[:-1])
        elif summary.groups:
            summary = replace(summary, groups=summary.groups[:-1], left_off=summary.left_off + 1)
        else:
            return made


def _render(summary: Summary) -> FPDF:
    pdf = new_document(summary.title)
    paragraph(pdf, summary.title, "B", TITLE_PT)
    paragraph(pdf, f"Made on {summary.made}.", "", BODY_PT, after_mm=2)
    _heading(pdf, "Your groups")
    if not summary.groups:
        paragraph(pdf, summary.no_groups, "", BODY_PT)
    for group in summary.groups:
        _group(pdf, group)
    if summary.left_off:
        paragraph(pdf, f"{summary.left_off} more groups did not fit on this sheet.", "", BODY_PT)
    _heading(pdf, "Your volunteer")
    if not summary.supports:
        paragraph(pdf, summary.no_support, "", BODY_PT)
    for support in summary.supports:
        _support(pdf, support)
    _heading(pdf, "Groups that might suit you")
    if not summary.suggestions:
        paragraph(pdf, summary.no_suggestions, "", BODY_PT)
    for group in summary.suggestions:
        _group(pdf, group)
    ending = f"More on the website: {summary.more_at}"
    if any(printable(text)[1] for text in _texts(summary)):
        ending += f" Some letters cannot be printed and show as “{MISSING}”."
    keep_together(pdf, lambda target: paragraph(target, ending, "", BODY_PT))
    return pdf


def _texts(summary: Summary):
    for group in summary.groups + summary.suggestions:
        yield from (group.name, group.when, group.where, group.phone or "", group.note or "")
    for support in summary.supports:
        yield from (support.volunteer_first_name, support.help)


def _heading(pdf: FPDF, text: str) -> None:
    """A part's heading, on the next page when too little room is left for
    it and a few lines under it."""
    if pdf.will_page_break(HEADING_KEEP_MM):
        pdf.add_page()
    pdf.ln(3)
    paragraph(pdf, text, "B", HEADING_PT)


def _group(pdf: FPDF, group: SummaryGroup) -> None:
    def draw(target: FPDF) -> None:
        paragraph(target, shorten(group.name), "B", NAME_PT)
        labelled(target, ("When", group.when))
        labelled(target, ("Where", group.where))
        if group.phone:
            labelled(target, ("Phone", group.phone))
        if group.note:
            paragraph(target, group.note, "", BODY_PT)
        target.ln(2)

    keep_together(pdf, draw)


def _support(pdf: FPDF, support: SummarySupport) -> None:
    def draw(target: FPDF) -> None:
        paragraph(target, shorten(support.volunteer_first_name), "B", NAME_PT)
        labelled(target, ("Helps with", support.help))
        if support.rhythm:
            labelled(target, ("You agreed", support.rhythm))
        labelled(target, ("Last contact", support.last_contact or "none recorded yet"))
        if support.next_contact:
            labelled(target, ("Next contact", support.next_contact))
        target.ln(2)

    keep_together(pdf, draw)
