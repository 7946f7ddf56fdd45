"""The optional online geocoder: geopy's Nominatim, asked politely, answers cached.

Used by ``geocoding.locate.locate`` only when ``GEOCODER = "nominatim"``
and only for what the gazetteer does not know. Nominatim's usage policy asks
for a real user agent and at most one request a second: geopy's
``RateLimiter`` spaces this process's requests, and a shared limit in the
rate-limit storage (Redis in production) keeps all workers together under
it. Every answer, "not found" included, is cached in ``geocode_cache``, so a
query is asked once.
"""

from __future__ import annotations

import time

from flask import current_app
from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter
from sqlalchemy.exc import IntegrityError

from betterway_map.extensions import db
from betterway_map.geocoding.models import GeocodeCache

__all__ = ["geocode", "GeocoderConfigurationError"]


class GeocoderConfigurationError(RuntimeError):
    """The online geocoder is switched on without what it needs."""


def _cache_key(query: str) -> str:
    return " ".join(query.lower().split())[:200]


def _tools():
    """The geocoder, wrapped in geopy's RateLimiter, and the shared limit: made
    once per application."""
    tools = current_app.extensions.get("bwm_geocoder")
    if tools is not None:
        return tools
    config = current_app.config
    if config["GEOCODER"] != "nominatim":
        raise GeocoderConfigurationError(
            f"GEOCODER is {config['GEOCODER']!r}; the only online geocoder is 'nominatim'."
        )
    agent = config.get("GEOCODER_USER_AGENT", "").strip()
    if not agent:
        raise GeocoderConfigurationError(
            "GEOCODER_USER_AGENT must name this installation and a contact, e.g. "
            "'better-way-map (eastbrook council, gis@example.org)': Nominatim refuses "
            "anonymous clients."
        )
    geocoder = Nominatim(
        user_agent=agent,
        domain=config["GEOCODER_DOMAIN"],
        scheme=config["GEOCODER_SCHEME"],
        timeout=config["GEOCODER_TIMEOUT_SECONDS"],
    )
    limited = RateLimiter(
        geocoder.geocode,
        min_delay_seconds=config["GEOCODER_MIN_DELAY_SECONDS"],
        max_retries=1,
        swallow_exceptions=False,
    )
    storage = storage_from_string(config["RATELIMIT_STORAGE_URI"])
    tools = (limited, MovingWindowRateLimiter(storage))
    current_app.extensions["bwm_geocoder"] = tools
    return tools


def _wait_for_shared_turn(limiter: MovingWindowRateLimiter, deadline: float) -> bool:
    per_second = max(1, round(1 / max(current_app.config["GEOCODER_MIN_DELAY_SECONDS"], 1e-3)))
    item = RateLimitItemPerSecond(per_second)
    while not limiter.hit(item, "betterway-geocoder"):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def geocode(query: str):
    """A ``Place`` for ``query`` from the online geocoder (or its cache), or None."""
    from betterway_map.domain.geo.place import Place

    key = _cache_key(query)
    cached = db.session.get(GeocodeCache, key)
    if cached is not None:
        if cached.latitude is None:
            return None
        return Place(cached.latitude, cached.longitude, cached.label or query, "geocoder")
    limited, shared = _tools()
    deadline = time.monotonic() + current_app.config["GEOCODER_TIMEOUT_SECONDS"]
    if not _wait_for_shared_turn(shared, deadline):
        current_app.logger.warning("Geocoder busy; %r not looked up.", query)
        return None
    try:
        location = limited(
            query,
            exactly_one=True,
            country_codes=current_app.config["GEOCODER_COUNTRY_CODES"] or None,
        )
    except GeopyError as error:
        # Not cached: the next search may find the service working again.
        current_app.logger.warning("Geocoder failed for %r: %s", query, error)
        return None
    if location is None:
        db.session.add(GeocodeCache(query=key))
    else:
        db.session.add(
            GeocodeCache(
                query=key,
                latitude=location.latitude,
                longitude=location.longitude,
                label=(location.address or query)[:300],
            )
        )
    try:
        db.session.commit()
    except IntegrityError:  # another worker cached the same query first
        db.session.rollback()
    if location is None:
        return None
    return Place(location.latitude, location.longitude, location.address or query, "geocoder")
