"""Matrix cases for group suggestions.

A resident's own page is for residents. A person's suggestions (page,
printed sheet and API) are for the person themself (a resident) and the
workers assigned to them: anyone else's person answers 404.
"""

from tests.authorisation.matrix import Case, roles
from tests.authorisation.matrix_interop import _person_with_a_home

PEOPLE = roles("worker", "resident")

CASES = [
    Case("matching_groups.mine", allowed=roles("resident")),
    Case("matching_groups.person", allowed=PEOPLE, record=_person_with_a_home),
    Case("sheets.group_suggestions", allowed=PEOPLE, record=_person_with_a_home),
    Case(
        "api_group_suggestions.group_suggestions",
        allowed=PEOPLE,
        record=_person_with_a_home,
    ),
]
