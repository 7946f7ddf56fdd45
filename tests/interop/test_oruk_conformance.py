"""What the ORUK validator does, against the app through WSGI: read ``/``,
call each collection, take ids from it, call each ``{id}`` with them, walk
the first, middle and last pages, and validate every body against the ORUK
JSON Schemas (vendored in tests/interop/oruk_schemas) with formats checked."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from tests.factories.organisations import make_group, make_organisation
from tests.factories.oruk import FORMATS, OPENAPI, check, known_area

# collection path -> (schema of list items, schema of one record by id, a
# page size that makes at least three pages of the area below)
COLLECTIONS = {
    "services": ("service_list", "service", 2),
    # The published OpenAPI names compiled/service.json for one
    # service_at_location; the JSON Schemas have service_at_location.json.
    "service_at_locations": ("service_at_location_list", "service_at_location", 2),
    "taxonomies": ("taxonomy", "taxonomy", 1),
    "taxonomy_terms": ("taxonomy_term", "taxonomy_term", 5),
}


@pytest.fixture()
def area(app):
    ids = known_area(app)
    organisation = make_organisation(app)
    for number in range(3):  # enough services for four pages of two
        make_group(app, organisation, ids["near"], name=f"Extra group {number}")
    return ids


def test_the_formats_that_matter_are_really_checked():
    for name in ("uri", "email", "date-time", "uuid"):
        assert name in FORMATS.checkers, f"jsonschema cannot check {name} here"
    assert not FORMATS.conforms("not a uri", "uri")
    assert not FORMATS.conforms("2026-13-01T00:00:00Z", "date-time")
    assert not FORMATS.conforms("12345", "uuid")
    assert not FORMATS.conforms("someone@", "email")


def test_the_root_says_version_profile_and_openapi(client):
    response = client.get("/oruk/")
    body = response.get_json()
    assert response.status_code == 200
    assert body["version"] == "HSDS-UK-3.0"
    schema = OPENAPI["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    validator = Draft202012Validator(schema["schema"], format_checker=FORMATS)
    assert list(validator.iter_errors(body)) == []
    assert set(body) == {"version", "profile", "openapi_url"}


def test_the_nine_paths_of_the_openapi_are_served(app):
    served = {
        re.sub(r"<[^>]+>", "{id}", rule.rule.removeprefix("/oruk")) or "/"
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/oruk")
    }
    assert served == set(OPENAPI["paths"])


def _pages_to_walk(total_pages: int) -> list[int]:
    return sorted({1, (total_pages + 1) // 2, total_pages})


@pytest.mark.parametrize("collection", COLLECTIONS)
def test_walk_first_middle_and_last_pages_and_every_record(client, area, collection):
    item_schema, record_schema, per_page = COLLECTIONS[collection]
    first = client.get(f"/oruk/{collection}?per_page={per_page}").get_json()
    check(first, item_schema, paged=True)
    assert first["total_pages"] >= 2, "the walk needs more than one page"
    seen = []
    for number in _pages_to_walk(first["total_pages"]):
        response = client.get(f"/oruk/{collection}?page={number}&per_page={per_page}")
        page = response.get_json()
        assert response.status_code == 200
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        check(page, item_schema, paged=True)
        assert page["page_number"] == number
        assert page["first_page"] == (number == 1)
        assert page["last_page"] == (number == first["total_pages"])
        assert page["size"] == len(page["contents"]) > 0
        assert page["total_items"] == first["total_items"]
        for item in page["contents"]:
            record = client.get(f"/oruk/{collection}/{item['id']}")
            assert record.status_code == 200, item["id"]
            check(record.get_json(), record_schema)
            assert record.get_json()["id"] == item["id"]
            seen.append(item["id"])
    assert len(seen) == len(set(seen)), "an id is on two pages"


def test_services_are_the_active_groups_only(client, app):
    known_area(app)
    page = client.get("/oruk/services").get_json()
    assert [item["name"] for item in page["contents"]] == [
        "Choir",
        "Lunch club",
        "Online quiz",
        "Walking club",
    ]
    at_locations = client.get("/oruk/service_at_locations").get_json()
    # The online quiz meets at no space, so it is at no location.
    assert [item["service"]["name"] for item in at_locations["contents"]] == [
        "Choir",
        "Lunch club",
        "Walking club",
    ]


def test_a_page_past_the_end_is_empty(client, app):
    known_area(app)
    page = client.get("/oruk/services?page=9").get_json()
    check(page, "service_list", paged=True)
    assert page["empty"] is True and page["contents"] == [] and page["last_page"] is True


def test_the_check_finds_what_the_validator_would():
    bad = {
        "id": "12345",
        "name": "A group",
        "status": "open",
        "url": "not a uri",
        "email": "nobody@",
        "last_modified": "yesterday",
        "assured_date": "2026-02-30",
        "description": None,
    }
    with pytest.raises(AssertionError) as failure:
        check(bad, "service")
    for problem in ("'12345' is not a 'uuid'", "'open' is not one of", "not a 'uri'",
                    "not a 'email'", "not a 'date-time'", "is not a date", "is null"):  # fmt: skip
        assert problem in str(failure.value)
