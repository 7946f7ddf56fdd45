"""Making matching records for tests: a volunteer ready to be matched, a
request for support, a match at any step. Each function works in its own
application context, commits, and returns ids.

    worker = make_user(app, "worker")
    volunteer_id = make_volunteer(app, worker, kinds=["befriending_phone"])
    request_id = make_request(app, worker, kind="befriending_phone")
    match_id = make_match(app, request_id, volunteer_id, status="proposed")
"""

from __future__ import annotations

from datetime import timedelta

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.matching.models import Match, MatchEvent, SupportRequest, VolunteerOffer
from betterway_map.people.models import VolunteerProfile
from tests.factories.people import make_assigned_person, make_consent

__all__ = ["HOME", "make_volunteer", "make_request", "make_match", "add_offer"]

# A point in Leeds; people made here are a few hundred metres apart.
HOME = (53.8008, -1.5491)

_EVERY_SLOT_OF_TUESDAY = ["tue_am", "tue_pm", "tue_eve"]


def make_volunteer(app, worker_id: int, *, person: dict | None = None, **offer) -> int:
    """A volunteer assigned to ``worker_id`` with an enhanced DBS check that
    lasts two years, capacity 1 unless ``capacity`` is given, and an offer
    (English, free on Tuesdays, 5 km, every kind unless ``kinds`` is given);
    their person id."""
    person = dict(person or {})
    person.setdefault("first_name", "Vera")
    person.setdefault("latitude", HOME[0])
    person.setdefault("longitude", HOME[1])
    person.setdefault("postcode", "LS1 4AP")
    capacity = offer.pop("capacity", 1)
    dbs = {
        "dbs_status": offer.pop("dbs_status", "enhanced"),
        "dbs_checked_on": offer.pop("dbs_checked_on", today_in_uk() - timedelta(days=365)),
        "dbs_expires_on": offer.pop("dbs_expires_on", today_in_uk() + timedelta(days=730)),
    }
    person_id = make_assigned_person(app, worker_id, **person)
    offer.setdefault("kinds", ["befriending_phone", "befriending_visit", "shopping"])
    offer.setdefault("availability", list(_EVERY_SLOT_OF_TUESDAY))
    offer.setdefault("languages", ["en"])
    offer.setdefault("travel_km", 5.0)
    offer.setdefault("available_since", today_in_uk() - timedelta(days=10))
    with app.app_context():
        db.session.add(
            VolunteerProfile(
                person_id=person_id,
                capacity=capacity,
                lived_experience=offer.pop("lived_experience", []),
                dbs_recorded_by_id=worker_id,
                **dbs,
            )
        )
        db.session.add(VolunteerOffer(person_id=person_id, **offer))
        db.session.commit()
    return person_id


def make_request(
    app, worker_id: int, *, person_id: int | None = None, person: dict | None = None, **fields
) -> int:
    """An open request for support for a person assigned to ``worker_id`` (a
    new one, with consent to matching, unless ``person_id`` is given): weekly
    phone befriending, in English, on Tuesday afternoons unless told; its id."""
    if person_id is None:
        person = dict(person or {})
        person.setdefault("first_name", "Iris")
        person.setdefault("latitude", HOME[0] + 0.005)
        person.setdefault("longitude", HOME[1])
        person.setdefault("postcode", "LS2 7EY")
        person_id = make_assigned_person(app, worker_id, **person)
        make_consent(app, person_id, purpose="matching", recorded_by_id=worker_id)
    fields.setdefault("kind", "befriending_phone")
    fields.setdefault("availability", ["tue_pm"])
    fields.setdefault("languages", ["en"])
    fields.setdefault("opened_on", today_in_uk() - timedelta(days=30))
    with app.app_context():
        row = SupportRequest(person_id=person_id, created_by_id=worker_id, **fields)
        db.session.add(row)
        db.session.commit()
        return row.id


def make_match(app, request_id: int, volunteer_id: int, status: str = "proposed", **fields) -> int:
    """A match at ``status``, with the answers and dates that status implies
    (an active match started today, first review in six weeks); its id."""
    today = today_in_uk()
    if status in ("agreed", "active", "ended"):
        fields.setdefault("volunteer_response", "accepted")
        fields.setdefault("person_response", "accepted")
    if status in ("active", "ended"):
        fields.setdefault("started_on", today - timedelta(days=1 if status == "active" else 200))
        fields.setdefault("next_review_on", fields["started_on"] + timedelta(days=42))
    if status == "ended":
        fields.setdefault("ended_on", today - timedelta(days=10))
        fields.setdefault("end_kind", "planned")
        fields.setdefault("ended_well", True)
    fields.setdefault("reasons", ["both speak English"])
    with app.app_context():
        match = Match(request_id=request_id, volunteer_id=volunteer_id, status=status, **fields)
        match.events.append(MatchEvent(step="proposed"))
        db.session.add(match)
        if status == "active":
            db.session.get(SupportRequest, request_id).status = "matched"
        db.session.commit()
        return match.id


def add_offer(app, person_id: int, *, capacity: int = 1, **offer) -> None:
    """An offer to volunteer (and a volunteer profile without a DBS check, if
    the person has none) for an existing person: every kind, Tuesdays, 5 km."""
    offer.setdefault("kinds", ["befriending_phone", "shopping"])
    offer.setdefault("availability", list(_EVERY_SLOT_OF_TUESDAY))
    offer.setdefault("languages", ["en"])
    offer.setdefault("travel_km", 5.0)
    offer.setdefault("available_since", today_in_uk())
    with app.app_context():
        if db.session.get(VolunteerProfile, person_id) is None:
            db.session.add(VolunteerProfile(person_id=person_id, capacity=capacity))
        db.session.add(VolunteerOffer(person_id=person_id, **offer))
        db.session.commit()
