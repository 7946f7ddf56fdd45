"""A small area for the network's council tests, made through the models.

Cell A (``CELL_A``) holds six people, all isolated (at risk), aged 85+,
with one active step-free group 100 m away and a gazetteer postcode (sector
"ZZ1 2"); cell B holds two people, so it is suppressed; cell C holds five,
and is suppressed too, so that the suppressed cells hold at least five
people between them (nothing small can be worked out by subtraction). Homes are spread a
little inside each cell so that no home is a cell's centre.
"""

from __future__ import annotations

import h3

from betterway_map.domain.clock import today_in_uk
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from tests.conftest import make_user
from tests.factories.organisations import (
    make_group,
    make_organisation,
    make_partnership,
    make_space,
)
from tests.factories.person_records import assigned_person

CELL_A = h3.latlng_to_cell(51.5, -0.1, 8)
CELL_B = h3.latlng_to_cell(51.6, -0.2, 8)
CELL_C = h3.latlng_to_cell(51.45, -0.15, 8)


def homes(cell: str, count: int) -> list[tuple[float, float]]:
    lat, lon = h3.cell_to_latlng(cell)
    return [
        (round(lat + 0.00031 * (i + 1), 6), round(lon - 0.00027 * (i + 1), 6)) for i in range(count)
    ]


def add_people(app, worker: int, cell: str, count: int, prefix: str) -> list[int]:
    return [
        assigned_person(
            app, worker, first_name=f"{prefix}{i}", age_band="85+", latitude=lat, longitude=lon
        )
        for i, (lat, lon) in enumerate(homes(cell, count))
    ]


def small_area(app) -> dict:
    worker = make_user(app, "worker")
    a_people = add_people(app, worker, CELL_A, 6, "Alpha")
    b_people = add_people(app, worker, CELL_B, 2, "Beta")
    c_people = add_people(app, worker, CELL_C, 5, "Cyd")
    church = make_organisation(app, name="St Anne's Church", sector="faith")
    surgery = make_organisation(app, name="Green Lane Surgery", sector="health")
    make_partnership(app, church, surgery, "referral", last_active_on=today_in_uk())
    lat, lon = h3.cell_to_latlng(CELL_A)
    hall = make_space(app, church, latitude=lat + 0.0009, longitude=lon, step_free=True)
    group = make_group(app, church, hall, name="Lunch Club")
    with app.app_context():
        db.session.add(
            PostcodePoint(postcode="ZZ1 2AB", latitude=lat, longitude=lon, fictional=True)
        )
        db.session.commit()
    return {
        "worker": worker,
        "a_people": a_people,
        "b_people": b_people,
        "c_people": c_people,
        "group": group,
        "organisations": (church, surgery),
        "homes": homes(CELL_A, 6) + homes(CELL_B, 2) + homes(CELL_C, 5),
    }
