"""The browser files a map needs, installed from the npm registry.

``package.json`` at the top of the repository pins ``leaflet`` and
``leaflet.markercluster``; ``npm ci`` puts them in ``node_modules/``, and the
application serves each package's ``dist`` folder itself (the ``maps``
blueprint, at ``/vendor/<package>/<path>``), so that no page asks a CDN for
anything and a map renders on a machine with no internet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

__all__ = [
    "INSTALL_COMMAND",
    "MAP_CSS",
    "MAP_JS",
    "SERVED_SUFFIXES",
    "VENDOR_PACKAGES",
    "VendorAssets",
    "is_servable",
]

# The one command that installs them, as the README and .ci/run give it.
INSTALL_COMMAND = "npm ci --no-audit --no-fund"

VENDOR_PACKAGES = ("leaflet", "leaflet.markercluster")

# (package, path inside its dist folder), in the order a page loads them.
MAP_CSS = (
    ("leaflet", "leaflet.css"),
    ("leaflet.markercluster", "MarkerCluster.css"),
    ("leaflet.markercluster", "MarkerCluster.Default.css"),
)
MAP_JS = (
    ("leaflet", "leaflet.js"),
    ("leaflet.markercluster", "leaflet.markercluster.js"),
)

# Only what a browser needs from a dist folder: no package metadata, no
# sources outside dist, nothing that could be mistaken for a page.
SERVED_SUFFIXES = frozenset({".js", ".css", ".png", ".map"})


def is_servable(package: str, path: str) -> bool:
    """True when ``path`` names a file the vendor route may serve.

    >>> is_servable("leaflet", "images/marker-icon.png")
    True
    >>> is_servable("leaflet", "../package.json")
    False
    >>> is_servable("jquery", "jquery.js")
    False
    """
    if package not in VENDOR_PACKAGES:
        return False
    parts = PurePosixPath(path).parts
    if not parts or path.startswith("/") or "\\" in path:
        return False
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return False
    return PurePosixPath(path).suffix in SERVED_SUFFIXES


@dataclass(frozen=True)
class VendorAssets:
    """The installed packages under ``node_modules`` (``root``)."""

    root: Path

    def dist(self, package: str) -> Path:
        return self.root / package / "dist"

    def version(self, package: str) -> str | None:
        """The installed version of ``package``, or None when it is missing."""
        try:
            meta = json.loads((self.root / package / "package.json").read_text("utf-8"))
        except (OSError, ValueError):
            return None
        version = meta.get("version")
        return str(version) if version else None

    def missing(self) -> list[str]:
        """The files a map needs that are not installed, as ``package/path``."""
        return [
            f"{package}/{path}"
            for package, path in (*MAP_CSS, *MAP_JS)
            if not (self.dist(package) / path).is_file()
        ]

    @property
    def installed(self) -> bool:
        return not self.missing()
