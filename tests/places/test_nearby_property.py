"""Nearby search agrees with a brute-force geodesic search over every row.

Hypothesis draws an origin anywhere in the UK's latitudes (49.9° to 60.9°,
where meridians converge most at the north), a radius from 0.1 to 50 km and
a small set of spaces, some placed within a few metres either side of the
circle's edge, some sharing a place (ties), each with groups (active,
paused). The service (index box, then geodesic distances) must return the
same results as measuring every row with geopy: same set, same order,
distances within a metre.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from geographiclib.geodesic import Geodesic
from geopy.distance import geodesic
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from betterway_map.domain.geo.distance import sort_key
from betterway_map.extensions import db
from betterway_map.places.search import Filters, matches
from betterway_map.register.models import Group, Space
from tests.factories.organisations import make_organisation

EDGE_KM = st.floats(min_value=0.0005, max_value=0.005)  # half a metre to five metres


@st.composite
def scenes(draw):
    lat = draw(st.floats(49.9, 60.9))
    lon = draw(st.floats(-8.2, 1.8))
    radius_km = draw(st.floats(0.1, 50.0))
    places = []
    for _ in range(draw(st.integers(0, 12))):
        how = draw(st.sampled_from(["anywhere", "inside edge", "outside edge", "same as last"]))
        bearing = draw(st.floats(0, 360))
        if how == "same as last" and places:
            places.append(places[-1])
            continue
        if how == "anywhere":
            km = draw(st.floats(0, 2.5)) * radius_km
        else:
            km = radius_km + draw(EDGE_KM) * (-1 if how == "inside edge" else 1)
        found = Geodesic.WGS84.Direct(lat, lon, bearing, km * 1000)
        places.append((found["lat2"], found["lon2"]))
    groups = draw(st.lists(st.tuples(st.integers(0, 20), st.booleans()), max_size=12))
    return (lat, lon), radius_km, places, groups


def _brute_force(origin, radius_km):
    """Every row read, every distance measured with geopy, filtered, sorted."""
    spaces = db.session.execute(db.select(Space.id, Space.latitude, Space.longitude)).all()
    distance = {
        space_id: geodesic(origin, (lat, lon)).km
        for space_id, lat, lon in spaces
        if lat is not None
    }
    near = {space_id: km for space_id, km in distance.items() if km <= radius_km}
    found = [(km, "space", space_id) for space_id, km in near.items()]
    for group_id, space_id, status in db.session.execute(
        db.select(Group.id, Group.space_id, Group.status)
    ):
        if status == "active" and space_id in near:
            found.append((near[space_id], "group", group_id))
    return sorted(found, key=lambda row: sort_key(*row))


@pytest.mark.usefixtures("app_ctx")
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scene=scenes())
def test_search_equals_brute_force_geodesic_search(app, scene):
    origin, radius_km, places, groups = scene
    db.session.execute(delete(Group))
    db.session.execute(delete(Space))
    db.session.commit()
    organisation_id = make_organisation(app)
    space_ids = []
    for n, (lat, lon) in enumerate(places):
        space_ids.append(
            db.session.execute(
                insert(Space).returning(Space.id),
                {
                    "organisation_id": organisation_id,
                    "name": f"Space {n}",
                    "address": "1 Road",
                    "postcode": "ZZ1 1AA",
                    "latitude": lat,
                    "longitude": lon,
                },
            ).scalar_one()
        )
    for n, (at, active) in enumerate(groups):
        if not space_ids:
            break
        db.session.add(
            Group(
                organisation_id=organisation_id,
                name=f"Group {n}",
                space_id=space_ids[at % len(space_ids)],
                frequency="weekly",
                weekday="tue",
                start_time=time(10),
                end_time=time(11),
                starts_on=date(2026, 1, 6),
                status="active" if active else "paused",
            )
        )
    db.session.commit()

    found = matches(origin[0], origin[1], radius_km, Filters())
    expected = _brute_force(origin, radius_km)

    assert [(m.kind, m.key[2]) for m in found] == [(kind, i) for _, kind, i in expected]
    for match, (km, _, _) in zip(found, expected, strict=True):
        assert abs(match.distance_km - km) < 0.001
