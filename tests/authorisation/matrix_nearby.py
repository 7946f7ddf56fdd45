"""Matrix cases for the nearby search (helper F).

The search page and API are public. "I'd like to go" needs the resident
role; groups are public records, so any resident may use it on any group.
"""

from tests.authorisation.matrix import PUBLIC, Case, roles
from tests.factories.organisations import make_group, make_organisation, make_space


def _group(app, owner):
    organisation_id = make_organisation(app)
    return {"group_id": make_group(app, organisation_id, make_space(app, organisation_id))}


CASES = [
    Case("nearby.search", allowed=PUBLIC),
    Case("api_nearby.search", allowed=PUBLIC),
    Case("nearby.interested", allowed=roles("resident"), record=_group, others_allowed=True),
    Case(
        "nearby.interested",
        method="POST",
        allowed=roles("resident"),
        record=_group,
        others_allowed=True,
    ),
]
