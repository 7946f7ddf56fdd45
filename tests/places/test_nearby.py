"""Nearby search journeys: page and API, postcode and coordinates, filters,
pagination, online groups, empty results that say why, and offers of help
that never reveal a home."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

import pytest

from betterway_map.places import search as service
from betterway_map.places.schemas import NearbyQuerySchema
from tests.factories.nearby import ORIGIN, POSTCODE, add_postcode, offer_at, space_at
from tests.factories.organisations import make_group, make_organisation, make_space


@pytest.fixture()
def area(app):
    """Two spaces within 2 km (A at 0.3 km, B at 1.2 km), one outside (C at
    3 km), a group at each of A and B, and the origin's postcode."""
    add_postcode(app)
    org = make_organisation(app)
    spaces = {
        "A": space_at(app, org, 0.3, 10),
        "B": space_at(app, org, 1.2, 200),
        "C": space_at(app, org, 3.0, 90),
    }
    groups = {name: make_group(app, org, spaces[name]) for name in ("A", "B", "C")}
    return {"org": org, "spaces": spaces, "groups": groups}


def _api(client, **query):
    response = client.get("/api/v1/nearby", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _kinds_ids(body) -> list[tuple[str, int]]:
    return [(item["kind"], item["id"]) for item in body["items"]]


def test_postcode_search_lists_groups_and_spaces_nearest_first(client, area):
    body = _api(client, postcode=POSTCODE.lower().replace(" ", ""))
    s, g = area["spaces"], area["groups"]
    assert _kinds_ids(body) == [
        ("group", g["A"]),
        ("space", s["A"]),
        ("group", g["B"]),
        ("space", s["B"]),
    ]


def test_answer_says_where_the_search_was_centred(client, area):
    origin = _api(client, postcode=POSTCODE)["origin"]
    assert origin == {
        "lat": ORIGIN[0],
        "lon": ORIGIN[1],
        "label": POSTCODE,
        "precision": "postcode",
    }


def test_coordinates_search_starts_from_the_point(client, area):
    body = _api(client, lat=str(ORIGIN[0]), lon=str(ORIGIN[1]), radius_km="5")
    assert body["origin"]["precision"] == "coordinates"
    assert ("space", area["spaces"]["C"]) in _kinds_ids(body)


def test_distances_are_geodesic_kilometres(client, area):
    distances = [item["distance_km"] for item in _api(client, postcode=POSTCODE)["items"]]
    assert distances == pytest.approx([0.3, 0.3, 1.2, 1.2], abs=1e-6)


def test_each_result_has_access_cost_and_a_link(client, area):
    group = _api(client, postcode=POSTCODE)["items"][0]
    assert group["url"] == f"/groups/{area['groups']['A']}"
    assert group["step_free"] is True and group["cost_label"] == "Free"
    assert group["schedule"] == "Every Tuesday, 10am to 12pm"


def test_next_meeting_is_in_london_time(app, area):
    with app.test_request_context():
        args = NearbyQuerySchema().load({"postcode": POSTCODE, "what": ["group"]})
        # Monday 1 June 2026, noon in London (11:00 UTC): the group meets on Tuesdays at 10:00.
        now = datetime(2026, 6, 1, 11, tzinfo=UTC)
        found = service.search(args, now=now).items[0].next_meeting
    assert found.isoformat() == "2026-06-02T10:00:00+01:00"
    assert found.utcoffset() == timedelta(hours=1)


def test_page_shows_the_list_with_names_linking_to_their_pages(client, area):
    response = client.get("/nearby", query_string={"postcode": POSTCODE})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    links = re.findall(r'<h3>\s*<a href="(/(?:groups|spaces)/\d+)"', html)
    s, g = area["spaces"], area["groups"]
    assert links == [
        f"/groups/{g['A']}",
        f"/spaces/{s['A']}",
        f"/groups/{g['B']}",
        f"/spaces/{s['B']}",
    ]
    assert "4 results, nearest first" in html and "0.3 km" in html


def test_page_without_a_search_shows_only_the_form(client):
    response = client.get("/nearby")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'name="postcode"' in html and "Results" not in html and "There is a problem" not in html


def test_paused_groups_and_spaces_without_a_place_are_left_out(app, client, area):
    org = area["org"]
    paused = make_group(app, org, area["spaces"]["A"], status="paused")
    unplaced = make_space(app, org, latitude=None, longitude=None)
    ids = _kinds_ids(_api(client, postcode=POSTCODE))
    assert ("group", paused) not in ids and ("space", unplaced) not in ids


@pytest.fixture()
def two_choices(app):
    """Space 1 (0.5 km) and space 2 (0.6 km), each with one group: the first
    passes every filter below, the second fails them all."""
    add_postcode(app)
    org = make_organisation(app)
    yes = space_at(app, org, 0.5, step_free=True, hire_cost_pence=0)
    no = space_at(app, org, 0.6, step_free=False, hire_cost_pence=1500)
    group_yes = make_group(
        app, org, yes, interests=["music"], audiences=["carers"], weekday="wed",
        start_time=time(18), end_time=time(20), cost_pence=0,
    )  # fmt: skip
    group_no = make_group(
        app, org, no, interests=["social"], audiences=["parents"], weekday="mon",
        start_time=time(10), end_time=time(11), cost_pence=300,
    )  # fmt: skip
    return {"space_yes": yes, "space_no": no, "group_yes": group_yes, "group_no": group_no}


@pytest.mark.parametrize(
    "query",
    [
        {"interest": "music"},
        {"audience": "carers"},
        {"day": "wed"},
        {"day": ["wed", "thu"]},
        {"time_of_day": "evening"},
        {"free": "true"},
        {"step_free": "1"},
    ],
    ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()),
)
def test_filter_keeps_only_what_passes_it(client, two_choices, query):
    ids = _kinds_ids(_api(client, postcode=POSTCODE, **query))
    assert ids == [("group", two_choices["group_yes"]), ("space", two_choices["space_yes"])]


