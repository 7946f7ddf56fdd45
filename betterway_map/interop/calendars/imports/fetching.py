"""Fetching a calendar from a web address an organisation admin gives.

Only when the site allows it (``CALENDAR_FETCH``, off by default and in
tests), and only from the public internet: the address must be ``http`` or
``https`` (``webcal://``, which calendar programs publish, is ``https``),
without a user name or password, and every address its host name resolves
to must be a global one — never loopback, private, link-local, shared or
reserved — so that an admin cannot make the server read itself or the
network it sits in. The connection is made to the address that was checked
(not to a name looked up again, which could answer differently), with the
host name kept for TLS and ``Host``. Redirects are followed a few times,
each checked the same way. The answer is read up to ``max_bytes`` and for
``timeout_seconds`` in all; anything else is refused with a message naming
the address and what is accepted.

The standard library's ``http.client`` does the HTTP; ``resolve`` and
``connect`` can be replaced (tests do, to stay offline).
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from betterway_map.errors import InvalidInput

__all__ = ["FetchSettings", "fetch_calendar", "USER_AGENT"]

USER_AGENT = "BetterWayMap-calendar-import/1.0"
_REDIRECTS = (301, 302, 303, 307, 308)


@dataclass(frozen=True)
class FetchSettings:
    enabled: bool
    max_bytes: int
    timeout_seconds: float
    max_redirects: int = 3


def _refuse(message: str):
    raise InvalidInput(message, {"url": [message]})


def _resolve(host: str, port: int) -> list[str]:
    return [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]


class _PinnedHTTPS(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with the host name for TLS."""

    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTP(http.client.HTTPConnection):
    def __init__(self, host: str, address: str, port: int, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


def _connect(scheme: str, host: str, address: str, port: int, timeout: float):
    kind = _PinnedHTTPS if scheme == "https" else _PinnedHTTP
    return kind(host, address, port, timeout)


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _checked(url: str, resolve: Callable) -> tuple[str, str, int, str, str]:
    """(scheme, host, port, address, path) of an address that may be fetched."""
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://") :]
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        _refuse(
            f"{url!r} is not a web address: give one that starts with https:// (or http://, "
            "or webcal://)."
        )
    if parts.username or parts.password:
        _refuse("Give the calendar's address without a user name or password in it.")
    host = parts.hostname
    if not host:
        _refuse(f"{url!r} has no site name in it: give the calendar's whole address.")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        _refuse(f"{url!r} has a port that is not a number from 1 to 65535.")
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        _refuse(f"The site {host!r} cannot be found: check the calendar's address.")
    if not addresses:
        _refuse(f"The site {host!r} cannot be found: check the calendar's address.")
    if not all(_public(address) for address in addresses):
        _refuse(
            f"{host!r} is not on the public internet (it is this server, or a private or "
            "reserved network): calendars are fetched only from public sites."
        )
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return scheme, host, port, addresses[0], path


def fetch_calendar(
    url: str,
    settings: FetchSettings,
    *,
    resolve: Callable[[str, int], list[str]] = _resolve,
    connect: Callable = _connect,
) -> bytes:
    """The body found at ``url``, following redirects; ``InvalidInput`` (on
    the ``url`` field) for anything refused."""
    if not settings.enabled:
        _refuse(
            "This site does not fetch calendars from other sites (CALENDAR_FETCH is off): "
            "export the calendar as an .ics file and upload it instead."
        )
    deadline = time.monotonic() + settings.timeout_seconds
    for _ in range(settings.max_redirects + 1):
        scheme, host, port, address, path = _checked(url.strip(), resolve)
        connection = None
        try:
            connection = connect(scheme, host, address, port, settings.timeout_seconds)
            connection.request(
                "GET",
                path,
                headers={
                    "User-Agent": USER_AGENT,
                    "Accept": "text/calendar, */*;q=0.5",
                    "Accept-Encoding": "identity",
                },
            )
            response = connection.getresponse()
            if response.status in _REDIRECTS and response.getheader("Location"):
                url = urljoin(f"{scheme}://{host}:{port}{path}", response.getheader("Location"))
                continue
            if response.status != 200:
                _refuse(
                    f"{host} answered {response.status} {response.reason} for the calendar's "
                    "address: check it, or export the calendar as an .ics file and upload it."
                )
            return _body(response, host, settings, deadline)
        except (OSError, http.client.HTTPException) as error:
            _refuse(f"The calendar could not be fetched from {host} ({error.__class__.__name__}).")
        finally:
            if connection is not None:
                connection.close()
    _refuse(f"The calendar's address redirects more than {settings.max_redirects} times.")


def _body(response, host: str, settings: FetchSettings, deadline: float) -> bytes:
    limit = settings.max_bytes
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit:
        _too_big(host, limit)
    chunks, size = [], 0
    while True:
        if time.monotonic() > deadline:
            _refuse(
                f"{host} took longer than {settings.timeout_seconds:g} seconds to send the "
                "calendar: export it as an .ics file and upload it instead."
            )
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            _too_big(host, limit)
        chunks.append(chunk)


def _too_big(host: str, limit: int):
    _refuse(
        f"The calendar at {host} is larger than {limit / 1e6:g} MB, the most this site "
        "imports at once."
    )
