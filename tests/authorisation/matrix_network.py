"""Matrix cases for the network: worker pages, the council page, the API.

None of these routes names a record: a worker's pages and API show their
own people only (tested in tests/test_network_pages.py and
tests/test_network_api.py), and the council's show aggregates.
"""

from tests.authorisation.matrix import Case, roles

WORKER = roles("worker")
COUNCIL = roles("council", "site_admin")

CASES = [
    Case("network.my_people_page", allowed=WORKER),
    Case("network.connectors", allowed=WORKER),
    Case("council_network.index", allowed=COUNCIL),
    Case("api_network.area", allowed=COUNCIL),
    Case("api_network.my_people_list", allowed=WORKER),
]