@pytest.mark.parametrize("start, part", [(time(11, 59), "morning"), (time(12), "afternoon"), (time(17), "evening")])  # fmt: skip
def test_time_of_day_is_judged_by_start_time(app, client, start, part):
    add_postcode(app)
    org = make_organisation(app)
    group = make_group(app, org, space_at(app, org, 0.2), start_time=start, end_time=time(21))
    for choice in ("morning", "afternoon", "evening"):
        ids = _kinds_ids(_api(client, postcode=POSTCODE, what="group", time_of_day=choice))
        assert (ids == [("group", group)]) == (choice == part), choice


def test_what_chooses_the_kinds_shown(client, two_choices):
    assert _kinds_ids(_api(client, postcode=POSTCODE, what="space")) == [
        ("space", two_choices["space_yes"]),
        ("space", two_choices["space_no"]),
    ]


def test_online_groups_are_counted_with_a_link_not_listed(app, client, two_choices):
    org = make_organisation(app)
    online = make_group(app, org, None, interests=["music"])
    make_group(app, org, None, interests=["social"])
    body = _api(client, postcode=POSTCODE, interest="music")
    assert ("group", online) not in _kinds_ids(body)
    assert body["online_groups"] == {"count": 1, "url": "/groups/?interest=music&online=true"}
    html = client.get("/nearby", query_string={"postcode": POSTCODE, "interest": "music"})
    assert "1 group meets online only" in html.get_data(as_text=True)
    linked = client.get(body["online_groups"]["url"]).get_data(as_text=True)
    assert f"/groups/{online}" in linked and linked.count('class="card"') == 1


