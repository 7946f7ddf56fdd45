"""What the ORUK records say: schedules, ids, real dates, omitted fields,
no personal data, CORS and the errors of unknown ids."""

from __future__ import annotations

import json
from datetime import date

import pytest

from betterway_map.interop.oruk.ids import oruk_id
from tests.conftest import make_user
from tests.factories.organisations import make_group, make_organisation, make_space
from tests.factories.oruk import check, known_area


def _service(client, group_id: int) -> dict:
    response = client.get(f"/oruk/services/{oruk_id('service', group_id)}")
    assert response.status_code == 200
    return response.get_json()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Every Tuesday from Tue 6 Jan 2026 (the factory's start).
        ("Choir", {"freq": "WEEKLY", "interval": 1, "byday": "TU", "dtstart": "2026-01-06"}),
        # Every other Thursday: the first is Thu 8 Jan, and fortnights count from it.
        ("Walking club", {"freq": "WEEKLY", "interval": 2, "byday": "TH", "dtstart": "2026-01-08"}),
        # The last Friday of the month: 30 Jan 2026 is the first.
        (
            "Lunch club",
            {"freq": "MONTHLY", "interval": 1, "byday": "-1FR", "dtstart": "2026-01-30"},
        ),
    ],
)
def test_meetings_are_rfc_5545_schedules(client, app, name, expected):
    ids = known_area(app)
    (schedule,) = _service(client, ids[name])["schedules"]
    assert {key: schedule[key] for key in expected} == expected
    assert schedule["valid_from"] == "2026-01-06"
    assert "valid_to" not in schedule


def test_a_schedule_has_its_times_its_end_and_how_to_attend(client, app):
    organisation = make_organisation(app)
    group = make_group(app, organisation, None, ends_on=date(2026, 12, 29))
    (schedule,) = _service(client, group)["schedules"]
    assert schedule["opens_at"] == "10:00:00" and schedule["closes_at"] == "12:00:00"
    assert schedule["valid_to"] == "2026-12-29"
    assert schedule["attending_type"] == "online"
    assert schedule["description"] == "Every Tuesday, 10am to 12pm"
    assert "service_at_location_id" not in schedule


def test_assured_date_and_last_modified_are_the_real_ones(client, app):
    ids = known_area(app)
    service = _service(client, ids["Choir"])
    assert service["assured_date"] == "2026-05-01"  # details_checked_on
    assert service["last_modified"] == "2026-06-01T00:00:00Z"  # updated_at


def test_optional_fields_with_no_value_are_left_out(client, app):
    organisation = make_organisation(app)  # no description, website or email
    space = make_space(app, organisation, latitude=None, longitude=None, step_free=False)
    group = make_group(app, organisation, space)
    service = _service(client, group)
    check(service, "service")
    for field in ("description", "email", "minimum_age", "maximum_age", "assured_date"):
        assert field not in service
    assert set(service["organization"]) == {"id", "name", "description", "uri"}
    location = service["service_at_locations"][0]["location"]
    for field in ("latitude", "longitude", "description", "accessibility"):
        assert field not in location
    assert "null" not in json.dumps(service)


def test_ids_are_uuids_that_do_not_change(client, app):
    ids = known_area(app)
    service = _service(client, ids["Choir"])
    again = _service(client, ids["Choir"])
    assert service["id"] == again["id"] == oruk_id("service", ids["Choir"])
    assert service["organization_id"] == oruk_id("organization", ids["org_a"])


def test_no_personal_data_is_published(client, app):
    admin = make_user(app, "org_admin", email="pat.private@example.org", name="Pat Private")
    organisation = make_organisation(app, admin_user_id=admin)
    group = make_group(app, organisation, make_space(app, organisation))
    bodies = [
        client.get(path).get_data(as_text=True)
        for path in (
            "/oruk/services",
            f"/oruk/services/{oruk_id('service', group)}",
            "/oruk/service_at_locations",
            f"/oruk/service_at_locations/{oruk_id('service_at_location', group)}",
        )
    ]
    for body in bodies:
        assert "pat.private" not in body and "Pat Private" not in body
        assert "attend" not in body.replace("attending_type", "")


@pytest.mark.parametrize(
    "path",
    [
        "/oruk/services/{}",
        "/oruk/service_at_locations/{}",
        "/oruk/taxonomies/{}",
        "/oruk/taxonomy_terms/{}",
    ],
)
@pytest.mark.parametrize("unknown", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_an_unknown_id_is_404_json_with_cors(client, path, unknown):
    response = client.get(path.format(unknown))
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert unknown in response.get_json()["message"]


@pytest.mark.parametrize("name", ["Paused choir", "Ended knitting"])
def test_paused_and_ended_groups_are_not_services(client, app, name):
    ids = known_area(app)
    assert client.get(f"/oruk/services/{oruk_id('service', ids[name])}").status_code == 404
    at = oruk_id("service_at_location", ids[name])
    assert client.get(f"/oruk/service_at_locations/{at}").status_code == 404


def test_an_online_group_is_at_no_location(client, app):
    ids = known_area(app)
    at = oruk_id("service_at_location", ids["Online quiz"])
    assert client.get(f"/oruk/service_at_locations/{at}").status_code == 404
    assert "service_at_locations" not in _service(client, ids["Online quiz"])


def test_an_id_of_another_kind_is_not_found(client, app):
    ids = known_area(app)
    # The organisation's id is a UUID of ours, but not a service's.
    response = client.get(f"/oruk/services/{oruk_id('organization', ids['org_a'])}")
    assert response.status_code == 404


@pytest.mark.parametrize(
    "path", ["/oruk/", "/oruk/services", "/oruk/taxonomies", "/oruk/services?page=x"]
)
def test_every_answer_may_be_read_from_any_site(client, path):
    assert client.get(path).headers["Access-Control-Allow-Origin"] == "*"
    assert client.get(path).content_type == "application/json"
