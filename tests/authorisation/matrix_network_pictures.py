"""Matrix cases for the network pictures (issue 10): the organisation
network for council viewers (aggregates only, with its two files), and a
worker's picture and map of one of their people (anyone else's person is a
404, whether or not it exists)."""

from tests.authorisation.matrix import Case, roles
from tests.authorisation.matrix_interop import _person_with_a_home

COUNCIL = roles("council", "site_admin")
WORKER = roles("worker")

CASES = [
    Case("organisation_picture.index", allowed=COUNCIL),
    Case(
        "organisation_picture.download",
        allowed=COUNCIL,
        record=lambda app, owner: {"name": "organisation-network.svg"},
        others_allowed=True,
    ),
    Case(
        "organisation_picture.download",
        allowed=COUNCIL,
        record=lambda app, owner: {"name": "organisation-network.csv"},
        others_allowed=True,
    ),
    Case("person_pictures.network", allowed=WORKER, record=_person_with_a_home),
    Case("person_pictures.map_page", allowed=WORKER, record=_person_with_a_home),
]
