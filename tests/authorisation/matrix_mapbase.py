"""Matrix cases for the offline map background (public postcode geography)."""

from tests.authorisation.matrix import PUBLIC, Case

CASES = [
    Case(
        "geocoding.background",
        allowed=PUBLIC,
        others_allowed=True,
        record=lambda app, owner: {"bbox": "-1.05,52.40,-0.95,52.50"},
    ),
]