def test_results_come_in_pages(app, client):
    add_postcode(app)
    org = make_organisation(app)
    spaces = [space_at(app, org, km) for km in (0.1, 0.2, 0.3, 0.4, 0.5)]
    pages = [_api(client, postcode=POSTCODE, page=n, page_size=2) for n in (1, 2, 3)]
    assert [item["id"] for body in pages for item in body["items"]] == spaces
    assert pages[0]["pagination"] == {"page": 1, "page_size": 2, "total": 5, "pages": 3}
    html = client.get("/nearby", query_string={"postcode": POSTCODE, "page_size": 2, "page": 2})
    assert 'rel="next"' in html.get_data(as_text=True) and 'rel="prev"' in html.get_data(
        as_text=True
    )


def test_nothing_near_says_so_and_counts_a_wider_search(client, area):
    body = _api(client, lat=str(ORIGIN[0]), lon=str(ORIGIN[1] + 0.5))  # about 34 km west
    assert body["items"] == [] and body["explanation"]["wider_count"] == 0
    body = _api(client, postcode=POSTCODE, radius_km="0.2")
    explanation = body["explanation"]
    assert explanation["wider_radius_km"] == 0.5 and explanation["wider_count"] == 2
    assert explanation["message"] == (
        f"There is nothing on the register within 0.2 km of {POSTCODE}. "
        "Within 0.5 km there are 2: widen the search."
    )


def test_page_links_to_the_wider_search(client, area):
    html = client.get("/nearby", query_string={"postcode": POSTCODE, "radius_km": "0.2"})
    assert 'href="/nearby?postcode=ZZ1+1AA&amp;radius_km=0.5"' in html.get_data(as_text=True)


def test_nothing_matching_the_filters_says_how_many_are_near(client, area):
    body = _api(client, postcode=POSTCODE, interest="music", day="sun")
    assert body["explanation"]["unfiltered_count"] == 4
    assert body["explanation"]["message"].startswith(
        f"Nothing within 2 km of {POSTCODE} matches your choices, though 4 groups and spaces "
        "are within 2 km: try removing some of your choices."
    )
    html = client.get("/nearby", query_string={"postcode": POSTCODE, "interest": "music"})
    assert 'href="/nearby?postcode=ZZ1+1AA">Search again without your choices' in html.get_data(
        as_text=True
    )


def test_offers_show_kind_first_name_and_an_approximate_distance(app, client):
    add_postcode(app)
    offer = offer_at(app, 0.7, 45, first_name="Winifred", last_name="Secretname")
    body = _api(client, postcode=POSTCODE, what="offer")
    [item] = body["items"]
    assert (item["kind"], item["id"], item["name"], item["offered_by"]) == (
        "offer", offer, "Shopping", "Winifred",
    )  # fmt: skip
    assert item["latitude"] is None and item["longitude"] is None and item["approximate"]
    assert item["distance_km"] in (0.5, 1.0, 1.5) and item["url"] is None


def test_offers_never_reveal_the_home(app, client):
    add_postcode(app)
    offer_at(
        app, 0.7, 45, first_name="Winifred", last_name="Secretname",
        address="9 Hidden Lane", postcode="ZZ1 9HL", phone="07700 900123",
    )  # fmt: skip
    with app.app_context():
        from betterway_map.extensions import db
        from betterway_map.people.models import Person

        person = db.session.query(Person).one()
        home = (f"{person.latitude:.4f}", f"{person.longitude:.4f}")
    for url in ("/api/v1/nearby", "/nearby"):
        text = client.get(url, query_string={"postcode": POSTCODE, "what": "offer"}).get_data(
            as_text=True
        )
        assert "Winifred" in text
        for secret in ("Secretname", "Hidden Lane", "ZZ1 9HL", "07700", *home):
            assert secret not in text


def test_closed_offers_requests_and_far_offers_are_not_shown(app, client):
    add_postcode(app)
    offer_at(app, 0.5, status="closed")
    offer_at(app, 0.5, direction="request")
    offer_at(app, 5.0)
    assert _api(client, postcode=POSTCODE, what="offer")["items"] == []


