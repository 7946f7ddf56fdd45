"""Matrix cases for contacts, agreed rhythms and feedback within a
relationship (pages and API).

A relationship is "one's own" as the volunteer of an active match (any role
may be a volunteer, through their own person record); in a group as its
organiser (org_admin), as the worker assigned to a member (worker) or as the
member themself (resident); in a caseload as the worker assigned. Anyone
else is told it does not exist (404).
"""

from tests.authorisation.matrix import Case, roles
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.measures import add_member, make_contact
from tests.factories.people import make_assigned_person, make_resident_with_profile
from tests.factories.person_records import organisation_with_group

PARTIES = roles("resident", "worker", "org_admin")
KEEPERS = roles("worker", "org_admin")
WORKER = roles("worker")
CONTACT = {"mode": "phone"}
RHYTHM = {"frequency": "weekly"}
FEEDBACK = {"side": "volunteer", "commitment": 4}
FEEDBACK_FORM = {"side": "volunteer", "commitment": "4"}


def _as_volunteer(app, owner):
    worker = make_user(app, "worker")
    volunteer = make_volunteer(app, worker, person={"user_id": owner})
    request_id = make_request(app, worker)
    return {"match_id": make_match(app, request_id, volunteer, status="active")}


def _in_group(app, owner):
    """A member of a group: the owner organises the group, looks after the
    member, or is the member, by their role."""
    from betterway_map.accounts.models import User
    from betterway_map.extensions import db

    with app.app_context():
        user = db.session.get(User, owner)
        is_worker, is_admin = user.has_role("worker"), user.has_role("org_admin")
    _, group = organisation_with_group(app, owner if is_admin else None)
    if is_worker:
        person = make_assigned_person(app, owner)
    elif is_admin:
        person = make_resident_with_profile(app)[1]
    else:
        person = make_resident_with_profile(app, owner)[1]
    add_member(app, group, person)
    return {"group_id": group, "person_id": person}


def _caseload(app, owner):
    return {"person_id": make_assigned_person(app, owner)}


def _own_contact(app, owner):
    match_id = _as_volunteer(app, owner)["match_id"]
    return {"contact_id": make_contact(app, match_id=match_id, recorded_by_id=owner)}


CASES = [
    Case("measures.contacts_page", "GET", PARTIES, _as_volunteer),
    Case("measures.contacts_page", "POST", PARTIES, _as_volunteer, data=CONTACT),
    Case("measures.edit_contact", "GET", PARTIES, _own_contact),
    Case("measures.edit_contact", "POST", PARTIES, _own_contact, data=CONTACT),
    Case("measures.delete_contact", "POST", PARTIES, _own_contact),
    Case("measures.rhythm", "GET", PARTIES, _as_volunteer),
    Case("measures.rhythm", "POST", PARTIES, _as_volunteer, data=RHYTHM),
    Case("measures.feedback_page", "GET", PARTIES, _as_volunteer),
    Case("measures.feedback_page", "POST", PARTIES, _as_volunteer, data=FEEDBACK_FORM),
    Case("api_measures_records.update_contact", "PATCH", PARTIES, _own_contact, data=CONTACT),
    Case("api_measures_records.delete_contact", "DELETE", PARTIES, _own_contact),
]
for kind, record, readers, keepers in (
    ("match", _as_volunteer, PARTIES, PARTIES),
    ("group", _in_group, PARTIES, KEEPERS),
    ("caseload", _caseload, WORKER, WORKER),
):
    prefix = "api_measures_records"
    CASES += [
        Case(f"{prefix}.list_contacts_{kind}", "GET", readers, record),
        Case(f"{prefix}.record_contact_{kind}", "POST", keepers, record, data=CONTACT),
        Case(f"{prefix}.get_rhythm_{kind}", "GET", readers, record),
        Case(f"{prefix}.agree_rhythm_{kind}", "POST", keepers, record, data=RHYTHM),
        Case(f"{prefix}.list_feedback_{kind}", "GET", readers, record),
        Case(f"{prefix}.give_feedback_{kind}", "POST", readers, record, data=FEEDBACK),
    ]
