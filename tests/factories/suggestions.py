"""A small neighbourhood for group suggestions: Maud at the origin, and
groups around her each failing one filter or passing them all.

    world = make_world(app)       # ids by name
    world.groups["Garden Club"]   # passes everything, 0.5 km away

Maud is 75-84, enjoys gardening and music, is free on Tuesday mornings and
Thursday afternoons, and travels 2 km. Of the groups:

==============  =======  ==========================================  ==========
group           km       meets, what, who                            for Maud
==============  =======  ==========================================  ==========
Garden Club     0.5      Tue 10:00, gardening, older people, free    suggested
Choir           1.0      Thu 14:00, music, £3, no step-free access   suggested
Parents Meet    0.3      Tue 10:00, parents only                     audience
Quiz Night      1.5      Wed 19:00                                   time
Far Walk        3.0      Tue 10:00, walking                          distance
Old Club        0.5      Tue 10:00, paused                           not active
Lunch Club      0.5      Tue 10:00; Maud already goes                 hers
==============  =======  ==========================================  ==========
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from betterway_map.extensions import db
from betterway_map.people.models import Attendance
from tests.conftest import make_user
from tests.factories.nearby import ORIGIN, POSTCODE, add_postcode, point_at, space_at
from tests.factories.organisations import make_group, make_organisation
from tests.factories.people import make_assigned_person, make_person

__all__ = ["World", "make_world", "add_members", "MAUD"]

MAUD = {
    "first_name": "Maud",
    "age_band": "75-84",
    "interests": ["gardening", "music"],
    "availability": ["tue_am", "thu_pm"],
    "travel_km": 2.0,
    "postcode": POSTCODE,
    "latitude": ORIGIN[0],
    "longitude": ORIGIN[1],
}


@dataclass
class World:
    worker: int
    maud: int
    organisation: int
    spaces: dict[str, int] = field(default_factory=dict)
    groups: dict[str, int] = field(default_factory=dict)


def make_world(app, worker: int | None = None, **maud) -> World:
    add_postcode(app)
    worker = worker or make_user(app, "worker")
    maud_id = make_assigned_person(app, worker, **(MAUD | maud))
    organisation = make_organisation(app, name="Eastbrook Friends")
    world = World(worker, maud_id, organisation)
    spaces = {
        "hall": space_at(app, organisation, 0.5, 90, name="Eastbrook Hall", hearing_loop=True),
        "church": space_at(app, organisation, 1.0, 180, name="St Anne's", step_free=False),
        "nursery": space_at(app, organisation, 0.3, 0, name="Little Steps"),
        "pub": space_at(app, organisation, 1.5, 270, name="The Plough"),
        "far": space_at(app, organisation, 3.0, 0, name="Far Barn"),
    }
    world.spaces = spaces
    tuesday = {"weekday": "tue", "start_time": time(10), "end_time": time(12)}
    specs = {
        "Garden Club": (
            "hall",
            tuesday | {"interests": ["gardening"], "audiences": ["older_people"]},
        ),
        "Choir": (
            "church",
            {"weekday": "thu", "start_time": time(14), "end_time": time(15, 30)}
            | {"interests": ["music"], "cost_pence": 300},
        ),
        "Parents Meet": ("nursery", tuesday | {"audiences": ["parents"]}),
        "Quiz Night": (
            "pub",
            {
                "weekday": "wed",
                "start_time": time(19),
                "end_time": time(21),
                "interests": ["games"],
            },
        ),
        "Far Walk": ("far", tuesday | {"interests": ["walking"]}),
        "Old Club": ("hall", tuesday | {"status": "paused"}),
        "Lunch Club": ("hall", tuesday),
    }
    for name, (space, fields) in specs.items():
        world.groups[name] = make_group(app, organisation, spaces[space], name=name, **fields)
    with app.app_context():
        db.session.add(Attendance(person_id=maud_id, group_id=world.groups["Lunch Club"]))
        db.session.commit()
    return world


def add_members(app, group_id: int, count: int, **person) -> list[int]:
    """``count`` people who go to the group (age band 65-74 unless told)."""
    person.setdefault("age_band", "65-74")
    ids = []
    for number in range(count):
        person_id = make_person(app, first_name=f"Member {number}", **person)
        with app.app_context():
            db.session.add(Attendance(person_id=person_id, group_id=group_id, status="member"))
            db.session.commit()
        ids.append(person_id)
    return ids


def near_origin(km: float, bearing: float = 0.0) -> tuple[float, float]:
    return point_at(km, bearing)
