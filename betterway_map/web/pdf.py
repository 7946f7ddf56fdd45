"""The type every PDF the platform makes is set in, and the one rule for
which letters it can print (fpdf2).

Source Sans Pro (SIL Open Font License, from the ``font-source-sans-pro``
package): the PDF core fonts draw Latin-1 only, and names such as Łukasz,
Ayşe and Nguyễn need Latin Extended. A character the font cannot draw
(Arabic, Chinese, emoji) is printed as "?"; the PDF says so. No Flask.
"""

from __future__ import annotations

import unicodedata
from functools import cache

import font_source_sans_pro
from fontTools.ttLib import TTFont
from fpdf import FPDF

__all__ = ["FAMILY", "FONT_FILES", "MISSING", "PT_TO_MM", "add_fonts", "printable"]

FONT_FILES = {
    "": font_source_sans_pro.font_files_ttf["SourceSansPro"],
    "B": font_source_sans_pro.font_files_ttf["SourceSansProBold"],
}
FAMILY = "SourceSansPro"
PT_TO_MM = 25.4 / 72
MISSING = "?"


def add_fonts(pdf: FPDF) -> None:
    """Make the family (regular and bold) available to ``pdf``."""
    for style, path in FONT_FILES.items():
        pdf.add_font(FAMILY, style, path)


@cache
def _drawable() -> frozenset[int]:
    """The code points that every face in use can draw."""
    faces = []
    for path in FONT_FILES.values():
        with TTFont(path) as font:
            faces.append(set(font.getBestCmap()))
    return frozenset(set.intersection(*faces))


def printable(text: str) -> tuple[str, bool]:
    """``text`` with what the font cannot draw as "?", and whether any was.

    Control and invisible format characters (a right-to-left override, a
    zero-width space) are dropped; line breaks are kept.

    >>> printable("Zoë Łukasz Ayşe Nguyễn")
    ('Zoë Łukasz Ayşe Nguyễn', False)
    >>> printable("王 \\u202eab\\x07")
    ('? ab', True)
    """
    drawable, out, replaced = _drawable(), [], False
    for char in text.replace("\r\n", "\n").replace("\t", " "):
        if char == "\n":
            out.append(char)
        elif unicodedata.category(char) in ("Cc", "Cf"):
            continue
        elif ord(char) in drawable:
            out.append(char)
        else:
            out.append(MISSING)
            replaced = True
    return "".join(out), replaced
