"""The one escaping helper for every string that reaches a map.

A string on a folium map is read by three interpreters, so escaping for one
is not enough:

1. **Jinja, on the server.** folium renders each element's template and
   branca wraps the output in ``Element(rendered)``, which compiles it as a
   template and renders it once more. Template syntax in data (``{{ ... }}``,
   ``{% ... %}``, ``{# ... #}``) is therefore executed on the server: a
   tooltip of ``{{ cycler.__init__.__globals__.os.getcwd() }}`` puts the
   server's working directory into the page (folium 0.20.0, branca 0.8.2).
2. **JavaScript template literals, in the browser.** Popups and tooltips sit
   inside backticks: a backtick ends the literal, ``${...}`` runs code, and a
   backslash starts an escape.
3. **HTML, in the browser.** Leaflet puts popups, tooltips and layer names
   into the page as HTML.

``map_text`` HTML-escapes the text and then writes the characters that mean
something to the other two — ``{ } $ ` \\`` — as numeric character
references. The result contains none of those characters, so Jinja and the
template literal see only plain text, and the browser shows the original
characters when it reads the HTML.
"""

from __future__ import annotations

from markupsafe import escape

__all__ = ["map_text", "MAP_SPECIAL"]

# Characters that mean something to Jinja or to a JavaScript template literal.
MAP_SPECIAL = {
    "{": "&#123;",
    "}": "&#125;",
    "$": "&#36;",
    "`": "&#96;",
    "\\": "&#92;",
}
_TABLE = str.maketrans(MAP_SPECIAL)


def map_text(value: object) -> str:
    """Text made safe for any part of a folium map.

    >>> map_text("Tea & {{ cake }}")
    'Tea &amp; &#123;&#123; cake &#125;&#125;'
    >>> map_text("`${alert(1)}`")
    '&#96;&#36;&#123;alert(1)&#125;&#96;'
    >>> map_text(None)
    ''
    """
    if value is None:
        return ""
    return str(escape(str(value))).translate(_TABLE)
