"""The nearby map builder (pure: plain data in, folium parts out)."""

from __future__ import annotations

import html
import os
import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from geopy.distance import geodesic

from betterway_map.maps.nearby_map import CLUSTER_RADIUS_PX, build_nearby_map, circle_bounds
from betterway_map.maps.tiles import OPENSTREETMAP

ORIGIN = (51.5, -0.1)
SSTI = "{{ cycler.__init__.__globals__.os.getcwd() }}"
HOSTILE = [
    SSTI,
    "{% for x in range(3) %}loop{% endfor %}",
    "{# a Jinja comment #}",
    "`; alert('tick'); `",
    "${alert(document.cookie)}",
    "</script><script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "Quote \" and apostrophe ' and back\\slash \\` \\${x}",
]


def item(number=1, kind="group", name="Lunch club", lat=51.501, lon=-0.099, **extra):
    values = dict(
        kind=kind,
        id=number,
        name=name,
        latitude=lat,
        longitude=lon,
        distance_km=0.4,
        where="Eastbrook Hall, 1 High Street",
        next_meeting=datetime(2030, 3, 5, 10, 30),
        step_free=True,
        cost_label="Free",
        url=f"/{kind}s/{number}",
    )
    values.update(extra)
    return SimpleNamespace(**values)


def build(items, **kw):
    return build_nearby_map(*ORIGIN, "ZZ1 1AA", 2.0, items, **kw)


def popups(script: str) -> list[str]:
    return re.findall(r"\.bindPopup\(`(.*?)`,", script, flags=re.S)


def tooltips(script: str) -> list[str]:
    return [t.strip() for t in re.findall(r"\.bindTooltip\(\s*`<div>(.*?)</div>`", script, re.S)]


def test_one_marker_per_located_result_with_its_popup_and_tooltip():
    parts = build([item(1), item(2, kind="space", name="Eastbrook Hall", lat=51.49)])
    assert parts.marker_count == 2
    assert parts.script.count("L.marker(") == 2
    assert len(popups(parts.script)) == 2
    # The origin's tooltip, then one per marker.
    assert tooltips(parts.script) == ["Search centre: ZZ1 1AA", "Lunch club", "Eastbrook Hall"]


def test_popup_says_name_kind_distance_next_meeting_and_links_to_the_page():
    (popup,) = popups(build([item(7)]).script)
    text = html.unescape(re.sub(r"<[^>]+>", " ", popup))
    for expected in (
        "Lunch club",
        "Group, 0.4 km away",
        "Eastbrook Hall, 1 High Street",
        "Next meeting: Tuesday 5 March 2030, 10:30am",
        "Step-free access",
        "Free",
    ):
        assert expected in text
    assert '<a href="/groups/7">More about Lunch club</a>' in popup


@pytest.mark.parametrize(
    "url", ["javascript:alert(1)", "//evil.example/x", "https://evil.example", None]
)
def test_popup_links_only_to_pages_of_this_site(url):
    (popup,) = popups(build([item(url=url)]).script)
    assert "<a " not in popup


def test_marker_text_gives_the_number_in_the_list_and_fixed_words_only():
    offer = item(2, kind="offer", lat=None, lon=None)
    script = build_nearby_map(
        *ORIGIN, "here", 2.0, [item(1, name=SSTI), offer, item(3)], first_number=21
    ).script
    assert re.findall(r'"alt": "([^"]*)"', script) == [
        "Group, number 21 in the list",
        "Group, number 23 in the list",
    ]


def test_offers_are_never_drawn_even_when_given_coordinates():
    offer = item(3, kind="offer", name="Shopping help from Ann", lat=51.502, lon=-0.098)
    parts = build([item(1), offer])
    assert parts.marker_count == 1
    assert "Ann" not in parts.script
    assert "51.502" not in parts.script


def test_results_without_coordinates_are_not_drawn():
    parts = build([item(1, lat=None, lon=None), item(2)])
    assert parts.marker_count == 1
    assert parts.script.count("L.marker(") == 1


def test_origin_is_marked_apart_from_results_and_radius_drawn_in_metres():
    script = build([item()]).script
    assert re.search(
        r"L\.circleMarker\(\s*\[51\.5, -0\.1\],[^)]*\"className\": \"map-origin\"", script
    )
    assert re.search(r"L\.circle\(\s*\[51\.5, -0\.1\],[^)]*\"className\": \"map-radius\"", script)
    assert '"radius": 2000.0' in script


