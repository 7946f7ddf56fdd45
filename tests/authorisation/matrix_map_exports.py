"""Matrix cases for the council map's downloads (issue 10): every table and
layer as CSV and GeoJSON, aggregated and suppressed, for council viewers."""

from tests.authorisation.matrix import Case, roles

COUNCIL = roles("council", "site_admin")

CASES = [
    Case(
        "council_network.report_download",
        allowed=COUNCIL,
        record=lambda app, owner: {"name": "cells.geojson"},
        others_allowed=True,
    ),
    Case(
        "council_network.report_download",
        allowed=COUNCIL,
        record=lambda app, owner: {"name": "places.csv"},
        others_allowed=True,
    ),
]
