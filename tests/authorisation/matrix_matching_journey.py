"""Matrix cases for the journey of a match (pages and API).

A match is "one's own" as its volunteer or its person (any role may be
either, through their own person record), or as a worker assigned to the
person. Anyone else is told it does not exist (404).
"""

from tests.authorisation.matrix import Case, roles
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer

PARTIES = roles("resident", "worker")
WORKER = roles("worker")
ANSWER = {"answer": "accept"}
REVIEW = {"note": "Going well."}
ASK = {"reason": "Moving away."}
WITHDRAW = {"note": "The volunteer is away this month."}
END = {
    "end_kind": "planned",
    "reason": "Moved.",
    "ended_well": "true",
    "still_wants_support": "true",
}
END_JSON = {
    "end_kind": "planned",
    "reason": "Moved.",
    "ended_well": True,
    "still_wants_support": True,
}


def _match(app, status, volunteer_user=None, person_user=None, worker=None, **fields):
    worker = worker or make_user(app, "worker")
    volunteer = make_volunteer(app, worker, person={"user_id": volunteer_user})
    request_id = make_request(app, worker, person={"user_id": person_user})
    return make_match(app, request_id, volunteer, status=status, **fields)


def _as_volunteer(status):
    return lambda app, owner: {"match_id": _match(app, status, volunteer_user=owner)}


def _as_person(app, owner):
    match_id = _match(app, "proposed", person_user=owner, volunteer_response="accepted")
    return {"match_id": match_id}


def _looked_after(status):
    return lambda app, owner: {"match_id": _match(app, status, worker=owner)}


def _detail(app, owner):
    return _as_volunteer("proposed")(app, owner)


CASES = []
for prefix, data_end in (("matching_journey", END), ("api_matching_journey", END_JSON)):
    CASES += [
        Case(f"{prefix}.volunteer_answer", "POST", PARTIES, _as_volunteer("proposed"), data=ANSWER),
        Case(f"{prefix}.person_answer", "POST", PARTIES, _as_person, data=ANSWER),
        Case(f"{prefix}.approve", "POST", WORKER, _looked_after("agreed")),
        Case(f"{prefix}.withdraw", "POST", WORKER, _looked_after("proposed"), data=WITHDRAW),
        Case(f"{prefix}.review", "POST", WORKER, _looked_after("active"), data=REVIEW),
        Case(f"{prefix}.ask_to_end", "POST", PARTIES, _as_volunteer("active"), data=ASK),
        Case(f"{prefix}.end", "POST", WORKER, _looked_after("active"), data=data_end),
    ]
CASES += [
    Case("matching_journey.mine", allowed=PARTIES),
    Case("matching_journey.contact", allowed=PARTIES, record=_as_volunteer("active")),
    Case("api_matching_journey.get_contact", allowed=PARTIES, record=_as_volunteer("active")),
    Case("matching_journey.detail", allowed=PARTIES, record=_detail),
    Case("api_matching_journey.list_matches", allowed=PARTIES),
    Case("api_matching_journey.get_match", allowed=PARTIES, record=_detail),
]
