"""Bad input to nearby search: a clear message naming the value and what is
accepted, beside the field on the page (400) and per field in the API (422),
never a 500."""

from __future__ import annotations

import pytest

from tests.factories.nearby import POSTCODE, add_postcode

BAD = [
    # (query, field, words the message must contain)
    ({"postcode": "NOT A POSTCODE"}, "postcode", ["'NOT A POSTCODE'", "like 'E13 8QS'"]),
    ({"postcode": "ZZ9 9ZZ"}, "postcode", ["'ZZ9 9ZZ'", "not in our postcode list"]),
    ({"postcode": "x" * 201}, "postcode", ["at most 200"]),
    ({"lat": "51.5"}, "lon", ["no lon"]),
    ({"lon": "-0.1"}, "lat", ["no lat"]),
    ({"lat": "north", "lon": "0"}, "lat", ["'north' is not a number"]),
    ({"lat": "91", "lon": "0"}, "lat", ["91.0", "between -90 and 90"]),
    ({"lat": "51", "lon": "-181"}, "lon", ["-181.0", "between -180 and 180"]),
    ({"lat": "nan", "lon": "0"}, "lat", ["between -90 and 90"]),
    ({"postcode": POSTCODE, "lat": "51", "lon": "0"}, "postcode", ["not both"]),
    ({"radius_km": "2"}, "postcode", ["Type a postcode"]),
    ({"postcode": POSTCODE, "radius_km": "0"}, "radius_km", ["between 0.1 and 50", "not 0"]),
    ({"postcode": POSTCODE, "radius_km": "500"}, "radius_km", ["between 0.1 and 50", "not 500"]),
    ({"postcode": POSTCODE, "radius_km": "far"}, "radius_km", ["'far'"]),
    ({"postcode": POSTCODE, "radius_km": "inf"}, "radius_km", ["radius_km"]),
    ({"postcode": POSTCODE, "what": "parties"}, "what", ["'parties'", "group, space, offer"]),
    ({"postcode": POSTCODE, "interest": "skydiving"}, "interest", ["'skydiving'", "music"]),
    ({"postcode": POSTCODE, "day": "someday"}, "day", ["'someday'", "mon, tue"]),
    ({"postcode": POSTCODE, "time_of_day": "night"}, "time_of_day", ["'night'", "evening"]),
    ({"postcode": POSTCODE, "audience": "aliens"}, "audience", ["'aliens'", "carers"]),
    ({"postcode": POSTCODE, "free": "perhaps"}, "free", ["'perhaps'", "true or false"]),
    ({"postcode": POSTCODE, "step_free": "maybe"}, "step_free", ["'maybe'"]),
    ({"postcode": POSTCODE, "page": "0"}, "page", ["1 or more", "not 0"]),
    ({"postcode": POSTCODE, "page": "2"}, "page", ["page 2 is past the last page"]),
    ({"postcode": POSTCODE, "page": "first"}, "page", ["'first'"]),
    ({"postcode": POSTCODE, "page_size": "101"}, "page_size", ["between 1 and 100"]),
]


def _id(case) -> str:
    query, field, _ = case
    return f"{field}:" + "&".join(f"{k}={v[:12]}" for k, v in query.items())


def _flatten(messages) -> str:
    if isinstance(messages, dict):
        return " ".join(_flatten(value) for value in messages.values())
    if isinstance(messages, list):
        return " ".join(_flatten(value) for value in messages)
    return str(messages)


@pytest.mark.parametrize("case", BAD, ids=_id)
def test_api_answers_422_naming_the_field_and_value(app, client, case):
    add_postcode(app)
    query, field, words = case
    response = client.get("/api/v1/nearby", query_string=query)
    assert response.status_code == 422
    errors = response.get_json()["errors"]["query"]
    assert list(errors) == [field]
    for word in words:
        assert word in _flatten(errors[field])


@pytest.mark.parametrize("case", BAD, ids=_id)
def test_page_shows_the_message_beside_the_field_with_400(app, client, case):
    add_postcode(app)
    query, field, words = case
    response = client.get("/nearby", query_string=query)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert f'id="error-{field}"' in html and f'href="#field-{field}"' in html
    assert f'id="field-{field}"' in html
    assert "Results" not in html
    for word in words:
        assert word.replace("'", "&#39;") in html
