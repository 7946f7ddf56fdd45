"""Matrix case for the page that explains the disclosure rule (public: it
holds no figure about anyone, only the rule and its threshold)."""

from tests.authorisation.matrix import PUBLIC, Case

CASES = [
    Case("council.protecting_people", allowed=PUBLIC, others_allowed=True),
]
