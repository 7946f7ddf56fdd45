"""Where is that? The geocoding chain.

1. The gazetteer (``postcodes`` table): a full postcode exactly; an outward
   code ("E13") or a sector ("E13 8") as the centroid of its postcodes, found
   as a key range so that no row outside it is read.
2. Only where configured (``GEOCODER = "nominatim"``), an online geocoder
   through geopy, with a real user agent, geopy's ``RateLimiter`` and every
   answer cached in the ``geocode_cache`` table. Off by default and in tests.
3. Otherwise the person drops a pin on the map or types coordinates:
   ``place_at``.
"""

from __future__ import annotations

from flask import current_app
from sqlalchemy import func, select

from betterway_map.domain.geo.place import Place
from betterway_map.domain.geo.postcodes import PostcodeError, is_fictional, parse_postcode_query
from betterway_map.errors import InvalidInput
from betterway_map.extensions import db
from betterway_map.geocoding.models import PostcodePoint

__all__ = ["Place", "locate", "place_at", "place_postcode", "postcode_centroid"]


def _key_range(prefix: str) -> tuple[str, str]:
    """Postcodes starting with ``prefix`` are those in [prefix, upper)."""
    return prefix, prefix[:-1] + chr(ord(prefix[-1]) + 1)


def postcode_centroid(kind: str, value: str) -> Place | None:
    """The gazetteer's answer for a parsed postcode query, or None."""
    if kind == "postcode":
        point = db.session.get(PostcodePoint, value)
        if point is None:
            return None
        return Place(point.latitude, point.longitude, value, "postcode", point.fictional)
    low, high = _key_range(value + " " if kind == "outcode" else value)
    row = db.session.execute(
        select(
            func.avg(PostcodePoint.latitude),
            func.avg(PostcodePoint.longitude),
            func.count(),
        ).where(PostcodePoint.postcode >= low, PostcodePoint.postcode < high)
    ).one()
    if not row[2]:
        return None
    return Place(float(row[0]), float(row[1]), value, kind, is_fictional(value))


def locate(text: str, field: str = "postcode") -> Place:
    """A place for what someone typed, or ``InvalidInput`` saying why not.

    ``field`` names the form or query field in the error.
    """
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Type a postcode.", {field: ["Type a postcode, like 'E13 8QS'."]})
    if len(text) > 200:
        message = f"That is {len(text)} characters; a postcode or place has at most 200."
        raise InvalidInput(message, {field: [message]})
    try:
        kind, value = parse_postcode_query(text)
    except PostcodeError as error:
        place = _online(text)
        if place is not None:
            return place
        message = f"{error} You can also drop a pin on the map or type coordinates."
        raise InvalidInput(message, {field: [message]}) from None
    place = postcode_centroid(kind, value)
    if place is None:
        place = _online(value)
    if place is None:
        message = (
            f"We do not know where {value!r} is: it is not in our postcode list. "
            "Check it, try just the first part (like 'E13'), or drop a pin on the map."
        )
        raise InvalidInput(message, {field: [message]})
    return place


def place_postcode(postcode: str | None) -> Place | None:
    """Where a record with this (normalised, full) postcode goes on the map.

    The gazetteer first, then the online geocoder where one is configured;
    None when neither knows it. Never an error: a record whose postcode is
    unknown is still kept, unplaced, and its page says so.
    """
    if not postcode:
        return None
    point = db.session.get(PostcodePoint, postcode)
    if point is not None:
        return Place(point.latitude, point.longitude, postcode, "postcode", point.fictional)
    return _online(postcode)


def place_at(latitude, longitude) -> Place:
    """A place from typed or pinned coordinates, checked."""
    errors = {}
    values = {}
    for name, raw, low, high in (("lat", latitude, -90, 90), ("lon", longitude, -180, 180)):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            errors[name] = [f"{raw!r} is not a number; give decimal degrees like 51.5."]
            continue
        if not low <= value <= high:  # also refuses nan
            errors[name] = [f"{value} is out of range; it must be between {low} and {high}."]
            continue
        values[name] = value
    if errors:
        raise InvalidInput("Those coordinates are not usable.", errors)
    lat, lon = values["lat"], values["lon"]
    return Place(lat, lon, f"{lat:.5f}, {lon:.5f}", "coordinates")


def _online(query: str) -> Place | None:
    if not current_app.config.get("GEOCODER"):
        return None
    from betterway_map.geocoding.online import geocode

    return geocode(query)