@pytest.mark.parametrize(("count", "clustered"), [(0, False), (1, False), (2, True), (40, True)])
def test_two_or_more_markers_go_through_the_clusterer(count, clustered):
    """The clusterer gathers only markers that would overlap on the screen;
    one marker has nothing to overlap."""
    items = [item(n, lat=51.5 + n / 1000) for n in range(1, count + 1)]
    parts = build(items)
    assert parts.clustered is clustered
    assert ("L.markerClusterGroup(" in parts.script) is clustered
    assert parts.marker_count == count


def test_only_markers_that_would_overlap_are_gathered():
    script = build([item(1), item(2, lat=51.51)]).script
    assert f'"maxClusterRadius": {CLUSTER_RADIUS_PX}' in script


def test_map_is_framed_to_the_radius():
    script = build([]).script
    (south, west), (north, east) = circle_bounds(*ORIGIN, 2.0)
    match = re.search(
        r"fitBounds\(\[\[([-\d.]+), ([-\d.]+)\], \[([-\d.]+), ([-\d.]+)\]\],\s+"
        r"bwClearOfControls\(\w+, \{\"animate\": false\}\)\)",
        script,
    )
    assert match
    assert [float(v) for v in match.groups()] == pytest.approx([south, west, north, east])


@pytest.mark.parametrize("lat", [49.9, 52.0, 55.0, 60.8])
@pytest.mark.parametrize("radius_km", [0.1, 2.0, 50.0])
def test_frame_contains_the_whole_geodesic_circle(lat, radius_km):
    (south, west), (north, east) = circle_bounds(lat, -2.0, radius_km)
    for bearing in range(0, 360, 5):
        point = geodesic(kilometers=radius_km).destination((lat, -2.0), bearing)
        assert south <= point.latitude <= north
        assert west <= point.longitude <= east


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_names_execute_nothing_and_stay_inside_their_strings(text):
    hostile = item(1, name=text, where=text, cost_label=text)
    parts = build([hostile, item(2, kind="space", name=text)])
    page = parts.html + parts.script
    assert os.getcwd() not in page
    assert "looplooploop" not in page
    assert "<script" not in parts.script and "<img" not in parts.script
    # Backticks only open and close the literals we wrote: two per tooltip
    # (the origin's and two markers') and two per popup.
    assert parts.script.count("`") == 2 * 3 + 2 * 2
    assert "${" not in parts.script
    for popup in popups(parts.script):
        assert text in html.unescape(popup)
    assert [html.unescape(t) for t in tooltips(parts.script)[1:]] == [text, text]


def test_origin_label_is_escaped_too():
    parts = build_nearby_map(*ORIGIN, SSTI, 1.0, [])
    assert os.getcwd() not in parts.script
    assert tooltips(parts.script) == [
        "Search centre: &#123;&#123; cycler.__init__.__globals__.os.getcwd() &#125;&#125;"
    ]


@pytest.mark.parametrize("tiles", [None, OPENSTREETMAP])
def test_no_asset_is_fetched_from_another_site(tiles):
    parts = build([item(n, lat=51.5 + n / 1000) for n in range(1, 15)], tiles=tiles)
    urls = set(re.findall(r"https?://[^\s\"'`]+", parts.html + parts.script))
    assert urls == ({tiles.url_template} if tiles else set())


def test_tiles_carry_their_attribution():
    script = build([], tiles=OPENSTREETMAP).script
    assert '"attribution": "\\u00a9 OpenStreetMap contributors"' in script
    assert "L.tileLayer(" not in build([]).script


@pytest.mark.parametrize(
    ("lat", "lon", "radius_km", "message"),
    [
        (91, 0, 1, "latitude is 91"),
        ("north", 0, 1, "latitude is 'north'"),
        (51, float("nan"), 1, "longitude is nan"),
        (51, 0, -1, "radius in km is -1"),
    ],
)
def test_bad_origin_or_radius_is_refused_with_the_value(lat, lon, radius_km, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        build_nearby_map(lat, lon, "here", radius_km, [])
