"""The map on the real nearby search page, rendered by the server.

Groups and spaces with hostile names are stored in the database and found
by a postcode search; the page must execute none of it (the server's working
directory never appears), show it escaped, and ask no other site for
anything. The same page in a real browser is in tests/browser/.
"""

from __future__ import annotations

import html
import os
import re

import pytest

from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint
from tests.factories.maps import needs_assets
from tests.factories.organisations import make_group, make_organisation, make_space

POSTCODE, ORIGIN = "ZZ9 9ZZ", (51.60, -0.30)
HOSTILE = [
    "{{ cycler.__init__.__globals__.os.getcwd() }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{# comment #} and `backticks`",
    "${alert(document.cookie)}",
    "</script><script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "Quote \" apostrophe ' back\\slash",
]


def seed(app, names, spread_km=0.3):
    with app.app_context():
        db.session.add(PostcodePoint(postcode=POSTCODE, latitude=ORIGIN[0], longitude=ORIGIN[1]))
        db.session.commit()
    org = make_organisation(app)
    for n, name in enumerate(names):
        lat = ORIGIN[0] + (n + 1) * spread_km / 111.2 / len(names)
        space = make_space(app, org, name=name, address=name, latitude=lat, longitude=ORIGIN[1])
        make_group(app, org, space_id=space, name=name)


def map_section(page: str) -> str:
    match = re.search(r'<section class="nearby-map".*?</section>', page, re.S)
    assert match, "no map on the page"
    return match.group(0)


def get_search(client, query=f"postcode={POSTCODE}&radius_km=2"):
    response = client.get(f"/nearby?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return response


@needs_assets
def test_hostile_names_from_the_database_execute_nothing_and_show_escaped(app, client):
    seed(app, HOSTILE)
    page = get_search(client).get_data(as_text=True)
    assert os.getcwd() not in page
    assert "looplooploop" not in page
    script = re.search(r"<script nonce=\"[^\"]+\">(.*?)</script>", map_section(page), re.S).group(1)
    popups = re.findall(r"\.bindPopup\(`(.*?)`,", script, re.S)
    assert len(popups) == 2 * len(HOSTILE)
    shown = {html.unescape(re.search(r"<strong>(.*?)</strong>", p).group(1)) for p in popups}
    assert shown == set(HOSTILE)
    assert "${" not in script and "<script" not in script and "<img" not in script


@needs_assets
def test_map_script_runs_under_the_pages_csp_nonce(app, client):
    seed(app, ["Lunch club"])
    response = get_search(client)
    nonce = re.search(r"<script nonce=\"([^\"]+)\">", response.get_data(as_text=True)).group(1)
    policy = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' 'nonce-{nonce}';" in policy
    assert "unsafe-inline" not in policy


@needs_assets
def test_page_asks_no_other_site_for_anything(app, client):
    seed(app, ["Lunch club", "Choir"])
    page = get_search(client).get_data(as_text=True)
    assets = re.findall(r'<(?:script|link|img)\b[^>]*(?:src|href)="([^"]+)"', page)
    assert assets and all(url.startswith("/") and not url.startswith("//") for url in assets)
    # MAP_TILES is "none" in the tests: no outside URL anywhere in the map.
    assert not re.search(r"https?://", map_section(page))


@needs_assets
def test_map_shows_the_same_places_as_the_list(app, client):
    seed(app, ["Lunch club", "Choir", "Walk"])
    section = map_section(get_search(client).get_data(as_text=True))
    assert "The map shows the same 6 places as the list." in section
    assert section.count("L.marker(") == 6


@needs_assets
def test_markers_are_numbered_as_the_list_is_on_later_pages(app, client):
    seed(app, [f"Club {n}" for n in range(6)])
    page = get_search(client, f"postcode={POSTCODE}&radius_km=2&page=2&page_size=5")
    alts = re.findall(r'"alt": "[A-Za-z]+, number (\d+) in the list"', page.get_data(as_text=True))
    assert alts == [str(n) for n in range(6, 11)]


@needs_assets
def test_before_a_search_only_the_map_to_drop_a_pin_on(client):
    page = client.get("/nearby").get_data(as_text=True)
    assert "nearby-map" not in page  # no map of results before there are any
    assert 'id="pin-map"' in page and "Use the middle of the map" in page
    assert "/vendor/leaflet/leaflet.js" in page and "markercluster.js" not in page


@needs_assets
def test_an_unknown_postcode_offers_the_map_to_drop_a_pin_on(client):
    page = client.get("/nearby?postcode=ZZ9+9ZY").get_data(as_text=True)
    assert "drop a pin on the map" in page
    assert 'id="pin-map"' in page
    assert re.search(r'<details class="nearby-more" open>', page)


@needs_assets
def test_the_pin_map_starts_at_the_middle_of_the_spaces(app, client):
    org = make_organisation(app)
    make_space(app, org, latitude=51.0, longitude=-1.0)
    make_space(app, org, latitude=52.0, longitude=-2.0)
    page = client.get("/nearby").get_data(as_text=True)
    assert 'data-lat="51.5" data-lon="-1.5" data-zoom="13"' in page


@pytest.mark.parametrize("query", ["postcode=ZZ9+9ZY", "postcode=not-a-postcode", "radius_km=500"])
def test_no_map_when_the_search_fails(client, query):
    response = client.get(f"/nearby?{query}")
    assert response.status_code == 400
    assert "nearby-map" not in response.get_data(as_text=True)
