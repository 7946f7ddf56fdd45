"""Matrix cases for the council map's downloads (issue 10): every table and
layer as CSV and GeoJSON, aggregated and suppressed, for council viewers;
and the map's data, which its script fetches (issue 15)."""

from tests.authorisation.matrix import Case, roles
from tests.factories.maps import assets_missing

COUNCIL = roles("council", "site_admin")


def _map_digest(app, owner) -> dict:
    """The digest of the small area's map data, as a council viewer's page
    names it (the area is the same for every council viewer)."""
    from tests.conftest import login, make_user
    from tests.factories.council_map import data_url
    from tests.factories.network import small_area

    small_area(app)
    client = app.test_client()
    login(client, app, make_user(app, "council"))
    url = data_url(client.get("/council/network").get_data(as_text=True))
    return {"digest": url.rsplit("/", 1)[1].removesuffix(".json")}


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
    Case(
        "council_network.map_data",
        allowed=COUNCIL,
        record=_map_digest,
        others_allowed=True,
        unavailable=assets_missing,
    ),
]
