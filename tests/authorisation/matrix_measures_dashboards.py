"""Matrix cases for the measures dashboards (helper mdash).

An organisation's dashboard and its CSVs are for the admins of that
organisation only (``record`` makes one whose admin is the owner; another
org admin is refused). A worker's caseload page shows their own people
only; the council's shows the area's aggregates.
"""

from tests.authorisation.matrix import Case, roles
from tests.factories.organisations import make_organisation

ORG_ADMIN = roles("org_admin")
WORKER = roles("worker")
AREA = roles("council", "site_admin")


def _organisation(app, owner):
    return {"organisation_id": make_organisation(app, owner)}


def _organisation_table(app, owner):
    return _organisation(app, owner) | {"table_name": "organisation-continuity"}


CASES = [
    Case("measures_dashboards.organisation", allowed=ORG_ADMIN, record=_organisation),
    Case("measures_dashboards.organisation_csv", allowed=ORG_ADMIN, record=_organisation_table),
    Case("measures_dashboards.caseload", allowed=WORKER),
    Case(
        "measures_dashboards.caseload_csv",
        allowed=WORKER,
        record=lambda app, owner: {"table_name": "continuity-warnings"},
        others_allowed=True,
    ),
    Case("measures_dashboards.council", allowed=AREA),
    Case(
        "measures_dashboards.council_csv",
        allowed=AREA,
        record=lambda app, owner: {"table_name": "area-continuity"},
        others_allowed=True,
    ),
]
