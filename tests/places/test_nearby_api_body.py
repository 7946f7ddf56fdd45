"""The API's body of a nearby search, written out by ``result_body``, is
exactly what ``NearbyResultSchema`` (the API's documented shape) dumps."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from betterway_map.places import search as service
from betterway_map.places.schemas import NearbyQuerySchema, NearbyResultSchema, result_body
from betterway_map.places.views import item_urls, linked, online_url
from tests.factories.nearby import ORIGIN, POSTCODE, add_postcode, offer_at, space_at
from tests.factories.organisations import make_group, make_organisation


@pytest.fixture()
def mixed(app):
    """Spaces with groups (one with a monthly schedule, one paid with a note),
    an online-only group, a helper's offer, and the origin's postcode."""
    add_postcode(app)
    org = make_organisation(app)
    near = space_at(app, org, 0.4, 30, hire_cost_pence=0, hearing_loop=True)
    far = space_at(app, org, 1.5, 200, step_free=False, hire_cost_pence=1250)
    make_group(app, org, near, interests=["music"], cost_pence=250, cost_note="tea included")
    make_group(app, org, far, frequency="monthly", nth=-1, weekday="fri", start_time=time(18),
               end_time=time(20))  # fmt: skip
    make_group(app, org, None, interests=["music"])
    offer_at(app, 0.9, 120)


@pytest.mark.parametrize(
    "query",
    [
        {"postcode": POSTCODE},
        {"postcode": POSTCODE, "what": ["group", "space", "offer"]},
        {"postcode": POSTCODE, "interest": "music", "page_size": "1", "page": "2"},
        {"lat": str(ORIGIN[0]), "lon": str(ORIGIN[1]), "radius_km": "0.2"},  # nothing: why
        {"postcode": POSTCODE, "what": ["space"], "step_free": "true"},  # no online count
    ],
    ids=["groups and spaces", "with offers", "filtered, page 2", "nothing near", "spaces only"],
)
def test_the_written_out_body_is_the_schemas_dump(app, mixed, query):
    # Asked again, later the same day and on other days: what each space and
    # group shows is then the one kept from the first search (results.Shown),
    # with that moment's next meetings.
    moments = [datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 1, 19, 30, tzinfo=UTC),
               datetime(2026, 6, 26, 17, 59, tzinfo=UTC), datetime(2026, 6, 26, 18, tzinfo=UTC),
               datetime(2026, 7, 1, 12, tzinfo=UTC)]  # fmt: skip
    bodies = []
    with app.test_request_context("/api/v1/nearby"):
        for moment in moments:
            result = service.search(NearbyQuerySchema().load(query), now=moment)
            expected = NearbyResultSchema().dump(linked(result))
            body = result_body(result, item_urls(), online_url(result.online_groups))
            assert body == expected
            assert all(item.shown is not None and item.shown.body is not None
                       for item in result.items if item.kind != "offer")  # fmt: skip
            bodies.append(body)
    if any(item["kind"] == "group" for item in bodies[0]["items"]):
        assert len({str(body) for body in bodies}) > 1  # the next meetings moved on


def test_the_api_answers_with_that_body(app, client, mixed):
    # Spaces and offers only: nothing in them depends on the time of asking.
    query = {"postcode": POSTCODE, "what": ["space", "offer"]}
    body = client.get("/api/v1/nearby", query_string=query).get_json()
    with app.test_request_context("/api/v1/nearby"):
        result = service.search(NearbyQuerySchema().load(query))
        assert body == NearbyResultSchema().dump(linked(result))
    assert [item["kind"] for item in body["items"]] == ["space", "offer", "space"]


@pytest.mark.parametrize(
    "interest", [None, "music", "arts & crafts", "tea/coffee", "café", "a+b c?d=e;f'g"]
)
def test_the_online_groups_link_is_the_one_url_for_makes(app, interest):
    from flask import url_for

    from betterway_map.places.results import OnlineGroups

    with app.test_request_context("/api/v1/nearby"):
        expected = url_for("groups.index", interest=interest, online="true")
        assert online_url(OnlineGroups(3, interest)) == expected
    with app.test_request_context("/api/v1/nearby", base_url="http://example.org/under/here"):
        assert online_url(OnlineGroups(3, interest)).startswith("/under/here/groups")
