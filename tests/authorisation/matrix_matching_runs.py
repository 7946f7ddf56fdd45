"""Matrix cases for matching runs (any community worker: runs cover an
area, not one worker's records), the weights (site admins) and the
feasibility of a draft request (the person, or their worker)."""

from __future__ import annotations

from betterway_map.accounts.models import User
from betterway_map.extensions import db
from betterway_map.matching.models import MatchingRun
from tests.authorisation.matrix import Case, roles
from tests.factories.people import make_assigned_person
from tests.factories.person_records import own_person

WORKER = roles("worker")
ADMIN = roles("site_admin")


def _run(app, owner):
    with app.app_context():
        run = MatchingRun(run_by_id=owner, area=["LS6"])
        db.session.add(run)
        db.session.commit()
        return {"run_id": run.id}


def _draft(app, owner):
    with app.app_context():
        resident = db.session.get(User, owner).has_role("resident")
    if resident:
        _, person_id = own_person(app, owner)
    else:
        person_id = make_assigned_person(app, owner)
    return {"person_id": person_id, "kind": "befriending_phone", "languages": "en"}


CASES = [
    Case("matching_runs.index", allowed=WORKER),
    Case("matching_runs.run", "POST", allowed=WORKER, data={"area": "LS6"}),
    Case("matching_runs.detail", allowed=WORKER, record=_run, others_allowed=True),
    Case("matching_runs.weights_page", allowed=ADMIN),
    Case("matching_runs.set_weights", "POST", allowed=ADMIN, data={"distance": "2"}),
    Case("api_matching.create_run", "POST", allowed=WORKER, data={"area": ["LS6"]}),
    Case("api_matching.get_run", allowed=WORKER, record=_run, others_allowed=True),
    Case("api_matching.get_weights", allowed=ADMIN),
    Case("api_matching.put_weights", "PUT", allowed=ADMIN, data={"distance": 2}),
    Case("api_matching.get_feasibility", allowed=roles("worker", "resident"), record=_draft),
]
