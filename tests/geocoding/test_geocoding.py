"""The geocoding chain: gazetteer first, the online geocoder only where configured."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.locate import locate, place_at
from betterway_map.geocoding.models import GeocodeCache, PostcodePoint

POINTS = {
    "ZZ1 1AA": (52.0, -1.0),
    "ZZ1 1AB": (52.002, -1.004),
    "ZZ1 2AA": (52.01, -1.02),
    "ZZ11 1AA": (53.0, -2.0),  # another district whose code starts "ZZ1"
}


@pytest.fixture()
def gazetteer(app_ctx):
    for postcode, (lat, lon) in POINTS.items():
        db.session.add(
            PostcodePoint(postcode=postcode, latitude=lat, longitude=lon, fictional=True)
        )
    db.session.commit()


@pytest.mark.parametrize("typed", ["ZZ1 1AA", "zz11aa", "  Zz1   1aa "])
def test_a_full_postcode_is_found_exactly_in_any_case_and_spacing(gazetteer, typed):
    place = locate(typed)
    assert (place.latitude, place.longitude, place.precision) == (52.0, -1.0, "postcode")
    assert place.label == "ZZ1 1AA" and place.fictional


def test_a_sector_falls_back_to_the_centroid_of_its_postcodes(gazetteer):
    place = locate("ZZ1 1")
    assert place.precision == "sector"
    assert place.latitude == pytest.approx(52.001)
    assert place.longitude == pytest.approx(-1.002)


def test_an_outcode_is_the_centroid_of_its_own_postcodes_only(gazetteer):
    """ZZ11 1AA starts with "ZZ1" but is another district: it must not count."""
    place = locate("zz1")
    assert place.precision == "outcode"
    assert place.latitude == pytest.approx((52.0 + 52.002 + 52.01) / 3)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Type a postcode"),
        ("not a postcode", "is not a UK postcode"),
        ("ZZ9 9ZZ", "not in our postcode list"),
        ("ZZ9", "not in our postcode list"),
        ("x" * 201, "at most 200"),
    ],
)
def test_unknown_or_malformed_text_is_refused_with_the_reason(gazetteer, typed, message):
    with pytest.raises(InvalidInput) as caught:
        locate(typed)
    assert message in caught.value.errors["postcode"][0]


@pytest.mark.parametrize(
    ("lat", "lon", "field"),
    [
        ("91", "0", "lat"),
        ("51", "181", "lon"),
        ("abc", "0", "lat"),
        ("nan", "0", "lat"),
        (None, "0", "lat"),
    ],
)
def test_coordinates_are_checked(lat, lon, field):
    with pytest.raises(InvalidInput) as caught:
        place_at(lat, lon)
    assert field in caught.value.errors


def test_coordinates_make_a_place():
    place = place_at("51.5", "-0.12")
    assert (place.latitude, place.longitude, place.precision) == (51.5, -0.12, "coordinates")


class _FakeNominatim(BaseHTTPRequestHandler):
    """A local stand-in for a Nominatim server, answering real HTTP."""

    requests: list = []

    def do_GET(self):  # noqa: N802 (http.server's name)
        query = parse_qs(urlsplit(self.path).query)
        type(self).requests.append((self.headers.get("User-Agent"), query))
        answer = []
        if query.get("q") == ["Eastbrook Library"]:
            answer = [
                {
                    "lat": "52.1",
                    "lon": "-1.1",
                    "display_name": "Eastbrook Library, Eastbrook",
                    "place_id": 1,
                    "osm_type": "node",
                    "osm_id": 1,
                    "boundingbox": [],
                }
            ]
        body = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture()
def nominatim(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeNominatim)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _FakeNominatim.requests = []
    saved = dict(app.config)
    app.config.update(
        GEOCODER="nominatim",
        GEOCODER_USER_AGENT="better-way-map tests (tests@example.org)",
        GEOCODER_DOMAIN=f"127.0.0.1:{server.server_address[1]}",
        GEOCODER_SCHEME="http",
        GEOCODER_MIN_DELAY_SECONDS=0.01,
    )
    app.extensions.pop("bwm_geocoder", None)
    yield _FakeNominatim.requests
    app.config.clear()
    app.config.update(saved)
    app.extensions.pop("bwm_geocoder", None)
    server.shutdown()
    server.server_close()


def test_the_online_geocoder_is_asked_only_when_configured_and_answers_are_cached(
    app, app_ctx, nominatim
):
    place = locate("Eastbrook Library")
    assert (place.latitude, place.longitude, place.precision) == (52.1, -1.1, "geocoder")
    assert locate("eastbrook   library").latitude == 52.1  # from the cache
    assert len(nominatim) == 1
    agent, query = nominatim[0]
    assert agent == "better-way-map tests (tests@example.org)"
    assert query["countrycodes"] == ["gb"]
    assert db.session.get(GeocodeCache, "eastbrook library").label.startswith("Eastbrook")


def test_not_found_online_is_cached_too_and_still_a_clear_error(app, app_ctx, nominatim):
    for _ in range(2):
        with pytest.raises(InvalidInput, match="not a UK postcode"):
            locate("Nowhere Street")
    assert len(nominatim) == 1


def test_the_gazetteer_comes_before_the_online_geocoder(app, gazetteer, nominatim):
    assert locate("ZZ1 1AA").precision == "postcode"
    assert nominatim == []


def test_switched_on_without_a_user_agent_is_a_configuration_error(app, app_ctx, nominatim):
    from betterway_map.geocoding.online import GeocoderConfigurationError

    app.config["GEOCODER_USER_AGENT"] = ""
    app.extensions.pop("bwm_geocoder", None)
    with pytest.raises(GeocoderConfigurationError, match="user agent|GEOCODER_USER_AGENT"):
        locate("Somewhere Else")
