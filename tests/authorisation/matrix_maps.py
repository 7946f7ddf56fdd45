"""Matrix cases for the maps blueprint: the application's own Leaflet files."""

from tests.authorisation.matrix import PUBLIC, Case
from tests.factories.maps import assets_missing

CASES = [
    Case(
        "maps.vendor",
        allowed=PUBLIC,
        others_allowed=True,
        record=lambda app, owner: {"package": "leaflet", "filename": "leaflet.js"},
        # Without the files the route answers 404 to everyone, as it should;
        # skip like the other map tests rather than read that as a refusal.
        unavailable=assets_missing,
    ),
]
