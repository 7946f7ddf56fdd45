"""Where a map's background tiles come from, chosen by configuration.

``MAP_TILES`` is ``"openstreetmap"`` (the default), ``"none"`` (no tiles at
all: a plain background, so that a map works with no internet, as in the
tests) or a URL template of the operator's own tile server, such as
``https://tiles.example.org/{z}/{x}/{y}.png``, which then needs
``MAP_TILE_ATTRIBUTION``.

The tile URL template is configuration, not user data, and is inserted into
the map's script as it is; it is therefore checked strictly here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

__all__ = [
    "OPENSTREETMAP",
    "TILE_CHOICES",
    "TileConfigError",
    "TileSource",
    "tile_source",
]

TILE_CHOICES = ("openstreetmap", "none")


class TileConfigError(ValueError):
    """The map tile settings cannot be used; the message says how to fix them."""


@dataclass(frozen=True)
class TileSource:
    """A tile server: its URL template, attribution and CSP image origin."""

    url_template: str
    attribution: str
    max_zoom: int = 19

    @property
    def csp_origin(self) -> str:
        """The origin a Content-Security-Policy ``img-src`` must allow.

        >>> OPENSTREETMAP.csp_origin
        'https://tile.openstreetmap.org'
        >>> tile_source("https://{s}.tiles.example.org/{z}/{x}/{y}.png", "Example").csp_origin
        'https://*.tiles.example.org'
        """
        parts = urlsplit(self.url_template.replace("{s}", "*"))
        return f"{parts.scheme}://{parts.netloc}"


# https://operations.osmfoundation.org/policies/tiles/ asks for this wording.
OPENSTREETMAP = TileSource(
    url_template="https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    attribution="© OpenStreetMap contributors",
)

# {s}, {z}, {x}, {y} and {r} are the only placeholders Leaflet fills in; the
# rest must be plain URL characters (nothing that means something to HTML,
# JavaScript or Jinja).
_PLACEHOLDER = r"\{[sxyzr]\}"
_URL_CHARS = r"[A-Za-z0-9._~:/?#\[\]@!&'()*+,;=%-]"
_TEMPLATE = re.compile(rf"^https?://(?:{_URL_CHARS}|{_PLACEHOLDER})+$")


def tile_source(setting: str | None, attribution: str | None = None) -> TileSource | None:
    """The tile source for the ``MAP_TILES`` setting; None means no tiles.

    >>> tile_source("none") is None
    True
    >>> tile_source("openstreetmap").url_template
    'https://tile.openstreetmap.org/{z}/{x}/{y}.png'
    >>> tile_source("satellite")
    Traceback (most recent call last):
    ...
    betterway_map.maps.tiles.TileConfigError: MAP_TILES is 'satellite': use 'openstreetmap', 'none' or a tile URL template such as https://tiles.example.org/{z}/{x}/{y}.png
    """
    value = (setting or "openstreetmap").strip()
    if value.lower() == "none":
        return None
    if value.lower() == "openstreetmap":
        return OPENSTREETMAP
    if not value.lower().startswith(("http://", "https://")):
        raise TileConfigError(
            f"MAP_TILES is {value!r}: use 'openstreetmap', 'none' or a tile URL template"
            " such as https://tiles.example.org/{z}/{x}/{y}.png"
        )
    if not _TEMPLATE.match(value) or "{{" in value or "{%" in value:
        raise TileConfigError(
            f"MAP_TILES {value!r} is not a tile URL template: it may hold only URL"
            " characters and the placeholders {s}, {z}, {x}, {y} and {r}."
        )
    if not all(part in value for part in ("{z}", "{x}", "{y}")):
        raise TileConfigError(f"MAP_TILES {value!r} needs the placeholders {{z}}, {{x}} and {{y}}.")
    if not (attribution or "").strip():
        raise TileConfigError(
            "MAP_TILE_ATTRIBUTION is empty: a tile server's terms need its attribution"
            " shown on the map, e.g. '© OpenStreetMap contributors'."
        )
    return TileSource(url_template=value, attribution=attribution.strip())
