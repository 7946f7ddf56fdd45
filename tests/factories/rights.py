"""A canary person with records of every kind, for the erasure tests, and
the means to look for any trace of them: every table, every output.

The canary's name, postcode, home, phone, email and address are made up to
appear nowhere else, so that finding any of them anywhere after erasure is
a trace left behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from betterway_map.accounts import audit
from betterway_map.accounts.services.mail import outbox_folder
from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.geocoding.models import GeocodeCache
from betterway_map.matching.models import MatchingRun, SupportRequest, VolunteerOffer
from betterway_map.people.models import (
    Assignment,
    Attendance,
    HelpListing,
    LonelinessMeasure,
    Tie,
    VolunteerProfile,
)
from tests.conftest import make_user
from tests.factories.inbox import message_to
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.people import make_consent, make_resident_with_profile

__all__ = ["CANARY", "Canary", "make_canary", "database_text", "traces_in"]

CANARY = {
    "first_name": "Zebedee",
    "last_name": "Quillfeather",
    "postcode": "ZZ9 9QX",
    "latitude": 51.473192,
    "longitude": -0.218734,
    "phone": "07700 900461",
    "email": "zebedee.quillfeather@example.net",
    "address": "17 Wobbleton Mews",
}
# What must never be found again: name, postcode (with and without its
# space), the home to 4 decimals (rounded and cut), phone (as typed and as
# digits), email and address.
NEEDLES = (
    "Zebedee",
    "Quillfeather",
    "ZZ9 9QX",
    "ZZ99QX",
    "zz9 9qx",
    "51.4732",
    "51.4731",
    "-0.2187",
    "07700 900461",
    "07700900461",
    "zebedee.quillfeather@example.net",
    "Wobbleton",
)


@dataclass(frozen=True)
class Canary:
    user_id: int
    person_id: int
    worker_id: int
    other_person_id: int  # someone who recorded a tie to the canary
    other_request_id: int  # their request, held by a match with the canary as volunteer
    group_id: int
    organisation_id: int


def make_canary(app) -> Canary:
    """The canary: a resident with an account and a worker, with consents,
    a measure, ties both ways (linked and by name), attendance with a
    welcome, an offer of help, a volunteer profile and offer with an active
    match, their own request with a proposal, messages to, from and about
    them, audit entries, a matching run naming them, the online geocoder's
    answer for their postcode and an email waiting in the outbox."""
    worker = make_user(app, "worker", name="Wanda Worker")
    user_id = make_user(app, "resident", email=CANARY["email"], name="Zebedee Q")
    _, person_id = make_resident_with_profile(
        app,
        user_id,
        **{k: v for k, v in CANARY.items()},
        what_would_help="Zebedee likes a chat about Wobbleton history",
    )
    organisation = make_organisation(app, name="Eastbrook Lunch Club")
    space = make_space(app, organisation, latitude=51.4501, longitude=-0.1502)
    group = make_group(app, organisation, space, name="Tuesday Lunch")
    # Another person, who recorded a tie to the canary, and whose request
    # the canary supports as a volunteer.
    other_request = make_request(app, worker, person={"first_name": "Olive"})
    volunteer = make_volunteer(app, worker, person={"first_name": "Victor"})
    today = today_in_uk()
    with app.app_context():
        other = db.session.get(SupportRequest, other_request).person_id
        db.session.add(Assignment(person_id=person_id, worker_id=worker))
        db.session.add(
            LonelinessMeasure(
                person_id=person_id, measured_on=today, direct="often", recorded_by_id=worker
            )
        )
        db.session.add_all(
            [
                Tie(
                    person_id=person_id,
                    other_person_id=other,
                    other_label="Olive",
                    kind="friend",
                    contact_frequency="weekly",
                ),
                Tie(
                    person_id=other,
                    other_person_id=person_id,
                    other_label="Zebedee Quillfeather",
                    kind="neighbour",
                    contact_frequency="weekly",
                    recorded_by_id=worker,
                ),
                Tie(
                    person_id=other,
                    other_label="zebedee quillfeather from the Mews",
                    kind="friend",
                    contact_frequency="monthly",
                ),
            ]
        )
        attendance = Attendance(person_id=person_id, group_id=group, status="member")
        listing = HelpListing(
            person_id=person_id,
            direction="offer",
            kind="shopping",
            description="Happy to shop near Wobbleton Mews",
        )
        db.session.add_all([attendance, listing])
        db.session.add(VolunteerProfile(person_id=person_id, capacity=2, dbs_status="enhanced"))
        db.session.add(
            VolunteerOffer(
                person_id=person_id,
                kinds=["befriending_phone"],
                availability=["tue_pm"],
                languages=["en"],
                travel_km=5.0,
                from_postcode=CANARY["postcode"],
                from_latitude=CANARY["latitude"],
                from_longitude=CANARY["longitude"],
                available_since=today - timedelta(days=3),
            )
        )
        db.session.add(
            GeocodeCache(
                query="zz9 9qx",
                latitude=CANARY["latitude"],
                longitude=CANARY["longitude"],
                label="ZZ9 9QX, Wobbleton",
            )
        )
        db.session.commit()
        attendance_id, listing_id = attendance.id, listing.id
    for purpose in ("measures", "matching", "publish_offer"):
        make_consent(app, person_id, purpose, recorded_by_id=user_id)
    active = make_match(app, other_request, person_id, status="active")
    own_request = make_request(app, worker, person_id=person_id, notes="Ring 07700 900461")
    make_match(app, own_request, volunteer, status="proposed")
    with app.app_context():
        db.session.add(
            MatchingRun(
                run_by_id=worker,
                area=["ZZ9"],
                unmatched=[{"request_id": own_request, "reason": "no volunteer near"}],
                waiting_volunteers=[{"volunteer_id": person_id, "waiting_days": 3}],
            )
        )
        other_offer = db.session.get(VolunteerOffer, volunteer)
        other_offer.excluded_person_ids = [person_id]
        audit.record(worker, "view", "person", person_id, "ties")
        audit.record(worker, "create", "help_listing", listing_id, f"person={person_id}")
        audit.record(worker, "list", "person", None, f"people: n=2 ids={other},{person_id}")
        audit.record(user_id, "login", "user", user_id)
        db.session.commit()
    message_to(app, user_id, subject="A welcome", about_type="attendance", about_id=attendance_id)
    message_to(
        app,
        worker,
        sender_id=user_id,
        sender_label="Zebedee Q (resident)",
        subject="About my shopping",
        body="I live at 17 Wobbleton Mews, ring 07700 900461",
    )
    message_to(
        app,
        worker,
        subject="For Zebedee Quillfeather: news",
        body="The match is going well.",
        about_type="match",
        about_id=active,
    )
    with app.app_context():
        folder = outbox_folder()
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "canary.eml").write_text(
            f"To: {CANARY['email']}\nSubject: Hello Zebedee\n\nHello Zebedee Quillfeather\n"
        )
    return Canary(user_id, person_id, worker, other, other_request, group, organisation)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def database_text(app) -> dict[str, str]:
    """Every table of the database, every column of every row, as text
    (JSON as written), keyed by table name."""
    with app.app_context():
        found = {}
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(select(table)).all()
            found[table.name] = "\n".join(" | ".join(_text(value) for value in row) for row in rows)
        db.session.remove()
        return found


def traces_in(text: str) -> list[str]:
    """The canary's details found in ``text`` (ignoring case)."""
    lowered = text.lower()
    return [needle for needle in NEEDLES if needle.lower() in lowered]


def outbox_text(app) -> str:
    with app.app_context():
        folder = Path(current_app.instance_path) / "outbox"
        if not folder.is_dir():
            return ""
        return "\n".join(path.read_text(errors="replace") for path in folder.glob("*.eml"))


def old_day(days: int) -> date:
    return today_in_uk() - timedelta(days=days)
