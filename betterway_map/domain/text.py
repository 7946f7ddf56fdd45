"""Which characters text from outside may hold.

Control characters never belong in what people type: PostgreSQL refuses a
NUL outright, and the others hide in logs, exports and pages. Bidirectional
controls can make a public name read differently from what it is (a
right-to-left override turns "txt.exe" around), so names shown to everyone
may not hold them. Each function answers with the first offending character,
so that a message can name it.

>>> first_control_character("a\\x00b")
'\\x00'
>>> first_control_character("two\\nlines", multiline=True) is None
True
>>> describe("\\u202e")
'U+202E (RIGHT-TO-LEFT OVERRIDE)'
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

__all__ = [
    "BIDI_CONTROLS",
    "describe",
    "first_bidi_control",
    "first_control_character",
    "has_visible_character",
    "public_name_problem",
    "plain_text",
]

# Unicode's control characters (C0, DEL, C1), and the lone surrogates that a
# JSON "\\ud800" can make, which no database can store.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
# Unicode gives control characters no name; these are the ones people meet.
_CONTROL_NAMES = {
    "\x00": "NULL",
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}
# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069) and
# the left-to-right and right-to-left marks (U+200E, U+200F).
BIDI_CONTROLS = frozenset(
    [chr(c) for c in range(0x202A, 0x202F)]
    + [chr(c) for c in range(0x2066, 0x206A)]
    + ["\u200e", "\u200f"]
)


def first_control_character(value: str, *, multiline: bool = False) -> str | None:
    """The first C0 or C1 control character (or lone surrogate) in ``value``, or None.

    ``multiline`` allows tab, newline and carriage return.

    >>> first_control_character("tab\\there") == "\\t"
    True
    >>> first_control_character("caf\\u00e9 \\u2603\\r\\n", multiline=True) is None
    True
    """
    found = (_CONTROL_MULTILINE if multiline else _CONTROL).search(value)
    return found.group() if found else None


def first_bidi_control(value: str) -> str | None:
    """The first bidirectional control character in ``value``, or None.

    >>> first_bidi_control("Ada \\u202egnp.exe")
    '\\u202e'
    >>> first_bidi_control("\\u0645\\u0643\\u062a\\u0628\\u0629") is None  # Arabic letters are fine
    True
    """
    return next((char for char in value if char in BIDI_CONTROLS), None)


def has_visible_character(value: str) -> bool:
    """Whether ``value`` shows anything: not only spaces or invisible format characters.

    >>> has_visible_character("\\u00a0\\u200b "), has_visible_character(" A ")
    (False, True)
    """
    return any(
        not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs")
        for char in value
    )


def describe(char: str) -> str:
    """A character as a message can name it: its code point and Unicode name.

    >>> describe("\\x00"), describe("\\x01")
    ('U+0000 (NULL)', 'U+0001')
    """
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char)
    return f"U+{ord(char):04X} ({name})" if name else f"U+{ord(char):04X}"


def public_name_problem(label: str, value: str) -> str | None:
    """Why ``value`` cannot be a name that everyone sees, or None if it can
    (control characters are ``first_control_character``'s to find).

    >>> public_name_problem("Name", " \u200b ")
    'Enter the name: it cannot be only spaces or invisible characters.'
    >>> public_name_problem("Name", "Tea \u202eand cake")[:45]
    'Name contains U+202E (RIGHT-TO-LEFT OVERRIDE)'
    >>> public_name_problem("Name", "Caf\u00e9 \u0645\u0643\u062a\u0628\u0629") is None
    True
    """
    if not has_visible_character(value):
        return f"Enter the {label.lower()}: it cannot be only spaces or invisible characters."
    char = first_bidi_control(value)
    if char:
        return (
            f"{label} contains {describe(char)}, which changes the direction of the text "
            "around it and could make the name read as something it is not: "
            "remove it and try again."
        )
    return None


# Elements whose content is never text to read, and those that end a line.
_UNREAD = frozenset(
    {"script", "style", "head", "title", "template", "noscript", "iframe", "object"}
)
_BLOCKS = frozenset(
    {"br", "p", "div", "li", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table"}
    | {"section", "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt"}
)


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, a line break for each block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _UNREAD:
            self.hidden += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        if tag == "li":
            self.parts.append("- ")

    def handle_startendtag(self, tag, attrs):
        if tag in _BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in _UNREAD:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def plain_text(value: str | None, *, max_length: int | None = None) -> str | None:
    """Text from outside (a feed, a spreadsheet) as plain text that is safe to keep.

    HTML becomes its words: tags go, the content of scripts and styles goes,
    entities are decoded (``&amp;`` is ``&``), blocks (``<p>``, ``<br>``,
    ``<li>``) end lines. Control characters (but newlines) and direction
    controls are dropped, runs of spaces are one space, and there are at most
    two line breaks in a row. None or nothing but spaces is None; ``max_length``
    cuts the text at a word with an ellipsis. The result is text, never
    markup: pages escape it like anything else typed.

    >>> plain_text("<p>Tea &amp; cake</p><script>alert(1)</script><ul><li>Fri</li></ul>")
    'Tea & cake\\n\\n- Fri'
    >>> plain_text("Fish &lt;b&gt;and&lt;/b&gt; chips")
    'Fish <b>and</b> chips'
    >>> plain_text("  \\u202eabc\\x00  "), plain_text(" "), plain_text("A long sentence", max_length=8)
    ('abc', None, 'A long…')
    """
    if value is None:
        return None
    text = str(value)
    if "<" in text and ">" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL_MULTILINE.sub("", text.replace("\t", " "))
    text = "".join(char for char in text if char not in BIDI_CONTROLS)
    lines = [" ".join(line.split()) for line in text.split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if not has_visible_character(text):
        return None
    if max_length is not None and len(text) > max_length:
        cut = text[: max_length - 1]
        space = cut.rfind(" ")
        text = (cut[:space] if space > max_length // 2 else cut).rstrip() + "…"
    return text
