"""Fetching a calendar from an address an admin gives: only when the site
allows it, only http(s) (webcal is https), only public addresses (checked
for every address the name resolves to, and again after each redirect),
connected to the address that was checked, within size and time limits.

Offline: names are resolved by a stand-in, and the one real connection is
to a server on this machine, reached through the same connection class.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from betterway_map.errors import InvalidInput
from betterway_map.interop.calendars.imports import fetching
from betterway_map.interop.calendars.imports.fetching import FetchSettings, fetch_calendar

ON = FetchSettings(enabled=True, max_bytes=1000, timeout_seconds=5)
PUBLIC = "93.184.215.14"
CALENDAR = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


class _Response:
    def __init__(self, status=200, body=b"", headers=None, reason="OK"):
        self.status, self.reason = status, reason
        self._body, self._headers = body, headers or {}

    def getheader(self, name):
        return self._headers.get(name)

    def read(self, size):
        chunk, self._body = self._body[:size], self._body[size:]
        return chunk


class _Site:
    """A stand-in for the internet: answers by path, records each connection."""

    def __init__(self, answers):
        self.answers, self.connections = answers, []

    def __call__(self, scheme, host, address, port, timeout):
        site = self

        class Connection:
            def request(self, method, path, headers):
                site.connections.append((scheme, host, address, port, path))
                self.path = path

            def getresponse(self):
                return site.answers[self.path]

            def close(self):
                pass

        return Connection()


def _fetch(url, answers=None, addresses=(PUBLIC,), settings=ON):
    site = _Site(answers or {"/cal.ics": _Response(body=CALENDAR)})
    body = fetch_calendar(url, settings, resolve=lambda host, port: list(addresses), connect=site)
    return body, site


def _refused(url, message, **options):
    with pytest.raises(InvalidInput) as refused:
        _fetch(url, **options)
    assert message in refused.value.message
    assert list(refused.value.errors) == ["url"]


def test_nothing_is_fetched_while_the_site_does_not_allow_it():
    _refused(
        "https://calendar.example.org/cal.ics",
        "This site does not fetch calendars from other sites (CALENDAR_FETCH is off)",
        settings=FetchSettings(enabled=False, max_bytes=1000, timeout_seconds=5),
    )


def test_a_public_address_is_fetched_from_the_address_that_was_checked():
    body, site = _fetch("https://calendar.example.org/cal.ics")
    assert body == CALENDAR
    assert site.connections == [("https", "calendar.example.org", PUBLIC, 443, "/cal.ics")]


def test_webcal_is_https():
    _, site = _fetch("webcal://calendar.example.org/cal.ics")
    assert site.connections[0][0] == "https"


@pytest.mark.parametrize(
    "url", ["ftp://example.org/cal.ics", "file:///etc/passwd", "javascript:alert(1)", "cal.ics"]
)
def test_only_web_addresses_are_fetched(url):
    _refused(url, "is not a web address: give one that starts with https://")


def test_an_address_with_a_password_in_it_is_refused():
    _refused("https://ada:secret@calendar.example.org/cal.ics", "without a user name or password")


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata
        "100.64.0.1",  # shared address space
        "0.0.0.0",  # noqa: S104 (an address to refuse, not one to bind)
        "::1",
        "fd00::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_an_address_that_is_not_on_the_public_internet_is_refused(address):
    _refused(
        "https://calendar.example.org/cal.ics",
        "'calendar.example.org' is not on the public internet",
        addresses=(address,),
    )


def test_a_name_that_resolves_to_a_private_address_among_public_ones_is_refused():
    _refused(
        "https://calendar.example.org/cal.ics",
        "is not on the public internet",
        addresses=(PUBLIC, "10.0.0.1"),
    )


def test_a_redirect_is_followed_and_checked_again():
    answers = {
        "/old.ics": _Response(301, headers={"Location": "/cal.ics"}),
        "/cal.ics": _Response(body=CALENDAR),
    }
    body, site = _fetch("https://calendar.example.org/old.ics", answers)
    assert body == CALENDAR and [c[4] for c in site.connections] == ["/old.ics", "/cal.ics"]
    inward = {"/old.ics": _Response(302, headers={"Location": "http://localhost/admin"})}
    resolved = {"calendar.example.org": [PUBLIC], "localhost": ["127.0.0.1"]}
    with pytest.raises(InvalidInput, match="'localhost' is not on the public internet"):
        fetch_calendar(
            "https://calendar.example.org/old.ics",
            ON,
            resolve=lambda host, port: resolved[host],
            connect=_Site(inward),
        )


def test_endless_redirects_are_refused():
    answers = {"/cal.ics": _Response(302, headers={"Location": "/cal.ics"})}
    _refused("https://calendar.example.org/cal.ics", "redirects more than 3 times", answers=answers)


def test_an_error_answer_is_refused_naming_it():
    answers = {"/cal.ics": _Response(404, reason="Not Found")}
    _refused(
        "https://calendar.example.org/cal.ics",
        "calendar.example.org answered 404 Not Found",
        answers=answers,
    )


@pytest.mark.parametrize(
    "response",
    [
        _Response(body=b"x" * 10, headers={"Content-Length": "5000"}),
        _Response(body=b"x" * 5000),
    ],
    ids=["says it is too big", "is too big without saying so"],
)
def test_a_calendar_larger_than_the_limit_is_refused(response):
    _refused(
        "https://calendar.example.org/cal.ics",
        "is larger than 0.001 MB",
        answers={"/cal.ics": response},
    )


def test_a_site_that_sends_too_slowly_is_refused(monkeypatch):
    clock = iter(range(0, 1000, 3))
    monkeypatch.setattr(fetching.time, "monotonic", lambda: next(clock))
    _refused(
        "https://calendar.example.org/cal.ics",
        "took longer than 5 seconds",
        answers={"/cal.ics": _Response(body=b"x" * 900)},
        settings=FetchSettings(enabled=True, max_bytes=100_000, timeout_seconds=5),
    )


class _Handler(BaseHTTPRequestHandler):
    seen: list = []

    def do_GET(self):
        _Handler.seen.append((self.path, self.headers["Host"], self.headers["User-Agent"]))
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar")
        self.send_header("Content-Length", str(len(CALENDAR)))
        self.end_headers()
        self.wfile.write(CALENDAR)

    def log_message(self, *args):
        pass


def test_the_connection_is_made_to_the_checked_address_with_the_sites_name():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:

        def to_this_machine(scheme, host, address, port, timeout):
            assert (scheme, host, address) == ("http", "calendar.example.org", PUBLIC)
            return fetching._connect(scheme, host, "127.0.0.1", server.server_port, timeout)

        body = fetch_calendar(
            "http://calendar.example.org/club/cal.ics?key=abc",
            ON,
            resolve=lambda host, port: [PUBLIC],
            connect=to_this_machine,
        )
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
    assert body == CALENDAR
    assert _Handler.seen == [
        ("/club/cal.ics?key=abc", f"calendar.example.org:{server.server_port}", fetching.USER_AGENT)
    ]


def test_the_upload_page_imports_from_an_address_when_fetching_is_on(app, client, monkeypatch):
    import html

    from betterway_map.interop.calendars.imports import service
    from tests.conftest import csrf_token, login, make_user
    from tests.factories.calendars import upcoming_calendar
    from tests.factories.organisations import make_organisation

    admin = make_user(app, "org_admin")
    organisation = make_organisation(app, admin, name="Eastbrook Friends")
    login(client, app, admin)
    monkeypatch.setitem(app.config, "CALENDAR_FETCH", True)
    asked = []

    def fetched(url, settings):
        asked.append((url, settings.enabled))
        return upcoming_calendar()

    monkeypatch.setattr(service, "fetch_calendar", fetched)
    url = "https://calendar.example.org/club.ics"
    page = client.get(f"/organisations/{organisation}/calendar/import").get_data(as_text=True)
    assert 'name="url"' in page
    answer = client.post(
        f"/organisations/{organisation}/calendar/import",
        data={"url": url, "csrf_token": csrf_token(client)},
        content_type="multipart/form-data",
    )
    assert answer.status_code == 200 and asked == [(url, True)]
    page = html.unescape(answer.get_data(as_text=True))
    assert f"{url}: read 4 records" in page and "created: 1 events, 1 groups;" in page