def test_offers_are_shown_only_when_asked_for(app, client, area):
    offer_at(app, 0.2)
    assert {item["kind"] for item in _api(client, postcode=POSTCODE)["items"]} == {"group", "space"}


def _next_link(page: str) -> str:
    import html as html_module

    return html_module.unescape(re.search(r'<a href="([^"]+)" rel="next"', page).group(1))


def test_the_next_page_keeps_every_value_of_every_filter(app, client):
    """Two days and two kinds chosen: the next page must search for the same
    things (it used to keep only the first value of each: fewer results)."""
    add_postcode(app)
    org = make_organisation(app)
    for n in range(3):  # groups on Monday and on Wednesday, and offers
        space = space_at(app, org, 0.1 + n / 10)
        make_group(app, org, space, weekday="mon", name=f"Monday club {n}")
        make_group(app, org, space, weekday="wed", name=f"Wednesday club {n}")
        offer_at(app, 0.2 + n / 10)
    query = [
        ("postcode", POSTCODE),
        ("day", "mon"),
        ("day", "wed"),
        ("what", "group"),
        ("what", "offer"),
        ("page_size", "2"),
    ]
    first = client.get("/nearby", query_string=query).get_data(as_text=True)
    total = re.search(r"(\d+) results", first).group(1)
    assert total == "9"
    link = _next_link(first)
    for pair in ("day=mon", "day=wed", "what=group", "what=offer", "page=2"):
        assert pair in link, link
    second = client.get(link).get_data(as_text=True)
    assert re.search(r"(\d+) results", second).group(1) == total
    assert "page 2 of 5" in second.lower() or "Page 2 of 5" in second


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/groups/", [("interest", "arts_crafts"), ("page_size", "1"), ("online", "false")]),
        ("/organisations/", [("q", "trust"), ("page_size", "1")]),
        ("/spaces/", [("step_free", "true"), ("page_size", "1")]),
    ],
)
def test_register_lists_keep_their_filters_on_the_next_page(app, client, path, query):
    org = make_organisation(app, name="A Trust")
    make_organisation(app, name="B Trust")
    for n in range(2):
        space = make_space(app, org, name=f"Hall {n}")
        make_group(app, org, space, interests=["arts_crafts"], name=f"Art club {n}")
    page = client.get(path, query_string=query).get_data(as_text=True)
    link = _next_link(page)
    for name, value in query:
        assert f"{name}={value}" in link, link


def test_a_residents_search_starts_from_their_own_postcode(app, signed_in):
    add_postcode(app)
    org = make_organisation(app)
    space_at(app, org, 0.3, name="Corner Hall")
    client, user_id = signed_in("resident")
    from tests.factories.people import make_person

    make_person(app, first_name="Rita", user_id=user_id, postcode=POSTCODE)
    page = client.get("/nearby").get_data(as_text=True)
    assert f"<strong>{POSTCODE}</strong>" in page and "Corner Hall" in page
    assert "Corner Hall" not in app.test_client().get("/nearby").get_data(as_text=True)


def test_a_group_for_everyone_is_found_by_whoever_it_is_for(app, client):
    """ "Everyone" is the unfiltered choice on the page; a group open to
    everyone is also a group for carers, parents and older people."""
    add_postcode(app)
    org = make_organisation(app)
    space = space_at(app, org, 0.5)
    for_everyone = make_group(app, org, space, audiences=["everyone"], name="Open Cafe")
    for_parents = make_group(app, org, space, audiences=["parents"], name="Toddler Group")
    found = {
        item["id"]
        for item in _api(client, postcode=POSTCODE, audience="carers", what="group")["items"]
    }
    assert found == {for_everyone}
    page = client.get("/nearby").get_data(as_text=True)
    select = page.split('name="audience"')[1].split("</select>")[0]
    assert "Everyone (all groups)" in select and ">Everyone<" not in select
    assert for_parents not in found
