"""Matrix cases for the maps blueprint: the application's own Leaflet files."""

from tests.matrix import PUBLIC, Case

CASES = [
    Case(
        "maps.vendor",
        allowed=PUBLIC,
        others_allowed=True,
        record=lambda app, owner: {"package": "leaflet", "filename": "leaflet.js"},
    ),
]
