"""Matrix cases for requests for support and volunteers' offers (matching_records).

A resident on their own person record, a worker on a person assigned to
them. Safeguarding restrictions: a worker on a volunteer assigned to them.
Bodies are valid, so that a refusal can only come from the access checks (a
worker's own new person has no consent to matching: that answers 409 or the
form again, which is past the access checks).
"""

from tests.authorisation.matrix import Case, roles
from tests.factories.matching import add_offer, make_request
from tests.factories.person_records import person_for

PEOPLE = roles("resident", "worker")
WORKER = roles("worker")

REQUEST = {
    "kind": "befriending_phone",
    "frequency": "weekly",
    "duration_min": 60,
    "availability": ["tue_pm"],
    "languages": ["en"],
}
REQUEST_FORM = {**REQUEST, "duration_min": "60", "comes_to_me": "y"}
OFFER = {"kinds": ["shopping"], "capacity": 2, "languages": ["en"], "travel_km": 3.0}
OFFER_FORM = {**OFFER, "capacity": "2", "travel_km": "3"}
SAFEGUARDING = {"restricted_kinds": ["lifts"], "restriction_notes": "Not driving."}


def _person(app, owner):
    return {"person_id": person_for(app, owner)}


def _request(app, owner):
    person_id = person_for(app, owner)
    return {"request_id": make_request(app, owner, person_id=person_id)}


def _offer(app, owner):
    person_id = person_for(app, owner)
    add_offer(app, person_id)
    return {"person_id": person_id}


CASES = [
    Case("matching_records.mine_new", allowed=roles("resident")),
    Case("matching_records.mine_offer", allowed=roles("resident")),
    Case("matching_records.person_requests", allowed=PEOPLE, record=_person),
    Case("matching_records.new_request", allowed=PEOPLE, record=_person),
    Case("matching_records.new_request", "POST", allowed=PEOPLE, record=_person, data=REQUEST_FORM),
    Case("matching_records.request_detail", allowed=PEOPLE, record=_request),
    Case("matching_records.edit_request", allowed=PEOPLE, record=_request),
    Case(
        "matching_records.edit_request", "POST", allowed=PEOPLE, record=_request, data=REQUEST_FORM
    ),
    Case("matching_records.close_request", "POST", allowed=PEOPLE, record=_request),
    Case("matching_records.reopen_request", "POST", allowed=PEOPLE, record=_request),
    Case("matching_records.offer", allowed=PEOPLE, record=_person),
    Case("matching_records.offer", "POST", allowed=PEOPLE, record=_person, data=OFFER_FORM),
    Case("matching_records.safeguarding", allowed=WORKER, record=_offer),
    Case("matching_records.safeguarding", "POST", allowed=WORKER, record=_offer, data=SAFEGUARDING),
    # API: the same permissions.
    Case("api_matching_records.list_requests", allowed=PEOPLE),
    Case(
        "api_matching_records.create_request", "POST", allowed=PEOPLE, record=_person, data=REQUEST
    ),
    Case("api_matching_records.get_request", allowed=PEOPLE, record=_request),
    Case(
        "api_matching_records.update_request", "PUT", allowed=PEOPLE, record=_request, data=REQUEST
    ),
    Case("api_matching_records.close_request", "POST", allowed=PEOPLE, record=_request),
    Case("api_matching_records.reopen_request", "POST", allowed=PEOPLE, record=_request),
    Case("api_matching_records.get_offer", allowed=PEOPLE, record=_offer),
    Case("api_matching_records.save_offer", "PUT", allowed=PEOPLE, record=_person, data=OFFER),
    Case("api_matching_records.get_safeguarding", allowed=WORKER, record=_offer),
    Case(
        "api_matching_records.save_safeguarding",
        "PUT",
        allowed=WORKER,
        record=_offer,
        data=SAFEGUARDING,
    ),
]
