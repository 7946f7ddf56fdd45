"""Matrix cases for open data: the OpenActive feed and its dataset site, and
the volunteering roles. All public, like the register they come from."""

from tests.authorisation.matrix import PUBLIC, Case

CASES = [
    Case("openactive.dataset", allowed=PUBLIC),
    Case("openactive.session_series", allowed=PUBLIC),
    Case("volunteering.roles", allowed=PUBLIC),
]
