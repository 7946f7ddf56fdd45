"""Whether the map files are installed, for every test that needs them.

Without ``npm ci`` there is no Leaflet to serve: the pages then show lists
without maps (tested on their own), and the tests that need the files skip
with this reason instead of failing.
"""

from __future__ import annotations

import pytest

from betterway_map import ROOT

DIST = ROOT / "node_modules" / "leaflet" / "dist"
MISSING_REASON = "Leaflet is not installed: run `npm ci --no-audit --no-fund` first"


def assets_missing() -> str | None:
    """The reason to skip when the map files are not installed, else None."""
    return None if (DIST / "leaflet.js").is_file() else MISSING_REASON


needs_assets = pytest.mark.skipif(assets_missing() is not None, reason=MISSING_REASON)
