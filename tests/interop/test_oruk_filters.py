"""Each ORUK filter on the known area (tests/factories/oruk.py), and a bad
value for each: 400 with a JSON message naming the value and what is accepted."""

from __future__ import annotations

import pytest

from betterway_map.interop.oruk.ids import named_id, oruk_id
from tests.factories.oruk import KNOWN_NAMES, check, known_area

MUSIC = named_id("taxonomy_term", "interests", "music")
AUDIENCES = named_id("taxonomy", "audiences")
INTERESTS = named_id("taxonomy", "interests")


def _names(client, collection: str, query: str) -> list[str]:
    response = client.get(f"/oruk/{collection}?{query}")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    item = "service_list" if collection == "services" else "service_at_location_list"
    check(body, item, paged=True)
    contents = body["contents"]
    assert body["total_items"] == len(contents)
    return [(c if collection == "services" else c["service"])["name"] for c in contents]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", KNOWN_NAMES),
        ("search=choir", ["Choir"]),
        ("text=SING", ["Choir"]),  # the description, any case
        ("search=50%25", []),  # % is a character, not a wildcard
        ("postcode=ZZ1+1AA&proximity=1000", ["Choir", "Lunch club"]),
        ("postcode=zz11aa&proximity=30000", ["Choir", "Lunch club", "Walking club"]),
        ("postcode=ZZ1+1AA", ["Choir", "Lunch club"]),  # 2 km unless told
        ("postcode=ZZ1+1AA&proximity=100", []),
        (f"taxonomy_term_id={MUSIC}", ["Choir"]),
        (f"taxonomy_id={AUDIENCES}", ["Choir", "Lunch club", "Walking club"]),
        (f"taxonomy_id={INTERESTS}", KNOWN_NAMES),
        ("day=TU", ["Choir"]),
        ("day=friday", ["Lunch club"]),
        ("start_time=12:00", ["Lunch club", "Online quiz", "Walking club"]),
        ("end_time=12:00", ["Choir"]),
        ("start_time=11:00&end_time=16:00", ["Lunch club", "Walking club"]),
        ("minimum_age=60", ["Lunch club"]),
        ("maximum_age=90", ["Choir"]),
        ("modified_after=2026-01-01", ["Choir"]),
        ("modified_after=2026-06-01T00:00:00Z", ["Choir"]),
        ("modified_after=2026-06-01T01:00:00%2B00:00", []),
        ("day=TU&minimum_age=50&search=choir", ["Choir"]),
    ],
)
def test_each_filter_on_services(client, app, query, expected):
    known_area(app)
    assert _names(client, "services", query) == expected


def test_organization_id(client, app):
    ids = known_area(app)
    query = f"organization_id={oruk_id('organization', ids['org_b'])}"
    assert _names(client, "services", query) == ["Lunch club", "Walking club"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Choir", "Lunch club", "Walking club"]),
        ("postcode=ZZ1+1AA&proximity=1000", ["Choir", "Lunch club"]),
        ("day=thu", ["Walking club"]),
        (f"taxonomy_term_id={MUSIC}", ["Choir"]),
        ("maximum_age=90&minimum_age=50", ["Choir"]),
    ],
)
def test_filters_on_services_at_locations(client, app, query, expected):
    known_area(app)
    assert _names(client, "service_at_locations", query) == expected


@pytest.mark.parametrize(
    ("query", "expected", "page"),
    [
        ("per_page=3", KNOWN_NAMES[:3], {"total_pages": 2, "last_page": False, "size": 3}),
        ("per_page=3&page=2", KNOWN_NAMES[3:], {"page_number": 2, "last_page": True, "size": 1}),
        ("per_page=1&page=3", KNOWN_NAMES[2:3], {"total_items": 4, "total_pages": 4}),
    ],
)
def test_page_and_per_page(client, app, query, expected, page):
    known_area(app)
    body = client.get(f"/oruk/services?{query}").get_json()
    assert [item["name"] for item in body["contents"]] == expected
    assert {key: body[key] for key in page} == page


@pytest.mark.parametrize(
    ("name", "value", "quoted"),
    [
        ("search", "x" * 201, "201 characters"),
        ("postcode", "not a postcode", "not a postcode"),
        ("postcode", "ZZ9 9ZZ", "ZZ9 9ZZ"),
        ("proximity", "far", "'far'"),
        ("proximity", "-5", "'-5'"),
        ("proximity", "nan", "'nan'"),
        ("taxonomy_term_id", "music", "'music'"),
        ("taxonomy_id", "00000000-0000-4000-8000-000000000000", "00000000-0000"),
        ("day", "Funday", "'Funday'"),
        ("start_time", "25:00", "'25:00'"),
        ("end_time", "noon", "'noon'"),
        ("minimum_age", "old", "'old'"),
        ("maximum_age", "-1", "'-1'"),
        ("modified_after", "yesterday", "'yesterday'"),
        ("modified_after", "9999-12-31T23:59:59-01:00", "'9999-12-31T23:59:59-01:00'"),
        ("organization_id", "42", "'42'"),
        ("page", "0", "not 0"),
        ("page", "two", "'two'"),
        ("per_page", "1000", "not 1000"),
    ],
)
@pytest.mark.parametrize("collection", ["services", "service_at_locations"])
def test_a_bad_value_answers_400_naming_it(client, app, collection, name, value, quoted):
    known_area(app)
    extra = "&proximity=1000" if name == "postcode" else ""
    extra += "&postcode=ZZ1+1AA" if name == "proximity" else ""
    response = client.get(
        f"/oruk/{collection}", query_string=f"{name}={value}{extra}".replace(" ", "+")
    )
    body = response.get_json()
    assert response.status_code == 400, body
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert quoted in body["message"]
    assert list(body["errors"]["query"]) == [name]


@pytest.mark.parametrize("collection", ["services", "service_at_locations"])
def test_a_control_character_is_refused_by_the_one_input_check(client, collection):
    """NUL and other control characters are refused for every request, before
    any view (web/input_checks.py): a 422 naming the parameter, still JSON
    with the CORS header here."""
    response = client.get(f"/oruk/{collection}", query_string="search=a%00b")
    body = response.get_json()
    assert response.status_code == 422, body
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "'search' contains the control character U+0000 (NULL)" in body["message"]


def test_proximity_without_a_postcode_says_so(client):
    body = client.get("/oruk/services?proximity=500").get_json()
    assert "give postcode too" in body["message"]


@pytest.mark.parametrize("collection", ["taxonomies", "taxonomy_terms"])
def test_vocabulary_lists_refuse_bad_paging(client, collection):
    response = client.get(f"/oruk/{collection}?per_page=abc")
    assert response.status_code == 400
    assert "'abc'" in response.get_json()["message"]
