"""One worker's person and everything round them, for the pictures of one
person (their network, their map), made through the models.

Ann (``HOME``) is looked after by ``worker``. She has:

* her own ties: "daughter Sue" (family, weekly: active), "old friend Bob"
  (friend, never: lapsed) and "Cy next door", linked to Cy, whom the same
  worker looks after (neighbour, weekly: active);
* a tie that Dot recorded to her (friend, weekly: active); Dot is looked
  after by another worker, so Ann's worker may not learn Dot's name;
* she goes to "Knit and Natter" (attended a week ago: active), at a hall
  about 230 m from home;
* "Walking Football" meets at a second hall about 1.4 km away: within her
  2 km, not within walking distance (800 m): a group suggestion;
* Vera, a volunteer (another worker's), is proposed to her; Vera travels
  from ``VOLUNTEER_HOME``, about 1.5 km away;
* Hal, 600 m away, offers help with shopping and agreed to his name being
  shown.

Every home is a few hundred metres from every other and from the halls, so
no two round to the same place at 3 decimal places.
"""

from __future__ import annotations

import re
from datetime import timedelta

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from tests.conftest import make_user
from tests.factories.matching import make_match, make_request, make_volunteer
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.people import make_assigned_person, make_consent
from tests.factories.person_records import attendance, listing_of, tie_of

HOME = (52.4500, -0.9800)
NEAR_HALL = (52.4521, -0.9801)
FAR_HALL = (52.4627, -0.9800)
CY_HOME = (52.4413, -0.9712)
DOT_HOME = (52.4392, -0.9655)
VOLUNTEER_HOME = (52.4567, -0.9602)
HELPER_HOME = (52.4488, -0.9713)


def person_world(app, worker: int | None = None) -> dict:
    """Ann and her world (see the module); the ids and every home but hers."""
    worker = worker or make_user(app, "worker")
    other_worker = make_user(app, "worker")
    ann = make_assigned_person(
        app, worker, first_name="Ann", latitude=HOME[0], longitude=HOME[1], postcode="ZZ1 2AB"
    )
    cy = make_assigned_person(
        app, worker, first_name="Cy", latitude=CY_HOME[0], longitude=CY_HOME[1]
    )
    dot = make_assigned_person(
        app, other_worker, first_name="Dot", latitude=DOT_HOME[0], longitude=DOT_HOME[1]
    )
    today = today_in_uk()
    tie_of(app, ann, other_label="daughter Sue", kind="family", contact_frequency="weekly")
    tie_of(app, ann, other_label="old friend Bob", kind="friend", contact_frequency="never")
    tie_of(
        app,
        ann,
        other_label="Cy next door",
        kind="neighbour",
        contact_frequency="weekly",
        other_person_id=cy,
    )
    tie_of(
        app,
        dot,
        other_label="Ann from the choir",
        kind="friend",
        contact_frequency="weekly",
        other_person_id=ann,
    )
    organisation = make_organisation(app, name="Eastbrook Wool Circle")
    near = make_space(
        app, organisation, name="Near Hall", latitude=NEAR_HALL[0], longitude=NEAR_HALL[1]
    )
    far = make_space(
        app, organisation, name="Far Hall", latitude=FAR_HALL[0], longitude=FAR_HALL[1]
    )
    knit = make_group(app, organisation, near, name="Knit and Natter")
    football = make_group(app, organisation, far, name="Walking Football")
    attendance(
        app,
        ann,
        knit,
        since=today - timedelta(days=300),
        last_attended_on=today - timedelta(days=7),
    )
    volunteer = make_volunteer(
        app,
        other_worker,
        person={
            "first_name": "Vera",
            "latitude": VOLUNTEER_HOME[0],
            "longitude": VOLUNTEER_HOME[1],
            "postcode": "ZZ1 3CD",
        },
    )
    make_consent(app, ann, purpose="matching", recorded_by_id=worker)
    request = make_request(app, worker, person_id=ann)
    make_match(app, request, volunteer, status="proposed")
    helper = make_assigned_person(
        app, other_worker, first_name="Hal", latitude=HELPER_HOME[0], longitude=HELPER_HOME[1]
    )
    make_consent(app, helper, purpose="publish_offer", recorded_by_id=other_worker)
    listing_of(app, helper, direction="offer", kind="shopping")
    with app.app_context():
        db.session.add(
            PostcodePoint(
                postcode="ZZ1 3CD",
                latitude=VOLUNTEER_HOME[0],
                longitude=VOLUNTEER_HOME[1],
                fictional=True,
            )
        )
        db.session.commit()
    return {
        "worker": worker,
        "other_worker": other_worker,
        "ann": ann,
        "cy": cy,
        "dot": dot,
        "volunteer": volunteer,
        "helper": helper,
        "groups": {"knit": knit, "football": football},
        "organisation": organisation,
        "halls": {"near": near, "far": far},
        "other_homes": [CY_HOME, DOT_HOME, VOLUNTEER_HOME, HELPER_HOME],
    }


_NUMBER = re.compile(r"-?\d+\.\d+")


def places_in(text: str) -> set[tuple[float, float]]:
    """Every pair of decimal numbers that stand next to each other in
    ``text``, rounded to 3 decimal places, both ways round: a point written
    as (lat, lon) as a map does, or (lon, lat) as GeoJSON does."""
    numbers = [round(float(n), 3) for n in _NUMBER.findall(text)]
    pairs = set(zip(numbers, numbers[1:], strict=False))
    return pairs | {(b, a) for a, b in pairs}


def shows_place(text: str, place: tuple[float, float]) -> bool:
    """Whether ``text`` holds the point ``place`` (lat, lon) to 3 decimal places."""
    return (round(place[0], 3), round(place[1], 3)) in places_in(text)
