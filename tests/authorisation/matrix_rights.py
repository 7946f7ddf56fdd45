"""Matrix cases for the data protection rights (erasure, subject access, own
consents, retention review).

Erasure and "keep" are open to a site admin for anyone's record, so those
cases allow others' records; that a worker or a resident is refused on
someone else's person is proved in tests/people/test_erasure.py and
tests/people/test_retention.py.
"""

from tests.authorisation.matrix import PUBLIC, Case, roles
from tests.factories.person_records import own_person, person_for

ERASERS = roles("resident", "worker", "site_admin")
SUBJECT = roles("resident", "worker")
RESIDENT = roles("resident")
REVIEWERS = roles("site_admin", "worker")
REASON = {"reason": "asked"}


def _person(app, owner):
    return {"person_id": person_for(app, owner)}


def _own_profile(app, owner):
    """The owner's own profile (a resident's consents need one)."""
    own_person(app, owner)
    return {}


def _own_purpose(app, owner):
    return _own_profile(app, owner) | {"purpose": "contact"}


CASES = [
    Case("rights.erase", allowed=ERASERS, record=_person, others_allowed=True),
    Case("rights.erase", "POST", allowed=ERASERS, record=_person, data=REASON, others_allowed=True),
    Case("rights.erased", allowed=PUBLIC),
    Case("rights.data_page", allowed=SUBJECT, record=_person),
    Case("rights.data_json", allowed=SUBJECT, record=_person),
    Case("rights.own_consents", allowed=RESIDENT, record=_own_profile, others_allowed=True),
    Case(
        "rights.own_consents",
        "POST",
        allowed=RESIDENT,
        record=_own_profile,
        data={"purposes": "contact"},
        others_allowed=True,
    ),
    Case("rights.withdraw_own", "POST", allowed=RESIDENT, record=_own_purpose, others_allowed=True),
    Case("rights.retention_review", allowed=REVIEWERS),
    Case("rights.keep", "POST", allowed=REVIEWERS, record=_person, others_allowed=True),
    Case(
        "api_rights.erase",
        "POST",
        allowed=ERASERS,
        record=_person,
        data=REASON,
        others_allowed=True,
    ),
    Case("api_rights.subject_access_export", allowed=SUBJECT, record=_person),
    Case(
        "api_rights.list_own_consents", allowed=RESIDENT, record=_own_profile, others_allowed=True
    ),
    Case(
        "api_rights.give_own_consents",
        "POST",
        allowed=RESIDENT,
        record=_own_profile,
        data={"purposes": ["contact"]},
        others_allowed=True,
    ),
    Case(
        "api_rights.withdraw_own_consent",
        "POST",
        allowed=RESIDENT,
        record=_own_purpose,
        others_allowed=True,
    ),
    Case("api_rights.retention_review", allowed=REVIEWERS),
]
